#!/usr/bin/env python3
"""Accepts every connection on 127.0.0.1:PORT and never reads: a target for
bench/slowloris.py that involves no proxy (slowloris.sh's control run: what
the crowd's sending alone costs the clients sharing its CPU).

usage: accept_sink.py PORT SECONDS
"""
import socket
import sys
import time


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4096)
    s.settimeout(0.5)
    held = []
    end = time.time() + seconds
    while time.time() < end:
        try:
            held.append(s.accept()[0])
        except socket.timeout:
            pass


if __name__ == "__main__":
    main()
