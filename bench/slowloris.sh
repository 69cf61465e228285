#!/usr/bin/env bash
# Issue #14: normal clients' latency while a slowloris crowd holds N connections
# (a header line every 3 s, never a whole head), for HAProxy and Hearth side by
# side in one run, each in front of one nginx backend. For each proxy: wrk's
# p50/p99 quiet, then with the crowd, and the proxy's RSS with the crowd; then a
# control run with the crowd aimed at a sink that involves no proxy.
# usage: bench/slowloris.sh [N=10000] [SECONDS=20] [spread|burst]
#   (from the repo root, after `make release`). spread: the crowd's lines go out
#   evenly over each 3 s interval, as independent clients' would; burst: all at
#   once, the crowd in lockstep (see slowloris.py).
set -u
N=${1:-10000}
SECS=${2:-20}
MODE=${3:-spread}
ulimit -n "$(ulimit -Hn)" 2>/dev/null
W=$(mktemp -d /tmp/slowloris.XXXX)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/hello_backend.sh"
hello_backend_conf $W 9121
cat > $W/proxy.cfg <<CFG
global
  nbthread 1
  maxconn $((N + 2000))
  no strict-limits
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 60s
frontend fe
  bind 127.0.0.1:PORT
  default_backend be
backend be
  server s1 127.0.0.1:9121
CFG
sed 's/PORT/9122/' $W/proxy.cfg > $W/haproxy.cfg
sed 's/PORT/9123/' $W/proxy.cfg > $W/hearth.cfg
# The proxies on CPU 1, everything else (nginx, wrk, the crowd) on CPU 0: the
# latency then measures the proxy's work, not who won the 2 cores; the crowd runs
# at nice 19 so that it does not delay wrk on CPU 0 either.
taskset -c 0 nginx -c $W/backend.conf -p $W & BK=$!
taskset -c 1 haproxy -f $W/haproxy.cfg -db >$W/ha.log 2>&1 & HA=$!
taskset -c 1 ./build/release/hearth -f $W/hearth.cfg >$W/hearth.log 2>&1 & HE=$!
sleep 1
p() { taskset -c 0 wrk -t1 -c20 -d${1}s --latency "http://127.0.0.1:$2/" | awk '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "p50=%s p99=%s rps=%s", p50, p99, rps}'; }
rss() { awk '/VmRSS/{print $2}' /proc/$1/status; }
for row in "haproxy $HA 9122" "hearth $HE 9123"; do
  set -- $row
  quiet=$(p 10 $3)
  taskset -c 0 nice -n 19 python3 "$HERE/slowloris.py" $3 $N 3 $((SECS + 5)) $MODE > $W/crowd.out &
  CR=$!
  sleep 5
  loaded=$(p $SECS $3)
  mem=$(rss $2)
  wait $CR
  printf "%-8s quiet: %s | with %d slowloris: %s | rss_kb=%s | %s\n" $1 "$quiet" $N "$loaded" "$mem" "$(cat $W/crowd.out)"
done
# Control: the same crowd sent to a socket that accepts and never reads, while
# wrk measures Hearth, which the crowd does not reach: what the crowd's sending
# alone costs the clients that share its CPU.
taskset -c 0 nice -n 19 python3 "$HERE/accept_sink.py" 9124 $((SECS + 30)) & SK=$!
sleep 0.5
quiet=$(p 10 9123)
taskset -c 0 nice -n 19 python3 "$HERE/slowloris.py" 9124 $N 3 $((SECS + 5)) $MODE > $W/crowd.out &
CR=$!
sleep 5
loaded=$(p $SECS 9123)
wait $CR
kill $SK 2>/dev/null
printf "control  quiet: %s | with %d slowloris on a sink, not on Hearth: %s\n" "$quiet" $N "$loaded"
kill $BK $HA $HE 2>/dev/null; wait 2>/dev/null
rm -rf $W
