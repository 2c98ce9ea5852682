#!/usr/bin/env bash
# Installs the coproducer monitor on a plain Debian or Ubuntu host, in order: the `monitor` user, the folder
# /opt/monitor, the checkout, its virtual environment, /etc/monitor/monitor.env, the database's migrations, the
# systemd units (one app process per port and the worker) and the nginx site. Run it as root from a checkout:
#
#   sudo deploy/install.sh --server-name monitor.example.org --ports 8501,8502
#   deploy/install.sh --dry-run ...       print every command, in order, and change nothing (no root needed)
#   deploy/install.sh --render-site ...   print the nginx site it would install
#
# Running it again is safe: each step leaves what is already there (the user, the checkout, a filled-in
# monitor.env) and brings the rest up to date. It stops after step 5 the first time, so that the secrets in
# /etc/monitor/monitor.env are filled in before anything reads them. tests/unit/test_deploy_install.py reads the dry
# run and checks the steps against the units in deploy/systemd.
set -euo pipefail

APP_USER=monitor
APP_DIR=/opt/monitor
VENV=$APP_DIR/.venv
ENV_DIR=/etc/monitor
ENV_FILE=$ENV_DIR/monitor.env
UNIT_DIR=/etc/systemd/system
SITE=/etc/nginx/sites-available/monitor
SITE_LINK=/etc/nginx/sites-enabled/monitor
UNITS=(deploy/systemd/monitor-app@.service deploy/systemd/monitor-worker.service)

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(git -C "$SOURCE" remote get-url origin 2>/dev/null || echo "$SOURCE")
REF=$(git -C "$SOURCE" rev-parse HEAD 2>/dev/null || echo main)
PORTS=8501,8502
SERVER_NAME=monitor.example.org
CERTIFICATE=""
CERTIFICATE_KEY=""
DRY_RUN=false
RENDER_SITE=false

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --repo URL              where to clone from (default: this checkout's origin, or this checkout)
  --ref REF               the commit, tag or branch to run (default: this checkout's commit)
  --ports 8501,8502       one app process per port; nginx lists the same ports
  --server-name NAME      the site's name in nginx (default monitor.example.org)
  --certificate PATH      the TLS certificate (default /etc/letsencrypt/live/NAME/fullchain.pem)
  --certificate-key PATH  its key (default /etc/letsencrypt/live/NAME/privkey.pem)
  --dry-run               print the commands in order, change nothing
  --render-site           print the nginx site and stop
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --repo) REPO=$2; shift 2 ;;
    --ref) REF=$2; shift 2 ;;
    --ports) PORTS=$2; shift 2 ;;
    --server-name) SERVER_NAME=$2; shift 2 ;;
    --certificate) CERTIFICATE=$2; shift 2 ;;
    --certificate-key) CERTIFICATE_KEY=$2; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    --render-site) RENDER_SITE=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
CERTIFICATE=${CERTIFICATE:-/etc/letsencrypt/live/$SERVER_NAME/fullchain.pem}
CERTIFICATE_KEY=${CERTIFICATE_KEY:-/etc/letsencrypt/live/$SERVER_NAME/privkey.pem}
IFS=, read -r -a PORT_LIST <<<"$PORTS"
for port in "${PORT_LIST[@]}"; do
  if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
    echo "install.sh: --ports takes port numbers from 1024 to 65535 separated by commas, got '$PORTS'" >&2
    exit 2
  fi
done
if ! [[ $SERVER_NAME =~ ^[A-Za-z0-9.-]+$ ]]; then
  echo "install.sh: --server-name takes a host name, got '$SERVER_NAME'" >&2
  exit 2
fi

# The site as shipped, with this host's name, certificate and app ports; everything else unchanged.
render_site() {
  awk -v ports="$PORTS" -v name="$SERVER_NAME" -v cert="$CERTIFICATE" -v key="$CERTIFICATE_KEY" '
    /^[[:space:]]*server 127\.0\.0\.1:[0-9]+ / {
      if (!done) {
        n = split(ports, list, ",")
        for (i = 1; i <= n; i++) printf "    server 127.0.0.1:%s max_fails=2 fail_timeout=10s;\n", list[i]
        done = 1
      }
      next
    }
    { sub(/server_name [^;]+;/, "server_name " name ";") }
    /^[[:space:]]*ssl_certificate[[:space:]]/ { sub(/ssl_certificate[[:space:]]+[^;]+;/, "ssl_certificate     " cert ";") }
    /^[[:space:]]*ssl_certificate_key[[:space:]]/ { sub(/ssl_certificate_key[[:space:]]+[^;]+;/, "ssl_certificate_key " key ";") }
    { print }
  ' "$SOURCE/deploy/nginx/monitor.conf"
}

if $RENDER_SITE; then
  render_site
  exit 0
fi

STEP=0
step() {
  STEP=$((STEP + 1))
  echo "== $STEP. $*"
}
# Runs a command, or in a dry run prints it (as `+ command`, the form the test reads) and goes on.
run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  if ! $DRY_RUN; then
    "$@"
  fi
}
as_user() {
  run runuser -u "$APP_USER" -- "$@"
}

if ! $DRY_RUN && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run it as root (sudo), or with --dry-run to see what it does" >&2
  exit 1
fi

step "Check what the host needs: Python 3.11 or newer with venv, git, systemd and nginx"
run python3 -c "import sys, venv; sys.exit(sys.version_info < (3, 11))"
run command -v git systemctl nginx runuser useradd

step "Create the system user $APP_USER (no login, no password)"
if $DRY_RUN || ! getent passwd "$APP_USER" >/dev/null; then
  run useradd --system --user-group --home-dir "$APP_DIR" --no-create-home --shell /usr/sbin/nologin "$APP_USER"
fi

step "Create the folder $APP_DIR, owned by $APP_USER"
run install -d -o "$APP_USER" -g "$APP_USER" -m 0750 "$APP_DIR"

step "Check out the code into $APP_DIR ($REF)"
if $DRY_RUN || [ ! -d "$APP_DIR/.git" ]; then
  as_user git -c safe.directory="$REPO" clone --quiet "$REPO" "$APP_DIR"
else
  as_user git -C "$APP_DIR" fetch --quiet origin
fi
as_user git -C "$APP_DIR" checkout --quiet "$REF"
as_user mkdir -p "$APP_DIR/data"

step "Make the virtual environment $VENV and install the monitor into it"
as_user python3 -m venv "$VENV"
as_user "$VENV/bin/pip" install --quiet --upgrade pip
as_user "$VENV/bin/pip" install --quiet -e "$APP_DIR"

step "Put the secrets in $ENV_FILE (root only, mode 600)"
run install -d -o root -g root -m 0755 "$ENV_DIR"
if $DRY_RUN || [ ! -e "$ENV_FILE" ]; then
  run install -o root -g root -m 0600 "$APP_DIR/deploy/monitor.env.example" "$ENV_FILE"
  echo "Fill in $ENV_FILE (the database URL, the notes keys, the SMTP password, the cookie secret) and in"
  echo "$APP_DIR/config.toml set [auth] trusted_proxies = [\"127.0.0.1\"] (nginx), then run this script again."
  if ! $DRY_RUN; then
    exit 0
  fi
fi

# A command of the monitor as $APP_USER, with the environment of $ENV_FILE (which only root can read): a script for sh.
monitor_script() {
  echo "set -a; . $ENV_FILE; set +a; exec runuser -u $APP_USER -- $VENV/bin/monitor $*"
}

step "Apply the database migrations (as $APP_USER, with $ENV_FILE)"
run env --chdir="$APP_DIR" sh -c "$(monitor_script migrate)"

step "Install the systemd units and start the worker and one app process per port ($PORTS)"
run install -m 0644 "${UNITS[@]/#/$APP_DIR/}" "$UNIT_DIR/"
run systemctl daemon-reload
run systemctl enable --now monitor-worker.service "${PORT_LIST[@]/#/monitor-app@}"

step "Install the nginx site for $SERVER_NAME and reload nginx"
echo "+ render deploy/nginx/monitor.conf > $SITE"
if ! $DRY_RUN; then
  render_site >"$SITE.new"
  chmod 0644 "$SITE.new"
  mv "$SITE.new" "$SITE"
fi
run ln -sfn "$SITE" "$SITE_LINK"
run nginx -t
run systemctl reload nginx

echo "Done. Make the first administrator (it asks for a password), then sign in at https://$SERVER_NAME/:"
echo "  sudo env --chdir=$APP_DIR sh -c '$(monitor_script init --username admin --team Beheer)'"
