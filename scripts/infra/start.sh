#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Start the whole local infrastructure without Docker: Kafka (KRaft), Apicurio Registry,
# and the project's database on the local PostgreSQL. Idempotent: services already running
# are left alone. Progress goes to stderr; the endpoints are printed on stdout as KEY=value.
# Alternative with Docker: docker compose up -d
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_cmd java "Kafka and Apicurio Registry"
mkdir -p "$LOG_DIR"

# Kafka and the registry (download + JVM start) run in parallel; the database check meanwhile.
"$INFRA_DIR/kafka.sh" start &
kafka_job=$!
"$INFRA_DIR/registry.sh" start &
registry_job=$!

failed=()
"$INFRA_DIR/postgres.sh" ensure || failed+=(postgres)
wait "$kafka_job" || failed+=(kafka)
wait "$registry_job" || failed+=(registry)

if ((${#failed[@]})); then
  die "failed to start: ${failed[*]} (logs in $LOG_DIR; stop everything with scripts/infra/stop.sh)"
fi

echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
echo "SCHEMA_REGISTRY_URL=http://127.0.0.1:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"
echo "DATABASE_URL=postgres://$PGUSER@$PGHOST:$PGPORT/$DATABASE_NAME"
