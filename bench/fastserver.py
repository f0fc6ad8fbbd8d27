"""A fast local HTTP/1.1 server for the generated site (bench.sitegen), run in its own process.

http.server answers a few hundred pages/s at best, too close to a crawler's pace to measure one against.
This is a bare asyncio server: keep-alive, GET only, pages rendered on first request and kept (as complete
response bytes) in an LRU. The Date header is the demo's frozen NOW, so relative times on the pages resolve
the same way on every run.

Admin paths (never counted): /_bench/add?k=K publishes K new articles; /_bench/counts answers the number of
listing, article and other requests served so far, as JSON.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import time
from collections import OrderedDict
from datetime import timezone
from email.utils import format_datetime
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from newscrawl.demo import urdupoint as demo

from . import sitegen

DATE = format_datetime(demo.NOW.astimezone(timezone.utc), usegmt=True)
CACHE_PAGES = 1024   # ~80 MB of rendered pages: re-crawls and the capacity probe hit it


class BenchServer:
    def __init__(self, site: sitegen.Site, charset: bool = True):
        self.site = site
        # charset=False: neither header nor markup declares one (as on the real UrduPoint), so the client guesses.
        self.charset = charset
        self.cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.counts = {"listing": 0, "article": 0, "other": 0}

    def _kind(self, path: str) -> str:
        if sitegen._LISTING.fullmatch(path):
            return "listing"
        return "article" if sitegen._ARTICLE.fullmatch(path) else "other"

    def _admin(self, path: str, query: str) -> bytes:
        if path == "/_bench/add":
            self.site.add(int(parse_qs(query).get("k", ["1"])[0]))
            self.cache.clear()   # listings, feeds and the newest articles' widgets all change
        return _response(200, json.dumps({**self.counts, "total_articles": self.site.total}).encode(),
                         {"Content-Type": "application/json"})

    def answer(self, target: str, host: str) -> bytes:
        parts = urlsplit(target)
        if parts.path.startswith("/_bench/"):
            return self._admin(parts.path, parts.query)
        self.counts[self._kind(parts.path)] += 1
        key = (parts.path, host)
        cached = self.cache.get(key)
        if cached is not None:
            self.cache.move_to_end(key)
            return cached
        status, text, headers = self.site.render(parts.path, host)
        if not self.charset:
            text = text.replace('<meta charset="utf-8">\n', "", 1)
        content_type = "text/html; charset=utf-8" if self.charset else "text/html"
        data = _response(status, text.encode("utf-8"), {"Content-Type": content_type, **headers})
        self.cache[key] = data
        if len(self.cache) > CACHE_PAGES:
            self.cache.popitem(last=False)
        return data

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    break
                request_line, *lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
                if int(headers.get("content-length") or 0):
                    await reader.readexactly(int(headers["content-length"]))
                data = self.answer(target, headers.get("host", ""))
                writer.write(data if method != "HEAD" else data[:data.index(b"\r\n\r\n") + 4])
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        finally:
            writer.close()


def _response(status: int, body: bytes, headers: dict) -> bytes:
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"Date: {DATE}", "Server: newscrawl-bench",
            *(f"{name}: {value}" for name, value in headers.items()), f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(head).encode("latin-1") + body


def serve(n_articles: int, ready, charset: bool = True, cpu: int | None = None) -> None:
    """Process entry point: serve the site on a free loopback port, sent back through ready (a Pipe end)."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    server = BenchServer(sitegen.Site(n_articles), charset=charset)

    async def main():
        listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=256)
        ready.send(listener.sockets[0].getsockname()[1])
        async with listener:
            await listener.serve_forever()

    asyncio.run(main())


def start(n_articles: int, charset: bool = True, cpu: int | None = None):
    """(process, base_url) of a server process; stop it with process.terminate()."""
    context = multiprocessing.get_context("spawn")   # a clean interpreter: no state shared with the bench
    parent, child = context.Pipe()
    process = context.Process(target=serve, args=(n_articles, child, charset, cpu), daemon=True)
    process.start()
    if not parent.poll(60):
        process.terminate()
        raise RuntimeError("bench server did not start")
    return process, f"http://127.0.0.1:{parent.recv()}"


# -- a client: the server's own capacity, and the admin paths ------------------------------------

async def _get(reader, writer, host: str, path: str) -> tuple[int, bytes]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("latin-1"))
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
    return int(head.split(b" ", 2)[1]), await reader.readexactly(length)


def get(base_url: str, path: str) -> bytes:
    async def once():
        parts = urlsplit(base_url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            return (await _get(reader, writer, parts.netloc, path))[1]
        finally:
            writer.close()
    return asyncio.run(once())


def capacity(base_url: str, paths: list[str], connections: int = 16) -> dict:
    """Pages/s the server answers over `connections` keep-alive connections, each path requested once."""
    parts = urlsplit(base_url)
    todo = iter(paths)

    async def worker(sizes):
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            for path in todo:
                _, body = await _get(reader, writer, parts.netloc, path)
                sizes.append(len(body))
        finally:
            writer.close()

    async def main():
        sizes = []
        started = time.perf_counter()
        await asyncio.gather(*(worker(sizes) for _ in range(connections)))
        return sizes, time.perf_counter() - started

    sizes, seconds = asyncio.run(main())
    return {"pages_per_s": round(len(sizes) / seconds), "mean_kb": round(sum(sizes) / len(sizes) / 1024, 1),
            "mb_per_s": round(sum(sizes) / seconds / 1e6, 1)}
