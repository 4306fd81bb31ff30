#!/usr/bin/env bash
# Set-up step of `npm test`: the browser tests of `funes ui` drive Debian's Chromium
# (playwright-core cannot download browsers here). Installs it when missing.
set -euo pipefail
if command -v chromium > /dev/null; then exit 0; fi
echo "setup: installing Debian's chromium for the funes ui browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -qq
timeout 900 apt-get install -y -qq --no-install-recommends chromium > /dev/null
command -v chromium > /dev/null || { echo "setup: chromium is still missing after apt-get install" >&2; exit 1; }
