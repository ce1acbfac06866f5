#!/usr/bin/env bash
# Headless Chromium (Debian's chromium-headless-shell), for the test that renders the page of
# `tauten startup --html`. Needs root (as on CI); a no-op when it is installed already.
set -euo pipefail
if command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium-headless-shell fonts-dejavu-core >/dev/null
