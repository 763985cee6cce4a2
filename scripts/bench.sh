#!/usr/bin/env bash
# `npm run bench:<name>`: starts or reuses the infrastructure, builds, and runs bench/<name>.bench.ts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/ensure-infra.sh"
cd "$ROOT"
ensure_node_modules
ensure_infra
npm run --silent build
TS_NODE_BASEURL="$ROOT/dist" exec node -r tsconfig-paths/register "dist/bench/$1.bench.js"
