#!/usr/bin/env bash
# The one command that brings up everything: infrastructure, build, migrations, the five apps, then the
# end-to-end demo. Idempotent: apps already running are left alone. Stop with `npm run down`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-infra.sh"
cd "$ROOT"

ROLES=(api trigger-router inactivity-watcher enrollment step-runner)
BASE_PORT="${APPS_BASE_PORT:-3000}"
RUN_DIR="${CADENCE_RUN_DIR:-$ROOT/.run}"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"

ensure_node_modules
ensure_infra
echo "[up] build" >&2
npm run --silent build
echo "[up] migrate" >&2
npm run --silent migrate

# The roles' heap budget, as in the image (scripts/image/node-options), unless NODE_OPTIONS says otherwise.
ROLE_NODE_OPTIONS="${NODE_OPTIONS:-$(cat "$ROOT/scripts/image/node-options")}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for i in "${!ROLES[@]}"; do
  role="${ROLES[$i]}"
  pidfile="$RUN_DIR/pids/$role.pid"
  if alive "$pidfile"; then
    echo "[up] $role already running (pid $(cat "$pidfile"))" >&2
    continue
  fi
  HTTP_PORT=$((BASE_PORT + i)) TS_NODE_BASEURL="$ROOT/dist" NODE_OPTIONS="$ROLE_NODE_OPTIONS" \
    nohup node -r tsconfig-paths/register "dist/apps/$role/src/main.js" >"$RUN_DIR/logs/$role.log" 2>&1 &
  echo $! >"$pidfile"
  echo "[up] $role started (pid $!, http://127.0.0.1:$((BASE_PORT + i))/health/ready, log .run/logs/$role.log)" >&2
done

deadline=$((SECONDS + ${APPS_START_TIMEOUT_SECONDS:-90}))
for i in "${!ROLES[@]}"; do
  role="${ROLES[$i]}"
  until curl -fsS "http://127.0.0.1:$((BASE_PORT + i))/health/ready" >/dev/null 2>&1; do
    if ! alive "$RUN_DIR/pids/$role.pid" || [ $SECONDS -ge $deadline ]; then
      echo "[up] $role is not ready; last lines of .run/logs/$role.log:" >&2
      tail -n 30 "$RUN_DIR/logs/$role.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done
echo "[up] all five apps ready; the console: http://127.0.0.1:$BASE_PORT/console (sign in with a key from npm run account:create)" >&2
echo "[up] running the demo" >&2
TS_NODE_BASEURL="$ROOT/dist" node -r tsconfig-paths/register dist/scripts/demo.js
