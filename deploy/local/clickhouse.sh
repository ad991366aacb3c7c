#!/usr/bin/env bash
# clickhouse.sh start|stop|status — a private ClickHouse server for tests and the demo.
#
# The server runs in the background with its own config, data and logs under
# WATCHPOST_CH_DIR (default: $PWD/.run/clickhouse). It listens on 127.0.0.1 only:
#   native (TCP) port   WATCHPOST_CH_PORT       (default 19000)  <- clickhouse-go talks to this one
#   HTTP port           WATCHPOST_CH_HTTP_PORT  (default 18123)
#   interserver port    WATCHPOST_CH_INTER_PORT (default 19009)
# so it never clashes with a system server on 9000/8123/9009.
#
# start   installs clickhouse-server/clickhouse-client when missing (apt-get), starts the
#         server unless it is already running, waits until it answers, and prints its
#         address (127.0.0.1:PORT) on stdout. Everything else goes to stderr.
# stop    stops only the server this script started (pid file) and waits for it to exit.
# status  prints the address and exits 0 when running, exits 1 otherwise.
#
# Root: the server runs as the user who owns the data directory. Run as root, the script
# runs it as root with a root-owned directory (ClickHouse 18.16 accepts that); a current
# server that refuses root is retried as the "clickhouse" system user, with the directory
# handed over to it (set WATCHPOST_CH_RUN_AS to choose the user explicitly).
set -euo pipefail

DIR="${WATCHPOST_CH_DIR:-$PWD/.run/clickhouse}"
PORT="${WATCHPOST_CH_PORT:-19000}"
HTTP_PORT="${WATCHPOST_CH_HTTP_PORT:-18123}"
INTER_PORT="${WATCHPOST_CH_INTER_PORT:-19009}"
WAIT_SECONDS="${WATCHPOST_CH_WAIT:-60}"
RUN_AS="${WATCHPOST_CH_RUN_AS:-}"
ADDR="127.0.0.1:${PORT}"

log() { printf 'clickhouse.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
	echo "usage: $0 start|stop|status" >&2
	exit 2
}

# find_server sets SERVER to the command (array) that runs the server, if one is installed.
find_server() {
	SERVER=()
	if [[ -x /usr/bin/clickhouse ]]; then
		SERVER=(/usr/bin/clickhouse server)
	elif [[ -x /usr/sbin/clickhouse-server ]]; then
		SERVER=(/usr/sbin/clickhouse-server)
	elif [[ -x /usr/bin/clickhouse-server ]]; then
		SERVER=(/usr/bin/clickhouse-server)
	elif command -v clickhouse-server >/dev/null 2>&1; then
		SERVER=("$(command -v clickhouse-server)")
	fi
}

# find_client sets CLIENT to the command (array) that runs the client, if one is installed.
find_client() {
	CLIENT=()
	if command -v clickhouse-client >/dev/null 2>&1; then
		CLIENT=("$(command -v clickhouse-client)")
	elif [[ -x /usr/bin/clickhouse ]]; then
		CLIENT=(/usr/bin/clickhouse client)
	fi
}

install_packages() {
	log "clickhouse-server or clickhouse-client not found; installing them with apt-get"
	command -v apt-get >/dev/null 2>&1 || die "cannot install ClickHouse: apt-get is not available; install clickhouse-server and clickhouse-client by hand"
	local sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null 2>&1 || die "cannot install ClickHouse: not root and no sudo; run: apt-get install -y clickhouse-server clickhouse-client"
		sudo=(sudo)
	fi
	"${sudo[@]}" apt-get update >&2 || die "cannot install ClickHouse: apt-get update failed"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server clickhouse-client >&2 ||
		die "cannot install ClickHouse: apt-get install clickhouse-server clickhouse-client failed"
	# The package may start a system server on the default ports; that is no concern of
	# ours: this script's server uses its own ports and directory.
}

ensure_installed() {
	find_server
	find_client
	if [[ ${#SERVER[@]} -eq 0 || ${#CLIENT[@]} -eq 0 ]]; then
		install_packages
		find_server
		find_client
	fi
	[[ ${#SERVER[@]} -gt 0 ]] || die "clickhouse-server is still missing after installation"
	[[ ${#CLIENT[@]} -gt 0 ]] || die "clickhouse-client is still missing after installation"
}

pid_file() { echo "$DIR/clickhouse.pid"; }

# use_recorded_port switches PORT and ADDR to the port the running server was started with,
# so that status, stop and a repeated start need not repeat WATCHPOST_CH_PORT.
use_recorded_port() {
	local p
	[[ -s $DIR/port ]] || return 0
	p=$(<"$DIR/port")
	if [[ $p =~ ^[0-9]+$ ]]; then
		PORT=$p
		ADDR="127.0.0.1:${PORT}"
	fi
}

# running_pid prints the pid of the server this script started, if it is still alive.
running_pid() {
	local f pid
	f=$(pid_file)
	[[ -s $f ]] || return 1
	pid=$(<"$f")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# Guard against a recycled pid: it must still be a clickhouse process.
	grep -qa clickhouse "/proc/$pid/cmdline" 2>/dev/null || return 1
	echo "$pid"
}

answers() {
	find_client
	[[ ${#CLIENT[@]} -gt 0 ]] || return 1
	timeout 5 "${CLIENT[@]}" --host 127.0.0.1 --port "$PORT" -q 'SELECT 1' >/dev/null 2>&1
}

write_config() {
	mkdir -p "$DIR/data" "$DIR/tmp" "$DIR/user_files" "$DIR/format_schemas" "$DIR/log"
	cat >"$DIR/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by deploy/local/clickhouse.sh; rewritten on every start. -->
<yandex>
    <logger>
        <level>information</level>
        <log>$DIR/log/clickhouse-server.log</log>
        <errorlog>$DIR/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$PORT</tcp_port>
    <http_port>$HTTP_PORT</http_port>
    <interserver_http_port>$INTER_PORT</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <path>$DIR/data/</path>
    <tmp_path>$DIR/tmp/</tmp_path>
    <user_files_path>$DIR/user_files/</user_files_path>
    <format_schema_path>$DIR/format_schemas/</format_schema_path>
    <users_config>$DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>64</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
	cat >"$DIR/users.xml" <<'EOF'
<?xml version="1.0"?>
<!-- Written by deploy/local/clickhouse.sh: one passwordless user, reachable from loopback only. -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks>
                <ip>127.0.0.1</ip>
                <ip>::1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

port_busy() {
	# /dev/tcp connects succeed only when something listens on the port.
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# launch starts the server as user $1 (empty: the current user) and records its pid.
launch() {
	local user=$1 prefix=()
	if [[ -n $user && $user != "$(id -un)" ]]; then
		id "$user" >/dev/null 2>&1 || die "user $user does not exist"
		chown -R "$user" "$DIR"
		if command -v setpriv >/dev/null 2>&1; then
			prefix=(setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups)
		elif command -v runuser >/dev/null 2>&1; then
			prefix=(runuser -u "$user" --)
		else
			die "cannot switch to user $user: neither setpriv nor runuser is available"
		fi
	fi
	# setsid detaches the server from the caller's process group and terminal, so it
	# outlives the shell that started it. A background job in a non-interactive shell is
	# not a group leader, so setsid execs in place and $! is the server's own pid.
	setsid "${prefix[@]}" "${SERVER[@]}" --config-file="$DIR/config.xml" \
		>>"$DIR/log/stdout.log" 2>>"$DIR/log/stderr.log" </dev/null &
	echo $! >"$(pid_file)"
}

# wait_ready waits for the server to answer; it returns 1 when the process died or the wait expired.
wait_ready() {
	local deadline=$((SECONDS + WAIT_SECONDS)) pid
	pid=$(<"$(pid_file)")
	while ((SECONDS < deadline)); do
		if answers; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

show_logs() {
	local f
	for f in "$DIR/log/stderr.log" "$DIR/log/clickhouse-server.err.log" "$DIR/log/clickhouse-server.log"; do
		[[ -s $f ]] || continue
		log "---- tail of $f"
		tail -n 30 "$f" >&2
	done
}

refuses_root() {
	grep -qiE 'as root|under root|root user|effective user|does not match the owner' "$DIR/log/stderr.log" "$DIR/log/clickhouse-server.err.log" 2>/dev/null
}

cmd_start() {
	if running_pid >/dev/null; then
		use_recorded_port
		answers || log "server (pid $(running_pid)) is running but does not answer yet"
		echo "$ADDR"
		return 0
	fi
	ensure_installed
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd) # the config needs absolute paths
	for p in "$PORT" "$HTTP_PORT" "$INTER_PORT"; do
		if port_busy "$p"; then
			die "port $p on 127.0.0.1 is taken by another process; set WATCHPOST_CH_PORT / WATCHPOST_CH_HTTP_PORT / WATCHPOST_CH_INTER_PORT"
		fi
	done
	write_config
	echo "$PORT" >"$DIR/port"
	: >"$DIR/log/stderr.log"
	log "starting ${SERVER[*]} in $DIR (native port $PORT)"
	launch "$RUN_AS"
	if ! wait_ready; then
		if [[ -z $RUN_AS && $(id -u) -eq 0 ]] && ! running_pid >/dev/null && refuses_root && id clickhouse >/dev/null 2>&1; then
			log "the server refused to run as root; retrying as user clickhouse"
			: >"$DIR/log/stderr.log"
			launch clickhouse
			if wait_ready; then
				echo "$ADDR"
				return 0
			fi
		fi
		if running_pid >/dev/null; then
			log "server did not answer on $ADDR within ${WAIT_SECONDS}s"
		else
			log "server exited before answering on $ADDR"
		fi
		show_logs
		cmd_stop >/dev/null 2>&1 || true
		exit 1
	fi
	echo "$ADDR"
}

cmd_stop() {
	local pid
	if ! pid=$(running_pid); then
		rm -f "$(pid_file)"
		log "not running"
		return 0
	fi
	kill -TERM "$pid"
	local deadline=$((SECONDS + 60))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			log "server (pid $pid) ignored SIGTERM for 60s; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.2
	done
	rm -f "$(pid_file)"
	log "stopped (pid $pid)"
}

cmd_status() {
	local pid
	if pid=$(running_pid); then
		use_recorded_port
		if answers; then
			echo "$ADDR"
			return 0
		fi
		log "server (pid $pid) is running but does not answer on $ADDR"
		return 1
	fi
	log "not running"
	return 1
}

[[ $# -eq 1 ]] || usage
case "$1" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) usage ;;
esac
