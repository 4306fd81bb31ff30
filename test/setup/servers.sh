#!/usr/bin/env bash
# Set-up step of `npm test`: the remote tests run real servers on 127.0.0.1 from Debian's
# packages — OpenStack Swift (S3 through s3api), Ceph RGW (S3 with conditional writes)
# and Redis (leases) — and zsh, the other shell `funes completion` writes for. Installs
# those that are missing, without recommends.
set -euo pipefail
missing=()
need() { # need <binary> <package>...
  local binary=$1; shift
  command -v "$binary" > /dev/null || missing+=("$@")
}
need swift-proxy-server swift-proxy swift-object swift-container swift-account
need radosgw ceph-mon ceph-osd radosgw ceph-common
need redis-server redis-server
need zsh zsh
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "setup: installing the tests' servers and shells from Debian: $packages" >&2
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get -o DPkg::Lock::Timeout=300 update -qq
# shellcheck disable=SC2086 # one word per package
timeout 900 apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $packages > /dev/null
for binary in swift-proxy-server swift-ring-builder radosgw radosgw-admin ceph-mon ceph-osd redis-server zsh; do
  command -v "$binary" > /dev/null || { echo "setup: $binary is still missing after apt-get install" >&2; exit 1; }
done
