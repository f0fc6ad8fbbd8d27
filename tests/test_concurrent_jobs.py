"""Several crawls writing one archive at once, as scrapyd runs them (max_proc > 1)."""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from newscrawl.demo import generic, urdupoint
from newscrawl.demo.server import running_server
from newscrawl.storage import Archive

WAIT_S = 180  # upper bound per crawl; each takes a few seconds


def start_crawl(folder, name, db, spider, *args):
    """`scrapy crawl` in the background with its own log and feed (the items it emitted)."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", spider, *args, "-s", f"NEWSCRAWL_DB={db}",
         "-s", f"LOG_FILE={folder / (name + '.log')}", "-O", str(folder / (name + ".jsonl"))],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(processes):
    try:
        for process in processes:
            process.wait(timeout=WAIT_S)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def four_crawls(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrent")
    db = folder / "archive.db"
    # Not created beforehand: the four crawls create the new archive together.
    with running_server("urdupoint") as site, running_server("gulfwire") as gulf_a, \
            running_server("gulfwire") as gulf_b:
        crawls = {
            "world": ("urdupoint", "-a", f"base_url={site.base_url}", "-a", "sections=world"),
            "pakistan-business": ("urdupoint", "-a", f"base_url={site.base_url}",
                                  "-a", "sections=pakistan,business"),
            "gulf-a": ("news", "-a", f"url={gulf_a.base_url}/"),
            "gulf-b": ("news", "-a", f"url={gulf_b.base_url}/"),
        }
        processes = [start_crawl(folder, name, db, *args) for name, args in crawls.items()]
        finish(processes)
        ports = {"gulf-a": urlsplit(gulf_a.base_url).port, "gulf-b": urlsplit(gulf_b.base_url).port}
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        articles = [dict(row) for row in conn.execute("SELECT site, canonical_url FROM articles")]
        runs = [dict(row) for row in conn.execute("SELECT * FROM crawls ORDER BY id")]
    logs = {name: (folder / f"{name}.log").read_text(encoding="utf-8") for name in crawls}
    feeds = {name: [json.loads(line) for line in (folder / f"{name}.jsonl").read_text().splitlines()]
             for name in crawls}
    return {"articles": articles, "runs": runs, "logs": logs, "feeds": feeds, "ports": ports}


def test_no_writer_meets_a_locked_database(four_crawls):
    for name, log in four_crawls["logs"].items():
        assert "database is locked" not in log, name
        assert "Traceback" not in log, name


def test_every_crawl_is_recorded_as_finished(four_crawls):
    runs = four_crawls["runs"]
    assert len(runs) == 4
    assert [(run["status"], run["errors"]) for run in runs] == [("finished", 0)] * 4


def test_no_row_is_lost(four_crawls):
    stored = {article["canonical_url"] for article in four_crawls["articles"]}
    assert len(stored) == len(four_crawls["articles"])
    assert sum(run["new"] for run in four_crawls["runs"]) == len(stored)
    for name, items in four_crawls["feeds"].items():  # what each crawl emitted is in the archive
        assert {item["canonical_url"] for item in items} <= stored, name


def test_the_archive_holds_every_urdupoint_article_once(four_crawls):
    articles = four_crawls["articles"]
    assert sorted(urlsplit(a["canonical_url"]).path for a in articles if a["site"] == "urdupoint") == \
        sorted(a.path for a in urdupoint.expected_stored())


def test_each_gulfwire_crawl_stores_every_article(four_crawls):
    articles = four_crawls["articles"]
    for name, port in four_crawls["ports"].items():
        paths = [urlsplit(a["canonical_url"]).path for a in articles
                 if a["site"] == "127.0.0.1" and urlsplit(a["canonical_url"]).port == port]
        assert sorted(paths) == sorted(a.path for a in generic.expected_stored()), name
    assert len(articles) == len(urdupoint.expected_stored()) + 2 * len(generic.expected_stored())


def test_a_running_crawl_leaves_the_archive_writable(tmp_path):
    """Another writer (a second crawl) can take the write lock within a few seconds at any time:
    batches commit after half a second (and on a timer between items), where they once held the
    lock for the whole crawl. Writers themselves wait up to 30 s (the archive's busy timeout)."""
    db = tmp_path / "archive.db"
    blocked = []
    with running_server("gulfwire", delay=0.3) as slow_site:  # a slow site: seconds between articles
        process = start_crawl(tmp_path, "slow", db, "news", "-a", f"url={slow_site.base_url}/")
        try:
            while process.poll() is None:
                if db.exists():
                    conn = sqlite3.connect(db, timeout=5.0, isolation_level=None)
                    try:
                        conn.execute("BEGIN IMMEDIATE")  # what Archive does before every write
                        conn.execute("ROLLBACK")
                    except sqlite3.OperationalError as error:
                        blocked.append(str(error))
                    finally:
                        conn.close()
                time.sleep(0.2)
        finally:
            finish([process])
    assert "Spider closed (finished)" in (tmp_path / "slow.log").read_text()
    assert blocked == []


def test_a_new_archive_waits_for_a_brief_lock(tmp_path):
    """Another process is creating the archive (lock held half a second): opening waits, then works."""
    path = tmp_path / "archive.db"
    creator = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    creator.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, creator.execute, ("COMMIT",))
    release.start()
    try:
        Archive(path, busy_timeout_s=10).close()
    finally:
        release.join()
        creator.close()
