#!/usr/bin/env bash
# kafka.sh start|stop|status — a real single-node Apache Kafka broker (KRaft mode) for tests.
#
# The broker jars come from Maven Central through `mvn` (deploy/local/kafka/pom.xml: kafka_2.13
# plus the logging jars it does not declare) and are cached in WATCHPOST_KAFKA_CACHE (default
# ~/.cache/watchpost/kafka). The broker runs on the installed JDK with its own config, data and
# logs under WATCHPOST_KAFKA_DIR (default $PWD/.run/kafka), on 127.0.0.1 only:
#   client listener      WATCHPOST_KAFKA_PORT             (default 19092)
#   controller listener  WATCHPOST_KAFKA_CONTROLLER_PORT  (default 19093)
#
# start   fetches the jars when missing, formats storage (kafka.tools.StorageTool) once, starts
#         the broker unless it runs already, waits until it accepts connections and prints
#         its address (127.0.0.1:PORT) on stdout. Everything else goes to stderr.
# stop    stops the broker this script started (pid file) and waits for it to exit.
# status  prints the address and exits 0 when running, 1 otherwise.
#
# Security (WATCHPOST_KAFKA_SECURITY):
#   plaintext (default)  one PLAINTEXT client listener, no authentication, no authorizer.
#   sasl_ssl             the client listener speaks SASL_SSL only: TLS with the PEM files of
#                        WATCHPOST_KAFKA_TLS_DIR, then SCRAM-SHA-512 or SCRAM-SHA-256. The
#                        StandardAuthorizer denies whatever no ACL allows
#                        (allow.everyone.if.no.acl.found=false); User:admin is the only super
#                        user, and its SCRAM-SHA-512 credential (password
#                        WATCHPOST_KAFKA_ADMIN_PASSWORD) is written into the metadata log when
#                        storage is formatted. The broker talks to itself (transaction markers)
#                        over the same listener as admin. The controller listener, on
#                        loopback, uses SASL PLAIN with the same admin password rather than
#                        PLAINTEXT, so that no unauthenticated (ANONYMOUS) principal has to be
#                        a super user. Other users are created by the caller with kadm
#                        AlterUserSCRAMs as admin.
#   WATCHPOST_KAFKA_TLS_DIR holds PEM files: ca.pem (the CA that signed the broker
#   certificate), broker.pem (the broker certificate chain, with 127.0.0.1 as an IP SAN) and
#   broker-key.pem (its unencrypted PKCS#8 key); optionally client-ca.pem, a CA whose client
#   certificates the broker accepts. WATCHPOST_KAFKA_SSL_CLIENT_AUTH (none, requested,
#   required; default none) sets whether clients must present such a certificate.
#   The admin password may hold letters, digits and . _ - + ~ ! @ # % ^ * only (it is spliced
#   into the StorageTool and JAAS syntax); it is written only to files of mode 0600 in
#   WATCHPOST_KAFKA_DIR, and appears briefly on the StorageTool command line when formatting.
#   A data directory formatted in one mode must not be started in the other.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DIR="${WATCHPOST_KAFKA_DIR:-$PWD/.run/kafka}"
CACHE="${WATCHPOST_KAFKA_CACHE:-$HOME/.cache/watchpost/kafka}"
PORT="${WATCHPOST_KAFKA_PORT:-19092}"
CPORT="${WATCHPOST_KAFKA_CONTROLLER_PORT:-19093}"
WAIT_SECONDS="${WATCHPOST_KAFKA_WAIT:-120}"
SECURITY="${WATCHPOST_KAFKA_SECURITY:-plaintext}"
ADDR="127.0.0.1:${PORT}"
PIDFILE="$DIR/broker.pid"

log() { echo "kafka.sh: $*" >&2; }

running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_jars() {
  local lib="$CACHE/lib" stamp="$CACHE/lib/.pom.sha256"
  local want; want=$(sha256sum "$HERE/kafka/pom.xml" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  command -v mvn >/dev/null || { log "mvn is not installed: cannot fetch the Kafka broker"; exit 1; }
  command -v java >/dev/null || { log "java is not installed: cannot run the Kafka broker"; exit 1; }
  log "fetching the Kafka broker jars from Maven Central into $lib"
  rm -rf "$lib"; mkdir -p "$lib"
  mvn -B -q -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib" -DincludeScope=runtime >&2
  echo "$want" > "$stamp"
}

java_cmd() { java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true -cp "$CACHE/lib/*" "$@"; }

# pem_value prints a PEM file as one Java-properties value: newlines escaped as \n.
pem_value() { awk 'NF { printf "%s\\n", $0 }' "$1"; }

# secured_listeners prints the listener and security properties of the sasl_ssl mode.
secured_listeners() {
  local tls="${WATCHPOST_KAFKA_TLS_DIR:-}" pw="${WATCHPOST_KAFKA_ADMIN_PASSWORD:-}"
  local auth="${WATCHPOST_KAFKA_SSL_CLIENT_AUTH:-none}"
  local f; for f in ca.pem broker.pem broker-key.pem; do
    [[ -n "$tls" && -r "$tls/$f" ]] || { log "sasl_ssl: WATCHPOST_KAFKA_TLS_DIR must hold a readable $f"; exit 1; }
  done
  [[ -n "$pw" ]] || { log "sasl_ssl: WATCHPOST_KAFKA_ADMIN_PASSWORD is required"; exit 1; }
  [[ "$pw" =~ ^[A-Za-z0-9._~!@#%^*+-]+$ ]] || { log "sasl_ssl: WATCHPOST_KAFKA_ADMIN_PASSWORD holds a character outside [A-Za-z0-9._~!@#%^*+-]"; exit 1; }
  case "$auth" in none|requested|required) ;; *) log "WATCHPOST_KAFKA_SSL_CLIENT_AUTH: want none, requested or required"; exit 1 ;; esac
  local trust; trust=$(pem_value "$tls/ca.pem")
  [[ -r "$tls/client-ca.pem" ]] && trust+=$(pem_value "$tls/client-ca.pem")
  cat <<PROPS
listeners=SASL_SSL://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CPORT}
advertised.listeners=SASL_SSL://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${pw}";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${pw}";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${pw}" user_admin="${pw}";
ssl.keystore.type=PEM
ssl.keystore.certificate.chain=$(pem_value "$tls/broker.pem")
ssl.keystore.key=$(pem_value "$tls/broker-key.pem")
ssl.truststore.type=PEM
ssl.truststore.certificates=${trust}
# A SASL_SSL listener ignores an unprefixed ssl.client.auth (KIP-684).
listener.name.sasl_ssl.ssl.client.auth=${auth}
ssl.enabled.protocols=TLSv1.3,TLSv1.2
ssl.endpoint.identification.algorithm=https
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
PROPS
}

plain_listeners() {
  cat <<PROPS
listeners=PLAINTEXT://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CPORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
PROPS
}

configure() {
  mkdir -p "$DIR/data" "$DIR/logs"
  local listeners
  case "$SECURITY" in
    plaintext) listeners=$(plain_listeners) ;;
    sasl_ssl) listeners=$(secured_listeners) ;;
    *) log "WATCHPOST_KAFKA_SECURITY: want plaintext or sasl_ssl, not $SECURITY"; exit 1 ;;
  esac
  : > "$DIR/server.properties"; chmod 600 "$DIR/server.properties" # may hold the admin password
  cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CPORT}
${listeners}
log.dirs=$DIR/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.cleaner.backoff.ms=1000
PROPS
  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    local id; id=$(java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    log "formatting storage (cluster id $id)"
    local scram=()
    if [[ "$SECURITY" == sasl_ssl ]]; then
      scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=${WATCHPOST_KAFKA_ADMIN_PASSWORD}]")
    fi
    java_cmd -Dlog4j2.configurationFile="$HERE/kafka/log4j2.yaml" -Dkafka.logs.dir="$DIR/logs" \
      kafka.tools.StorageTool format -t "$id" -c "$DIR/server.properties" "${scram[@]}" >&2
  fi
}

start() {
  if running; then echo "$ADDR"; return; fi
  if port_open "$PORT" || port_open "$CPORT"; then
    log "port $PORT or $CPORT is taken by another process: set WATCHPOST_KAFKA_PORT/_CONTROLLER_PORT"; exit 1
  fi
  fetch_jars
  configure
  log "starting the broker in $DIR (listener $ADDR, $SECURITY)"
  nohup java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.yaml" -Dkafka.logs.dir="$DIR/logs" \
    -cp "$CACHE/lib/*" kafka.Kafka "$DIR/server.properties" > "$DIR/logs/stdout.log" 2>&1 &
  echo $! > "$PIDFILE"
  echo "$PORT" > "$DIR/port"
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    if ! running; then log "the broker exited; last log lines:"; tail -30 "$DIR/logs/stdout.log" "$DIR/logs/server.log" >&2 2>/dev/null || true; exit 1; fi
    if port_open "$PORT" && grep -q "Kafka Server started\|\[KafkaRaftServer nodeId=1\] Kafka Server started" "$DIR/logs/server.log" 2>/dev/null; then
      echo "$ADDR"; return
    fi
    sleep 1
  done
  log "the broker did not start within ${WAIT_SECONDS}s; last log lines:"
  tail -30 "$DIR/logs/server.log" >&2 2>/dev/null || true
  stop; exit 1
}

stop() {
  if ! running; then rm -f "$PIDFILE"; return; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; return; }; sleep 0.5; done
  log "the broker did not stop in 30s: killing it"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "$ADDR"; else exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
