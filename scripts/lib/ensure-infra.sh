# shellcheck shell=bash
# Sourced by up.sh and test.sh: brings up Kafka, the schema registry and Postgres, and exports their endpoints.
#   endpoints already in env        → used as they are
#   a Docker engine answers         → docker compose up -d --wait
#   java (and mvn for first run)    → scripts/infra/start.sh (Apache Kafka + Apicurio from Maven Central)
#   none of these                   → a message that says what to install

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

ensure_node_modules() {
  command -v node >/dev/null 2>&1 || { echo "node not found: install Node.js 20+ (https://nodejs.org)" >&2; exit 1; }
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { echo "Node.js $major found; 20+ is required" >&2; exit 1; }
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    echo "[setup] npm ci" >&2
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2)
  fi
}

ensure_infra() {
  if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${SCHEMA_REGISTRY_URL:-}" ] && [ -n "${DATABASE_URL:-}" ]; then
    echo "[setup] using the endpoints given in the environment" >&2
    return 0
  fi
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "[setup] Docker engine found: docker compose up -d --wait" >&2
    (cd "$ROOT" && docker compose up -d --wait >&2)
    export KAFKA_BROKERS=127.0.0.1:9092
    export SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadence
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    echo "[setup] no Docker engine: starting Apache Kafka and Apicurio Registry from Maven Central (scripts/infra)" >&2
    local line
    while IFS= read -r line; do
      case "$line" in KAFKA_BROKERS=* | SCHEMA_REGISTRY_URL=* | DATABASE_URL=*) export "${line?}" ;; esac
    done < <(bash "$ROOT/scripts/infra/start.sh")
    [ -n "${KAFKA_BROKERS:-}" ] || { echo "[setup] scripts/infra/start.sh failed (see .run/logs)" >&2; exit 1; }
    return 0
  fi
  cat >&2 <<'MSG'
[setup] Neither a Docker engine nor Java was found. Install one of:
  - Docker (with the compose plugin): the project then runs `docker compose up -d --wait`; or
  - Java 17+ and Apache Maven 3.6+ (e.g. apt-get install openjdk-17-jre-headless maven; the schema registry
    also wants a Java 21+ runtime, found under /usr/lib/jvm or via REGISTRY_JAVA_HOME); or
  - your own Kafka, Confluent-compatible registry and Postgres, given as KAFKA_BROKERS, SCHEMA_REGISTRY_URL
    and DATABASE_URL.
MSG
  exit 1
}
