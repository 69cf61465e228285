#!/usr/bin/env bash
# RSS per idle client keep-alive connection, side by side for HAProxy, nginx and
# Hearth in one run, each in front of one nginx backend.
# usage: bench/idle_memory.sh [N=5000]   (run from the repo root after `make release`)
# N=100000 is the issue #14 figure: the client spreads its connections over
# 127.0.0.1-16 (ephemeral ports) and every process's fd limit is raised to the hard
# limit ("no strict-limits": the proxies run with what the machine allows, which on
# a hard limit of 20,000 is about 19,000 idle connections).
set -u
N=${1:-5000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null
W=$(mktemp -d /tmp/idlemem.XXXX)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/hello_backend.sh"
hello_backend_conf $W 9101
cat > $W/proxy.cfg <<CFG
global
  nbthread 1
  maxconn $((N + 4000))
  no strict-limits
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend fe
  bind 127.0.0.1:PORT
  default_backend be
backend be
  server s1 127.0.0.1:9101
CFG
cat > $W/nginx-proxy.conf <<NG
worker_processes 1; daemon off; pid $W/px.pid; error_log $W/px.err;
events { worker_connections $((N + 4000)); }
http { access_log off; keepalive_timeout 60s;
  upstream be { server 127.0.0.1:9101; keepalive 64; }
  server { listen 127.0.0.1:9104; location / { proxy_pass http://be; proxy_http_version 1.1;
           proxy_set_header Connection ""; } } }
NG
sed 's/PORT/9102/' $W/proxy.cfg > $W/haproxy.cfg
sed 's/PORT/9103/' $W/proxy.cfg > $W/hearth.cfg
nginx -c $W/backend.conf -p $W & BK=$!
haproxy -f $W/haproxy.cfg -db >$W/ha.log 2>&1 & HA=$!
./build/release/hearth -f $W/hearth.cfg >$W/hearth.log 2>&1 & HE=$!
nginx -c $W/nginx-proxy.conf -p $W & NX=$!
sleep 1
NXW=$(pgrep -P $NX | head -1); [ -n "$NXW" ] || NXW=$NX
for row in "haproxy $HA 9102" "nginx $NXW 9104" "hearth $HE 9103"; do
  set -- $row
  printf "%-8s " $1; python3 "$HERE/idle_memory.py" $2 $3 $N
done
kill $BK $HA $HE $NX 2>/dev/null; wait 2>/dev/null
rm -rf $W
