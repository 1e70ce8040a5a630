#!/usr/bin/env bash
# A 2-shard ClickHouse test cluster on loopback (see tests/clickhouse/README.md).
#
#   cluster.sh start DIR [--owner PID]  two servers, one cluster "ac2" (shard 1 = server 1,
#                                       shard 2 = server 2); all files under DIR; the ports
#                                       etc. in DIR/env. --owner: stop the servers when
#                                       process PID ends without a `stop` (a killed test).
#   cluster.sh stop DIR                 SIGTERM both, SIGKILL after CH_STOP_TIMEOUT; idempotent
#   cluster.sh available                exit 0 when clickhouse-server can run here, else
#                                       print why and exit 1
#
# Environment: CLICKHOUSE_SERVER (the server command; default clickhouse-server, else
# `clickhouse server`), CH_START_TIMEOUT (60 s), CH_STOP_TIMEOUT (15 s), CH_LOG_LEVEL
# (warning), AC_CH_FORCE_SKIP=1 (`available` says no: exercises the tests' skip path).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF=$HERE/$(basename "${BASH_SOURCE[0]}")
CLUSTER=ac2
START_TIMEOUT=${CH_START_TIMEOUT:-60}
STOP_TIMEOUT=${CH_STOP_TIMEOUT:-15}
LOG_LEVEL=${CH_LOG_LEVEL:-warning}
PORT_MIN=20000
PORT_MAX=40000

say() { echo "cluster.sh: $*" >&2; }
die() { say "$@"; exit 1; }
now() { echo "$EPOCHREALTIME"; }
ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }   # milliseconds
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# server_cmd: SERVER (an array) = the command that runs a server; else WHY and 1.
# /usr/sbin is searched too (the Debian package puts clickhouse-server there, often
# outside a user's PATH).
server_cmd() {
  if [ -n "${CLICKHOUSE_SERVER:-}" ]; then
    read -ra SERVER <<<"$CLICKHOUSE_SERVER"
    command -v "${SERVER[0]}" >/dev/null && return 0
    WHY="CLICKHOUSE_SERVER=$CLICKHOUSE_SERVER: ${SERVER[0]} not found"
    return 1
  fi
  local c
  for c in clickhouse-server /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    if command -v "$c" >/dev/null; then SERVER=("$(command -v "$c")"); return 0; fi
  done
  for c in clickhouse /usr/bin/clickhouse; do
    if command -v "$c" >/dev/null; then SERVER=("$(command -v "$c")" server); return 0; fi
  done
  WHY="no clickhouse-server (nor clickhouse) in PATH or /usr/sbin"
  return 1
}

available() {
  if [ "${AC_CH_FORCE_SKIP:-0}" = 1 ]; then
    echo "AC_CH_FORCE_SKIP=1 is set"
    return 1
  fi
  server_cmd || { echo "$WHY"; return 1; }
  command -v curl >/dev/null || { echo "curl is missing (the harness talks HTTP)"; return 1; }
  # Does the binary run at all (its libraries load)? A configuration file that does not
  # exist makes it print its own error and exit at once (18.16 has no --version).
  local out rc
  out=$(timeout 20 "${SERVER[@]}" --config-file=/nonexistent/agentcost-probe.xml 2>&1 </dev/null)
  rc=$?
  case $rc in
    124) echo "${SERVER[*]} did not return within 20 s"; return 1 ;;
    126 | 127) echo "${SERVER[*]} cannot run: $(head -n 1 <<<"$out")"; return 1 ;;
  esac
  if grep -q 'error while loading shared libraries' <<<"$out"; then
    echo "${SERVER[*]} cannot run: $(grep -m 1 'error while loading' <<<"$out")"
    return 1
  fi
  echo "available: ${SERVER[*]}"
}

# ours PID CONFIG: PID is a live server process started with that configuration file
# (not a recycled pid; a zombie has an empty command line).
ours() {
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] &&
    tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--config-file=$2"
}

# pid_alive PID: the process exists and is no zombie
pid_alive() {
  local st
  st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# port_busy PORT: something listens on PORT (any address), or answers on 127.0.0.1
port_busy() {
  if command -v ss >/dev/null; then
    [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ] && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_ports: HTTP1 TCP1 HTTP2 TCP2, four consecutive free ports from a random base in
# [PORT_MIN, PORT_MAX), kept below the kernel's ephemeral range (outgoing connections).
pick_ports() {
  local lo _hi max=$PORT_MAX base
  if read -r lo _hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null &&
     [ "$lo" -gt $((PORT_MIN + 100)) ] && [ "$lo" -lt "$max" ]; then
    max=$lo
  fi
  for _ in $(seq 1 100); do
    base=$((PORT_MIN + (RANDOM * 32768 + RANDOM) % (max - PORT_MIN - 4)))
    if ! port_busy $base && ! port_busy $((base + 1)) && ! port_busy $((base + 2)) &&
       ! port_busy $((base + 3)); then
      HTTP1=$base TCP1=$((base + 1)) HTTP2=$((base + 2)) TCP2=$((base + 3))
      return 0
    fi
  done
  die "no four free consecutive ports in $PORT_MIN-$max after 100 tries"
}

xml_esc() {
  local s=$1
  s=${s//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  printf '%s' "$s"
}

# render N HTTP TCP: DIR/sN/config.xml and users.xml from the templates
render() {
  local n=$1 nd=$DIR/s$1 t
  t=$(<"$HERE/config.xml.in") || die "cannot read $HERE/config.xml.in"
  t=${t//@NODE_DIR@/"$(xml_esc "$nd")"}
  t=${t//@LOG_LEVEL@/"$LOG_LEVEL"}
  t=${t//@HTTP_PORT@/"$2"}
  t=${t//@TCP_PORT@/"$3"}
  t=${t//@TCP1@/"$TCP1"}
  t=${t//@TCP2@/"$TCP2"}
  t=${t//@CLUSTER@/"$CLUSTER"}
  t=${t//@SHARD@/"$n"}
  t=${t//@INSTANCE@/"$INSTANCE-$n"}
  if grep -q '@[A-Z0-9_]*@' <<<"$t"; then
    die "config.xml.in: unknown placeholder $(grep -o '@[A-Z0-9_]*@' <<<"$t" | head -n 1)"
  fi
  printf '%s\n' "$t" >"$nd/config.xml"
  cp "$HERE/users.xml" "$nd/users.xml"
}

# spawn N HTTP TCP: start server N in the background (pid in DIR/sN/pid)
spawn() {
  local nd=$DIR/s$1
  mkdir -p "$nd/data" "$nd/tmp" "$nd/user_files" "$nd/format_schemas" "$nd/log"
  render "$@"
  : >"$nd/log/stdout.log"
  # fd 9 (the port lock) is not inherited: the lock ends with this script
  (cd "$nd" && exec "${SERVER[@]}" --config-file="$nd/config.xml") \
    </dev/null >"$nd/log/stdout.log" 2>&1 9>&- &
  echo $! >"$nd/pid"
}

# http PORT QUERY: the answer of a GET (read-only) query, or nothing
http() {
  curl -s --max-time 5 --get --data-urlencode "query=$2" "http://127.0.0.1:$1/" 2>/dev/null
}

# ready N HTTP TCP: server N answers SELECT 1, it is this run's server, and listens on TCP
ready() {
  local id
  id=$(http "$2" "SELECT substitution FROM system.macros WHERE macro = 'ac_instance'")
  [ "$id" = "$INSTANCE-$1" ] || return 1
  [ "$(http "$2" 'SELECT 1')" = 1 ] || return 1
  # the native port listens too (looked up, not connected to: a connection that sends
  # nothing is a warning in the server's log)
  ! command -v ss >/dev/null || [ -n "$(ss -Htln "sport = :$3" 2>/dev/null)" ]
}

log_tails() {
  local n f
  for n in 1 2; do
    for f in "$DIR/s$n/log/server.err.log" "$DIR/s$n/log/server.log" "$DIR/s$n/log/stdout.log"; do
      [ -s "$f" ] || continue
      echo "---- server $n: tail of $f" >&2
      tail -n 15 "$f" >&2
    done
  done
}

# wait_up: 0 when both are ready; 1 on a timeout; 2 when a port was taken (retry with
# others); 3 when a server exited for another reason
wait_up() {
  local deadline=$(($(ms) + START_TIMEOUT * 1000)) r1=0 r2=0 pid
  while :; do
    for n in 1 2; do
      [ $n = 1 ] && [ $r1 = 1 ] && continue
      [ $n = 2 ] && [ $r2 = 1 ] && continue
      pid=$(cat "$DIR/s$n/pid")
      if ! pid_alive "$pid"; then
        wait "$pid" 2>/dev/null
        if grep -qs 'Address already in use' "$DIR/s$n/log/server.err.log" "$DIR/s$n/log/stdout.log"; then
          return 2
        fi
        say "server $n (pid $pid) exited during start-up"
        return 3
      fi
      if [ $n = 1 ] && ready 1 "$HTTP1" "$TCP1"; then r1=1; fi
      if [ $n = 2 ] && ready 2 "$HTTP2" "$TCP2"; then r2=1; fi
    done
    [ $r1 = 1 ] && [ $r2 = 1 ] && return 0
    if [ "$(ms)" -ge $deadline ]; then
      say "the servers did not both answer SELECT 1 within $START_TIMEOUT s" \
          "(server 1 ready: $r1, server 2 ready: $r2)"
      return 1
    fi
    sleep 0.1
  done
}

abs_dir() {
  mkdir -p "$1" || die "cannot create $1"
  (cd "$1" && pwd)
}

start() {
  local owner="" t0 t1 rc n
  [ $# -ge 1 ] || die "usage: cluster.sh start DIR [--owner PID]"
  DIR=$(abs_dir "$1") || exit 1
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) [ $# -ge 2 ] || die "--owner needs a PID"; owner=$2; shift 2 ;;
      *) die "start: unknown argument $1" ;;
    esac
  done
  for n in 1 2; do
    if ours "$(cat "$DIR/s$n/pid" 2>/dev/null)" "$DIR/s$n/config.xml"; then
      die "server $n under $DIR is running already (cluster.sh stop $DIR first)"
    fi
  done
  local why
  why=$(available) || die "clickhouse-server cannot run here: $why"
  server_cmd
  command -v curl >/dev/null || die "curl is missing"
  rm -f "$DIR/env"
  INSTANCE=ac-$$-$RANDOM$RANDOM
  t0=$(now)

  # Two runs starting at once would see the same free ports: one at a time, from the port
  # choice until both servers listen. A port taken by someone else anyway: new ports.
  local lock=${TMPDIR:-/tmp}/agentcost-clickhouse-ports.lock
  if command -v flock >/dev/null && exec 9>>"$lock"; then
    flock -w 180 9 || say "no port lock after 180 s; going on without it"
  fi
  for _ in 1 2 3 4 5; do
    pick_ports
    spawn 1 "$HTTP1" "$TCP1"
    spawn 2 "$HTTP2" "$TCP2"
    wait_up
    rc=$?
    [ $rc = 2 ] || break
    say "a port of $HTTP1-$TCP2 was taken meanwhile; again with others"
    stop_dir >/dev/null
  done
  exec 9>&-
  if [ $rc != 0 ]; then
    log_tails
    stop_dir >/dev/null
    die "start failed (logs under $DIR/s1/log and $DIR/s2/log)"
  fi
  t1=$(now)

  local version
  version=$(http "$HTTP1" 'SELECT version()')
  {
    echo "# written by tests/clickhouse/cluster.sh start: source it (bash)"
    printf 'export CH_DIR=%q\n' "$DIR"
    echo "export CH_CLUSTER=$CLUSTER"
    echo "export CH_HTTP1=$HTTP1 CH_TCP1=$TCP1 CH_PID1=$(cat "$DIR/s1/pid")"
    echo "export CH_HTTP2=$HTTP2 CH_TCP2=$TCP2 CH_PID2=$(cat "$DIR/s2/pid")"
    printf 'export CH_VERSION=%q\n' "$version"
    echo "export CH_START_SECONDS=$(secs "$t0" "$t1")"
    echo "# agentcost's URL for this cluster, with a database name of your choice:"
    echo "#   AC_CH_URL=clickhouse://127.0.0.1:$HTTP1/DBNAME?cluster=$CLUSTER"
    echo "export CH_URL_HINT='clickhouse://127.0.0.1:$HTTP1/DBNAME?cluster=$CLUSTER'"
  } >"$DIR/env.tmp" && mv "$DIR/env.tmp" "$DIR/env"

  if [ -n "$owner" ]; then
    nohup bash "$SELF" _watch "$DIR" "$owner" </dev/null >"$DIR/watchdog.log" 2>&1 &
    echo $! >"$DIR/watchdog.pid"
  fi
  echo "cluster.sh: $CLUSTER up in $(secs "$t0" "$t1") s (ClickHouse $version):" \
       "server 1 http $HTTP1 tcp $TCP1, server 2 http $HTTP2 tcp $TCP2; env in $DIR/env"
}

# stop_dir: stop the servers of DIR (and its watchdog, unless this is the watchdog)
stop_dir() {
  local n pid pids=() wd t0 killed=0
  [ -d "$DIR" ] || return 0
  for n in 1 2; do
    pid=$(cat "$DIR/s$n/pid" 2>/dev/null)
    ours "$pid" "$DIR/s$n/config.xml" && pids+=("$pid")
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null
    t0=$(ms)
    while :; do
      local left=()
      for pid in "${pids[@]}"; do pid_alive "$pid" && left+=("$pid"); done
      [ ${#left[@]} -eq 0 ] && break
      if [ $(($(ms) - t0)) -ge $((STOP_TIMEOUT * 1000)) ]; then
        if [ $killed = 0 ]; then
          say "server(s) ${left[*]} still running after $STOP_TIMEOUT s: SIGKILL"
          kill -KILL "${left[@]}" 2>/dev/null
          killed=1
        elif [ $(($(ms) - t0)) -ge $(((STOP_TIMEOUT + 5) * 1000)) ]; then
          die "server(s) ${left[*]} survive SIGKILL"
        fi
      fi
      sleep 0.1
    done
  fi
  rm -f "$DIR/s1/pid" "$DIR/s2/pid"
  # the watchdog last: a stop cut short before its SIGTERMs still leaves it on guard
  wd=$(cat "$DIR/watchdog.pid" 2>/dev/null)
  if [ -n "$wd" ] && [ "$wd" != "${WATCHDOG_SELF:-}" ] && [ -r "/proc/$wd/cmdline" ] &&
     tr '\0' '\n' <"/proc/$wd/cmdline" | grep -qxF -- "$DIR"; then
    kill -TERM "$wd" 2>/dev/null
  fi
  rm -f "$DIR/watchdog.pid"
  return 0
}

stop() {
  [ $# -eq 1 ] || die "usage: cluster.sh stop DIR"
  [ -d "$1" ] || return 0
  DIR=$(cd "$1" && pwd)
  stop_dir
}

# _watch DIR OWNER (internal): stop the cluster when OWNER ends first
watch() {
  DIR=$1
  WATCHDOG_SELF=$$
  local n running
  while pid_alive "$2"; do
    running=0
    for n in 1 2; do
      ours "$(cat "$DIR/s$n/pid" 2>/dev/null)" "$DIR/s$n/config.xml" && running=1
    done
    [ $running = 1 ] || exit 0
    sleep 1
  done
  say "owner $2 ended without stopping the cluster: stopping it"
  stop_dir
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  available) available ;;
  _watch) shift; watch "$@" ;;
  *) die "usage: cluster.sh start DIR [--owner PID] | stop DIR | available" ;;
esac
