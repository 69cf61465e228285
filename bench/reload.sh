#!/usr/bin/env bash
# Reloads under load, side by side: wrk runs keep-alive HTTP load through the
# proxy while its master gets 20 SIGUSR2 in a row (one every INTERVAL s), for
# Hearth (-W) and HAProxy (-W). Prints wrk's errors, the requests served, and
# how many backend connections were opened in the second after each reload
# (counted by the backend itself, which logs the time of every accept).
# REUSE sets the backend's http-reuse (default safe, where a client's first
# request never takes an idle connection: every client that reconnects after a
# reload opens one, with or without a warm handover).
# MODE "old" does the old-style reload of standalone daemons instead: each
# reload starts `BINARY -D -p PIDFILE -x STATS_SOCKET -sf $(cat PIDFILE)`;
# MODE "old-nox" the same without -x (new sockets next to the old ones).
# BASE_PORT (default 19401) moves the three ports (backend, Hearth, HAProxy).
# WRK_ARGS adds wrk options (e.g. '-H "Connection: close"' for a new
# connection per request).
# usage: [REUSE=safe|aggressive|always] bench/reload.sh [HEARTH_BINARY=build/release/hearth]
#        [INTERVAL=0.5] [MODE=mw|old|old-nox]
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
HEARTH=${1:-$HERE/build/release/hearth}
[ -x "$HEARTH" ] || HEARTH=$HERE/build/debug/hearth
INTERVAL=${2:-0.5}
REUSE=${REUSE:-safe}
MODE=${3:-mw}
WRK_ARGS=${WRK_ARGS:-}
RELOADS=20
W=$(mktemp -d /tmp/reloadbench.XXXX)
BPORT=${BASE_PORT:-19401}  # the backend; the proxies listen on the next two ports
cat > $W/backend.py <<'PY'
# A keep-alive HTTP backend that logs the monotonic time of every accept.
import socket, sys, threading, time
log = open(sys.argv[2], "w", buffering=1)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1024)
def serve(c):
    buf = b""
    try:
        while True:
            d = c.recv(65536)
            if not d: break
            buf += d
            while b"\r\n\r\n" in buf:
                buf = buf[buf.index(b"\r\n\r\n") + 4:]
                c.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nok\n")
    except OSError: pass
    c.close()
while True:
    c, _ = s.accept()
    log.write("%.3f\n" % time.monotonic())
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
run_one() {  # name binary port
  local name=$1 bin=$2 port=$3
  sed "s/PORT/$port/" > $W/$name.cfg <<CFG
global
  nbthread 2
  stats socket $W/$name.sock level admin expose-fd listeners
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:PORT
  default_backend be
backend be
  http-reuse $REUSE
  server s1 127.0.0.1:$BPORT
CFG
  python3 $W/backend.py $BPORT $W/$name.accepts & local bk=$!
  sleep 0.3
  local pidf=$W/$name.pid xflag="-x $W/$name.sock" master=
  [ "$MODE" = old-nox ] && xflag=
  if [ "$MODE" = mw ]; then
    $bin -W -db -f $W/$name.cfg > $W/$name.log 2>&1 & master=$!
  else
    $bin -D -f $W/$name.cfg -p $pidf >> $W/$name.log 2>&1
  fi
  sleep 1
  # Each reload takes a little longer than INTERVAL (the master's work, the
  # timestamps): the load outlasts the last one by a few seconds.
  local dur=$(python3 -c "print(int($RELOADS * ($INTERVAL + 0.5) + 4))")
  eval wrk -t2 -c20 -d${dur}s $WRK_ARGS http://127.0.0.1:$port/ > $W/$name.wrk 2>&1 & local wrkpid=$!
  sleep 2
  : > $W/$name.reloads
  for i in $(seq 1 $RELOADS); do
    python3 -c "import time; print('%.3f' % time.monotonic())" >> $W/$name.reloads
    if [ "$MODE" = mw ]; then
      kill -USR2 $master
    else
      $bin -D -f $W/$name.cfg -p $pidf $xflag -sf $(cat $pidf) >> $W/$name.log 2>&1
    fi
    sleep $INTERVAL
  done
  wait $wrkpid
  if [ "$MODE" = mw ]; then
    kill -TERM $master; wait $master 2>/dev/null
  else
    kill -TERM $(cat $pidf)
  fi
  kill $bk; wait $bk 2>/dev/null
  python3 - "$name" $W/$name.wrk $W/$name.reloads $W/$name.accepts <<'PY'
import re, sys
name, wrk, reloads, accepts = sys.argv[1:]
text = open(wrk).read()
reqs = re.search(r"(\d+) requests in", text)
errs = re.search(r"Socket errors: (.*)", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
r = [float(x) for x in open(reloads)]
a = [float(x) for x in open(accepts)]
per = [sum(1 for t in a if x <= t < x + 1.0) for x in r]
print("%-7s requests %-8s errors: %s, non-2xx: %s" % (
    name, reqs.group(1) if reqs else "?", errs.group(1) if errs else "none",
    non2xx.group(1) if non2xx else "0"))
print("        backend connections opened in the second after each reload: %s (mean %.1f)" %
      (" ".join(map(str, per)), sum(per) / len(per)))
PY
}
run_one hearth "$HEARTH" $((BPORT + 1))
run_one haproxy haproxy $((BPORT + 2))
echo "(files in $W)"
