#!/usr/bin/env bash
# The image's build steps (the Dockerfile's build stage RUNs them; scripts/image/check.sh runs the same ones
# outside a container). Run it in a copy of the repository, never in a work tree: it installs with `npm ci`
# and then prunes the dev dependencies.
#
#   scripts/image/build.sh deps            npm ci (dev dependencies included: the compiler)
#   scripts/image/build.sh compile         npm run build (tsc into dist/, the console into dist/console)
#   scripts/image/build.sh assemble OUT    prune to production dependencies, copy what the runtime needs to OUT
#   scripts/image/build.sh all OUT         the three above (default OUT: <copy>/.image)
#
# `npm ci --ignore-scripts`: no dependency needs its install script to build or run the engine (the ones that
# have one: @nestjs/core's funding notice, protobufjs's CLI check, and the dev-only native addons of
# @swc/core, ssh2 and cpu-features), and the slim base image has no compiler for those addons anyway.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# What the runtime stage holds: the compiled code, its production dependencies, the Avro schemas the apps read
# at run time (libs/contracts/src/schema-files.ts walks up from dist/ to schemas/), tsconfig.json (the
# `paths` that tsconfig-paths/register maps @cadence/* with, TS_NODE_BASEURL=dist), the entrypoint, the roles'
# V8 flags and the healthcheck.
RUNTIME_FILES=(package.json package-lock.json tsconfig.json dist schemas node_modules
  scripts/image/entrypoint.sh scripts/image/node-options scripts/image/healthcheck.js)

if [ -e "$ROOT/.git" ]; then
  echo "[image build] refusing to run in a git work tree ($ROOT): it would prune its dev dependencies." >&2
  echo "[image build] run it in a copy; scripts/image/check.sh does that (npm run image:check)." >&2
  exit 1
fi

step() { printf '[image build] %s\n' "$*" >&2; }

deps() {
  step "npm ci (node $(node --version), npm $(npm --version))"
  # --include=dev: the compiler, even where NODE_ENV=production is set.
  npm ci --include=dev --ignore-scripts --no-audit --no-fund
}

compile() {
  step "npm run build"
  npm run --silent build
}

assemble() {
  local out="${1:?assemble needs the output directory}"
  # --omit=optional too: typescript is "devOptional" (a dev dependency, and an optional peer of
  # @nestjs/swagger's compiler plugin), like @grpc/grpc-js (an optional peer of @nestjs/microservices, a dev
  # dependency's dependency), and --omit=dev alone keeps those. The production tree's own optional package,
  # pg-cloudflare, serves Cloudflare Workers only.
  step "npm prune --omit=dev --omit=optional"
  npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
  step "runtime files into $out: ${RUNTIME_FILES[*]}"
  rm -rf "$out"
  local path
  for path in "${RUNTIME_FILES[@]}"; do
    [ -e "$path" ] || { echo "[image build] missing $path" >&2; exit 1; }
    mkdir -p "$(dirname "$out/$path")"
    cp -a "$path" "$out/$path"
  done
  chmod 0755 "$out/scripts/image/entrypoint.sh"
}

case "${1:-all}" in
  deps) deps ;;
  compile) compile ;;
  assemble) assemble "${2:-}" ;;
  all)
    deps
    compile
    assemble "${2:-$ROOT/.image}"
    ;;
  *)
    echo "usage: scripts/image/build.sh [deps | compile | assemble OUT | all [OUT]]" >&2
    exit 64
    ;;
esac
