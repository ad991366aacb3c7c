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
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DIR="${WATCHPOST_KAFKA_DIR:-$PWD/.run/kafka}"
CACHE="${WATCHPOST_KAFKA_CACHE:-$HOME/.cache/watchpost/kafka}"
PORT="${WATCHPOST_KAFKA_PORT:-19092}"
CPORT="${WATCHPOST_KAFKA_CONTROLLER_PORT:-19093}"
WAIT_SECONDS="${WATCHPOST_KAFKA_WAIT:-120}"
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

configure() {
  mkdir -p "$DIR/data" "$DIR/logs"
  cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CPORT}
listeners=PLAINTEXT://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CPORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
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
    java_cmd -Dlog4j2.configurationFile="$HERE/kafka/log4j2.yaml" -Dkafka.logs.dir="$DIR/logs" \
      kafka.tools.StorageTool format -t "$id" -c "$DIR/server.properties" >&2
  fi
}

start() {
  if running; then echo "$ADDR"; return; fi
  if port_open "$PORT" || port_open "$CPORT"; then
    log "port $PORT or $CPORT is taken by another process: set WATCHPOST_KAFKA_PORT/_CONTROLLER_PORT"; exit 1
  fi
  fetch_jars
  configure
  log "starting the broker in $DIR (listener $ADDR)"
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
