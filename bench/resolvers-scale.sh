#!/usr/bin/env bash
# One server-template of N slots behind N SRV records (dnsmasq), side by side
# for HAProxy and Hearth in one run: the memory each process takes for its
# servers (RSS once every slot is UP, minus RSS of the same configuration
# with no template), and the CPU a steady stream of DNS updates costs (one
# resolution a second: user+system CPU over 20 s, per resolution).
# usage: bench/resolvers-scale.sh [HEARTH_BINARY] [N=1000]
set -u
BIN=${1:-./build/release/hearth}
N=${2:-1000}
W=$(mktemp -d /tmp/resscale.XXXX)
chmod 755 $W
PORT=$((20000 + RANDOM % 20000))
: > $W/hosts
ARGS=()
for i in $(seq 1 $N); do
  echo "127.1.$((i / 250)).$((i % 250 + 1)) t$i.test" >> $W/hosts
  ARGS+=("--srv-host=_http._tcp.svc.test,t$i.test,80,0,10")
done
dnsmasq --keep-in-foreground --log-facility=- --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 \
  --port=$PORT --local=/test/ --addn-hosts=$W/hosts --edns-packet-max=65535 --pid-file \
  "${ARGS[@]}" > $W/dnsmasq.log 2>&1 &
DNS=$!
sleep 1
cfg() {  # $1: the template line (or nothing)
  cat <<CFG
global
  nbthread 1
  stats socket $W/s.sock level admin
resolvers dns
  nameserver ns1 127.0.0.1:$PORT
  accepted_payload_size 65535
  timeout resolve 1s
  hold obsolete 30s
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
backend be
$1
CFG
}
rss() { awk '/VmRSS/ {print $2}' /proc/$1/status; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
run() {  # $1 name, $2 binary, $3 extra args
  cfg "  server s0 127.0.0.1:80" > $W/empty.cfg
  cfg "  server-template srv $N _http._tcp.svc.test resolvers dns init-addr none" > $W/full.cfg
  $2 $3 -f $W/empty.cfg > $W/$1-empty.log 2>&1 &
  local p=$!; sleep 2; local base=$(rss $p); kill $p; wait $p 2>/dev/null
  rm -f $W/s.sock
  $2 $3 -f $W/full.cfg > $W/$1-full.log 2>&1 &
  p=$!
  local up=0 t=0
  while [ $t -lt 120 ]; do
    sleep 1; t=$((t + 1))
    up=$(echo "show servers state be" | socat - UNIX-CONNECT:$W/s.sock 2>/dev/null |
         awk 'NF > 10 && $6 == 2' | wc -l)
    [ "$up" -ge "$N" ] && break
  done
  local full=$(rss $p)
  local c0=$(cpu_ticks $p); sleep 20; local c1=$(cpu_ticks $p)
  local hz=$(getconf CLK_TCK)
  echo "$1: $up/$N slots UP after ${t}s; RSS $base KiB without the template, $full KiB with it:" \
       "$(( (full - base) * 1024 / N )) bytes per server;" \
       "CPU $(( (c1 - c0) * 1000 / hz )) ms over 20 s of resolutions" \
       "($(( (c1 - c0) * 1000 / hz / 20 )) ms per resolution of the $N records)"
  kill $p; wait $p 2>/dev/null
}
echo "load: $(uptime)"
run haproxy haproxy -db
run hearth "$BIN" ""
kill $DNS
rm -rf $W
