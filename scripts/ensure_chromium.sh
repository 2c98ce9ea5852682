#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright. Install it when we can; say why when we cannot.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is not installed at $CHROMIUM and this user cannot install it (needs root and apt-get)."
echo "Install it with: sudo apt-get install chromium. Until then the browser tests are skipped."
if [ "${CI:-}" = "true" ]; then
  echo "CI=true: the browser tests must run, so this is an error."
  exit 1
fi
