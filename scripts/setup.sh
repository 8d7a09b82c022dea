#!/usr/bin/env bash
# Set up a virtual environment in .venv with everything the assistant needs, offline-safe.
#   bash scripts/setup.sh          # the application
#   bash scripts/setup.sh --test   # plus test tools and Debian's chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# the CPU build of torch from this machine's disk; an unpinned torch pulls a multi-GB CUDA build
.venv/bin/python -m pip install -q torch==2.13.0
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test,gguf,scale]'
  if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
      || echo "warning: could not install chromium; browser tests will be skipped" >&2
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
