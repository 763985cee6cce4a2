#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stop Kafka (the single broker, and the three-node cluster if it runs) and Apicurio Registry started
# by scripts/infra/start.sh (SIGTERM, then SIGKILL after INFRA_STOP_TIMEOUT_SECONDS). PostgreSQL and
# its databases are left untouched. Kafka's data stays in $CADENCE_RUN_DIR/kafka (and .../kafka-cluster,
# with the cluster's passwords and certificates) unless --purge is given. Note that the registry
# is in-memory: after a restart, old Kafka records refer to schema ids that no longer exist,
# so purge when that matters.
# Usage: scripts/infra/stop.sh [--purge]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
case "${1:-}" in
  "") ;;
  --purge) purge=true ;;
  *) die "usage: $0 [--purge]" ;;
esac

"$INFRA_DIR/registry.sh" stop &
registry_job=$!
"$INFRA_DIR/kafka.sh" stop &
kafka_job=$!

cluster_job=""
if compgen -G "$PID_DIR/kafka-node-*.pid" >/dev/null; then
  "$INFRA_DIR/kafka-cluster.sh" stop &
  cluster_job=$!
fi

rc=0
wait "$registry_job" || rc=1
wait "$kafka_job" || rc=1
if [[ -n "$cluster_job" ]]; then wait "$cluster_job" || rc=1; fi

if $purge && ((rc == 0)); then
  info "removing Kafka data ($RUN_DIR/kafka, $RUN_DIR/kafka-cluster)"
  rm -rf "$RUN_DIR/kafka" "$RUN_DIR/kafka-cluster"
fi
exit "$rc"
