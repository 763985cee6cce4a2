#!/usr/bin/env bash
# Stops the five apps (SIGTERM: each finishes its in-flight batch), then the infrastructure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${CADENCE_RUN_DIR:-$ROOT/.run}"

for pidfile in "$RUN_DIR"/pids/{api,trigger-router,inactivity-watcher,enrollment,step-runner}.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "[down] $(basename "$pidfile" .pid) stopped" >&2
  fi
  rm -f "$pidfile"
done

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  (cd "$ROOT" && docker compose down)
else
  bash "$ROOT/scripts/infra/stop.sh" "$@"
fi
