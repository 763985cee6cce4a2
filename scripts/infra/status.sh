#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Show whether each local service is up. Exit code 0 only if all are.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
"$INFRA_DIR/kafka.sh" status || rc=1
"$INFRA_DIR/registry.sh" status || rc=1
"$INFRA_DIR/postgres.sh" status || rc=1
exit "$rc"
