#!/usr/bin/env python3
"""A slowloris crowd: N connections to 127.0.0.1:PORT, each sending a request
head one short header line every INTERVAL seconds and never finishing it.

usage: slowloris.py PORT N INTERVAL SECONDS [spread|burst]
spread (the default): the lines go out evenly over each interval, 100
connections at a time, as N independent clients' would. burst: all N lines
back to back at the start of each interval (a crowd in lockstep: the worst
case, whose sending also loads the CPU it runs on).
Prints how many connections were open at the start and at the end (those the
proxy closed, at its `timeout http-request`, are counted and reopened).
"""
import socket
import sys
import time


def main():
    port, n, interval, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    spread = len(sys.argv) < 6 or sys.argv[5] != "burst"
    step = 100  # connections per send slot when spread
    conns = []
    for i in range(n):
        s = socket.socket()
        s.setblocking(True)
        s.bind((f"127.0.0.{2 + i % 8}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /slow HTTP/1.1\r\nHost: bench\r\n")
        s.setblocking(False)
        conns.append(s)
    opened_at_start = len(conns)
    closed = 0
    end = time.time() + seconds
    k = 0
    while time.time() < end:
        # One short line per connection per interval.
        slice_start = time.time()
        slice_end = slice_start + interval
        for i, s in enumerate(conns):
            if spread and i % step == 0:
                time.sleep(max(0.0, slice_start + interval * i / n - time.time()))
            try:
                s.send(b"X-%d: y\r\n" % (k % 10))
            except OSError:
                closed += 1
                s.close()
                r = socket.socket()
                r.bind((f"127.0.0.{2 + i % 8}", 0))
                r.connect(("127.0.0.1", port))
                r.sendall(b"GET /slow HTTP/1.1\r\nHost: bench\r\n")
                r.setblocking(False)
                conns[i] = r
        k += 1
        time.sleep(max(0.0, slice_end - time.time()))
    print(f"slowloris_conns={opened_at_start} closed_by_proxy={closed}", flush=True)
    for s in conns:
        s.close()


if __name__ == "__main__":
    main()
