#!/usr/bin/env bash
# The test command: installs what is missing, then runs the unit, integration and browser tests. The integration
# and browser projects' globalSetup brings up the infrastructure (env endpoints → testcontainers → scripts/infra);
# the browser project exists only where jest.config.js finds a Chromium (else it says so in one line).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-infra.sh"
cd "$ROOT"
ensure_node_modules
# Some integration tests run app roles as their own processes, from the compiled build (the console included).
npm run --silent build
# One worker by default: the integration files each run several app roles against one broker and one
# Postgres on a 2-core machine; in parallel they starve each other. JEST_MAX_WORKERS raises it.
# --forceExit: a test that failed half-way can leave a client connection open, and jest would then wait on it
# forever after printing its result; the result is known, so the run ends there.
exec npx jest --maxWorkers="${JEST_MAX_WORKERS:-1}" --forceExit "$@"
