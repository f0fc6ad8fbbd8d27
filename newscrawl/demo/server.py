"""Local HTTP server for the bundled demo sites; binds loopback unless told otherwise.

Every response carries the site's frozen NOW as its Date header, so the relative times printed on the pages
("41 minutes ago") resolve against it. A site module provides NOW, render(path, host) and, optionally,
flaky_paths(): paths that answer 500 to their first request on each server instance.

    python -m newscrawl.demo.server --port 8765
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import sys
import threading
import time
from datetime import timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from ..errors import CommandError
from . import feedsite, generic, urdupoint, wam
from .background import in_background, serve_until_interrupted

SITES = {"urdupoint": urdupoint, "gulfwire": generic, "wam": wam, "ledger": feedsite}   # a new demo site adds itself here

SERVER_ERROR_PAGE = "<!doctype html><html><head><title>500 Internal Server Error</title></head>" \
                    "<body><h1>Internal Server Error</h1><p>Please try again.</p></body></html>"


def site_module(site: str):
    try:
        return SITES[site]
    except KeyError:
        raise ValueError(f"unknown demo site {site!r}; known sites: {', '.join(sorted(SITES))}") from None


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, site: str, verbose: bool = False, delay: float = 0.0):
        self.site_name = site
        # Keyword arguments of the site's render (urdupoint: layout="B", empty_sections=…);
        # a test may change them between crawls.
        self.options = {}
        self.delay = delay  # seconds before each answer: a slow site, for interruption tests
        self.site = site_module(site)
        self.verbose = verbose
        self.date_header = format_datetime(self.site.NOW.astimezone(timezone.utc), usegmt=True)
        self._flaky = frozenset(getattr(self.site, "flaky_paths", frozenset)())
        self._hits: dict[str, int] = {}
        self.requested: list[str] = []   # every path asked for, in order (tests: what a crawl fetched)
        self._lock = threading.Lock()
        super().__init__(address, DemoHandler)

    def fails_now(self, path: str) -> bool:
        """True for the first request of a flaky path on this server instance."""
        if path not in self._flaky:
            return False
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path] == 1

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class DemoHandler(BaseHTTPRequestHandler):
    server_version = "newscrawl-demo/1.0"

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        return self.server.date_header   # frozen: the pages' relative times depend on it

    def do_GET(self):
        self._respond(with_body=True)

    def do_HEAD(self):
        self._respond(with_body=False)

    def _respond(self, with_body: bool):
        with self.server._lock:
            self.server.requested.append(urlsplit(self.path).path)
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.fails_now(urlsplit(self.path).path):
            status, body, headers = 500, SERVER_ERROR_PAGE, {}
        else:
            host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
            status, body, headers = self.server.site.render(self.path, host, **self.server.options)
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


def make_server(site: str = "urdupoint", host: str = "127.0.0.1", port: int = 0,
                verbose: bool = False, delay: float = 0.0) -> DemoServer:
    """A server bound to host:port (port 0 picks a free one: see server.server_address); not yet serving."""
    return DemoServer((host, port), site, verbose, delay)


@contextlib.contextmanager
def running_server(site: str = "urdupoint", host: str = "127.0.0.1", port: int = 0, verbose: bool = False,
                   delay: float = 0.0):
    """Serve in a background thread for the duration of a with-block (tests); yields the server."""
    server = make_server(site, host, port, verbose, delay)
    with in_background(server, f"demo-{site}"):
        yield server


def _cannot_listen(error: OSError, host: str, port: int) -> CommandError:
    if error.errno == errno.EADDRINUSE:
        return CommandError(f"port {port} on {host} is already in use (another server?); "
                            "choose another with --port")
    if error.errno == errno.EACCES:
        return CommandError(f"cannot listen on {host}:{port}: permission denied (ports below 1024 "
                            "need privileges); choose another with --port")
    return CommandError(f"cannot listen on {host}:{port}: {error.strerror or error}")


def serve(site: str = "urdupoint", host: str = "127.0.0.1", port: int = 8765, verbose: bool = False,
          options: dict | None = None) -> None:
    """Serve until Ctrl-C. An unknown site is a ValueError; an address it cannot listen on a
    CommandError saying why."""
    site_module(site)
    try:
        server = make_server(site, host, port, verbose)
        server.options = dict(options or {})
    except OSError as error:  # bind: a busy port, a privileged one, an address not of this machine
        raise _cannot_listen(error, host, port) from None
    print(f"Serving demo site {site} at {server.base_url}/", flush=True)
    serve_until_interrupted(server)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve a bundled demo news site on this machine.")
    parser.add_argument("--site", default="urdupoint", choices=sorted(SITES))
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--layout", choices=("A", "B"), help="urdupoint: B serves the redesigned article pages "
                        "(new byline and topics markup), to watch crawl health notice a layout change")
    args = parser.parse_args(argv)
    if args.layout and args.site != "urdupoint":
        parser.error("--layout is for --site urdupoint")
    try:
        serve(args.site, args.host, args.port, args.verbose, {"layout": args.layout} if args.layout else None)
    except CommandError as error:
        sys.exit(f"{parser.prog}: {error}")


if __name__ == "__main__":
    main()
