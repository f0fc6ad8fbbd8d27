"""Arguments that would crawl the wrong thing stop `scrapy crawl` before its first request."""

import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import scrapy_crawl
from newscrawl.demo import urdupoint as demo


@pytest.fixture
def recording_server():
    """A loopback server that answers 404 and remembers every request: the crawl must make none."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("spider, argument, message", [
    ("urdupoint", "base_url=", "-a base_url='': expected scheme and host only"),
    ("urdupoint", "base_url=http://user:secret@127.0.0.1:{port}",
     "user names and passwords in URLs are not accepted"),
    ("urdupoint", "base_url=http://127.0.0.1:99999", "the port is not a number from 1 to 65535"),
    ("urdupoint", "base_url=http:/127.0.0.1:{port}", "expected scheme and host only"),
    ("news", "url=http://user:secret@127.0.0.1:{port}/", "user names and passwords in URLs are not accepted"),
    ("news", "url=", "-a url='': expected an http(s) URL"),
])
def test_a_bad_url_is_a_usage_error_with_no_request(recording_server, tmp_path, spider, argument, message):
    port, requests = recording_server
    db = tmp_path / "archive.db"
    result = scrapy_crawl(spider, "-a", argument.format(port=port), "-s", f"NEWSCRAWL_DB={db}",
                          expect_usage_error=True)
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr
    assert "secret" not in result.stderr  # the password is not repeated in the message
    assert requests == [] and not db.exists()


def test_an_unknown_section_is_a_usage_error_with_no_request(recording_server, tmp_path):
    port, requests = recording_server
    result = scrapy_crawl("urdupoint", "-a", f"base_url=http://127.0.0.1:{port}", "-a", "sections=world,wrld",
                          "-s", f"NEWSCRAWL_DB={tmp_path / 'archive.db'}", expect_usage_error=True)
    assert result.returncode == 2
    assert ("unknown section 'wrld'; known sections: pakistan, world, business, sports, technology, "
            "middle-east") in result.stderr
    assert requests == []


def stored_sections(db):
    with sqlite3.connect(db) as conn:
        return Counter(dict(conn.execute("SELECT section, count(*) FROM articles GROUP BY section")))


def test_more_stories_stay_inside_the_chosen_sections(demo_server, tmp_path):
    # The business article the pakistan listing shows links "More Stories From Business".
    listed = Counter(a.section for a in demo.expected_stored()
                     if a.listed_in and set(a.listed_in) & {"world", "pakistan"})
    widget_only = Counter(a.section for a in demo.expected_stored() if not a.listed_in)
    scrapy_crawl("urdupoint", "-a", f"base_url={demo_server}", "-a", "sections=world,pakistan",
                 "-s", f"NEWSCRAWL_DB={tmp_path / 'chosen.db'}")
    chosen = stored_sections(tmp_path / "chosen.db")
    assert chosen["business"] == listed["business"] == 1  # listed in pakistan, so it is in
    assert chosen == {"world": listed["world"] + widget_only["world"],
                      "pakistan": listed["pakistan"] + widget_only["pakistan"], "business": 1}

    scrapy_crawl("urdupoint", "-a", f"base_url={demo_server}", "-a", "sections=world,pakistan",
                 "-a", "excursions=all", "-s", f"NEWSCRAWL_DB={tmp_path / 'all.db'}")
    everywhere = stored_sections(tmp_path / "all.db")
    assert everywhere["business"] > 1 and everywhere - Counter(business=everywhere["business"]) == \
        chosen - Counter(business=1)
