"""A crawl killed with SIGKILL (nothing runs after it) loses nothing the next run cannot mend."""

import signal
import sqlite3
import subprocess
import sys
import time

from conftest import REPO, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server
from test_interrupt import count_articles

# `scrapy crawl` whose process SIGKILLs itself when the story index links its Nth article: after
# the article and its fingerprint were written, before its story was.
KILLED_AT_LINK = """
import os, signal, sys
from newscrawl.storage import Archive
calls, kill_at = [0], int(sys.argv[1])
original = Archive.assign_story
def assign_story(self, *args, **kwargs):
    calls[0] += 1
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, *args, **kwargs)
Archive.assign_story = assign_story
from scrapy.cmdline import execute
execute(["scrapy", "crawl", "urdupoint", *sys.argv[2:]])
"""


def crawl_args(server, db):
    return ["-a", f"base_url={server.base_url}", "-a", "sections=world,pakistan,business",
            "-s", f"NEWSCRAWL_DB={db}"]


def test_killed_between_fingerprint_and_story_every_article_ends_linked(tmp_path):
    db = tmp_path / "archive.db"
    with running_server("urdupoint") as server:
        # Batches of one: without one transaction per article, its fingerprint is committed alone.
        killed = subprocess.run([sys.executable, "-c", KILLED_AT_LINK, "6", *crawl_args(server, db),
                                 "-s", "NEWSCRAWL_DB_BATCH_SIZE=1"], cwd=REPO, capture_output=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
            assert conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
        scrapy_crawl("urdupoint", *crawl_args(server, db))
    with sqlite3.connect(db) as conn:
        ids = sorted(r[0] for r in conn.execute("SELECT article_id FROM articles"))
        unlinked = conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
        no_print = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM fingerprints)"
                                ).fetchone()[0]
    assert ids == sorted(a.id for a in demo.expected_stored())
    assert (unlinked, no_print) == (0, 0)


def test_a_killed_run_is_marked_interrupted_by_the_next_one(tmp_path):
    db = tmp_path / "archive.db"
    with running_server("urdupoint", delay=0.05) as server:
        crawl = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *crawl_args(server, db),
                                  "-s", "CONCURRENT_REQUESTS=1"],
                                 cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count_articles(db) < 3 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.kill()
        crawl.wait(timeout=30)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT status FROM crawls").fetchall() == [("running",)]
        # A run of another spider leaves it alone; the next run of the same spider marks it.
        scrapy_crawl("news", "-a", f"url={server.base_url}/en/news/world.html", "-a", "max_pages=1",
                     "-s", f"NEWSCRAWL_DB={db}")
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT status FROM crawls WHERE id = 1").fetchone() == ("running",)
        result = scrapy_crawl("urdupoint", *crawl_args(server, db))
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT spider, status, finish_reason FROM crawls ORDER BY id").fetchall()
    assert rows == [("urdupoint", "interrupted", "process_gone"), ("news", "finished", "finished"),
                    ("urdupoint", "finished", "finished")]
    assert "1 earlier urdupoint run(s) left 'running' by a killed process marked interrupted" in result.stderr


def crawl_rows(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT status FROM crawls ORDER BY id").fetchall()
    except sqlite3.Error:
        return []


def test_a_running_crawl_of_the_same_spider_is_left_running(tmp_path):
    """Two crawls of one spider at once (scrapyd jobs): the later one does not mark the live one."""
    db = tmp_path / "archive.db"
    with running_server("urdupoint", delay=1.0) as slow_site, running_server("urdupoint") as site:
        slow = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *crawl_args(slow_site, db),
                                 "-s", "CONCURRENT_REQUESTS=1"],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not crawl_rows(db) and slow.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            scrapy_crawl("urdupoint", "-a", f"base_url={site.base_url}", "-a", "sections=world",
                         "-a", "max_pages=1", "-s", f"NEWSCRAWL_DB={db}")
            assert slow.poll() is None
            assert crawl_rows(db) == [("running",), ("finished",)]
        finally:
            slow.kill()
            slow.wait(timeout=30)
