"""Passwords in URLs never reach the archive or the log."""

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import scrapy_crawl
from newscrawl.redact import redact, redact_values
from newscrawl.storage import Archive


@pytest.mark.parametrize("text, expected", [
    ("http://user:pass@127.0.0.1:8765/en/", "http://user:***@127.0.0.1:8765/en/"),
    ("https://u:p%40ss@example.com", "https://u:***@example.com"),
    ("http://user@example.com/x", "http://user:***@example.com/x"),
    ("Redirecting to <GET http://a:b@h/x> from <GET http://h/>", "Redirecting to <GET http://a:***@h/x> from <GET http://h/>"),
    ("http://example.com/?mail=me@example.com", "http://example.com/?mail=me@example.com"),
    ("write to me@example.com", "write to me@example.com"),
    ("invalid hostname: reader:hunter2@127.0.0.1", "invalid hostname: reader:***@127.0.0.1"),
    ("at 10:30 meet me@home", "at 10:30 meet me@home"),
    ("https://example.com/@handle", "https://example.com/@handle"),
    (None, None),
    (42, 42),
])
def test_redact(text, expected):
    assert redact(text) == expected


def test_redact_values_walks_nested_values():
    assert redact_values({"a": ["http://u:p@h/"], "b": {"c": "http://u:p@h/"}, "d": 1}) == \
        {"a": ["http://u:***@h/"], "b": {"c": "http://u:***@h/"}, "d": 1}


def test_crawls_store_arguments_without_passwords(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        crawl = archive.start_crawl("news", {"url": "https://reader:hunter2@example.com/world/"})
        assert archive.get_crawl(crawl)["args"] == {"url": "https://reader:***@example.com/world/"}
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert "hunter2" not in conn.execute("SELECT args FROM crawls").fetchone()[0]


@pytest.fixture
def leaky_site():
    """A start page that redirects to a URL with a password in it, and a listing that links one."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            port = self.server.server_address[1]
            if self.path == "/":
                self.send_response(302)
                self.send_header("Location", f"http://reader:hunter2@127.0.0.1:{port}/world/")
                self.end_headers()
                return
            if self.path == "/world/":
                body = (f'<html><body><a href="http://reader:hunter2@127.0.0.1:{port}/2023/07/'
                        f'floods-hit-the-coastal-towns-again.html">Floods</a></body></html>').encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_crawl_logs_and_stores_no_password(leaky_site, tmp_path):
    db = tmp_path / "archive.db"
    result = scrapy_crawl("news", "-a", f"url={leaky_site}/", "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=DEBUG")
    assert "reader:***@127.0.0.1" in result.stderr        # the redirect is logged, redacted
    assert "hunter2" not in result.stderr
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "hunter2" not in dump
