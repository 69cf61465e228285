#!/usr/bin/env bash
# The Prometheus exporter with 1,000 servers configured, HAProxy and Hearth side by side
# on the same configuration, in one run:
#   1. scrape time: N scrapes of /metrics with curl, one after the other (median, max,
#      size of the answer);
#   2. CPU per proxied request: wrk through the proxy for D seconds, once without
#      scraping and once while /metrics is scraped every second; the proxy's CPU
#      (utime+stime) over the requests wrk made.
# The backend is one nginx on 127.0.0.1:$BK_PORT; the 1,000 servers all point to it
# (roundrobin), so every server row has traffic and an idle pool.
# Needs: nginx, haproxy, wrk, curl. Usage: bench/metrics-scrape.sh [HEARTH=./build/release/hearth]
# [D=8] [C=50] [N=20]
set -u
HEARTH=${1:-./build/release/hearth}; D=${2:-8}; C=${3:-50}; N=${4:-20}
BK_PORT=${BK_PORT:-9101}; HA_PORT=${HA_PORT:-8101}; HE_PORT=${HE_PORT:-8103}
W=$(mktemp -d /tmp/metrics-scrape.XXXX)
cat > $W/backend.conf <<NG
worker_processes 1; daemon off; pid $W/bk.pid; error_log $W/bk.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000; keepalive_timeout 5s;
  server { listen 127.0.0.1:$BK_PORT reuseport; location / { return 200 "hello world\n"; } } }
NG
config() { # PORT METRICS_PORT
  cat <<CFG
global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
listen metrics
  bind 127.0.0.1:$2
  http-request use-service prometheus-exporter if { path /metrics }
frontend fe
  bind 127.0.0.1:$1
  default_backend be
backend be
CFG
  for i in $(seq 1 1000); do echo "  server s$i 127.0.0.1:$BK_PORT"; done
}
config $HA_PORT $((HA_PORT + 10)) > $W/haproxy.cfg
config $HE_PORT $((HE_PORT + 10)) > $W/hearth.cfg
nginx -c $W/backend.conf -p $W & BK=$!
haproxy -f $W/haproxy.cfg -db > $W/ha.log 2>&1 & HA=$!
$HEARTH -f $W/hearth.cfg -db > $W/he.log 2>&1 & HE=$!
sleep 2
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)
scrape_times() { # METRICS_PORT -> "median_ms max_ms bytes"
  local i
  for i in $(seq 1 $N); do
    curl -s -o $W/m.txt -w '%{time_total}\n' http://127.0.0.1:$1/metrics
  done | sort -n > $W/times.txt
  awk -v b=$(stat -c %s $W/m.txt) '{t[NR]=$1} END {
    printf "%.2f %.2f %d", t[int((NR+1)/2)]*1000, t[NR]*1000, b }' $W/times.txt
}
load_cpu() { # PORT PID METRICS_PORT|"" -> cpu_us_per_req rps
  local scraper=
  if [ -n "$3" ]; then
    (while :; do curl -s -o /dev/null http://127.0.0.1:$3/metrics; sleep 1; done) & scraper=$!
  fi
  local t0=$(cpu_of $2)
  local out=$(wrk -t1 -c$C -d${D}s http://127.0.0.1:$1/ 2>&1)
  local t1=$(cpu_of $2)
  [ -n "$scraper" ] && kill $scraper && wait $scraper 2>/dev/null
  local reqs=$(echo "$out" | awk '/requests in/{print $1}')
  local rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  awk -v c=$((t1 - t0)) -v r=${reqs:-0} -v hz=$HZ -v rps=${rps:-0} \
    'BEGIN{ if (r>0) printf "%.2f %s", c*1e6/hz/r, rps; else print "nan 0" }'
}
echo "# uptime: $(uptime)"
for who in haproxy hearth; do
  if [ $who = haproxy ]; then port=$HA_PORT pid=$HA; else port=$HE_PORT pid=$HE; fi
  mport=$((port + 10))
  curl -s -o /dev/null http://127.0.0.1:$mport/metrics  # warm up
  read med max bytes < <(scrape_times $mport)
  read cpu0 rps0 < <(load_cpu $port $pid "")
  read cpu1 rps1 < <(load_cpu $port $pid $mport)
  printf "%-8s scrape_ms median=%-7s max=%-7s bytes=%-8s cpu_us_per_req idle=%-6s scraped=%-6s rps idle=%-9s scraped=%s\n" \
    $who $med $max $bytes $cpu0 $cpu1 $rps0 $rps1
done
kill $BK $HA $HE 2>/dev/null; wait 2>/dev/null
[ -n "${KEEP:-}" ] && echo "kept $W" || rm -rf $W
