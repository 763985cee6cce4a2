#!/usr/bin/env bash
# The test command: installs what is missing, then runs the unit and integration tests. The integration
# project's globalSetup brings up the infrastructure (env endpoints → testcontainers → scripts/infra).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-infra.sh"
cd "$ROOT"
ensure_node_modules
# Some integration tests run app roles as their own processes, from the compiled build.
npm run --silent build
exec npx jest --maxWorkers="${JEST_MAX_WORKERS:-2}" "$@"
