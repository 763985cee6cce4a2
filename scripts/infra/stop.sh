#!/usr/bin/env bash
# Stop Kafka and Apicurio Registry started by scripts/infra/start.sh (SIGTERM, then SIGKILL
# after INFRA_STOP_TIMEOUT_SECONDS). Kafka's data stays in $CADENCE_RUN_DIR/kafka; the registry
# is in-memory. PostgreSQL and its databases are left untouched.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$INFRA_DIR/registry.sh" stop &
registry_job=$!
"$INFRA_DIR/kafka.sh" stop &
kafka_job=$!

rc=0
wait "$registry_job" || rc=1
wait "$kafka_job" || rc=1
exit "$rc"
