#!/usr/bin/env bash
# TLS termination, HAProxy and Hearth side by side in one run, one thread each, the
# same certificates (generated here with `openssl req`), in front of one nginx backend.
# Rows, each measured on HAProxy then on Hearth:
#   full-ecdsa / full-rsa  `openssl s_time -new -www /`: a new TLS connection (full
#                          handshake, ECDSA P-256 or RSA 2048 certificate) per request;
#                          handshakes/s and proxy CPU microseconds per handshake
#   resumed                `openssl s_time -reuse -www /`: the same, resuming the session
#   keepalive              wrk -c50 over HTTPS keep-alive: requests/s, CPU us per request
#   idle                   bench/idle_memory.py with TLS=1: RSS growth per idle TLS client
#                          connection after one request
#   idle-trim              the same with malloc_trim(0) called in the proxy (through gdb)
#                          before each RSS reading: the bytes still in use, without the
#                          freed memory glibc keeps
# The figure to compare is the CPU per handshake or request (the machine is shared;
# throughput follows the load of others), printed with the hearth/haproxy ratio.
# usage: bench/tls.sh [DURATION_S=5] [IDLE_CONNS=2000]   (from the repo root, after
# `cmake --build --preset release`). HEARTH=path picks another binary.
# Needs: haproxy, nginx, wrk, openssl, python3, gdb (for the trimmed figure only).
set -u
D=${1:-5}; N=${2:-2000}
HEARTH=${HEARTH:-./build/release/hearth}
HERE=$(cd "$(dirname "$0")" && pwd)
ulimit -n "$(ulimit -Hn)" 2>/dev/null
W=$(mktemp -d /tmp/tlsbench.XXXX)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=bench.local -keyout $W/ec.key -out $W/ec.crt 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
  -subj /CN=bench.local -keyout $W/rsa.key -out $W/rsa.crt 2>/dev/null
cat $W/ec.crt $W/ec.key > $W/ecdsa.pem
cat $W/rsa.crt $W/rsa.key > $W/rsa.pem

cat > $W/backend.conf <<NG
worker_processes 1; daemon off; pid $W/bk.pid; error_log $W/bk.err;
events { worker_connections 4096; }
http { access_log off; keepalive_timeout 60s; keepalive_requests 100000;
  server { listen 127.0.0.1:9201; location / { return 200 "hello world\n"; } } }
NG
# proxy.cfg: one frontend, an ECDSA and an RSA bind line (ports EC and RSA).
cat > $W/proxy.cfg <<CFG
global
  nbthread 1
  maxconn 9000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend fe
  bind 127.0.0.1:EC ssl crt $W/ecdsa.pem
  bind 127.0.0.1:RSA ssl crt $W/rsa.pem
  default_backend be
backend be
  server s1 127.0.0.1:9201
CFG
sed 's/EC /9211 /; s/RSA /9212 /' $W/proxy.cfg > $W/haproxy.cfg
sed 's/EC /9221 /; s/RSA /9222 /' $W/proxy.cfg > $W/hearth.cfg
nginx -c $W/backend.conf -p $W & BK=$!
HA=; HE=
declare -A PID EC=([haproxy]=9211 [hearth]=9221) RSA=([haproxy]=9212 [hearth]=9222)
trap 'kill $BK $HA $HE 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf $W' EXIT
# start_proxies: (re)starts both proxies, so that a row can begin on fresh processes.
start_proxies() {
  [ -n "$HA$HE" ] && { kill $HA $HE 2>/dev/null; wait $HA $HE 2>/dev/null; }
  haproxy -f $W/haproxy.cfg -db >$W/ha.log 2>&1 & HA=$!
  $HEARTH -f $W/hearth.cfg >$W/hearth.log 2>&1 & HE=$!
  PID=([haproxy]=$HA [hearth]=$HE)
  sleep 1
  for p in haproxy hearth; do
    kill -0 ${PID[$p]} 2>/dev/null || { echo "$p did not start:"; cat $W/*.log; exit 1; }
  done
}

cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat; }
declare -A FIG  # FIG[row.proxy] = CPU us per unit, for the ratios

# s_time ROW PROXY PORT MODE: one s_time client for D seconds.
s_time() {
  local t0=$(cpu_ticks ${PID[$2]})
  local out=$(openssl s_time -connect 127.0.0.1:$3 $4 -www / -time $D 2>&1)
  local t1=$(cpu_ticks ${PID[$2]})
  local n=$(echo "$out" | awk '/connections in .* real seconds/{print $1}')
  local secs=$(echo "$out" | awk '/connections in .* real seconds/{print $4}')
  FIG[$1.$2]=$(awk -v c=$((t1 - t0)) -v n=${n:-0} -v hz=$(getconf CLK_TCK) \
    'BEGIN{ if (n>0) printf "%.0f", c*1e6/hz/n; else print "nan" }')
  # s_time prints one 'r' per resumed connection, '*' per full handshake.
  local reused=$(echo "$out" | grep -E '^[r*]+$' | tr -d '\n*' | wc -c)
  printf "%-11s %-8s conns=%-6s per_s=%-8s cpu_us_per_conn=%-6s resumed=%s\n" $1 $2 "${n:-FAILED}" \
    "$(awk -v n=${n:-0} -v s=${secs:-0} 'BEGIN{ if (s>0) printf "%.0f", n/s }')" ${FIG[$1.$2]} $reused
}

# keepalive PROXY: wrk over HTTPS keep-alive, 50 connections.
keepalive() {
  local t0=$(cpu_ticks ${PID[$1]})
  local out=$(wrk -t1 -c50 -d${D}s https://127.0.0.1:${EC[$1]}/ 2>&1)
  local t1=$(cpu_ticks ${PID[$1]})
  local reqs=$(echo "$out" | awk '/requests in/{print $1}')
  local rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  local errs=$(echo "$out" | grep -E 'Socket errors|Non-2xx' | tr '\n' ' ')
  FIG[keepalive.$1]=$(awk -v c=$((t1 - t0)) -v n=${reqs:-0} -v hz=$(getconf CLK_TCK) \
    'BEGIN{ if (n>0) printf "%.2f", c*1e6/hz/n; else print "nan" }')
  printf "%-11s %-8s reqs=%-8s rps=%-8s cpu_us_per_req=%s %s\n" keepalive $1 "${reqs:-FAILED}" \
    "$rps" ${FIG[keepalive.$1]} "$errs"
}

# idle ROW PROXY [TRIM]: RSS per idle TLS connection; with TRIM=1, after malloc_trim(0).
idle() {
  local out=$(TLS=1 TRIM=${3:-0} python3 "$HERE/idle_memory.py" ${PID[$2]} ${EC[$2]} $N)
  FIG[$1.$2]=$(echo "$out" | grep -o 'rss_per_conn_bytes=[0-9]*' | cut -d= -f2)
  printf "%-11s %-8s %s\n" $1 $2 "$out"
}

ratio() { # ROW: hearth/haproxy
  awk -v a=${FIG[$1.hearth]:-nan} -v b=${FIG[$1.haproxy]:-nan} -v r=$1 \
    'BEGIN{ if (a+0>0 && b+0>0) printf "ratio %-10s hearth/haproxy = %.2f\n", r, a/b; else printf "ratio %-10s unavailable\n", r }'
}

start_proxies
for p in haproxy hearth; do s_time full-ecdsa $p ${EC[$p]} -new; done
for p in haproxy hearth; do s_time full-rsa $p ${RSA[$p]} -new; done
for p in haproxy hearth; do s_time resumed $p ${EC[$p]} -reuse; done
for p in haproxy hearth; do keepalive $p; done
# Each idle row on fresh processes: memory the earlier rows freed would otherwise be
# reused by the new connections and hide part of their cost.
start_proxies
for p in haproxy hearth; do idle idle $p; done
start_proxies
for p in haproxy hearth; do idle idle-trim $p 1; done
for r in full-ecdsa full-rsa resumed keepalive idle idle-trim; do ratio $r; done
echo "kTLS: $(grep -qw tls /proc/sys/net/ipv4/tcp_available_ulp 2>/dev/null && echo available || echo 'unavailable (no tls ULP in tcp_available_ulp)')"
[ -n "${KEEP:-}" ] && echo "kept $W"
