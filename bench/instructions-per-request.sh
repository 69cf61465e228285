#!/usr/bin/env bash
# User-space instructions per HTTP request, deterministic (callgrind), for one
# or more hearth binaries on the anchors configuration: nginx backend on
# 127.0.0.1:9001, hearth on 127.0.0.1:8003 (../shared/bench/candidate.cfg),
# wrk -c10 for 5 s under valgrind. The kernel's share (~80 % of the CPU per
# request) is not counted: compare binaries, not proxies.
# Usage: bench/instructions-per-request.sh [HEARTH_BINARY...]
# Needs: valgrind, nginx, wrk.
set -u
cd "$(dirname "$0")/.."
CFG=${CFG:-../shared/bench/candidate.cfg}
W=$(mktemp -d /tmp/ipr.XXXX)
cat > "$W/bk.conf" <<NG
worker_processes 1; daemon off; pid $W/bk.pid; error_log $W/bk.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000; keepalive_timeout 5s;
  server { listen 127.0.0.1:9001 reuseport; location / { return 200 "hello world\n"; } } }
NG
nginx -c "$W/bk.conf" -p "$W" & NP=$!
sleep 1
[ $# -gt 0 ] || set -- ./build/release/hearth
for bin in "$@"; do
  out="$W/cg.$(basename "$bin").$$"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" -f "$CFG" > "$W/h.log" 2>&1 &
  VP=$!
  # Up to a minute for the port: under valgrind a large map loads slowly.
  for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/8003) 2>/dev/null && break; sleep 0.5; done
  # Count the requests only, not the start (loading a large map, say).
  callgrind_control -z "$VP" > /dev/null 2>&1
  req=$(wrk -t1 -c10 -d5s http://127.0.0.1:8003/ | awk '/requests in/ {print $1}')
  kill -INT $VP; sleep 2; kill $VP 2>/dev/null; wait $VP 2>/dev/null
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}')
  echo "$bin requests=$req instructions_per_request=$((total / req)) (profile: $out)"
done
kill $NP 2>/dev/null; wait $NP 2>/dev/null
