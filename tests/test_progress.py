"""Progress of a crawl: a log line every NEWSCRAWL_PROGRESS_INTERVAL seconds and at the end, and a
bar only when standard error is a terminal."""

import io
import json
import os
import re
import sqlite3
import subprocess
import sys

from conftest import LOOPBACK_ONLY, REPO, scrapy_crawl
from newscrawl.demo import generic as site
from newscrawl.demo.server import running_server
from newscrawl.progress import progress_line, wants_bar


def test_progress_line():
    assert progress_line(120, 4.0, 30, 2, 17) == \
        "Progress: 120 pages (30.0 pages/s), articles 30 new, 2 updated, 17 queued"
    assert progress_line(0, 0.0, 0, 0, 0) == "Progress: 0 pages (0.0 pages/s), articles 0 new, 0 updated, 0 queued"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_bar_only_on_a_terminal():
    assert wants_bar(_Terminal()) and not wants_bar(_Terminal(), enabled=False)
    assert not wants_bar(io.StringIO())


def test_crawl_logs_its_progress_and_draws_no_bar_in_a_log(tmp_path):
    db = tmp_path / "archive.db"
    with running_server("gulfwire") as server:
        result = scrapy_crawl("news", "-a", f"url={server.base_url}/", "-s", f"NEWSCRAWL_DB={db}",
                              "-s", "NEWSCRAWL_PROGRESS_INTERVAL=3600")
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    lines = re.findall(r"Progress: .*", result.stderr)
    assert len(lines) == 1     # the interval never came round: the closing line alone
    assert re.fullmatch(rf"Progress: {stats['response_received_count']} pages \(\d+\.\d pages/s\), "
                        rf"articles {len(site.expected_stored())} new, 0 updated, 0 queued", lines[0])
    assert "page/s" not in result.stderr and "\r" not in result.stderr     # no tqdm bar


def test_crawl_on_a_terminal_draws_a_bar(tmp_path):
    master, slave = os.openpty()
    with running_server("gulfwire") as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={server.base_url}/",
             "-s", f"NEWSCRAWL_DB={tmp_path / 'archive.db'}", "-s", "LOG_FILE=" + str(tmp_path / "crawl.log")],
            cwd=REPO, env=dict(os.environ, **LOOPBACK_ONLY), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=slave)
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:   # the crawl closed its end
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=120) == 0
    os.close(master)
    text = output.decode("utf-8", "replace")
    assert "crawl:" in text and "new=" in text and "page" in text
