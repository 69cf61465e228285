#!/usr/bin/env bash
# Stick tables under load, HAProxy and Hearth side by side on one config: every
# request comes from one of KEYS client addresses (set-src from a header that a
# wrk Lua script draws at random), is tracked in an ip table (track-sc0) and
# rate-limited (deny 429 over 1000 requests in 10 s), so the table holds up to
# KEYS entries shared by the threads. Prints requests/s, p50/p99, the proxy's
# CPU microseconds per request (the steadiest figure on a shared machine), the
# 429 count, the table's entries, the proxy's RSS and the memory per table entry
# (RSS growth over a warm-up run with one key, divided by the entries), then the
# ratios of CPU per request and memory per entry. Needs: nginx, haproxy, wrk, curl, socat.
# Usage: bench/stick-table.sh [DURATION_S=8] [CONNS=50] [KEYS=100000] [THREADS=1]
set -u
cd "$(dirname "$0")/.."
D=${1:-8}; C=${2:-50}; KEYS=${3:-100000}; T=${4:-1}
W=$(mktemp -d /tmp/stickbench.XXXX)
cat > $W/backend.conf <<NG
worker_processes 1; daemon off; pid $W/bk.pid; error_log $W/bk.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000;
  server { listen 127.0.0.1:9101 reuseport; location / { return 200 "hello world\n"; } } }
NG
cfg() { # port socket
  cat <<HA
global
  nbthread $T
  maxconn 8000
  stats socket $2 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:$1
  stick-table type ip size 200k expire 60s store http_req_rate(10s),conn_cur,gpc0
  http-request set-src hdr(x-ip)
  http-request track-sc0 src
  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 1000 }
  default_backend be
backend be
  http-reuse safe
  server s1 127.0.0.1:9101
HA
}
cfg 8101 $W/ha.sock > $W/haproxy.cfg
cfg 8103 $W/he.sock > $W/hearth.cfg
cat > $W/keys.lua <<LUA
math.randomseed(os.time())
request = function()
  local n = math.random(0, $KEYS - 1)
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", "/", { ["x-ip"] = ip })
end
LUA
sed 's/math.random(0, [0-9]* - 1)/0/' $W/keys.lua > $W/onekey.lua
nginx -c $W/backend.conf -p $W & BK=$!
haproxy -f $W/haproxy.cfg -db >$W/ha.log 2>&1 & HA=$!
./build/release/hearth -f $W/hearth.cfg -db >$W/he.log 2>&1 & HE=$!
sleep 1
cpu_of() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
declare -A CPUREQ MEMENT
run() { # name port pid sock
  wrk -t1 -c$C -d2s -s $W/onekey.lua http://127.0.0.1:$2/ >/dev/null 2>&1
  local rss0=$(awk '/VmRSS/{print $2}' /proc/$3/status)
  local t0=$(cpu_of $3)
  local out=$(wrk -t1 -c$C -d${D}s --latency -s $W/keys.lua http://127.0.0.1:$2/ 2>&1)
  local t1=$(cpu_of $3)
  local rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  local reqs=$(echo "$out" | awk '/requests in/{print $1}')
  local p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  local p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  local non2xx=$(echo "$out" | awk '/Non-2xx/{print $5}')
  local used=$(echo "show table fe" | socat - $4 2>/dev/null | head -1 | sed 's/.*used://')
  local rss=$(awk '/VmRSS/{print $2}' /proc/$3/status)
  CPUREQ[$1]=$(awk -v c=$((t1 - t0)) -v r=${reqs:-0} -v hz=$(getconf CLK_TCK) \
    'BEGIN{ if (r>0) printf "%.2f", c*1e6/hz/r; else print "nan"}')
  MEMENT[$1]=$(awk -v a=$rss0 -v b=$rss -v n=${used:-0} \
    'BEGIN{ if (n>1) printf "%.0f", (b-a)*1024/(n-1); else print "nan"}')
  printf "%-8s rps=%-10s p50=%-8s p99=%-8s cpu_us_per_req=%-6s 429s=%-6s entries=%-7s rss_kib=%-7s bytes_per_entry=%s\n" \
    $1 "${rps:-FAILED}" "$p50" "$p99" ${CPUREQ[$1]} "${non2xx:-0}" "$used" "$rss" ${MEMENT[$1]}
}
run haproxy 8101 $HA $W/ha.sock
run hearth 8103 $HE $W/he.sock
awk -v a=${CPUREQ[hearth]} -v b=${CPUREQ[haproxy]} \
  'BEGIN{ if (b>0 && a>0) printf "ratio cpu_us_per_req hearth/haproxy = %.2f\n", a/b }'
awk -v a=${MEMENT[hearth]} -v b=${MEMENT[haproxy]} \
  'BEGIN{ if (b>0 && a>0) printf "ratio bytes_per_entry hearth/haproxy = %.2f\n", a/b }'
kill $BK $HA $HE 2>/dev/null; wait 2>/dev/null
rm -rf $W
