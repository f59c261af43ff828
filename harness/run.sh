#!/usr/bin/env bash
# Measures the socket patterns on this machine's Linux TCP: over loopback, then between two
# network namespaces joined by a userspace delay line at RTT 2, 10, 20, 50 and 100 ms (the pattern
# cases at 10 and 50, the buffer-size variants at every RTT and on loopback). Writes
# results/linux-measured.json (+ .md) and results/call-cost.json (what one send/recv call costs).
# Needs root (namespaces, TUN). See README.md.
#
#   sudo harness/run.sh [--quick] [--repeats N] [--out DIR] [--rtts "2 10 20 50 100"] [--call-cost-only]
#                       [--only REGEX --merge-into results/linux-measured.json]
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/results"
QUICK=0
REPEATS=3            # runs per case; the median one is reported
RTTS="2 10 20 50 100"
PATTERN_RTTS=" 10 50 "   # the pattern cases run at these RTTs only; the buffer variants at every RTT
RATE_MBPS=100        # the delay line's link rate (a defined bottleneck instead of "as fast as the CPU")
CC=cubic             # the usual distribution default; recorded in the results
CALL_COST_ONLY=0
ONLY=""              # --only: measure only the cases whose id matches this extended regex
MERGE_INTO=""        # --merge-into: replace those cases in an existing table instead of writing a new one
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPEATS=1 ;;
    --repeats) REPEATS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --rtts) RTTS="$2"; shift ;;
    --call-cost-only) CALL_COST_ONLY=1 ;;
    --only) ONLY="$2"; shift ;;
    --merge-into) MERGE_INTO="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--repeats N] [--out DIR] [--rtts \"2 10 20 50 100\"] [--call-cost-only] [--only REGEX --merge-into FILE]" >&2; exit 2 ;;
  esac
  shift
done

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (network namespaces, TUN devices)" >&2; exit 2; }
for tool in gcc jq node ip; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/socklint-harness.XXXXXX)"
NS_LO=sb-lo NS_A=sb-a NS_B=sb-b     # loopback runs get their own namespace too: nothing touches the host's
ADDR_A=10.77.0.1 ADDR_B=10.77.0.2
DELAY_PID=""

cleanup() {
  if [ -n "$DELAY_PID" ]; then kill "$DELAY_PID" 2>/dev/null || true; wait "$DELAY_PID" 2>/dev/null || true; fi
  for ns in "$NS_LO" "$NS_A" "$NS_B"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== building into $WORK"
gcc -O2 -Wall -Wextra -o "$WORK/sockbench" "$HERE/src/sockbench.c"
gcc -O2 -Wall -Wextra -o "$WORK/delayline" "$HERE/src/delayline.c"
gcc -O2 -Wall -Wextra -o "$WORK/callcost" "$HERE/src/callcost.c"
SB="$WORK/sockbench"

# Leftovers from an interrupted run would make `ip netns add` fail.
for ns in "$NS_LO" "$NS_A" "$NS_B"; do ip netns del "$ns" 2>/dev/null || true; done

CASES="$WORK/cases.jsonl" LINKS="$WORK/links.jsonl" FAILURES="$WORK/failures.jsonl"
: >"$CASES"; : >"$LINKS"; : >"$FAILURES"
PORT=5600

# n COUNT: scale a message count down for --quick. nb BYTES: the same for bulk totals, in whole 64 KB writes.
n() { if [ "$QUICK" = 1 ]; then echo $(( ($1 + 4) / 5 )); else echo "$1"; fi; }
nb() { local b; b=$(n "$1"); b=$(( b / 65536 * 65536 )); [ $b -lt 65536 ] && b=65536; echo $b; }

# run_case ID DESCRIPTION "WORKLOAD OPTS" "SERVER OPTS" "CLIENT OPTS"
# Runs the case $REPEATS times, each on a fresh connection, and keeps the run with the median
# total time; the spread of all runs goes into .repeats so tests can see how stable a number is.
# Globals set per network: NET (loopback|delayline), NET_ID, SRV_NS, CLI_NS, HOST, LABELS, TIMEOUT.
wanted() { [ -z "$ONLY" ] || echo "$1" | grep -Eq "$ONLY"; }

run_case() {
  local id="$NET_ID/$1" desc="$2" workload="$3" srv="$4" cli="$5" runs="$WORK/runs.jsonl" r line load
  wanted "$id" || return 0
  : >"$runs"
  load=$(cut -d' ' -f1 /proc/loadavg)   # other work on the machine disturbs CPU-bound cases: keep it next to them
  echo "-- $id"
  # Start the delay line's per-case counters afresh (it prints and resets them on SIGUSR1).
  if [ -n "$DELAY_PID" ]; then kill -USR1 "$DELAY_PID"; sleep 0.1; fi
  for r in $(seq 1 "$REPEATS"); do
    PORT=$((PORT + 1))
    # Forget what earlier connections taught the kernel about this peer (cached RTT, ssthresh):
    # every run starts from a fresh connection's defaults, as the simulator does.
    ip -n "$SRV_NS" tcp_metrics flush all 2>/dev/null || true
    ip -n "$CLI_NS" tcp_metrics flush all 2>/dev/null || true
    # shellcheck disable=SC2086 # option strings are meant to split into words
    ip netns exec "$SRV_NS" timeout "$TIMEOUT" "$SB" server --host "$HOST" --port "$PORT" --timeout "$TIMEOUT" \
      --cc "$CC" $workload $srv &
    local srv_pid=$!
    # shellcheck disable=SC2086
    if line=$(ip netns exec "$CLI_NS" timeout "$TIMEOUT" "$SB" client --host "$HOST" --port "$PORT" \
        --timeout "$TIMEOUT" --cc "$CC" $workload $cli $LABELS --id "$id" --network "$NET" \
        --description "$desc") && wait "$srv_pid"; then
      echo "$line" >>"$runs"
      echo "$line" | jq -r '"   run '"$r"': p50 \(.measured.latencyMs.p50) ms  p99 \(.measured.latencyMs.p99) ms  \(.measured.messagesPerSecond) msg/s  total \(.measured.totalTimeMs) ms"'
    else
      kill "$srv_pid" 2>/dev/null || true
      wait "$srv_pid" 2>/dev/null || true
      echo "   run $r FAILED (see stderr above)"
      jq -nc --arg id "$id" --argjson run "$r" '{id: $id, run: $run, error: "client or server failed or timed out"}' >>"$FAILURES"
    fi
  done
  [ -s "$runs" ] || return 0
  local dl=""
  if [ -n "$DELAY_PID" ]; then
    kill -USR1 "$DELAY_PID"; sleep 0.1
    dl=$(tail -2 "$DELAY_LOG" | tr '\n' ' ' | sed 's/ *$//')
    echo "   $dl"
  fi
  jq -sc --arg dl "$dl" --argjson load "$load" 'sort_by(.measured.totalTimeMs) as $s | $s[(($s | length) / 2 | floor)] + {loadAverage: $load, repeats: {
            runs: ($s | length),
            totalTimeMs: map(.measured.totalTimeMs), messagesPerSecond: map(.measured.messagesPerSecond),
            p50Ms: map(.measured.latencyMs.p50), p99Ms: map(.measured.latencyMs.p99)}}
          + (if $dl == "" then {} else {delayLine: $dl} end)' "$runs" >>"$CASES"
}

# The pattern list, the same on every network; $1 scales the counts that cost a round trip each.
run_patterns() {
  local rt_count=$1
  run_case records/sndbuf0 "KB case 1: $(n 10000) records of 20-100 B, one blocking send each, client SO_SNDBUF=0 requested, server recv(200); Nagle on" \
    "--pattern records --count $(n 10000) --size 20,100 --recv-buffer 200" "" "--sndbuf 0"
  run_case records/default "as KB case 1 but the client leaves SO_SNDBUF alone" \
    "--pattern records --count $(n 10000) --size 20,100 --recv-buffer 200" "" ""
  run_case records/nodelay "as KB case 1 with TCP_NODELAY on the client (SO_SNDBUF default)" \
    "--pattern records --count $(n 10000) --size 20,100 --recv-buffer 200" "" "--nodelay"
  run_case two-channel/nagle "KB case 2: 16 B request on a command connection, 64 B reply on a separate data connection, one outstanding; Nagle on" \
    "--pattern two-channel --count $(n "$rt_count") --size 16 --response 64" "" ""
  run_case two-channel/nodelay "KB case 2 with TCP_NODELAY on both sides" \
    "--pattern two-channel --count $(n "$rt_count") --size 16 --response 64" "--nodelay" "--nodelay"
  run_case write-write-read/nagle "client send(10 B), send(100 B), then reads a 64 B reply; Nagle on both sides" \
    "--pattern write-write-read --count $(n $((rt_count / 2))) --writes 10,100 --response 64" "" ""
  run_case write-write-read/client-nodelay "write-write-read with TCP_NODELAY on the client" \
    "--pattern write-write-read --count $(n $((rt_count / 2))) --writes 10,100 --response 64" "" "--nodelay"
  run_case write-write-read/server-quickack "write-write-read, Nagle on, server re-arms TCP_QUICKACK after every recv" \
    "--pattern write-write-read --count $(n $((rt_count / 2))) --writes 10,100 --response 64" "--quickack" ""
  run_case request-response/nagle "one send(100 B), then read a 64 B reply; Nagle on" \
    "--pattern request-response --count $(n "$rt_count") --size 100 --response 64" "" ""
  run_case request-response/reply-3000 "one send(100 B), then read a 3000 B reply (2 full segments + a small tail on a 1500 MTU); Nagle on" \
    "--pattern request-response --count $(n "$rt_count") --size 100 --response 3000" "" ""
  run_case bulk/default "$((BULK_BYTES / 1000000)) MB in 64 KB sends, default buffers (autotuning)" \
    "--pattern bulk --total $BULK_BYTES --write 65536 --recv-buffer 65536" "" ""
  run_case bulk/buffers-64k "$((SMALL_BULK_BYTES / 1000000)) MB in 64 KB sends, client SO_SNDBUF and server SO_RCVBUF 65536 (set before connect/listen)" \
    "--pattern bulk --total $SMALL_BULK_BYTES --write 65536 --recv-buffer 65536" "--rcvbuf 65536" "--sndbuf 65536"
}

# The buffer-size variants (issue: buffer sizes as the kernel applies them); $1 is the RTT in ms
# (0 = loopback). Sizes aim at a few seconds per run: small buffers move about one window per RTT.
run_buffer_variants() {
  local rtt=$1 records=10000 nd4 nd16 b4 b4a b64
  if [ "$rtt" = 0 ]; then
    nd4=10000 nd16=10000 b4=100000000 b4a=262144 b64=200000000
  else
    nd4=$(( 40000 / rtt )); [ $nd4 -gt 10000 ] && nd4=10000
    nd16=$(( 4 * nd4 )); [ $nd16 -gt 10000 ] && nd16=10000
    b4=$(( 11600000 / rtt / 65536 * 65536 )); [ $b4 -lt 262144 ] && b4=262144
    b4a=$(( 2 * b4 ))
    b64=$(( 320000000 / rtt / 65536 * 65536 )); [ $b64 -gt 52428800 ] && b64=52428800
  fi
  local rec="--pattern records --size 20,100 --recv-buffer 200"
  run_case records/sndbuf-4k "$(n $records) records of 20-100 B, one blocking send each, client SO_SNDBUF 4096 (the kernel doubles it), server recv(200); Nagle on" \
    "$rec --count $(n $records)" "" "--sndbuf 4096"
  run_case records/sndbuf-4k-nodelay "as records/sndbuf-4k with TCP_NODELAY on the client" \
    "$rec --count $(n $nd4)" "" "--sndbuf 4096 --nodelay"
  run_case records/sndbuf-16k "as records/sndbuf-4k with client SO_SNDBUF 16384" \
    "$rec --count $(n $records)" "" "--sndbuf 16384"
  run_case records/sndbuf-16k-nodelay "as records/sndbuf-16k with TCP_NODELAY on the client" \
    "$rec --count $(n $nd16)" "" "--sndbuf 16384 --nodelay"
  local bulk="--pattern bulk --write 65536 --recv-buffer 65536"
  run_case bulk/rcvbuf-4k-before-listen "$(( $(nb $b4) / 1024 )) KB in 64 KB sends, server SO_RCVBUF 4096 on the listening socket (inherited; fixes the window scale at the SYN); client buffers default" \
    "$bulk --total $(nb $b4)" "--rcvbuf 4096" ""
  run_case bulk/rcvbuf-4k-after-accept "$(( $(nb $b4a) / 1024 )) KB in 64 KB sends, server SO_RCVBUF 4096 set on the accepted socket (after the handshake advertised the default buffer's window)" \
    "$bulk --total $(nb $b4a)" "--rcvbuf 4096 --rcvbuf-after-accept" ""
  run_case bulk/rcvbuf-64k-before-listen "$(( $(nb $b64) / 1024 )) KB in 64 KB sends, server SO_RCVBUF 65536 on the listening socket" \
    "$bulk --total $(nb $b64)" "--rcvbuf 65536" ""
  run_case bulk/rcvbuf-64k-after-accept "$(( $(nb $b64) / 1024 )) KB in 64 KB sends, server SO_RCVBUF 65536 set on the accepted socket" \
    "$bulk --total $(nb $b64)" "--rcvbuf 65536 --rcvbuf-after-accept" ""
}

# ---------------------------------------------------------------- cost of one send / recv call
# The simulator's default `callCostUs` (linux profile) is the mean of the send and recv medians.
echo "== call cost (namespace $NS_LO, 127.0.0.1)"
ip netns add "$NS_LO"
ip -n "$NS_LO" link set lo up
# A partial run (--only) measures the call cost for its own loopback link but does not replace the table's.
CALL_COST_FILE="$OUT/call-cost.json"
[ -n "$ONLY" ] && CALL_COST_FILE="$WORK/call-cost.json"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CALL_COST=$(ip netns exec "$NS_LO" timeout 300 "$WORK/callcost" --calls $(( QUICK ? 50000 : 200000 )) --rounds $(( QUICK ? 3 : 7 )))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$OUT"
echo "$CALL_COST" | jq --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg kernel "$(uname -r)" --argjson cpus "$(nproc)" \
  --arg model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
  --arg lb "$LOAD_BEFORE" --arg la "$LOAD_AFTER" \
  '{format: 1, measuredAt: $at, host: {kernel: $kernel, cpus: $cpus, cpuModel: $model,
    loadAverageBefore: $lb, loadAverageAfter: $la}}
   + . + {callCostUs: ((((.send.medianUs + .recv.medianUs) / 2) * 10 | round) / 10)}' >"$CALL_COST_FILE"
jq -r '"   send \(.send.medianUs) µs, send with TCP_NODELAY \(.sendNodelay.medianUs) µs, recv \(.recv.medianUs) µs, getppid \(.syscall.medianUs) µs -> callCostUs \(.callCostUs) (load \(.host.loadAverageBefore) / \(.host.loadAverageAfter))"' "$CALL_COST_FILE"
if [ "$CALL_COST_ONLY" = 1 ]; then echo "== wrote $OUT/call-cost.json"; exit 0; fi

# ---------------------------------------------------------------- loopback
LO_RTT="" LO_COPY="" LO_MTU=65536
# A partial run (--only) measures loopback only if its pattern names it (the link probe goes with it).
if [ -z "$ONLY" ] || echo "$ONLY" | grep -q loopback; then
echo "== loopback (namespace $NS_LO, 127.0.0.1)"
NET=loopback NET_ID=loopback SRV_NS=$NS_LO CLI_NS=$NS_LO HOST=127.0.0.1 LABELS="" TIMEOUT=120
# The loopback "link": its round trip is the fastest 1-byte TCP_NODELAY ping-pong minus the four
# calls it makes (the application's part, which the simulator adds itself): the median includes
# waking a sleeping process, which a busy transfer does not pay, and which grows, not shrinks, on an
# idle machine (0.013 ms at load 5, 0.070 ms at load 0.4); its rate is what a bulk transfer
# with 256 KB buffers on both sides moves (memory copies with the data still in cache; the
# autotuned 4 MB buffers of bulk/default copy at half that). Both are measured in this run and
# written into every loopback case.
ONLY_SAVED="$ONLY"; ONLY=""
run_case link-probe "1-byte request, 1-byte reply, TCP_NODELAY on both sides: the loopback round trip" \
  "--pattern request-response --count $(n 5000) --size 1 --response 1" "--nodelay" "--nodelay"
run_case link-rate "$(( $(nb 200000000) / 1000000 )) MB in 64 KB sends, SO_SNDBUF and SO_RCVBUF 262144 on both sides: the loopback copy rate" \
  "--pattern bulk --total $(nb 200000000) --write 65536 --recv-buffer 65536" "--rcvbuf 262144 --sndbuf 262144" "--sndbuf 262144 --rcvbuf 262144"
ONLY="$ONLY_SAVED"
BULK_BYTES=$(( QUICK ? 10000000 : 50000000 )) SMALL_BULK_BYTES=$BULK_BYTES
run_patterns 1000
run_buffer_variants 0
LO_MTU=$(ip -n "$NS_LO" -j link show lo | jq '.[0].mtu')
LO_PING=$(jq -s 'map(select(.id == "loopback/link-probe"))[0].measured.latencyMs.min' "$CASES")
LO_COPY=$(jq -s 'map(select(.id == "loopback/link-rate"))[0].measured.throughputMbps' "$CASES")
LO_RTT=$(jq -n --argjson p "$LO_PING" --argjson c "$(jq .callCostUs "$CALL_COST_FILE")" '[($p - 4 * $c / 1000), 0.001] | max * 1000 | round / 1000')
echo "   loopback link: fastest ping-pong $LO_PING ms -> rttMs $LO_RTT; $LO_COPY Mbit/s"
jq -nc --argjson mtu "$LO_MTU" --argjson rtt "$LO_RTT" --argjson ping "$LO_PING" --argjson rate "$LO_COPY" \
  '{network: "loopback", mtu: $mtu, rttMs: $rtt, pingPongMinMs: $ping, rateMbps: $rate}' >>"$LINKS"
fi

# ---------------------------------------------------------------- namespaces + delay line
if [ ! -c /dev/net/tun ]; then
  echo "== /dev/net/tun is missing: only loopback was measured" >&2
else
  echo "== namespaces $NS_A ($ADDR_A) and $NS_B ($ADDR_B) joined by the delay line"
  ip netns add "$NS_A"
  ip netns add "$NS_B"
  for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
  # Persistent TUN devices (mtu 1500), one per namespace; the delay line attaches to both.
  ip -n "$NS_A" tuntap add dev sba mode tun
  ip -n "$NS_B" tuntap add dev sbb mode tun
  ip -n "$NS_A" addr add "$ADDR_A" peer "$ADDR_B" dev sba
  ip -n "$NS_B" addr add "$ADDR_B" peer "$ADDR_A" dev sbb
  ip -n "$NS_A" link set sba up
  ip -n "$NS_B" link set sbb up

  for rtt in $RTTS; do
    echo "== RTT $rtt ms (one-way $(jq -n "$rtt / 2") ms, $RATE_MBPS Mbps, 1000-packet queue per direction)"
    DELAY_LOG="$WORK/delayline-$rtt.log"
    "$WORK/delayline" --a "$NS_A:sba" --b "$NS_B:sbb" --delay-ms "$(jq -n "$rtt / 2")" \
      --rate-mbps "$RATE_MBPS" --queue 1000 --lifetime 1800 2>"$DELAY_LOG" &
    DELAY_PID=$!
    sleep 0.3
    ping_json='null'
    if command -v ping >/dev/null; then
      # Verify the delay: ICMP echo through the line, reported next to the TCP handshake RTTs.
      ping_out=$(ip netns exec "$NS_A" ping -n -c 10 -i 0.2 "$ADDR_B" | tail -1)
      echo "   ping: $ping_out"
      ping_json=$(echo "$ping_out" | sed -E 's#.* = ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms#{"min": \1, "avg": \2, "max": \3, "mdev": \4}#')
    fi
    NET=delayline NET_ID="rtt$rtt" SRV_NS=$NS_B CLI_NS=$NS_A HOST=$ADDR_B TIMEOUT=300
    # The scenario's RTT is the line's as ping measured it (its minimum: the delay plus the line's
    # own forwarding, without ICMP's extra work), else the nominal one.
    LINK_RTT=$(echo "$ping_json" | jq -r --argjson rtt "$rtt" 'if . == null then $rtt else .min end')
    LABELS="--rtt-ms $LINK_RTT --bandwidth-mbps $RATE_MBPS"
    BULK_BYTES=$(( QUICK ? 5000000 : 50000000 )) SMALL_BULK_BYTES=$(( QUICK ? 1000000 : 5000000 ))
    case "$PATTERN_RTTS" in *" $rtt "*) run_patterns $(( rtt >= 50 ? 100 : 200 )) ;; esac
    run_buffer_variants "$rtt"
    kill "$DELAY_PID"; wait "$DELAY_PID" || true; DELAY_PID=""
    jq -nc --arg id "rtt$rtt" --argjson rtt "$rtt" --argjson rate "$RATE_MBPS" --argjson ping "$ping_json" \
      '{network: $id, rttMs: $rtt, oneWayDelayMs: ($rtt / 2), rateMbps: $rate, queuePackets: 1000, mtu: 1500,
        pingRttMs: $ping}' >>"$LINKS"
  done
fi

# ---------------------------------------------------------------- results
mkdir -p "$OUT"
HZ=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null || true) |
      sed -n 's/^CONFIG_HZ=//p' | head -1)
# Loopback cases get the measured loopback link (see above) instead of their handshake time, and
# the path's MSS (the MTU's, less IP, TCP and timestamp headers) rather than TCP_MAXSEG, which the
# kernel has already cut to half the peer's first window (the simulator does that itself).
if [ -n "$LO_RTT" ]; then
  jq -c --argjson rtt "$LO_RTT" --argjson rate "$LO_COPY" --argjson mss "$(( (LO_MTU < 65535 ? LO_MTU : 65535) - 52 ))" \
    'if .network == "loopback" then .scenario.link += {rttMs: $rtt, bandwidthMbps: $rate, mss: $mss} else . end' "$CASES" >"$CASES.linked"
  mv "$CASES.linked" "$CASES"
fi
jq -n --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg kernel "$(uname -r)" --arg hz "${HZ:-}" \
  --arg cc "$CC" --arg syscc "$(sysctl -n net.ipv4.tcp_congestion_control)" \
  --arg wmem "$(sysctl -n net.ipv4.tcp_wmem | tr '\t' ' ')" --arg rmem "$(sysctl -n net.ipv4.tcp_rmem | tr '\t' ' ')" \
  --arg autocork "$(sysctl -n net.ipv4.tcp_autocorking)" --argjson cpus "$(nproc)" \
  --argjson quick "$QUICK" --argjson repeats "$REPEATS" \
  --slurpfile links "$LINKS" --slurpfile cases "$CASES" --slurpfile failures "$FAILURES" \
  '{format: 1, measuredAt: $at, quick: ($quick == 1), repeats: $repeats,
    host: {kernel: $kernel, hz: (if $hz == "" then null else ($hz | tonumber) end), cpus: $cpus,
           congestionControl: $cc, systemDefaultCongestionControl: $syscc,
           tcpWmem: $wmem, tcpRmem: $rmem, tcpAutocorking: ($autocork | tonumber), netem: false},
    links: $links, failures: $failures, cases: $cases}' >"$OUT/linux-measured.json"
if [ -n "$MERGE_INTO" ]; then
  # Re-measured cases replace theirs in the existing table; each such run is listed in `remeasured`.
  jq --slurpfile new "$OUT/linux-measured.json" '
    ($new[0]) as $n | ($n.cases | map({key: .id, value: .}) | from_entries) as $byId | (.cases | map(.id)) as $old
    | .cases = ([.cases[] | ($byId[.id] // .)] + [$n.cases[] | select(.id as $i | $old | index($i) | not)])
    | .remeasured = ((.remeasured // []) + [{measuredAt: $n.measuredAt, ids: ($n.cases | map(.id))}])' "$MERGE_INTO" >"$OUT/merged.json"
  mv "$OUT/merged.json" "$OUT/linux-measured.json"
fi
node "$HERE/report.mjs" "$OUT/linux-measured.json" >"$OUT/linux-measured.md"
echo "== wrote $OUT/linux-measured.json and $OUT/linux-measured.md ($(jq '.cases | length' "$OUT/linux-measured.json") cases, $(jq '.failures | length' "$OUT/linux-measured.json") failed)"
