#!/usr/bin/env bash
# `monitor backup` on PostgreSQL uses pg_dump and pg_restore, and the backup tests run them. Install the PostgreSQL
# client when we can; say why when we cannot (like ensure_chromium.sh).
set -euo pipefail
if command -v pg_dump >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the PostgreSQL client for backups (apt-get install postgresql-client)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
  exit 0
fi
echo "pg_dump is not installed and this user cannot install it (needs root and apt-get)."
echo "Install it with: sudo apt-get install postgresql-client. Until then the PostgreSQL backup test fails."
if [ -n "${MONITOR_TEST_POSTGRES_URL:-}" ]; then
  exit 1
fi
