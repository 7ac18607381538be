#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, when missing: Debian's chromium for the
# browser tests (receipt rendering). Runs as root on CI and developer machines (apt-get works).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "test-deps: installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
