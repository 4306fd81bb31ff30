#!/usr/bin/env bash
# Set-up step of `npm run bench`: the speed benchmark runs Python's diskcache beside
# Funes (bench/diskcache_workloads.py). Installs Debian's python3-diskcache when missing.
set -euo pipefail
# Debian's own interpreter: a python3 earlier on PATH (pyenv, a venv) does not see Debian's packages.
python=/usr/bin/python3
if "$python" -c 'import diskcache' 2> /dev/null; then exit 0; fi
echo "setup: installing Debian's python3-diskcache for the speed benchmark" >&2
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -qq
timeout 900 apt-get install -y -qq --no-install-recommends python3 python3-diskcache > /dev/null
"$python" -c 'import diskcache' || { echo "setup: python3-diskcache is still missing after apt-get install" >&2; exit 1; }
