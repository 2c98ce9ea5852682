#!/usr/bin/env bash
# The city test (tests/e2e/test_proxy.py) runs deploy/nginx/monitor.conf in Debian's nginx. Install it when we can;
# say why when we cannot. The test starts its own nginx on local ports; the system's nginx service is not used.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing nginx for the proxy test (apt-get install nginx)..."
  apt-get update -qq
  # No service start during install: the test runs its own nginx, and a container has no init to start one.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq nginx >/dev/null
  exit 0
fi
echo "nginx is not installed and this user cannot install it (needs root and apt-get)."
echo "Install it with: sudo apt-get install nginx. Until then the proxy test is skipped."
if [ "${CI:-}" = "true" ]; then
  echo "CI=true: the proxy test must run, so this is an error."
  exit 1
fi
