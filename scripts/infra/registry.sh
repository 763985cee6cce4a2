#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), from the runnable
# Quarkus archive published on Maven Central. Storage: in-memory H2 (empty after every restart).
# Needs Java 21+ (REGISTRY_JAVA_HOME selects one; otherwise found automatically).
# Usage: scripts/infra/registry.sh start|stop|status|download
LOG_PREFIX=registry
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REGISTRY_ARTIFACT="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"
REGISTRY_HOME="$CACHE_DIR/apicurio-registry-$REGISTRY_VERSION"
REGISTRY_STATE="$RUN_DIR/registry"
REGISTRY_LOG="$LOG_DIR/registry.log"
REGISTRY_MARKER="$REGISTRY_HOME/quarkus-run.jar" # identifies our JVM in /proc/<pid>/cmdline
REGISTRY_CCOMPAT_URL="http://127.0.0.1:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"

# Fetch the archive with Maven (cached in ~/.m2) and unpack it into the cache (once).
download() {
  [[ -f "$REGISTRY_HOME/.complete" ]] && return 0
  require_cmd mvn "Apicurio Registry $REGISTRY_VERSION from Maven Central"
  info "downloading Apicurio Registry $REGISTRY_VERSION (~160 MB on first use) into $REGISTRY_HOME"
  local tmp="$CACHE_DIR/apicurio-registry.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp/archive" "$tmp/app"
  # Plugin version pinned: the default binding of old Maven versions differs.
  run_mvn \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$REGISTRY_ARTIFACT" -DoutputDirectory="$tmp/archive" ||
    { rm -rf "$tmp"; die "mvn failed to download $REGISTRY_ARTIFACT (see output above)"; }
  tar -xzf "$tmp"/archive/*.tar.gz -C "$tmp/app" ||
    { rm -rf "$tmp"; die "could not unpack the Apicurio archive"; }
  [[ -f "$tmp/app/quarkus-run.jar" ]] || { rm -rf "$tmp"; die "quarkus-run.jar missing from the Apicurio archive"; }
  rm -rf "$REGISTRY_HOME"
  mv "$tmp/app" "$REGISTRY_HOME"
  rm -rf "$tmp"
  echo "$REGISTRY_ARTIFACT" >"$REGISTRY_HOME/.complete"
}

is_ready() {
  curl -fsS -o /dev/null --max-time 2 "$REGISTRY_CCOMPAT_URL/subjects" 2>/dev/null
}

start() {
  require_cmd curl "readiness checks"
  local java
  with_lock registry
  if pid_of registry "$REGISTRY_MARKER" >/dev/null; then
    ensure_same_ports registry "$SCHEMA_REGISTRY_PORT" "$SCHEMA_REGISTRY_MANAGEMENT_PORT"
    if is_ready; then
      info "already running (pid $(pid_of registry "$REGISTRY_MARKER"), $REGISTRY_CCOMPAT_URL)"
      return 0
    fi
    info "process exists but is not ready yet; waiting"
  else
    rm -f "$PID_DIR/registry.pid"
    # Apicurio Registry 3.3.x is compiled for Java 21 (class file 65): pick a Java 21+ runtime,
    # which may differ from the default `java` (e.g. Java 17 + a second JDK under /usr/lib/jvm).
    java="$(find_java 21 "Apicurio Registry $REGISTRY_VERSION" "${REGISTRY_JAVA_HOME:-}")"
    ensure_ports_free registry "$SCHEMA_REGISTRY_PORT" "$SCHEMA_REGISTRY_MANAGEMENT_PORT"
    download
    info "starting Apicurio Registry $REGISTRY_VERSION with $java on 127.0.0.1:$SCHEMA_REGISTRY_PORT (management $SCHEMA_REGISTRY_MANAGEMENT_PORT), log: $REGISTRY_LOG"
    # - loopback only, for both the API and the management (health/metrics) interface;
    # - canonical hash: re-registering the same schema with different formatting gives the same id
    #   (Confluent behaviour);
    # - deletions enabled: DELETE /subjects/... works as with Confluent (Apicurio 3 disables it by default);
    # - small JDBC pool: the default keeps 20 H2 connections open;
    # - log format: the built-in one has a broken date pattern ("YYYY-MMx-dd").
    spawn_daemon registry "$REGISTRY_LOG" "$REGISTRY_STATE" \
      "$java" -Xms64m -Xmx384m -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Djava.io.tmpdir="$REGISTRY_STATE" \
      -Dquarkus.http.host=127.0.0.1 \
      -Dquarkus.http.port="$SCHEMA_REGISTRY_PORT" \
      -Dquarkus.management.host=127.0.0.1 \
      -Dquarkus.management.port="$SCHEMA_REGISTRY_MANAGEMENT_PORT" \
      -Dapicurio.ccompat.use-canonical-hash=true \
      -Dapicurio.rest.deletion.group.enabled=true \
      -Dapicurio.rest.deletion.artifact.enabled=true \
      -Dapicurio.rest.deletion.artifact-version.enabled=true \
      -Dapicurio.datasource.jdbc.initial-size=2 \
      -Dapicurio.datasource.jdbc.min-size=2 \
      -Dapicurio.datasource.jdbc.max-size=20 \
      -Dapicurio.storage.snapshot.location="$REGISTRY_STATE" \
      -Dapicurio.import.work-dir="$REGISTRY_STATE" \
      -Dquarkus.log.console.format='%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n' \
      -jar "$REGISTRY_MARKER"
    record_ports registry "$SCHEMA_REGISTRY_PORT" "$SCHEMA_REGISTRY_MANAGEMENT_PORT"
  fi
  wait_until_ready registry "$REGISTRY_MARKER" "$REGISTRY_LOG" is_ready
  info "ready at $REGISTRY_CCOMPAT_URL"
}

stop() {
  with_lock registry
  stop_daemon registry "$REGISTRY_MARKER"
}

status() {
  local pid
  if pid="$(pid_of registry "$REGISTRY_MARKER")"; then
    if is_ready; then echo "registry: running (pid $pid) at $REGISTRY_CCOMPAT_URL"; else echo "registry: starting (pid $pid)"; fi
  else
    echo "registry: stopped"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  download) download ;;
  *) die "usage: $0 start|stop|status|download" ;;
esac
