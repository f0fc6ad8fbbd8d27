"""Several `scrapy crawl` workers share one run through Redis, and one is SIGKILLed mid-crawl:
once with a SQLite archive, once with a PostgreSQL one (both engines together)."""

import collections
import json
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import REPO
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server
from newscrawl.frontier.keys import RunKeys
from newscrawl.frontier.leases import Leases
from newscrawl.storage import open_archive
from pg_support import archive_target  # noqa: F401 (fixture: the workers' archive, SQLite or PostgreSQL)
from redis_support import REDIS_URL, count_responses, keys_of, redis_prefix  # noqa: F401 (fixture)

IN_FLIGHT = 2   # each worker's CONCURRENT_REQUESTS
LEASE_LIMIT = 2 * IN_FLIGHT   # the default lease limit: in flight, or done and awaiting the commit
SECTIONS = "world,pakistan,business"


def articles_in(db):
    if db.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(db, connect_timeout=3) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except psycopg.Error:  # the schema is not there until the first worker made it
            return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def stored_articles(db):
    with open_archive(db, readonly=True) as archive:
        return list(archive.iter_articles()), list(archive.iter_stories())


def start_worker(server, db, prefix, run, log):
    args = ["-a", f"base_url={server.base_url}", "-a", f"sections={SECTIONS}", "-a", f"run={run}",
            "-s", f"NEWSCRAWL_FRONTIER={REDIS_URL}", "-s", f"NEWSCRAWL_FRONTIER_PREFIX={prefix}",
            "-s", "NEWSCRAWL_FRONTIER_GRACE=2", "-s", "NEWSCRAWL_FRONTIER_HEARTBEAT=3",
            "-s", "NEWSCRAWL_FRONTIER_TICK=0.2", "-s", f"CONCURRENT_REQUESTS={IN_FLIGHT}",
            "-s", f"NEWSCRAWL_DB={db}", "-s", "NEWSCRAWL_DB_BATCH_SIZE=5"]
    return subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "urdupoint", *args], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=open(log, "w"))


def wait_all(workers, logs):
    for worker, log in zip(workers, logs):
        try:
            worker.wait(timeout=180)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise AssertionError(f"a worker did not close:\n{log.read_text()[-3000:]}")


def crawl_rows(db, run):
    """(id, status, stats) of the run's crawls, one per worker, in start order."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            rows = conn.execute("SELECT id, status, args, stats FROM crawls ORDER BY id").fetchall()
        return [(id_, status, stats or {}) for id_, status, args, stats in rows if args.get("run") == run]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, status, args, stats FROM crawls ORDER BY id").fetchall()
    return [(id_, status, json.loads(stats) if stats else {}) for id_, status, args, stats in rows
            if json.loads(args).get("run") == run]


def run_status(db, run):
    """The `runs` row's status (PostgreSQL keeps one per logical crawl; SQLite has none)."""
    with open_archive(db, readonly=True) as archive:
        row = archive.get_run(run)
    return row and row["status"]


def stored_article_paths():
    return {a.path for a in demo.expected_stored()} | {a.amp_path for a in demo.expected_stored()}


def refetched(hits, paths=None):
    return {path: n - 1 for path, n in hits.items()
            if n > 1 and path != "/robots.txt" and (paths is None or path in paths)}


def test_three_workers_one_killed_then_a_second_run(redis_prefix, archive_target, tmp_path):
    client, prefix = redis_prefix
    db = archive_target
    keys = RunKeys(prefix, "r1")
    with running_server("urdupoint", delay=0.05) as server:
        count_responses(server)
        logs = [tmp_path / f"worker{i}.log" for i in range(3)]
        workers = [start_worker(server, db, prefix, "r1", log) for log in logs]
        deadline = time.monotonic() + 120
        while articles_in(db) < 20 and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), "a worker ended before the kill"
            time.sleep(0.02)
        # Kill a worker that holds leases (its id is host:pid:…), so there is something to reclaim.
        victim = None
        while victim is None and time.monotonic() < deadline:
            for key in keys_of(client, keys.base + "lease:*"):
                pid = int(key.rsplit(":", 2)[-2])
                if client.hlen(key) and any(w.pid == pid for w in workers):
                    victim = next(w for w in workers if w.pid == pid)
                    victim.send_signal(signal.SIGKILL)
                    victim.wait(timeout=30)
                    held = client.hlen(key)
                    break
        assert victim is not None, "no worker held a lease to kill"
        stored_at_kill = articles_in(db)
        assert 1 <= held <= LEASE_LIMIT
        survivors = [w for w in workers if w is not victim]
        wait_all(survivors, [log for w, log in zip(workers, logs) if w is not victim])
        first_hits = dict(server.hits)

        articles, stories = stored_articles(db)
        ids = [row["article_id"] for row in articles]
        assert sorted(ids) == sorted(a.id for a in demo.expected_stored())   # each exactly once
        assert len({row["canonical_url"] for row in articles}) == len(demo.expected_stored())
        assert stored_at_kill < len(ids)
        # Every article is in a story, and each story counts the copies that name it.
        assert all(row["story_id"] is not None for row in articles)
        members = collections.Counter(row["story_id"] for row in articles)
        assert {story["id"]: story["copies"] for story in stories} == dict(members)
        assert all(story["copies"] == len(story["articles"]) for story in stories)
        rows = crawl_rows(db, "r1")
        finished = [stats for _, status, stats in rows if status == "finished"]
        assert len(finished) == 2, [(i, s) for i, s, _ in rows]
        # The killed worker's crawl is marked interrupted by a survivor, so the run can end.
        assert sorted(status for _, status, _ in rows) == ["finished", "finished", "interrupted"]
        if db.startswith("postgresql://"):
            assert run_status(db, "r1") == "finished"
        with open_archive(db, readonly=True) as archive:
            runs = [archive.get_crawl(crawl_id) for crawl_id, _, _ in rows]
        for run in runs:  # each finished worker recorded the health of what it stored; the killed one none
            if run["status"] == "finished":
                assert (run["coverage"]["site"], run["coverage"]["articles"]) == (
                    "urdupoint", run["new"] + run["updated"] + run["unchanged"])
            else:
                assert run["coverage"] is None
        assert sum(stats.get("frontier/reclaimed", 0) for stats in finished) == held
        assert sum(stats.get("frontier/acked", 0) for stats in finished) >= 1
        # Nothing left in hand: queue, leases and busy keys are gone; the seen set stays for the run.
        assert client.zcard(keys.queue) == 0
        assert keys_of(client, keys.base + "lease:*") == []
        assert keys_of(client, keys.base + "busy:*") == []
        assert keys_of(client, keys.base + "alive:*") == []
        assert Leases(client, keys).census() == {"queued": 0, "leased": 0, "busy_workers": 0,
                                                 "workers_alive": 0, "leased_by_dead": 0,
                                                 "seen": client.scard(keys.seen)}
        assert client.hget(keys.meta, "finished") is not None
        # At-least-once fetching costs no more than what the killed worker had in hand.
        assert sum(refetched(first_hits).values()) <= held, refetched(first_hits)

        # A second run, two workers: per-run keys, so listings are fetched again; stored articles not.
        server.hits.clear()
        logs2 = [tmp_path / f"second{i}.log" for i in range(2)]
        wait_all([start_worker(server, db, prefix, "r2", log) for log in logs2], logs2)
        second_hits = dict(server.hits)
    listings = {demo.listing_path(section, 1) for section in SECTIONS.split(",")}
    assert listings <= second_hits.keys()
    assert not (second_hits.keys() & stored_article_paths()), sorted(second_hits.keys() & stored_article_paths())
    rows = crawl_rows(db, "r2")
    assert [status for _, status, _ in rows] == ["finished", "finished"]
    if db.startswith("postgresql://"):
        assert run_status(db, "r2") == "finished"
    assert sum(stats.get("archive/new", 0) + stats.get("archive/unchanged", 0) for _, _, stats in rows) == 0
    assert articles_in(db) == len(demo.expected_stored())
