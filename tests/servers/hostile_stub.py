#!/usr/bin/python3
"""A hostile stand-in for every remote provider, for tests only.

    hostile_stub.py endless    every request is answered 200 with a body that never
                               ends (JSON-looking bytes, as fast as the client reads)
    hostile_stub.py dead       every connection is accepted and never answered

Listens on 127.0.0.1, on a port the system picks, prints "PORT <n>" on its first line
of stdout, and stops when its stdin closes. It never contacts anything. One thread
serves every connection (asyncio), so hundreds at once cost it little.
"""
import asyncio
import sys

CHUNK = b'{"data": "' + b"A" * (256 * 1024 - 10)


async def endless(reader, writer):
    try:
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass  # the request's headers; the body (none for GET) is not read
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
        while True:
            writer.write(CHUNK)
            await writer.drain()  # waits while the client does not read (paused)
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


HELD = []


async def dead(reader, writer):
    HELD.append(writer)  # kept open, never answered


async def main(mode):
    server = await asyncio.start_server(endless if mode == "endless" else dead, "127.0.0.1", 0, backlog=1024)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the test closes our stdin
    server.close()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("endless", "dead"):
        sys.exit("usage: hostile_stub.py endless|dead")
    asyncio.run(main(sys.argv[1]))
