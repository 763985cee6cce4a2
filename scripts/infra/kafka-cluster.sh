#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Apache Kafka, a secured three-node KRaft cluster on loopback, from the same Maven Central jars as kafka.sh.
# Each node is broker AND controller (process.roles=broker,controller): three JVMs instead of six on a
# small machine, and the three-voter quorum still survives the loss of any one node.
#
# Listeners of node n (ports: base + n, see lib.sh); every one needs a password (details in write_node_config):
#   EXTERNAL   SASL_SSL, SCRAM-SHA-512 over TLS   127.0.0.1:919(1+n)  clients (the engine, tests, tools)
#   INTERNAL   SASL_PLAINTEXT, SCRAM-SHA-512      127.0.0.1:929(1+n)  replication, as User:admin
#   CONTROLLER SASL_PLAINTEXT, PLAIN              127.0.0.1:939(1+n)  KRaft quorum and heartbeats, as User:admin
# Users (SCRAM credentials written into the metadata log at format time): admin (the only super user),
# cadence (the engine: everything on topics and groups prefixed "cadence.", nothing else), outsider (a valid
# login without any ACL, for tests). Passwords: $RUN_DIR/kafka-cluster/secrets/<user>.password (random, made
# once); throwaway CA and certificates: $RUN_DIR/kafka-cluster/tls. Delete $RUN_DIR/kafka-cluster (or run
# stop.sh --purge) to start over with new ones.
#
# Usage: scripts/infra/kafka-cluster.sh start|stop|status|kill <n>|start-node <n>|describe-topics [prefix]
#   start            start the missing nodes, wait for all three, grant the engine's ACLs, print endpoints
#   kill <n>         SIGKILL node n (failure tests); start-node <n> starts it again and waits until ready
#   describe-topics  TopicCommand --describe as admin (replicas, ISR, min.insync.replicas), optionally
#                    only the topics whose name starts with <prefix>
LOG_PREFIX=kafka-cluster
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_POM="$REPO_ROOT/infra/kafka/pom.xml"
CLUSTER_DIR="$RUN_DIR/kafka-cluster"
TLS_DIR="$CLUSTER_DIR/tls"
SECRETS_DIR="$CLUSTER_DIR/secrets"
ADMIN_CONFIG="$CLUSTER_DIR/admin-client.properties"
ACL_MARKER="$CLUSTER_DIR/acls.granted"
TOOLS_LOG="$LOG_DIR/kafka-cluster-tools.log"
NODES=(1 2 3)
USERS=(admin cadence outsider)
ENGINE_USER=cadence
ENGINE_PREFIX="cadence." # the engine's topics and consumer groups
STARTED_LINE="Kafka Server started" # logged by KafkaRaftServer once the broker is unfenced and serving
SCRAM_MODULE="org.apache.kafka.common.security.scram.ScramLoginModule"
PLAIN_MODULE="org.apache.kafka.common.security.plain.PlainLoginModule"

client_port() { echo $((KAFKA_CLUSTER_CLIENT_PORT_BASE + $1)); }
internal_port() { echo $((KAFKA_CLUSTER_INTERNAL_PORT_BASE + $1)); }
controller_port() { echo $((KAFKA_CLUSTER_CONTROLLER_PORT_BASE + $1)); }
node_ports() { echo "$(client_port "$1") $(internal_port "$1") $(controller_port "$1")"; }
node_dir() { echo "$CLUSTER_DIR/node-$1"; }
node_log() { echo "$LOG_DIR/kafka-node-$1.log"; }
# The node's server.properties path is unique per node and differs from the single broker's
# ($RUN_DIR/kafka/server.properties): pid_of checks it in /proc/<pid>/cmdline.
node_marker() { echo "$(node_dir "$1")/server.properties"; }
node_pid() { pid_of "kafka-node-$1" "$(node_marker "$1")"; }
password_file() { echo "$SECRETS_DIR/$1.password"; }
password() { cat "$(password_file "$1")"; }

bootstrap_servers() {
  local n list=""
  for n in "${NODES[@]}"; do list+="${list:+,}127.0.0.1:$(client_port "$n")"; done
  echo "$list"
}

quorum_voters() {
  local n list=""
  for n in "${NODES[@]}"; do list+="${list:+,}$n@127.0.0.1:$(controller_port "$n")"; done
  echo "$list"
}

check_node_arg() {
  [[ "${1:-}" =~ ^[1-3]$ ]] || die "usage: $0 ${2:-kill|start-node} <n>, n = 1, 2 or 3"
}

# The broker jars (plus kafka-tools) are kafka.sh's: same cache, same pom. The download runs under
# kafka.sh's lock so that it never races a single-broker start doing the same.
download() {
  local marker="$KAFKA_HOME/.complete"
  [[ -f "$marker" && "$(cat "$marker")" == "$(file_fingerprint "$KAFKA_POM")" ]] && return 0
  mkdir -p "$PID_DIR"
  if command -v flock >/dev/null 2>&1; then
    (
      flock 8
      "$INFRA_DIR/kafka.sh" download
    ) 8>"$PID_DIR/kafka.lock"
  else
    "$INFRA_DIR/kafka.sh" download
  fi
}

# run_tool <java> <main class> <args...>: one of Kafka's command-line tools, warnings on stderr only.
run_tool() {
  local java="$1"
  shift
  "$java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="file:$REPO_ROOT/infra/kafka/log4j2-tools.xml" \
    -cp "$KAFKA_LIBS/*" "$@"
}

# Random passwords, generated once (the SCRAM credentials are fixed when the storage is formatted).
ensure_secrets() {
  local user file
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  for user in "${USERS[@]}"; do
    file="$(password_file "$user")"
    [[ -s "$file" ]] && continue
    if compgen -G "$CLUSTER_DIR/node-*/data/meta.properties" >/dev/null; then
      die "$file is missing but the cluster's storage is already formatted with the old credentials; start over: $0 stop && rm -rf $CLUSTER_DIR"
    fi
    (
      umask 077
      openssl rand -hex 24 >"$file.tmp"
      mv "$file.tmp" "$file"
    )
  done
}

# openssl_quiet <args...>: openssl with its chatter (e.g. "Certificate request self-signature ok") hidden.
openssl_quiet() {
  local out
  out="$(openssl "$@" 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "openssl $1 failed"
  }
}

# A throwaway CA, the brokers' certificate (one for all three: they share 127.0.0.1) and a client
# certificate for optional mutual TLS; made once. The CA key is deleted once both are signed.
ensure_tls() {
  [[ -s "$TLS_DIR/ca.pem" && -s "$TLS_DIR/broker-keystore.pem" && -s "$TLS_DIR/client-key.pem" ]] && return 0
  require_cmd openssl "the cluster's throwaway CA and certificates"
  info "creating a throwaway CA and certificates in $TLS_DIR"
  local tmp="$TLS_DIR.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  (
    umask 077
    cd "$tmp"
    openssl_quiet req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
      -keyout ca-key.pem -out ca.pem -subj "/CN=cadence-engine local Kafka cluster CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    # sign <name> <subject> <extensions>: an unencrypted PKCS#8 key (what Kafka's PEM store and Node read)
    # and a certificate signed by the CA.
    sign() {
      openssl_quiet genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1-key.pem"
      openssl_quiet req -new -key "$1-key.pem" -subj "$2" -out "$1.csr"
      printf '%s\n' "$3" >"$1.ext"
      openssl_quiet x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -set_serial "0x$(openssl rand -hex 16)" \
        -days 825 -sha256 -extfile "$1.ext" -out "$1-cert.pem"
      rm -f "$1.csr" "$1.ext"
    }
    sign broker "/CN=localhost" "$(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost")"
    sign client "/CN=$ENGINE_USER" "$(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth")"
    cat broker-cert.pem ca.pem >broker.pem                   # certificate chain
    cat broker-key.pem broker.pem >broker-keystore.pem       # ssl.keystore.location (type PEM): key + chain
    cat client-cert.pem ca.pem >client.pem
    rm -f ca-key.pem broker-cert.pem client-cert.pem
    chmod 644 ca.pem broker.pem client.pem
  ) || {
    rm -rf "$tmp"
    die "could not create the TLS files"
  }
  rm -rf "$TLS_DIR"
  mv "$tmp" "$TLS_DIR"
}

# Admin client settings for AclCommand/TopicCommand (and for anyone debugging with Kafka's tools).
write_admin_config() {
  (
    umask 077
    cat >"$ADMIN_CONFIG" <<EOF
# Generated by scripts/infra/kafka-cluster.sh; contains the admin password.
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$SCRAM_MODULE required username="admin" password="$(password admin)";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
EOF
  )
}

write_node_config() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  mkdir -p "$dir/data"
  (
    umask 077
    cat >"$dir/server.properties" <<EOF
# Generated by scripts/infra/kafka-cluster.sh on every start; edit the script, not this file.
# Contains the admin password (inter-broker and controller logins): mode 600.
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(quorum_voters)
controller.listener.names=CONTROLLER
listeners=EXTERNAL://127.0.0.1:$(client_port "$n"),INTERNAL://127.0.0.1:$(internal_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=EXTERNAL://127.0.0.1:$(client_port "$n"),INTERNAL://127.0.0.1:$(internal_port "$n")
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=EXTERNAL:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
log.dirs=$dir/data

# Authentication: every listener needs a password, so no connection is ever User:ANONYMOUS.
# EXTERNAL: SCRAM-SHA-512 inside TLS; a client certificate is asked for but optional (the principal is
# always the SASL user). INTERNAL (replication): SCRAM-SHA-512 as admin; the credentials exist from the
# first start because they were added at format time. CONTROLLER (quorum, broker registration and
# heartbeats): SASL/PLAIN as admin with the password in this file, because SCRAM cannot authenticate the
# controller listener (its credentials live in the metadata log the controllers serve). INTERNAL and
# CONTROLLER carry no TLS: they listen on loopback only.
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=$SCRAM_MODULE required username="admin" password="$(password admin)";
listener.name.external.scram-sha-512.sasl.jaas.config=$SCRAM_MODULE required;
listener.name.external.ssl.keystore.type=PEM
listener.name.external.ssl.keystore.location=$TLS_DIR/broker-keystore.pem
listener.name.external.ssl.truststore.type=PEM
listener.name.external.ssl.truststore.location=$TLS_DIR/ca.pem
listener.name.external.ssl.client.auth=requested
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$PLAIN_MODULE required username="admin" password="$(password admin)" user_admin="$(password admin)";

# Authorization: nothing is allowed without an ACL, except to the super users.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin

# Three replicas, two in sync to accept an acks=all write: one node can be down.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
share.coordinator.state.topic.num.partitions=3
num.partitions=1
unclean.leader.election.enable=false

# A killed node is noticed quickly (fenced and dropped from the ISRs after missing heartbeats for
# 6 s instead of 9 s), and once back, leadership returns to it within 30 s instead of 5 min.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000
leader.imbalance.check.interval.seconds=30

# Dev/test tuning: fast first group join, small memory footprint, topics created explicitly.
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=8388608
num.network.threads=2
num.io.threads=2
num.replica.fetchers=1
num.recovery.threads.per.data.dir=1
auto.create.topics.enable=false
EOF
  )
}

# Format the nodes whose storage is new, in parallel: same cluster id, static quorum (no
# --standalone), and the SCRAM users written into the bootstrap metadata (StorageTool takes the
# passwords only as arguments: visible in the process list for the second the formatting takes).
format_storage() {
  local java="$1" cluster_id_file="$CLUSTER_DIR/cluster-id" cluster_id="" n user jobs=() failed=0
  shift
  local todo=()
  for n in "$@"; do
    [[ -f "$(node_dir "$n")/data/meta.properties" ]] || todo+=("$n")
  done
  ((${#todo[@]})) || return 0
  if [[ ! -s "$cluster_id_file" ]]; then
    # What `StorageTool random-uuid` prints (16 random bytes, URL-safe base64 without padding, never
    # starting with "-"), without starting a JVM for it.
    until [[ "${cluster_id:-}" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]]; do
      cluster_id="$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$cluster_id" >"$cluster_id_file"
  fi
  cluster_id="$(cat "$cluster_id_file")"
  local scram=()
  for user in "${USERS[@]}"; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password "$user")]")
  done
  info "formatting the storage of node(s) ${todo[*]} (cluster id $cluster_id)"
  for n in "${todo[@]}"; do
    run_tool "$java" kafka.tools.StorageTool format -t "$cluster_id" -c "$(node_marker "$n")" \
      --ignore-formatted "${scram[@]}" >"$LOG_DIR/kafka-node-$n-format.log" 2>&1 &
    jobs+=($!)
  done
  for n in "${!jobs[@]}"; do
    if ! wait "${jobs[$n]}"; then
      show_log_tail "$LOG_DIR/kafka-node-${todo[$n]}-format.log"
      failed=1
    fi
  done
  ((failed == 0)) || die "kafka storage format failed"
}

spawn_node() {
  local java="$1" n="$2" dir
  dir="$(node_dir "$n")"
  info "starting node $n on 127.0.0.1:$(client_port "$n") (inter-broker $(internal_port "$n"), controller $(controller_port "$n")), log: $(node_log "$n")"
  spawn_daemon "kafka-node-$n" "$(node_log "$n")" "$dir" \
    "$java" -Xms128m -Xmx384m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="file:$REPO_ROOT/infra/kafka/log4j2.xml" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$(node_marker "$n")"
  # shellcheck disable=SC2046  # one word per port
  record_ports "kafka-node-$n" $(node_ports "$n")
}

# Readiness of node $READY_NODE (wait_until_ready calls its check without arguments). The log is
# checked first, so that the TLS port is probed only once the broker says it serves.
READY_NODE=""
node_ready() {
  grep -qF "$STARTED_LINE" "$(node_log "$READY_NODE")" 2>/dev/null && port_open "$(client_port "$READY_NODE")"
}

wait_for_node() {
  READY_NODE="$1"
  wait_until_ready "kafka-node-$1" "$(node_marker "$1")" "$(node_log "$1")" node_ready
}

# start_nodes <n>...: start the given nodes unless they run already, then wait for all of them.
start_nodes() {
  local java n to_spawn=()
  java="$(find_java 17 "Kafka $KAFKA_VERSION" "${KAFKA_JAVA_HOME:-}")"
  require_cmd openssl "the cluster's passwords and certificates"
  mkdir -p "$LOG_DIR" "$CLUSTER_DIR"
  for n in "$@"; do
    if node_pid "$n" >/dev/null; then
      # shellcheck disable=SC2046
      ensure_same_ports "kafka-node-$n" $(node_ports "$n")
    else
      rm -f "$PID_DIR/kafka-node-$n.pid"
      # shellcheck disable=SC2046
      ensure_ports_free "kafka-node-$n" $(node_ports "$n")
      to_spawn+=("$n")
    fi
  done
  ensure_secrets
  ensure_tls
  write_admin_config
  if ((${#to_spawn[@]})); then
    download
    for n in "${NODES[@]}"; do write_node_config "$n"; done
    format_storage "$java" "${to_spawn[@]}"
    for n in "${to_spawn[@]}"; do spawn_node "$java" "$n"; done
  else
    info "already running"
  fi
  for n in "$@"; do
    wait_for_node "$n"
    info "node $n ready on 127.0.0.1:$(client_port "$n")"
  done
}

# Grant the engine's principal everything on the topics and groups named "cadence.*", nothing else.
# Adding an ACL that exists already is a no-op; the ACLs live in the metadata log, so a marker naming
# the cluster id and the grant lets the next start skip the tool's JVM (delete it to grant again).
apply_acls() {
  local java grant
  grant="User:$ENGINE_USER All on prefixed topic and group '$ENGINE_PREFIX', cluster $(cat "$CLUSTER_DIR/cluster-id")"
  [[ "$(cat "$ACL_MARKER" 2>/dev/null)" == "$grant" ]] && return 0
  java="$(find_java 17 "Kafka $KAFKA_VERSION" "${KAFKA_JAVA_HOME:-}")"
  info "granting User:$ENGINE_USER all operations on topics and groups prefixed '$ENGINE_PREFIX'"
  run_tool "$java" org.apache.kafka.tools.AclCommand --bootstrap-server "$(bootstrap_servers)" \
    --command-config "$ADMIN_CONFIG" --add --allow-principal "User:$ENGINE_USER" --operation All \
    --resource-pattern-type prefixed --topic "$ENGINE_PREFIX" --group "$ENGINE_PREFIX" \
    >"$TOOLS_LOG" 2>&1 || {
    show_log_tail "$TOOLS_LOG"
    die "could not create the ACLs (AclCommand failed)"
  }
  echo "$grant" >"$ACL_MARKER"
}

print_endpoints() {
  echo "KAFKA_BROKERS=$(bootstrap_servers)"
  echo "KAFKA_SSL=true"
  echo "KAFKA_SSL_CA_FILE=$TLS_DIR/ca.pem"
  echo "KAFKA_SASL_MECHANISM=scram-sha-512"
  echo "KAFKA_SASL_USERNAME=$ENGINE_USER"
  echo "KAFKA_SASL_PASSWORD_FILE=$(password_file "$ENGINE_USER")"
  echo "KAFKA_CLUSTER_ADMIN_PASSWORD_FILE=$(password_file admin)"
  echo "KAFKA_CLUSTER_OUTSIDER_PASSWORD_FILE=$(password_file outsider)"
  echo "KAFKA_CLUSTER_CLIENT_CERT_FILE=$TLS_DIR/client.pem"
  echo "KAFKA_CLUSTER_CLIENT_KEY_FILE=$TLS_DIR/client-key.pem"
}

start() {
  with_lock kafka-cluster
  start_nodes "${NODES[@]}"
  apply_acls
  info "ready on $(bootstrap_servers)"
  print_endpoints
}

start_node() {
  check_node_arg "${1:-}" start-node
  with_lock kafka-cluster
  start_nodes "$1"
}

# All nodes at once: each one's controlled shutdown still finds a quorum while the others stop.
stop() {
  local n jobs=() rc=0
  with_lock kafka-cluster
  for n in "${NODES[@]}"; do
    (
      LOG_PREFIX="kafka-node-$n"
      stop_daemon "kafka-node-$n" "$(node_marker "$n")"
    ) &
    jobs+=($!)
  done
  for n in "${jobs[@]}"; do wait "$n" || rc=1; done
  return "$rc"
}

kill_node() {
  local pid
  check_node_arg "${1:-}" kill
  with_lock kafka-cluster
  if ! pid="$(node_pid "$1")"; then
    info "node $1 is not running"
    return 0
  fi
  info "killing node $1 (SIGKILL, pid $pid)"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$PID_DIR/kafka-node-$1.pid" "$PID_DIR/kafka-node-$1.ports"
}

# Exit code: 0 all nodes serving, 3 none running, 1 otherwise.
status() {
  local n pid up=0 running=0
  for n in "${NODES[@]}"; do
    READY_NODE="$n"
    if pid="$(node_pid "$n")"; then
      running=$((running + 1))
      if node_ready; then
        up=$((up + 1))
        echo "kafka-node-$n: running (pid $pid) on 127.0.0.1:$(client_port "$n")"
      else
        echo "kafka-node-$n: starting (pid $pid)"
      fi
    else
      echo "kafka-node-$n: stopped"
    fi
  done
  ((up == ${#NODES[@]})) && return 0
  ((running == 0)) && return 3
  return 1
}

describe_topics() {
  local prefix="${1:-}" java filter=()
  [[ -s "$ADMIN_CONFIG" ]] || die "no $ADMIN_CONFIG: start the cluster first ($0 start)"
  java="$(find_java 17 "Kafka $KAFKA_VERSION" "${KAFKA_JAVA_HOME:-}")"
  # --topic takes a regular expression: escape the prefix, then match anything after it.
  [[ -n "$prefix" ]] && filter=(--topic "$(printf '%s' "$prefix" | sed 's/[][\.*^$+?(){}|]/\\&/g').*")
  run_tool "$java" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_servers)" \
    --command-config "$ADMIN_CONFIG" --describe "${filter[@]}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_node "${2:-}" ;;
  start-node) start_node "${2:-}" ;;
  describe-topics) describe_topics "${2:-}" ;;
  *) die "usage: $0 start|stop|status|kill <n>|start-node <n>|describe-topics [prefix]" ;;
esac
