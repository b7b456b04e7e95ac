#!/usr/bin/env bash
# scripts/demo, run as a user runs it, with the build directory's programs (--bin-dir: no build)
# and one day of history: once it says where to look, its central receives events at several per
# second per store (acked_seq of GET /api/v1/fleet over a 10 s window: a check that the pages move,
# not a benchmark), and the signal SIGNAL (TERM or INT) stops every process it started — none is
# left in its session (the demo runs under setsid; its process groups stay in that session).
# Usage: demo_test.sh BUILD_DIR SIGNAL [MEASURE]   (MEASURE: 1 to measure the rate, the default)
set -euo pipefail

src="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$1" && pwd)"
signal="$2"
measure="${3:-1}"
work="$(mktemp -d /tmp/storepulse-demo-test.XXXXXX)"
sid=""
fail() {
  echo "FAILED: $*"
  echo "--- the demo's output:"; cat "$work/out.log" 2>/dev/null || true
  exit 1
}
cleanup() {  # whatever happened, nothing of the demo outlives the test
  if [ -n "$sid" ]; then pkill -KILL -s "$sid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
session_processes() { pgrep -s "$sid" || true; }

# Eight free ports: ZeroMQ on BASE..BASE+3, HTTP on BASE+1000..BASE+1003, in the range of
# tests/support/free_port.cc and claimed as it does (an flock per port, held until this test
# ends), so that tests running in parallel never take them.
locks=/tmp/storepulse-test-ports
mkdir -m 0777 -p "$locks" 2>/dev/null || true
claim() {  # claim PORT
  local fd
  { exec {fd}>>"$locks/$1"; } 2>/dev/null || return 1
  flock -n "$fd" || { exec {fd}>&-; return 1; }
}
# A port can still be taken between the check and the demo's bind by a program that does not
# claim its ports this way: then the demo is started again on other ports (at most 3 times).
start_demo() {  # 0 once the demo says where to look; 1 when a port it wanted was taken
  base=""
  for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 11700))
    ports=("$candidate" $((candidate + 1)) $((candidate + 2)) $((candidate + 3)))
    ports+=($((candidate + 1000)) $((candidate + 1001)) $((candidate + 1002)) $((candidate + 1003)))
    pattern=$(printf '%s|' "${ports[@]}")
    ss -Htan | awk '{print $4}' | grep -Eq ":(${pattern%|})\$" && continue  # in use, or TIME-WAIT
    claimed=1
    for port in "${ports[@]}"; do claim "$port" || { claimed=0; break; }; done
    ((claimed)) && { base=$candidate; break; }
  done
  [ -n "$base" ] || fail "no free ports"

  # SIGINT: a command started with & from a script ignores it, and so would the demo; restore it.
  DEMO_DIR="$work/demo" DEMO_PORT_BASE=$base setsid env --default-signal=INT \
    "$src/scripts/demo" --bin-dir "$build" --history-days 1 --duration 300 \
    >"$work/out.log" 2>&1 </dev/null &
  demo=$!
  sid=""
  for _ in $(seq 50); do  # setsid runs in the child itself: its pid becomes the session id
    [ "$(ps -o sid= -p "$demo" | tr -d ' ')" = "$demo" ] && { sid=$demo; break; }
    kill -0 "$demo" 2>/dev/null || break
    sleep 0.1
  done
  for _ in $(seq 450); do  # until it says where to look: at most 45 s
    grep -q "^demo: look at " "$work/out.log" && return 0
    if ! kill -0 "$demo" 2>/dev/null; then
      wait "$demo" || true
      grep -q "Address already in use" "$work/out.log" && return 1
      fail "the demo ended before it was ready"
    fi
    sleep 0.1
  done
  fail "the demo was not ready within 45 s"
}
ready=0
for attempt in 1 2 3; do
  if start_demo; then ready=1; break; fi
  echo "attempt $attempt: a port was taken meanwhile; again on other ports"
  rm -rf "$work/demo"
done
((ready)) || fail "three attempts found a port taken"
[ -n "$sid" ] || fail "the demo is not in a session of its own"
started=$(session_processes | wc -l)
# central, three edges, three live feeds, the demo itself (and the duration timer)
[ "$started" -ge 8 ] || fail "only $started processes in the demo's session"

if [ "$measure" = 1 ]; then
  acked() {  # "STORE ACKED_SEQ" per store, from central's fleet
    curl -sf "http://127.0.0.1:$((base + 1000))/api/v1/fleet" |
      grep -o '"acked_seq":[0-9]*\|"store":"[^"]*"' |
      awk -F: '/acked_seq/ {seq = $2} /"store"/ {gsub(/"/, "", $2); print $2, seq}' | sort
  }
  backlog() {  # the events the edges hold that central has not acknowledged yet
    curl -sf "http://127.0.0.1:$((base + 1000))/api/v1/fleet" |
      grep -o '"summary":{"backlog_events":[0-9]*' | grep -o '[0-9]*$'
  }
  for _ in $(seq 200); do  # the history replicated (at most 20 s): what follows is live traffic
    [ "$(backlog)" -lt 1000 ] 2>/dev/null && break
    sleep 0.1
  done
  t0=$(date +%s.%N); before=$(acked)
  sleep 10  # the measurement window
  t1=$(date +%s.%N); after=$(acked)
  seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  rates=$(join <(echo "$before") <(echo "$after") |
    awk -v dt="$seconds" '{printf "%s %.1f\n", $1, ($3 - $2) / dt}')
  echo "events/s per store at central: $(echo "$rates" | tr '\n' ' ')"
  [ "$(echo "$rates" | wc -l)" = 3 ] || fail "central does not list three stores: $after"
  echo "$rates" | awk '$2 < 1 {bad = 1} END {exit bad}' ||
    fail "fewer than 1 event/s for a store: $rates"
fi

kill "-$signal" "$demo"
for _ in $(seq 200); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done  # at most 20 s
kill -0 "$demo" 2>/dev/null && fail "the demo still runs 20 s after SIG$signal"
status=0; wait "$demo" || status=$?
for _ in $(seq 20); do [ -z "$(session_processes)" ] && break; sleep 0.1; done
left=$(session_processes)
if [ -n "$left" ]; then
  ps -o pid,pgid,stat,args -p "$(echo $left | tr ' ' ,)" || true
  fail "processes left after SIG$signal: $(echo $left)"
fi
grep -q "^demo: stopped" "$work/out.log" || fail "the demo did not say it stopped"
echo "SIG$signal: the demo (exit $status) stopped its $started processes; none left"
