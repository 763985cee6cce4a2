#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2016  # "A && B || fail" on purpose; '${NODE_IMAGE}' is the Dockerfile's text
# `npm run image:check`: runs the container image's exact build and start commands outside a container.
#   1. static checks of the Dockerfile (base image, user, healthcheck, entrypoint) and `docker compose config`;
#   2. copies the build context (the repository's tracked and untracked-but-not-ignored files, less the
#      .dockerignore patterns; with --head: the files of the last commit instead) into a temporary directory;
#   3. runs scripts/image/build.sh there (npm ci, build, prune, assemble the runtime files), timed and sized;
#   4. from the assembled runtime files alone, as the image does: `entrypoint.sh migrate`, an unknown role,
#      then each of the five roles on a free port: /health/live, /health/ready, the HEALTHCHECK command,
#      the api's /console, SIGTERM → exit 0.
# Needs the infrastructure's endpoints: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL (best with a database
# of its own: migrate creates it). Topics and consumer groups get the prefix KAFKA_TOPIC_PREFIX /
# CONSUMER_GROUP_PREFIX, `imgcheck.` unless given, so the check never joins the groups of running apps.
# Options (environment): IMAGE_CHECK_KEEP=1 keeps the temporary directory; IMAGE_CHECK_LIVE_TIMEOUT_SECONDS
# (default 60), IMAGE_CHECK_READY_TIMEOUT_SECONDS (default 60).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

ROLES=(api trigger-router inactivity-watcher enrollment step-runner)
LIVE_TIMEOUT="${IMAGE_CHECK_LIVE_TIMEOUT_SECONDS:-60}"
READY_TIMEOUT="${IMAGE_CHECK_READY_TIMEOUT_SECONDS:-60}"
FROM_HEAD=false
case "${1:-}" in
  --head) FROM_HEAD=true ;;
  "") ;;
  *)
    echo "usage: scripts/image/check.sh [--head]" >&2
    exit 64
    ;;
esac

say() { printf '[image check] %s\n' "$*"; }
fail() {
  printf '[image check] FAILED: %s\n' "$*"
  exit 1
}

# --- endpoints ----------------------------------------------------------------------------------------------
missing=()
for name in KAFKA_BROKERS SCHEMA_REGISTRY_URL DATABASE_URL; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if ((${#missing[@]})); then
  cat <<MSG
[image check] FAILED: missing ${missing[*]}. The check starts the five apps against real infrastructure and
needs its endpoints in the environment: KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL. For example:
  bash scripts/infra/start.sh          # prints KAFKA_BROKERS=…, SCHEMA_REGISTRY_URL=…, DATABASE_URL=…
  KAFKA_BROKERS=127.0.0.1:9092 SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadence_image_check npm run image:check
(a database of its own is best: the check creates it and applies the migrations with \`entrypoint.sh migrate\`)
MSG
  exit 2
fi
export KAFKA_BROKERS SCHEMA_REGISTRY_URL DATABASE_URL
export KAFKA_TOPIC_PREFIX="${KAFKA_TOPIC_PREFIX:-imgcheck.}"
export CONSUMER_GROUP_PREFIX="${CONSUMER_GROUP_PREFIX:-imgcheck.}"
# The build runs without NODE_ENV, as the Dockerfile's build stage does.
unset NODE_ENV
say "endpoints: KAFKA_BROKERS=$KAFKA_BROKERS SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL DATABASE_URL=${DATABASE_URL//:*@/:***@}"
say "prefixes: KAFKA_TOPIC_PREFIX=$KAFKA_TOPIC_PREFIX CONSUMER_GROUP_PREFIX=$CONSUMER_GROUP_PREFIX"
command -v curl >/dev/null 2>&1 || fail "curl not found (the check asks the apps' /health with it)"

# --- Dockerfile (static) ------------------------------------------------------------------------------------
[ -f Dockerfile ] || fail "no Dockerfile at the repository root"
runtime_stage="$(sed -n '/^FROM .* AS runtime/,$p' Dockerfile)"
[ -n "$runtime_stage" ] || fail "Dockerfile: no stage named runtime"
node_image="$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)"
[[ "$node_image" =~ ^node:20(\.[0-9]+){0,2}-bookworm-slim$ ]] ||
  fail "Dockerfile: base image '$node_image' is not an official node:20…-bookworm-slim tag"
grep -q '^FROM \${NODE_IMAGE} AS build' Dockerfile || fail "Dockerfile: the build stage is not FROM \${NODE_IMAGE}"
grep -q '^FROM \${NODE_IMAGE} AS runtime' Dockerfile || fail "Dockerfile: the runtime stage is not FROM \${NODE_IMAGE}"
grep -q 'bash scripts/image/build.sh deps' Dockerfile && grep -q 'bash scripts/image/build.sh compile && bash scripts/image/build.sh assemble /out' Dockerfile ||
  fail "Dockerfile: the build stage does not RUN scripts/image/build.sh deps, compile, assemble"
grep -qx 'USER node' <<<"$runtime_stage" || fail "Dockerfile: the runtime stage does not set USER node"
grep -q 'NODE_ENV=production' <<<"$runtime_stage" && grep -q 'HTTP_HOST=0.0.0.0' <<<"$runtime_stage" ||
  fail "Dockerfile: the runtime stage does not set NODE_ENV=production and HTTP_HOST=0.0.0.0"
grep -q 'CMD \["node", "/app/scripts/image/healthcheck.js"\]' <<<"$runtime_stage" ||
  fail "Dockerfile: HEALTHCHECK does not run scripts/image/healthcheck.js"
grep -qx 'ENTRYPOINT \["/app/scripts/image/entrypoint.sh"\]' <<<"$runtime_stage" ||
  fail "Dockerfile: ENTRYPOINT is not scripts/image/entrypoint.sh"
here_node="$(node --version)"
[[ "$here_node" == v20.* ]] || say "WARNING: node here is $here_node, the image's is 20: the check runs the build with another Node"
say "Dockerfile: base $node_image (node here: $here_node), build stage RUNs build.sh, runtime USER node, NODE_ENV=production, HTTP_HOST=0.0.0.0, HEALTHCHECK healthcheck.js, ENTRYPOINT entrypoint.sh: ok"

# --- docker compose config ----------------------------------------------------------------------------------
if ! command -v docker >/dev/null 2>&1; then
  say "docker compose config: skipped (no docker client)"
else
  compose=()
  if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
  fi
  if ((${#compose[@]} == 0)); then
    say "docker compose config: skipped (the docker client has no compose plugin, and no docker-compose)"
  else
    "${compose[@]}" config -q || fail "${compose[*]} config -q"
    "${compose[@]}" --profile apps config -q || fail "${compose[*]} --profile apps config -q"
    say "${compose[*]} config -q and ${compose[*]} --profile apps config -q ($("${compose[@]}" version --short 2>/dev/null || echo '?')): ok"
  fi
fi

# --- the build context ----------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cadence-image-check.XXXXXX")"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "${IMAGE_CHECK_KEEP:-0}" = 1 ]; then
    say "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
CONTEXT="$WORK/context"
RUNTIME="$WORK/runtime"
LOGS="$WORK/logs"
mkdir -p "$CONTEXT" "$LOGS"

patterns=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"
  line="$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$line")"
  [ -n "$line" ] || continue
  [[ "$line" != '!'* ]] || fail ".dockerignore: exceptions (!$line) are not supported by this check"
  line="${line#/}"
  patterns+=("${line%/}")
done < <([ -f .dockerignore ] && cat .dockerignore)
ignored() {
  local path="$1" pattern tail
  for pattern in "${patterns[@]}"; do
    if [[ "$pattern" == '**/'* ]]; then
      tail="${pattern#'**/'}"
      # shellcheck disable=SC2053  # the pattern is a glob on purpose
      [[ "/$path" == */$tail || "/$path" == */$tail/* ]] && return 0
    else
      # shellcheck disable=SC2053
      [[ "$path" == $pattern || "$path" == $pattern/* ]] && return 0
    fi
  done
  return 1
}
if $FROM_HEAD; then
  source_desc="the last commit ($(git rev-parse --short HEAD))"
  SOURCE="$WORK/head"
  mkdir -p "$SOURCE"
  git archive --format=tar HEAD | tar -C "$SOURCE" -xf -
  list_files() { git ls-tree -r -z --name-only HEAD; }
else
  source_desc="the work tree (tracked and untracked-but-not-ignored files)"
  SOURCE="$ROOT"
  list_files() { git ls-files -z --cached --others --exclude-standard; }
fi
kept=0
skipped=0
: >"$WORK/files"
while IFS= read -r -d '' path; do
  if ignored "$path"; then
    skipped=$((skipped + 1))
  elif [ -f "$SOURCE/$path" ] || [ -L "$SOURCE/$path" ]; then
    printf '%s\0' "$path" >>"$WORK/files"
    kept=$((kept + 1))
  fi
done < <(list_files)
tar -C "$SOURCE" --null -T "$WORK/files" -cf - | tar -C "$CONTEXT" -xf -
say "build context: $kept files copied from $source_desc, $skipped left out by .dockerignore → $CONTEXT"

# --- the build stage: scripts/image/build.sh ------------------------------------------------------------------
build_total=0
for step in deps compile "assemble $RUNTIME"; do
  started=$SECONDS
  # shellcheck disable=SC2086  # "assemble DIR" is two words on purpose
  if ! (cd "$CONTEXT" && bash scripts/image/build.sh $step) >>"$LOGS/build.log" 2>&1; then
    tail -n 40 "$LOGS/build.log"
    fail "scripts/image/build.sh ${step%% *} (log above)"
  fi
  build_total=$((build_total + SECONDS - started))
  say "scripts/image/build.sh ${step%% *} (as the Dockerfile RUNs it): ok in $((SECONDS - started))s"
done
say "build stage: ${build_total}s in all"
size() { du -sh "$1" | cut -f1; }
say "runtime files: $(cd "$RUNTIME" && echo * scripts/image/*) — total $(size "$RUNTIME") (dist $(size "$RUNTIME/dist"), production node_modules $(size "$RUNTIME/node_modules"), $(find "$RUNTIME/node_modules" -name package.json -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*' | wc -l | tr -d ' ') top-level packages)"
[ ! -e "$RUNTIME/node_modules/typescript" ] || fail "the runtime node_modules still hold typescript (not pruned)"

# From here on, only the assembled runtime files are used, with the runtime stage's ENV (checked above).
ENTRYPOINT="$RUNTIME/scripts/image/entrypoint.sh"
export NODE_ENV=production HTTP_HOST=0.0.0.0
say "runtime environment as the Dockerfile's: NODE_ENV=$NODE_ENV HTTP_HOST=$HTTP_HOST"

# --- migrate (the compose `migrate` service) -----------------------------------------------------------------
if ! "$ENTRYPOINT" migrate >"$LOGS/migrate.log" 2>&1; then
  tail -n 30 "$LOGS/migrate.log"
  fail "entrypoint.sh migrate"
fi
say "entrypoint.sh migrate: ok ($(grep -m1 '^migrations:' "$LOGS/migrate.log" || echo 'no summary line'))"

# --- an unknown role, and none ---------------------------------------------------------------------------------
rc=0
"$ENTRYPOINT" no-such-role >"$LOGS/unknown.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "entrypoint.sh no-such-role exited 0"
grep -q "unknown role 'no-such-role'" "$LOGS/unknown.log" || fail "entrypoint.sh no-such-role: no clear message"
for role in "${ROLES[@]}"; do
  grep -q "$role" "$LOGS/unknown.log" || fail "entrypoint.sh no-such-role: the message does not list $role"
done
rc=0
env -u CADENCE_ROLE "$ENTRYPOINT" >"$LOGS/none.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q 'no role given' "$LOGS/none.log" || fail "entrypoint.sh without a role: no clear failure"
say "unknown role: exit $rc with \"$(head -n1 "$LOGS/unknown.log")\" and the five roles listed; no role: refused too: ok"

# --- the five roles --------------------------------------------------------------------------------------------
free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}
# Alive and not a zombie (an exited child stays one until `wait`).
running() { kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
http_status() { curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }
declare -A PORT PID
for role in "${ROLES[@]}"; do
  PORT[$role]="$(free_port)"
  if [ "$role" = step-runner ]; then
    # The other way to choose the role: CADENCE_ROLE, no argument (docker run -e CADENCE_ROLE=step-runner).
    CADENCE_ROLE="$role" HTTP_PORT="${PORT[$role]}" "$ENTRYPOINT" >"$LOGS/$role.log" 2>&1 &
    how="CADENCE_ROLE=$role"
  else
    HTTP_PORT="${PORT[$role]}" "$ENTRYPOINT" "$role" >"$LOGS/$role.log" 2>&1 &
    how="entrypoint.sh $role"
  fi
  PID[$role]=$!
  PIDS+=("$!")
  say "$role: started ($how, HTTP_PORT=${PORT[$role]}, pid ${PID[$role]})"
done

for role in "${ROLES[@]}"; do
  pid="${PID[$role]}" port="${PORT[$role]}"
  deadline=$((SECONDS + LIVE_TIMEOUT))
  until [ "$(http_status "$port" /health/live)" = 200 ]; do
    if ! running "$pid" || [ $SECONDS -ge "$deadline" ]; then
      tail -n 30 "$LOGS/$role.log"
      fail "$role: /health/live did not answer 200 within ${LIVE_TIMEOUT}s (log above)"
    fi
    sleep 0.5
  done
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || echo '?')"
  [ "$comm" = node ] || fail "$role: pid $pid is '$comm', not node: the entrypoint did not exec node"
  bound="$(ss -Hltn "sport = :$port" 2>/dev/null | awk '{print $4}' | paste -sd' ' || true)"
  say "$role: /health/live 200; the entrypoint's pid is node itself (exec: SIGTERM reaches the app); listening on ${bound:-?}"
  case " $bound " in
    *" $HTTP_HOST:$port "*) ;;
    *) say "WARNING: $role does not listen on HTTP_HOST=$HTTP_HOST (this build ignores HTTP_HOST?): in a container its published port would not reach it" ;;
  esac
done

for role in "${ROLES[@]}"; do
  port="${PORT[$role]}"
  deadline=$((SECONDS + READY_TIMEOUT))
  status="$(http_status "$port" /health/ready)"
  while [ "$status" != 200 ] && [ $SECONDS -lt "$deadline" ]; do
    sleep 0.5
    status="$(http_status "$port" /health/ready)"
  done
  rc=0
  HTTP_PORT="$port" node "$RUNTIME/scripts/image/healthcheck.js" >/dev/null 2>&1 || rc=$?
  if [ "$status" = 200 ]; then
    say "$role: /health/ready 200; the HEALTHCHECK command (node scripts/image/healthcheck.js) exits $rc"
    [ "$rc" -eq 0 ] || fail "$role: ready, yet the HEALTHCHECK command exits $rc"
  else
    say "$role: /health/ready $status after ${READY_TIMEOUT}s (reported, not required): $(curl -s -m 3 "http://127.0.0.1:$port/health/ready" | head -c 400); the HEALTHCHECK command exits $rc"
  fi
done

# The operator console from the runtime files alone: `npm run build` put it in dist/console, the api serves it.
for path in /console/ /console/app.js /console/app.css; do
  status="$(http_status "${PORT[api]}" "$path")"
  [ "$status" = 200 ] || fail "api: $path answered $status, not 200 (is dist/console in the image?)"
done
say "api: /console/ with its app.js and app.css 200, from the image's dist/console"
for role in "${ROLES[@]}"; do
  pid="${PID[$role]}"
  started=$SECONDS
  kill -TERM "$pid"
  deadline=$((SECONDS + 30))
  while running "$pid"; do
    if [ $SECONDS -ge "$deadline" ]; then
      tail -n 20 "$LOGS/$role.log"
      fail "$role: still running 30s after SIGTERM"
    fi
    sleep 0.2
  done
  rc=0
  wait "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 20 "$LOGS/$role.log"
    fail "$role: exited $rc after SIGTERM (log above)"
  fi
  say "$role: SIGTERM → exit 0 in $((SECONDS - started))s"
done
PIDS=()

# --- what this check cannot see -----------------------------------------------------------------------------------
say "non-root: NOT checkable here. Outside a container the entrypoint ran as $(id -un) (uid $(id -u)); in the image it runs as the Dockerfile's USER node (checked statically above only)"
say "NOT checkable here either: the docker build itself (base image pull, COPY, layer cache), the HEALTHCHECK directive's scheduling, node as PID 1 and --init inside a container; they need a Docker engine ($(docker info >/dev/null 2>&1 && echo 'one answers here: docker build -t cadence-engine .' || echo 'none answers here'))"
say "image check OK"
