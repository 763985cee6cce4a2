#!/usr/bin/env bash
# The image's ENTRYPOINT: starts one role of the engine, chosen by the first argument or CADENCE_ROLE.
#   docker run IMAGE enrollment          docker run -e CADENCE_ROLE=enrollment IMAGE
#   docker run IMAGE migrate             (one-shot: create the database if missing, apply the migrations)
# Outside a container it runs the same way from an assembled runtime directory (scripts/image/check.sh).
# `exec`: node replaces this shell, so in a container it is PID 1 and receives SIGTERM itself (the apps
# handle it: finish the in-flight batch, exit 0). Running with `--init` (compose: `init: true`) also covers
# a signal that arrives before the app has installed its handler.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROLES=(api trigger-router inactivity-watcher enrollment step-runner)

usage() {
  local names
  names="$(printf '%s, ' "${ROLES[@]}")"
  cat >&2 <<MSG
usage: entrypoint.sh ROLE   (or CADENCE_ROLE=ROLE)
  ROLE is one of the five roles: ${names%, }
  or migrate: the one-shot database migration (creates the database if missing, applies pending migrations)
MSG
}

role="${1:-${CADENCE_ROLE:-}}"
if [ "$#" -gt 1 ]; then
  echo "entrypoint: unexpected arguments after the role: ${*:2}" >&2
  usage
  exit 64
fi

script=""
if [ "$role" = migrate ]; then
  script="dist/scripts/migrate.js"
else
  for known in "${ROLES[@]}"; do
    [ "$role" = "$known" ] && script="dist/apps/$role/src/main.js"
  done
fi
if [ -z "$script" ]; then
  if [ -z "$role" ]; then
    echo "entrypoint: no role given (first argument or CADENCE_ROLE)" >&2
  else
    echo "entrypoint: unknown role '$role'" >&2
  fi
  usage
  exit 64
fi

cd "$ROOT"
export TS_NODE_BASEURL="$ROOT/dist" TS_NODE_PROJECT="$ROOT/tsconfig.json"
# The roles' heap budget (scripts/image/node-options) unless NODE_OPTIONS says otherwise.
export NODE_OPTIONS="${NODE_OPTIONS:-$(cat "$ROOT/scripts/image/node-options")}"
exec node -r tsconfig-paths/register "$ROOT/$script"
