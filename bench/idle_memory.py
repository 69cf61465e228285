#!/usr/bin/env python3
"""Holds N idle keep-alive client connections on a proxy after one request each and
reports the proxy's RSS growth per connection (VmRSS from /proc/PID/status).

usage: idle_memory.py PID PORT [N=5000]
(100,000: raise the fd limits first; idle_memory.sh sets the proxies' maxconn from N)
Each connection sends one GET, reads the whole response, then stays open and idle.
TLS=1 in the environment: the connections are TLS (no certificate check, no
session reuse: each one a full handshake, as a new client's).
TRIM=1: malloc_trim(0) is called in the proxy (through gdb) before each RSS reading,
so that the figure counts the memory in use, not the freed memory glibc keeps.
"""
import os
import socket
import subprocess
import ssl
import sys
import time


def rss_kb(pid):
    if os.environ.get("TRIM") == "1":
        subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "call (int) malloc_trim(0)"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def one_request(s):
    s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("closed before response")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        body += s.recv(4096)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head[:40])


def connect(port, i=0):
    """Returns: a connected socket, wrapped in TLS when TLS=1. Connection i
    comes from 127.0.0.(1 + i % 16): one source address has about 28,000
    ephemeral ports toward one destination, 100,000 connections need several."""
    s = socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.0.{1 + i % 16}", 0))
    if os.environ.get("TLS") == "1":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s, server_hostname="bench.local")
    return s


def main():
    pid, port = int(sys.argv[1]), int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    # Warm up: pools, buffers and the backend connection exist before measuring.
    warm = []
    for _ in range(50):
        s = connect(port)
        one_request(s)
        warm.append(s)
    time.sleep(0.5)
    before = rss_kb(pid)
    conns = []
    for i in range(n):
        s = connect(port, i)
        one_request(s)
        conns.append(s)
    time.sleep(1.0)
    after = rss_kb(pid)
    per_conn = (after - before) * 1024 / n
    print(f"idle_keepalive_conns={n} rss_before_kb={before} rss_after_kb={after} "
          f"rss_per_conn_bytes={per_conn:.0f}")
    time.sleep(float(os.environ.get("HOLD", "0")))  # time to inspect the proxy
    for s in conns + warm:
        s.close()


if __name__ == "__main__":
    main()
