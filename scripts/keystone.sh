#!/usr/bin/env bash
# A real OpenStack Keystone for the integration tests (test/keystone/): Debian's python3-keystone
# served by uWSGI on 127.0.0.1, sqlite, fernet (or jws) tokens, CORS that exposes X-Subject-Token,
# and a "monitoring" service in the catalog. No Apache, no systemd, no debconf. Safe to re-run.
#
#   bash scripts/keystone.sh start     install what is missing, configure, bootstrap, start, wait (default)
#   bash scripts/keystone.sh stop      stop the server this script started (pid file)
#   bash scripts/keystone.sh status    "running (pid N) at URL" or "stopped" (exit 3)
#   bash scripts/keystone.sh purge     stop and delete the state directory
#
# Knobs (environment, defaults shown):
#   KS_DIR=/var/lib/monasca-client-keystone   state: keystone.conf, keystone.db, keys, logs, pid file
#   KS_HOST=127.0.0.1 KS_PORT=5000
#   KS_ADMIN_USER=admin KS_ADMIN_PASSWORD=admin-secret KS_ADMIN_PROJECT=admin KS_REGION=RegionOne
#   KS_TOKEN_PROVIDER=fernet       or jws (ES256-signed JWT tokens)
#   KS_TOKEN_EXPIRATION=3600       token lifetime in seconds (the expiry tests use a second instance at 20)
#   KS_CORS_ORIGINS='*'            comma list of page origins allowed to call Keystone from a browser
#   KS_MONITORING_URL=http://127.0.0.1:8070/v2.0   public endpoint of the "monitoring" service
#   KS_PROCESSES=1  KS_HASH_ROUNDS=4
# A second instance needs its own KS_DIR and KS_PORT, e.g.
#   KS_DIR=/var/lib/monasca-client-keystone-short KS_PORT=5001 KS_TOKEN_EXPIRATION=20 bash scripts/keystone.sh start
set -euo pipefail

KS_DIR=${KS_DIR:-/var/lib/monasca-client-keystone}
KS_HOST=${KS_HOST:-127.0.0.1}
KS_PORT=${KS_PORT:-5000}
KS_ADMIN_USER=${KS_ADMIN_USER:-admin}
KS_ADMIN_PASSWORD=${KS_ADMIN_PASSWORD:-admin-secret}
KS_ADMIN_PROJECT=${KS_ADMIN_PROJECT:-admin}
KS_REGION=${KS_REGION:-RegionOne}
KS_TOKEN_PROVIDER=${KS_TOKEN_PROVIDER:-fernet}
KS_TOKEN_EXPIRATION=${KS_TOKEN_EXPIRATION:-3600}
KS_CORS_ORIGINS=${KS_CORS_ORIGINS:-*}
KS_MONITORING_URL=${KS_MONITORING_URL:-http://127.0.0.1:8070/v2.0}
KS_PROCESSES=${KS_PROCESSES:-1}
KS_HASH_ROUNDS=${KS_HASH_ROUNDS:-4}

BASE="http://$KS_HOST:$KS_PORT"
PIDFILE="$KS_DIR/uwsgi.pid"
# Debian's interpreter: the packages run on it, and PATH may put another python3 first.
PY=/usr/bin/python3
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

say() { printf '[keystone.sh] %s\n' "$*" >&2; }
running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

install_if_missing() {
  local packages="python3-keystone uwsgi-core uwsgi-plugin-python3 curl"
  local have
  have=$(dpkg-query -W -f='${Status}\n' $packages 2>/dev/null | grep -c 'install ok installed' || true)
  if [[ "$have" -lt 4 ]]; then
    say "installing $packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # python3-keystone brings keystone-manage and keystone-wsgi-public without a service or prompts.
    apt-get install -y -q --no-install-recommends $packages >/dev/null
  fi
}

# Writes keystone.conf; CHANGED=1 when it (or a server setting) differs from what the running server uses.
configure() {
  mkdir -p "$KS_DIR"
  chmod 700 "$KS_DIR"
  cat >"$KS_DIR/keystone.conf" <<EOF
[DEFAULT]
log_file = $KS_DIR/keystone.log
[database]
connection = sqlite:///$KS_DIR/keystone.db
[identity]
password_hash_rounds = $KS_HASH_ROUNDS
[token]
provider = $KS_TOKEN_PROVIDER
expiration = $KS_TOKEN_EXPIRATION
[fernet_tokens]
key_repository = $KS_DIR/fernet-keys
[fernet_receipts]
key_repository = $KS_DIR/fernet-keys
[credential]
key_repository = $KS_DIR/credential-keys
[jwt_tokens]
jws_public_key_repository = $KS_DIR/jws-keys/public
jws_private_key_repository = $KS_DIR/jws-keys/private
EOF
  # The CORS middleware reads only the default config locations, not this file: CORS goes through
  # the OS_CORS__ALLOWED_ORIGIN environment variable at server start, so it is part of the fingerprint.
  local fingerprint
  fingerprint=$( (cat "$KS_DIR/keystone.conf"; echo "$KS_HOST $KS_PORT $KS_CORS_ORIGINS $KS_PROCESSES") | sha256sum)
  if [[ "$fingerprint" == "$(cat "$KS_DIR/.running-config" 2>/dev/null)" ]]; then CHANGED=0; else CHANGED=1; fi
  FINGERPRINT=$fingerprint
}

manage() {
  # keystone-manage ends with a harmless eventlet traceback on stderr; keep only other lines.
  local rc=0
  keystone-manage --config-file "$KS_DIR/keystone.conf" "$@" 2>"$KS_DIR/manage.err" || rc=$?
  grep -vE 'Exception ignored in|^Traceback|^  File |^    |getcurrent' "$KS_DIR/manage.err" >&2 || true
  if [[ $rc != 0 ]]; then
    say "keystone-manage $1 failed ($rc); end of keystone.log:"
    tail -n 30 "$KS_DIR/keystone.log" >&2 || true
    exit "$rc"
  fi
}

keys_and_database() {
  [[ -f "$KS_DIR/fernet-keys/0" ]] || manage fernet_setup --keystone-user root --keystone-group root
  [[ -f "$KS_DIR/credential-keys/0" ]] || manage credential_setup --keystone-user root --keystone-group root
  if [[ ! -f "$KS_DIR/jws-keys/private/private.pem" ]]; then
    # create_jws_keypair writes both PEM files into the working directory.
    mkdir -p "$KS_DIR/jws-keys/private" "$KS_DIR/jws-keys/public"
    (cd "$KS_DIR/jws-keys" && rm -f private.pem public.pem &&
      manage create_jws_keypair --keystone-user root --keystone-group root &&
      mv private.pem private/ && mv public.pem public/)
    chmod 700 "$KS_DIR/jws-keys/private"
  fi
  local marker
  marker=$(echo "$KS_ADMIN_USER $KS_ADMIN_PASSWORD $KS_ADMIN_PROJECT $KS_REGION $BASE" | sha256sum)
  if [[ ! -f "$KS_DIR/keystone.db" || "$(cat "$KS_DIR/.bootstrapped" 2>/dev/null)" != "$marker" ]]; then
    manage db_sync
    manage bootstrap --bootstrap-username "$KS_ADMIN_USER" --bootstrap-password "$KS_ADMIN_PASSWORD" \
      --bootstrap-project-name "$KS_ADMIN_PROJECT" --bootstrap-role-name admin \
      --bootstrap-service-name keystone --bootstrap-region-id "$KS_REGION" \
      --bootstrap-admin-url "$BASE/v3/" --bootstrap-public-url "$BASE/v3/" --bootstrap-internal-url "$BASE/v3/"
    echo "$marker" >"$KS_DIR/.bootstrapped"
  fi
  # WAL: in the default journal mode a read transaction Keystone leaves open blocks the next write
  # for about a minute ("database is locked"); WAL lets them pass.
  $PY -c "import sqlite3; sqlite3.connect('$KS_DIR/keystone.db').execute('PRAGMA journal_mode=WAL')"
}

stop_server() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    say "stopping uWSGI (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then pkill -KILL -P "$pid" || true; kill -KILL "$pid" || true; fi
  fi
  rm -f "$PIDFILE" "$KS_DIR/.running-config"
  for _ in $(seq 50); do curl -s -o /dev/null "$BASE/" || break; sleep 0.1; done
}

start_server() {
  if running && [[ $CHANGED == 1 ]]; then say "configuration changed: restarting"; stop_server; fi
  if ! running; then
    if curl -s -o /dev/null "$BASE/"; then say "something else already listens on $BASE"; exit 1; fi
    say "starting uWSGI on $BASE"
    : >"$KS_DIR/uwsgi.log"
    # The uWSGI http router (--http, --http-keepalive) in front of single-threaded workers:
    # --http-socket resets keep-alive connections, --http11-socket lets an idle one block the worker,
    # and threads make Keystone's sqlite session fail ("database is locked").
    env OS_KEYSTONE_CONFIG_DIR="$KS_DIR" OS_KEYSTONE_CONFIG_FILES=keystone.conf \
      OS_CORS__ALLOWED_ORIGIN="$KS_CORS_ORIGINS" \
      uwsgi --plugin python3,http --http "$KS_HOST:$KS_PORT" --http-keepalive \
      --wsgi-file /usr/bin/keystone-wsgi-public --master --processes "$KS_PROCESSES" --threads 1 \
      --lazy-apps --die-on-term --need-app --buffer-size 65535 --pidfile "$PIDFILE" \
      --logto "$KS_DIR/uwsgi.log" --daemonize2 "$KS_DIR/uwsgi.log" --disable-logging
    echo "$FINGERPRINT" >"$KS_DIR/.running-config"
  fi
  for _ in $(seq 300); do
    if curl -sf -o /dev/null "$BASE/v3"; then return 0; fi
    if [[ -f "$PIDFILE" ]] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  say "Keystone did not answer on $BASE/v3; end of the logs:"
  tail -n 30 "$KS_DIR/uwsgi.log" "$KS_DIR/keystone.log" >&2 || true
  exit 1
}

json_field() { $PY -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

# The "monitoring" service with one public endpoint in KS_REGION at KS_MONITORING_URL, exactly once.
register_monitoring() {
  local body token service endpoints
  body=$(printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","domain":{"id":"default"},"password":"%s"}}},"scope":{"project":{"name":"%s","domain":{"id":"default"}}}}}' \
    "$KS_ADMIN_USER" "$KS_ADMIN_PASSWORD" "$KS_ADMIN_PROJECT")
  token=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' -d "$body" "$BASE/v3/auth/tokens" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "x-subject-token" { print $2 }')
  service=$(curl -sf -H "X-Auth-Token: $token" "$BASE/v3/services?type=monitoring" |
    json_field "d['services'][0]['id'] if d['services'] else ''")
  if [[ -z "$service" ]]; then
    service=$(curl -sf -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
      -d '{"service":{"type":"monitoring","name":"monitoring","description":"Monasca","enabled":true}}' \
      "$BASE/v3/services" | json_field "d['service']['id']")
  fi
  endpoints=$(curl -sf -H "X-Auth-Token: $token" "$BASE/v3/endpoints?service_id=$service&interface=public" |
    json_field "' '.join(e['id'] + '|' + e['url'] + '|' + str(e.get('region_id')) for e in d['endpoints'] if e.get('region_id') == '$KS_REGION')")
  if [[ " $endpoints " != *"|$KS_MONITORING_URL|$KS_REGION "* ]]; then
    for endpoint in $endpoints; do
      curl -sf -X DELETE -H "X-Auth-Token: $token" "$BASE/v3/endpoints/${endpoint%%|*}" >/dev/null
    done
    curl -sf -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
      -d "{\"endpoint\":{\"service_id\":\"$service\",\"interface\":\"public\",\"region_id\":\"$KS_REGION\",\"url\":\"$KS_MONITORING_URL\",\"enabled\":true}}" \
      "$BASE/v3/endpoints" >/dev/null
  fi
}

case "${1:-start}" in
  start)
    install_if_missing
    configure
    keys_and_database
    start_server
    register_monitoring
    echo "Keystone ready at $BASE/v3 (pid $(cat "$PIDFILE"), $KS_TOKEN_PROVIDER tokens, ${KS_TOKEN_EXPIRATION}s;" \
      "admin user $KS_ADMIN_USER, project $KS_ADMIN_PROJECT, region $KS_REGION; monitoring -> $KS_MONITORING_URL)"
    ;;
  stop) stop_server ;;
  status) if running; then echo "running (pid $(cat "$PIDFILE")) at $BASE"; else echo stopped; exit 3; fi ;;
  purge) stop_server; rm -rf "$KS_DIR"; say "removed $KS_DIR" ;;
  *) echo "usage: bash scripts/keystone.sh [start|stop|status|purge]" >&2; exit 2 ;;
esac
