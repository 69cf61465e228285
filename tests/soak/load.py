#!/usr/bin/env python3
"""The soak's load: C clients for SECONDS against 127.0.0.1:PORT, mixed: half
keep-alive, half a new connection per request; GET and POST; small bodies and
1 MB ones (one request in 20). Prints the outcomes by kind at the end as
`name=count` pairs on one line.
usage: load.py PORT SECONDS [C=16]
"""
import random
import socket
import sys
import threading
import time
from collections import Counter

PORT, SECONDS = int(sys.argv[1]), float(sys.argv[2])
C = int(sys.argv[3]) if len(sys.argv) > 3 else 16
MB = 1 << 20
outcomes = Counter()
lock = threading.Lock()


def read_response(s, f):
    line = f.readline()
    if not line:
        return "closed"
    status = int(line.split()[1])
    length = 0
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    left = length
    while left > 0:
        chunk = f.read(min(left, 65536))
        if not chunk:
            return "truncated"
        left -= len(chunk)
    return str(status)


def client(seed):
    rnd = random.Random(seed)
    keep = seed % 2 == 0
    s = f = None
    end = time.time() + SECONDS
    while time.time() < end:
        big = rnd.random() < 0.05
        post = rnd.random() < 0.3
        try:
            if s is None:
                s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
                f = s.makefile("rb")
            if post:
                body = b"p" * (MB if big else 100)
                s.sendall(b"POST /post HTTP/1.1\r\nHost: soak\r\ncontent-length: %d\r\n%s\r\n"
                          % (len(body), b"" if keep else b"connection: close\r\n") + body)
            else:
                n = MB if big else 100
                s.sendall(b"GET /size/%d HTTP/1.1\r\nHost: soak\r\n%s\r\n"
                          % (n, b"" if keep else b"connection: close\r\n"))
            kind = ("POST " if post else "GET ") + read_response(s, f)
        except socket.timeout:
            kind = ("POST " if post else "GET ") + "timeout"
        except OSError as e:
            kind = ("POST " if post else "GET ") + type(e).__name__
        with lock:
            outcomes[kind] += 1
        if not keep or not kind.endswith("200"):
            if s:
                s.close()
            s = f = None


threads = [threading.Thread(target=client, args=(i,)) for i in range(C)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(" ".join(f"{k.replace(' ', '_')}={v}" for k, v in sorted(outcomes.items())))
