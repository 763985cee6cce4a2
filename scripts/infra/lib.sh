# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source this file
# Shared helpers for the local-infrastructure scripts (sourced, not executed).
# Paths, ports, process/port checks and readiness waiting live here so that
# kafka.sh, registry.sh, postgres.sh, start.sh and stop.sh stay small.

set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/../.." && pwd)"

# Downloads (kept between runs) and runtime state (data, pids, logs).
CACHE_DIR="${CADENCE_CACHE_DIR:-$HOME/.cache/cadence-engine}"
RUN_DIR="${CADENCE_RUN_DIR:-$REPO_ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"

# Versions (keep in sync with infra/kafka/pom.xml and docker-compose.yml).
KAFKA_VERSION="4.1.1"
REGISTRY_VERSION="3.3.3"

# Ports.
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# The secured three-node cluster (kafka-cluster.sh): node n (1..3) listens on <base>+n, i.e. clients
# (SASL_SSL) on 9192-9194, inter-broker on 9292-9294, controllers on 9392-9394.
KAFKA_CLUSTER_CLIENT_PORT_BASE="${KAFKA_CLUSTER_CLIENT_PORT_BASE:-9191}"
KAFKA_CLUSTER_INTERNAL_PORT_BASE="${KAFKA_CLUSTER_INTERNAL_PORT_BASE:-9291}"
KAFKA_CLUSTER_CONTROLLER_PORT_BASE="${KAFKA_CLUSTER_CONTROLLER_PORT_BASE:-9391}"
SCHEMA_REGISTRY_PORT="${SCHEMA_REGISTRY_PORT:-8081}"
SCHEMA_REGISTRY_MANAGEMENT_PORT="${SCHEMA_REGISTRY_MANAGEMENT_PORT:-9001}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
DATABASE_NAME="${DATABASE_NAME:-cadence}"

# Which Kafka start.sh brings up: "single" (kafka.sh, one plaintext broker on KAFKA_PORT) or
# "cluster" (kafka-cluster.sh, three SASL_SSL brokers with ACLs).
CADENCE_KAFKA="${CADENCE_KAFKA:-single}"

INFRA_START_TIMEOUT_SECONDS="${INFRA_START_TIMEOUT_SECONDS:-120}"
INFRA_STOP_TIMEOUT_SECONDS="${INFRA_STOP_TIMEOUT_SECONDS:-30}"

# Progress goes to stderr; stdout is reserved for the KEY=value endpoint lines of start.sh.
LOG_PREFIX="${LOG_PREFIX:-infra}"
info() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$LOG_PREFIX" "$*" >&2
  exit 1
}

# require_cmd <command> <what it is for>
require_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  case "$1" in
    java) die "'java' not found: install a Java 17+ JDK/JRE (e.g. apt-get install openjdk-17-jre-headless), or use Docker Compose instead: docker compose up -d" ;;
    mvn) die "'mvn' not found: install Apache Maven 3.6+ (e.g. apt-get install maven) to download $2, or use Docker Compose instead: docker compose up -d" ;;
    *) die "'$1' not found: install it ($2), or use Docker Compose instead: docker compose up -d" ;;
  esac
}

# java_major <java binary>: the Java feature version (8, 17, 21, 25, ...), or 0.
java_major() {
  local v
  v="$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9.]*\).*/\1/p' | sed -n 1p)"
  v="${v#1.}"
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

# find_java <minimum version> <service> [explicit JAVA_HOME]: print a java binary that is
# at least <minimum>. Tries, in order: the explicit home, `java` on PATH, $JAVA_HOME, then
# the newest JDK under /usr/lib/jvm.
find_java() {
  local min="$1" service="$2" explicit="${3:-}" candidate best="" best_v=0 v
  if [[ -n "$explicit" ]]; then
    candidate="$explicit/bin/java"
    [[ -x "$candidate" ]] || die "$candidate not found (set for $service)"
    v="$(java_major "$candidate")"
    ((v >= min)) || die "$service needs Java $min+, but $candidate is Java $v"
    echo "$candidate"
    return 0
  fi
  for candidate in "$(command -v java 2>/dev/null || true)" "${JAVA_HOME:+$JAVA_HOME/bin/java}"; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    if (($(java_major "$candidate") >= min)); then
      echo "$candidate"
      return 0
    fi
  done
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    v="$(java_major "$candidate")"
    if ((v >= min && v > best_v)); then best="$candidate" best_v="$v"; fi
  done
  if [[ -n "$best" ]]; then
    echo "$best"
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    die "$service needs Java $min+ (found only Java $(java_major "$(command -v java)")): install a JDK $min+ (e.g. Temurin) and point to it with the variable shown in scripts/infra, or use Docker Compose instead: docker compose up -d"
  fi
  require_cmd java "$service"
}

# run_mvn <args...>: quiet, batch-mode Maven; output to stderr without the stray colour
# escape codes that Debian's Maven 3.8 prints even in batch mode. Keeps mvn's exit code.
run_mvn() {
  mvn -B -q -Dstyle.color=never "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
}

# port_open <port>: true if something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# describe_port_owner <port>: best-effort "who listens here" for error messages.
describe_port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | awk 'NR==1 {print $NF}'
  fi
}

# pid_of <name>: the recorded pid, if the process is alive AND still is ours
# (its command line contains <marker>, which guards against pid reuse).
pid_of() {
  local name="$1" marker="$2" pidfile="$PID_DIR/$1.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$marker" >/dev/null || return 1
  echo "$pid"
}

# ensure_ports_free <service> <port>...: fail clearly if a port is taken by someone else.
ensure_ports_free() {
  local service="$1" port owner
  shift
  for port in "$@"; do
    if port_open "$port"; then
      owner="$(describe_port_owner "$port")"
      die "port $port (needed by $service) is already in use${owner:+ by $owner}; stop that process or choose another port via the environment (see scripts/infra/lib.sh)"
    fi
  done
}

# spawn_daemon <name> <log file> <workdir> <command...>: start a detached process,
# record its pid. All fds are redirected (so callers capturing our output never hang)
# and fd 9 (the lock) is closed so the daemon does not hold the lock forever.
spawn_daemon() {
  local name="$1" logfile="$2" workdir="$3"
  shift 3
  mkdir -p "$PID_DIR" "$LOG_DIR" "$workdir"
  # Keep the previous run's log for post-mortems.
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.1"
  (
    cd "$workdir"
    # `exec` inside `bash -c` keeps the pid: the pid written is the JVM's pid.
    # shellcheck disable=SC2016  # $$, $0 and $@ are for the inner shell
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_DIR/$name.pid" "$@" \
      </dev/null >"$logfile" 2>&1 9>&- &
  )
  # Wait (briefly) until the pid file exists.
  for _ in $(seq 1 50); do
    [[ -s "$PID_DIR/$name.pid" ]] && return 0
    sleep 0.1
  done
  die "$name: process did not start (no pid file)"
}

# show_log_tail <log file>: the last 30 lines, for error reports.
show_log_tail() {
  if [[ -f "$1" ]]; then
    printf -- '----- last 30 lines of %s -----\n' "$1" >&2
    tail -n 30 "$1" >&2
    printf -- '-----\n' >&2
  fi
}

# wait_until_ready <name> <marker> <log file> <check function>: poll the check until it
# succeeds; fail early if the process dies, or after INFRA_START_TIMEOUT_SECONDS.
wait_until_ready() {
  local name="$1" marker="$2" logfile="$3" check="$4"
  local deadline=$((SECONDS + INFRA_START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if "$check"; then return 0; fi
    if ! pid_of "$name" "$marker" >/dev/null; then
      show_log_tail "$logfile"
      die "$name exited during startup (log: $logfile)"
    fi
    sleep 0.5
  done
  show_log_tail "$logfile"
  # Do not leave a half-started daemon behind (a later start would wait on it again).
  stop_daemon "$name" "$marker"
  die "$name not ready after ${INFRA_START_TIMEOUT_SECONDS}s (INFRA_START_TIMEOUT_SECONDS), stopped it; log: $logfile"
}

# record_ports <name> <port>...: remember the ports a daemon was started with.
record_ports() {
  local name="$1"
  shift
  echo "$*" >"$PID_DIR/$name.ports"
}

# ensure_same_ports <name> <port>...: a running daemon started with other ports cannot be
# reused; say so instead of waiting for it on the wrong port.
ensure_same_ports() {
  local name="$1" recorded
  shift
  recorded="$(cat "$PID_DIR/$name.ports" 2>/dev/null || true)"
  if [[ -n "$recorded" && "$recorded" != "$*" ]]; then
    die "$name is already running with ports $recorded, not $*; stop it first (scripts/infra/stop.sh)"
  fi
}

# stop_daemon <name> <marker>: SIGTERM, wait up to INFRA_STOP_TIMEOUT_SECONDS, then SIGKILL.
stop_daemon() {
  local name="$1" marker="$2" pid
  if ! pid="$(pid_of "$name" "$marker")"; then
    rm -f "$PID_DIR/$name.pid" "$PID_DIR/$name.ports"
    info "not running"
    return 0
  fi
  info "stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + INFRA_STOP_TIMEOUT_SECONDS))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    info "still alive after ${INFRA_STOP_TIMEOUT_SECONDS}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_DIR/$name.pid" "$PID_DIR/$name.ports"
  info "stopped"
}

# with_lock <name>: serialise concurrent start/stop of one service (e.g. parallel test
# workers). Uses fd 9; no-op if flock is unavailable.
with_lock() {
  mkdir -p "$PID_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$PID_DIR/$1.lock"
    flock 9
  fi
}

# pom_fingerprint: changes when infra/kafka/pom.xml changes, so the cached libs are rebuilt.
file_fingerprint() {
  sha256sum "$1" | cut -d' ' -f1
}
