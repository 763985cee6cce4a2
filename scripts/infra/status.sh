#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Show whether each local service is up. Exit code 0 only if all are (Kafka: the one CADENCE_KAFKA
# selects; the other one is shown too when it runs, without counting).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
if [[ "$CADENCE_KAFKA" == cluster ]]; then
  "$INFRA_DIR/kafka-cluster.sh" status || rc=1
  if [[ -f "$PID_DIR/kafka.pid" ]]; then "$INFRA_DIR/kafka.sh" status || true; fi
else
  "$INFRA_DIR/kafka.sh" status || rc=1
  if compgen -G "$PID_DIR/kafka-node-*.pid" >/dev/null; then "$INFRA_DIR/kafka-cluster.sh" status || true; fi
fi
"$INFRA_DIR/registry.sh" status || rc=1
"$INFRA_DIR/postgres.sh" status || rc=1
exit "$rc"
