#!/usr/bin/env bash
# `npm run chaos`: the secured 3-broker cluster (started here if it is not running, and stopped again at the end),
# the schema registry and Postgres; then scripts/chaos.ts injects its faults into a stream of enroll commands and
# checks what came out. Bounded: CHAOS_DEADLINE_MS (15 min). Last line: one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-infra.sh"
cd "$ROOT"
ensure_node_modules
npm run --silent build >&2
cluster_was_running=true
bash scripts/infra/kafka-cluster.sh status >/dev/null 2>&1 || cluster_was_running=false
if ! $cluster_was_running; then
  trap 'bash scripts/infra/kafka-cluster.sh stop >/dev/null 2>&1 || true' EXIT
fi
while IFS= read -r line; do
  case "$line" in [A-Z]*=*) export "${line?}" ;; esac
done < <(CADENCE_KAFKA=cluster bash scripts/infra/start.sh)
[ -n "${KAFKA_SASL_PASSWORD_FILE:-}" ] || { echo "[chaos] the cluster did not start (see .run/logs)" >&2; exit 1; }
TS_NODE_BASEURL="$ROOT/dist" node -r tsconfig-paths/register dist/scripts/chaos.js
