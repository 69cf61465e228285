#!/usr/bin/env python3
"""The soak's backend: HTTP/1.1 keep-alive on 127.0.0.1:PORT, asyncio.
GET /size/N answers N bytes; POST answers the number of body bytes read.
DROP percent of the connections (drawn per request) are closed at once
instead of answering: a backend that drops connections at random.
usage: backend.py PORT [DROP=1]
"""
import asyncio
import random
import sys

PORT = int(sys.argv[1])
DROP = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for l in lines[1:]:
                k, _, v = l.partition(":")
                if k.strip().lower() == "content-length":
                    length = int(v)
            got = 0
            while got < length:
                chunk = await reader.read(min(65536, length - got))
                if not chunk:
                    return
                got += len(chunk)
            if random.random() * 100 < DROP:
                return  # dropped: closed unanswered
            if method == "GET" and target.startswith("/size/"):
                n = int(target[6:])
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % n)
                block = b"x" * 65536
                while n > 0:
                    writer.write(block[: min(n, 65536)])
                    n -= 65536
                    await writer.drain()
            else:
                body = b"%d\n" % got
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
