"""Ctrl-C during a crawl leaves a consistent archive, and the next run completes it."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import REPO, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server


def count_articles(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigint_then_rerun(tmp_path):
    db = tmp_path / "archive.db"
    # A slow site and one request at a time, so the interruption lands mid-crawl.
    with running_server("urdupoint", delay=0.05) as server:
        args = ["-a", f"base_url={server.base_url}", "-a", "sections=world,pakistan,business",
                "-s", f"NEWSCRAWL_DB={db}", "-s", "NEWSCRAWL_DB_BATCH_SIZE=5"]
        crawl = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *args,
                                  "-s", "CONCURRENT_REQUESTS=1"],
                                 cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while count_articles(db) < 10 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.send_signal(signal.SIGINT)
        log = crawl.communicate(timeout=60)[1]
        assert "Received SIGINT" in log, log[-2000:]

        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            status, new = conn.execute("SELECT status, new FROM crawls ORDER BY id DESC").fetchone()
            rows = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            incomplete = conn.execute("SELECT count(*) FROM articles WHERE title IS NULL OR body IS NULL"
                                      " OR published_at IS NULL").fetchone()[0]
        assert status == "interrupted"
        assert 10 <= rows == new < len(demo.expected_stored())  # every counted row was committed
        assert incomplete == 0

        scrapy_crawl("urdupoint", *args)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT article_id FROM articles")]
        last = conn.execute("SELECT status, new, unchanged FROM crawls ORDER BY id DESC").fetchone()
    assert sorted(ids) == sorted(a.id for a in demo.expected_stored())
    # The stored ones are not fetched again (unchanged 0): the archive is the seen-store.
    assert last == ("finished", len(demo.expected_stored()) - rows, 0)


def test_sigkill_then_simply_start_again(tmp_path):
    db = tmp_path / "archive.db"
    with running_server("urdupoint", delay=0.05) as server:
        args = ["-a", f"base_url={server.base_url}", "-a", "sections=world,pakistan,business",
                "-s", f"NEWSCRAWL_DB={db}", "-s", "NEWSCRAWL_DB_BATCH_SIZE=5"]
        crawl = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *args,
                                  "-s", "CONCURRENT_REQUESTS=1"],
                                 cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count_articles(db) < 10 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.kill()
        crawl.wait(timeout=30)
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            killed = conn.execute("SELECT status FROM crawls").fetchone()[0]
            stored_before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert killed == "running"  # nobody was left to say otherwise
        assert 10 <= stored_before < len(demo.expected_stored())

        scrapy_crawl("urdupoint", *args)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT article_id FROM articles")]
        status, new, stats = conn.execute("SELECT status, new, stats FROM crawls ORDER BY id DESC").fetchone()
    assert sorted(ids) == sorted(a.id for a in demo.expected_stored())   # each exactly once
    assert status == "finished" and new == len(demo.expected_stored()) - stored_before
    stats = json.loads(stats)
    assert stats["incremental/resuming_after"] == 1
    assert stats["incremental/known_skipped"] >= stored_before       # the stored ones were not fetched again
