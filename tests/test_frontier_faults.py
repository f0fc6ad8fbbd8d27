"""Frontier settings refused before anything is written; Redis lost mid-crawl; `newscrawl frontier status`."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import REPO, newscrawl, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server
from newscrawl.frontier.keys import RunKeys
from redis_support import REDIS_URL, PrivateRedis, free_port, redis_prefix  # noqa: F401 (fixture)


def crawl_args(base_url, db, frontier, run="r1", prefix="nctest"):
    return ["-a", f"base_url={base_url}", "-a", "sections=world,pakistan,business", "-a", f"run={run}",
            "-s", f"NEWSCRAWL_FRONTIER={frontier}", "-s", f"NEWSCRAWL_FRONTIER_PREFIX={prefix}",
            "-s", "NEWSCRAWL_FRONTIER_GRACE=0.5", "-s", "NEWSCRAWL_FRONTIER_HEARTBEAT=3",
            "-s", f"NEWSCRAWL_DB={db}", "-s", "NEWSCRAWL_DB_BATCH_SIZE=5"]


@pytest.mark.parametrize("extra, message", [
    (["-s", "NEWSCRAWL_FRONTIER=http://127.0.0.1:6379/0", "-a", "run=r1"],
     "-s NEWSCRAWL_FRONTIER='http://127.0.0.1:6379/0': expected redis://HOST:PORT/DB (or rediss://, unix://)"),
    (["-s", "NEWSCRAWL_FRONTIER=redis://127.0.0.1:6379/0"],
     "-s NEWSCRAWL_FRONTIER needs -a run=ID: the workers of one run share it (letters, digits, '.', '_', '-')"),
    (["-s", "NEWSCRAWL_FRONTIER=redis://127.0.0.1:6379/0", "-a", "run=a b"],
     "-a run='a b': expected 1 to 64 letters, digits, '.', '_' or '-'"),
    (["-s", "NEWSCRAWL_FRONTIER=redis://127.0.0.1:6379/0", "-a", "run=r1", "-s", "SCHEDULER_PERSIST=False"],
     "SCHEDULER_PERSIST=False with -s NEWSCRAWL_FRONTIER: the first worker to close would wipe every "
     "worker's queue; leave it on"),
    (["-s", "NEWSCRAWL_FRONTIER=redis://127.0.0.1:6379/0", "-a", "run=r1", "-s", "NEWSCRAWL_FRONTIER_GRACE=soon"],
     "-s NEWSCRAWL_FRONTIER_GRACE='soon': expected a number >= 0"),
])
def test_unusable_frontier_settings_are_usage_errors(tmp_path, extra, message):
    db = tmp_path / "archive.db"
    result = scrapy_crawl("urdupoint", "-s", f"NEWSCRAWL_DB={db}", *extra, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(f": error: {message}"), result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_unreachable_redis_at_start_is_one_line_and_writes_nothing(tmp_path):
    db = tmp_path / "archive.db"
    port = free_port()
    result = scrapy_crawl("urdupoint", *crawl_args("http://127.0.0.1:9", db, f"redis://127.0.0.1:{port}/0"),
                          check=False)
    assert result.returncode == 1
    # Scrapy's own start-up log lines come first; the error is one line of its own, and the last.
    assert result.stderr.splitlines()[-1] == (f"scrapy crawl: frontier redis://127.0.0.1:{port}/0 does not "
                                              f"answer: Error 111 connecting to 127.0.0.1:{port}. Connection refused.")
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr
    assert not db.exists()


def articles_in(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_redis_lost_mid_crawl_fails_the_worker_and_a_later_run_finishes(tmp_path):
    redis_server = PrivateRedis().start()
    db = tmp_path / "archive.db"
    try:
        with running_server("urdupoint", delay=0.05) as server:
            args = crawl_args(server.base_url, db, redis_server.url, run="lost")
            worker = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *args,
                                       "-s", "NEWSCRAWL_FRONTIER_RETRIES=2", "-s", "CONCURRENT_REQUESTS=1"],
                                      cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            while articles_in(db) < 10 and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            redis_server.stop()
            log = worker.communicate(timeout=120)[1]
            errors = [line for line in log.splitlines() if "] ERROR: " in line]
            assert len(errors) == 1 and "Frontier redis://127.0.0.1:" in errors[0] \
                and "lost after retries" in errors[0] and "stops as failed" in errors[0], errors
            with sqlite3.connect(db) as conn:
                status, reason = conn.execute("SELECT status, finish_reason FROM crawls").fetchone()
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            assert (status, reason) == ("failed", "frontier_lost")
            assert 10 <= stored < len(demo.expected_stored())

            redis_server.start()   # a new, empty Redis: the queue is gone, the archive is not
            scrapy_crawl("urdupoint", *args)
        with sqlite3.connect(db) as conn:
            ids = [row[0] for row in conn.execute("SELECT article_id FROM articles")]
            status, new, stats = conn.execute("SELECT status, new, stats FROM crawls ORDER BY id DESC").fetchone()
        assert sorted(ids) == sorted(a.id for a in demo.expected_stored())   # each exactly once
        assert status == "finished" and new == len(demo.expected_stored()) - stored
        assert json.loads(stats)["incremental/resuming_after"] == 1   # the failed run: page fully
    finally:
        redis_server.stop()


def test_frontier_status_counts_a_runs_queue_leases_seen_and_workers(redis_prefix):
    client, prefix = redis_prefix
    keys = RunKeys(prefix, "st")
    client.hset(keys.meta, mapping={"spider": "urdupoint", "started": 1_700_000_000})
    client.zadd(keys.queue, {b"a": -20, b"b": -10, b"c": 0})
    client.sadd(keys.seen, "f1", "f2", "f3", "f4", "f5")
    client.sadd(keys.workers, "h:1:x", "h:2:y", "h:3:z")
    client.set(keys.alive("h:1:x"), 1, ex=60)
    client.set(keys.alive("h:2:y"), 1, ex=60)
    client.hset(keys.lease("h:1:x"), mapping={"d": -20, "e": -20})
    client.hset(keys.lease("h:3:z"), mapping={"f": -20})   # its heartbeat is gone
    result = newscrawl("frontier", "status", "-a", "run=st", "--prefix", prefix, "--frontier", REDIS_URL)
    assert result.stdout.splitlines() == [
        "Run st (urdupoint, started 2023-11-14T22:13:20+00:00, not finished)",
        "  queued 3, leased 2, seen 5",
        "  workers alive 2 (1 busy); 1 leased by dead workers (reclaimed by the next live one)",
    ]
    as_json = json.loads(newscrawl("frontier", "status", "--run", "st", "--prefix", prefix, "--json",
                                   "--frontier", REDIS_URL).stdout)
    assert as_json == {"run": "st", "spider": "urdupoint", "queued": 3, "leased": 2, "busy_workers": 1,
                       "workers_alive": 2, "leased_by_dead": 1, "seen": 5,
                       "started": "2023-11-14T22:13:20+00:00", "finished": None}
    assert client.hlen(keys.lease("h:3:z")) == 1   # status only reads


@pytest.mark.parametrize("args, code, message", [
    (["--run", "nothing-here"], 1, "run 'nothing-here': the frontier holds nothing of it (prefix 'newscrawl')"),
    (["-a", "spider=x"], 2, "-a spider=x: only -a run=ID is known here"),
    ([], 2, "give the run: -a run=ID or --run ID"),
    (["--run", "r", "--frontier", "http://h"], 2,
     "--frontier='http://h': expected redis://HOST:PORT/DB (or rediss://, unix://)"),
])
def test_frontier_status_errors(redis_prefix, args, code, message):
    result = newscrawl("frontier", "status", *args, check=False)
    assert (result.returncode, result.stderr) == (code, f"newscrawl frontier: {message}\n")
