#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Start the whole local infrastructure without Docker: Kafka (KRaft), Apicurio Registry,
# and the project's database on the local PostgreSQL. Idempotent: services already running
# are left alone. Progress goes to stderr; the endpoints are printed on stdout as KEY=value.
# CADENCE_KAFKA=cluster starts the secured three-node cluster (kafka-cluster.sh: SASL_SSL, ACLs)
# instead of the single plaintext broker (kafka.sh, the default: CADENCE_KAFKA=single).
# Alternative with Docker: docker compose up -d
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "$CADENCE_KAFKA" in
  single) kafka_script="$INFRA_DIR/kafka.sh" ;;
  cluster) kafka_script="$INFRA_DIR/kafka-cluster.sh" ;;
  *) die "CADENCE_KAFKA must be 'single' or 'cluster', not '$CADENCE_KAFKA'" ;;
esac

require_cmd java "Kafka and Apicurio Registry"
mkdir -p "$LOG_DIR"

# The cluster prints its own endpoint lines (brokers, TLS and SASL settings); kept until the end.
kafka_endpoints="$(mktemp)"
trap 'rm -f "$kafka_endpoints"' EXIT

# Kafka and the registry (download + JVM start) run in parallel; the database check meanwhile.
"$kafka_script" start >"$kafka_endpoints" &
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

if [[ "$CADENCE_KAFKA" == cluster ]]; then
  cat "$kafka_endpoints"
else
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
fi
echo "SCHEMA_REGISTRY_URL=http://127.0.0.1:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"
echo "DATABASE_URL=postgres://$PGUSER@$PGHOST:$PGPORT/$DATABASE_NAME"
