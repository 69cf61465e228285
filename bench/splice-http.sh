#!/usr/bin/env bash
# Large HTTP payloads through mode http, with and without kernel splicing,
# side by side: Hearth and HAProxy 2.6 run the same config (defaults mode http
# + option splice-auto); "-dS" turns splicing off in both. Each run moves
# ROUNDS downloads and ROUNDS uploads of SIZE bytes (Content-Length) on one
# keep-alive client connection; the backend sends with sendfile(2) and
# discards uploads, the client discards downloads and sends with sendfile(2),
# so the proxy is the only one copying. Prints MB/s per direction, whether
# every payload arrived whole (byte counts, and the sha256 of the download),
# the proxy's CPU time (user+sys) per GB and, for Hearth, show info's
# SplicedBytes (HAProxy 2.6 has no such figure).
# usage: bench/splice-http.sh [HEARTH_BINARY=build/release/hearth] [SIZE_MB=1024] [ROUNDS=3]
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
HEARTH=${1:-$HERE/build/release/hearth}
[ -x "$HEARTH" ] || HEARTH=$HERE/build/debug/hearth
SIZE=$((${2:-1024} * 1048576))
ROUNDS=${3:-3}
W=$(mktemp -d /tmp/splicehttp.XXXX)
BPORT=19411
head -c $SIZE /dev/urandom > $W/payload
SUM=$(sha256sum < $W/payload | cut -d' ' -f1)

cat > $W/backend.py <<'PY'
# GET: the payload file with sendfile(2). POST: reads and drops the body, then
# answers its size. Keep-alive; one thread per connection.
import os, socket, sys, threading
port, path = int(sys.argv[1]), sys.argv[2]
size = os.path.getsize(path)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(64)
def serve(c):
    buf, sink = b"", bytearray(1 << 20)
    with open(path, "rb") as f:
        while True:
            while b"\r\n\r\n" not in buf:
                d = c.recv(65536)
                if not d: return c.close()
                buf += d
            head, buf = buf.split(b"\r\n\r\n", 1)
            if head.startswith(b"GET"):
                c.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % size)
                c.sendfile(f, 0, size)
                continue
            n = int([l.split(b":")[1] for l in head.split(b"\r\n")
                     if l.lower().startswith(b"content-length:")][0])
            got = min(len(buf), n); buf = buf[got:]
            while got < n:
                k = c.recv_into(sink, min(len(sink), n - got))
                if not k: return c.close()
                got += k
            body = b"%d" % got
            c.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY

cat > $W/client.py <<'PY'
# One download whose sha256 is checked, then ROUNDS timed downloads and ROUNDS
# timed uploads on the same connection. Prints "down MBps ok|BAD up MBps ok|BAD".
import hashlib, os, socket, sys, time
port, path, rounds, want = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
size = os.path.getsize(path)
c = socket.create_connection(("127.0.0.1", port))
buf = bytearray(1 << 20)
def read_head():
    h = b""
    while b"\r\n\r\n" not in h:
        d = c.recv(1)
        if not d: raise SystemExit("closed")
        h += d
    return int([l.split(b":")[1] for l in h.split(b"\r\n")
                if l.lower().startswith(b"content-length:")][0])
def download(check):
    c.sendall(b"GET /big HTTP/1.1\r\nhost: b\r\n\r\n")
    n, got = read_head(), 0
    digest = hashlib.sha256() if check else None
    while got < n:
        k = c.recv_into(buf, min(len(buf), n - got))
        if not k: raise SystemExit("closed")
        if digest: digest.update(memoryview(buf)[:k])
        got += k
    return got == size and (not check or digest.hexdigest() == want)
ok_down = download(True)  # untimed: the digest is checked once
t0 = time.monotonic()
for r in range(rounds):
    ok_down &= download(False)
down = rounds * size / (time.monotonic() - t0) / 1e6
ok_up, t0 = True, time.monotonic()
with open(path, "rb") as f:
    for r in range(rounds):
        c.sendall(b"POST /up HTTP/1.1\r\nhost: b\r\ncontent-length: %d\r\n\r\n" % size)
        c.sendfile(f, 0, size)
        n = read_head()
        ok_up &= c.recv(n) == b"%d" % size
up = rounds * size / (time.monotonic() - t0) / 1e6
print("down %.0f %s up %.0f %s" % (down, "ok" if ok_down else "BAD", up, "ok" if ok_up else "BAD"))
PY

cat > $W/proxy.cfg <<CFG
global
  maxconn 1000
  stats socket $W/stats.sock level admin
defaults
  mode http
  option splice-auto
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:19412
  default_backend be
backend be
  server s1 127.0.0.1:$BPORT
CFG

python3 $W/backend.py $BPORT $W/payload & BK=$!
sleep 0.5
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
run_one() {  # label binary [flags]
  local label=$1 bin=$2; shift 2
  rm -f $W/stats.sock
  $bin -db -f $W/proxy.cfg "$@" > $W/$label.log 2>&1 & local px=$!
  for _ in $(seq 50); do [ -S $W/stats.sock ] && break; sleep 0.1; done
  sleep 0.2
  local out; out=$(python3 $W/client.py 19412 $W/payload $ROUNDS $SUM)
  local cpu; cpu=$(ticks $px)
  local spliced; spliced=$(python3 - $W/stats.sock <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show info\n")
out = b""
while True:
    d = s.recv(65536)
    if not d: break
    out += d
for l in out.decode().splitlines():
    if l.startswith("SplicedBytes:"): print("%d MB" % (int(l.split(":")[1]) / 1e6))
PY
)
  kill -TERM $px; wait $px 2>/dev/null
  local gb; gb=$(python3 -c "print(2 * $ROUNDS * $SIZE / 1e9)")
  printf "%-18s %s   cpu %s s/GB   spliced %s\n" "$label" "$out" \
    "$(python3 -c "print('%.2f' % ($cpu / $(getconf CLK_TCK) / $gb))")" "${spliced:-n/a}"
}
echo "payload $((SIZE / 1048576)) MiB x $ROUNDS each way, MB/s (hearth: $HEARTH; $(uptime | sed 's/.*load/load/'))"
run_one hearth-splice "$HEARTH"
run_one hearth-nosplice "$HEARTH" -dS
run_one haproxy-splice haproxy
run_one haproxy-nosplice haproxy -dS
kill $BK; wait $BK 2>/dev/null
echo "(files in $W)"
