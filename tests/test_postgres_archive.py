"""The PostgreSQL archive with real crawls and real processes: a demo crawl into PostgreSQL (its
health too), `newscrawl copy` of a SQLite archive, three workers linking one wire story at the
same moment, an unreachable server at start and a connection lost during a batch."""

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from urllib.parse import urlsplit

import pytest

from conftest import LOOPBACK_ONLY, REPO, newscrawl, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server
from newscrawl.health import store
from newscrawl.health.history import Alarm
from newscrawl.storage import ArchiveLost, open_archive
from newscrawl.storage.postgres_schema import SCHEMA_VERSION as PG_SCHEMA_VERSION
from pg_support import admin_connection, pg_url  # noqa: F401
from test_syndication import WAM_BODY, edited, wam

SECTIONS = "world,pakistan,business"
# The first crawl of the demo site, every field read by the profile (keys sorted, as reported).
DEMO_COVERAGE = {
    "all_profile": 1.0, "articles": len(demo.expected_stored()), "drop_rate": 0.0132, "dropped": 1,
    "fields": {name: {"fallback": 0.0, "filled": 1.0, "profile": 1.0}
               for name in ("authors", "body", "byline_raw", "subtitle", "tags", "title")},
    "kind": "incremental", "parsed": len(demo.expected_stored()) + 1, "profiled": len(demo.expected_stored()),
    "sections": {name: {"empty_listings": 0, "links": 24, "listings": 3} for name in sorted(SECTIONS.split(","))},
    "site": "urdupoint",
}
UNREACHABLE = "postgresql://postgres@127.0.0.1:9/newscrawl"


def crawl(base_url, db, *extra, check=True):
    return scrapy_crawl("urdupoint", "-a", f"base_url={base_url}", "-a", f"sections={SECTIONS}",
                        "-s", f"NEWSCRAWL_DB={db}", *extra, check=check)


def story_sizes(archive):
    return Counter(story["copies"] for story in archive.iter_stories())


@pytest.fixture(scope="module")
def sqlite_crawl(demo_server, tmp_path_factory):
    """The demo site crawled into SQLite, with one article edited afterwards (a change)."""
    db = tmp_path_factory.mktemp("sqlite") / "archive.db"
    crawl(demo_server, db)
    with open_archive(db) as archive:
        first = next(archive.iter_articles())
        assert archive.upsert({**first, "title": first["title"] + " (updated)"}) == "updated"
    return db


def test_demo_crawl_into_postgresql(demo_server, sqlite_crawl, pg_url):  # noqa: F811
    crawl(demo_server, pg_url)
    with open_archive(pg_url, readonly=True) as archive, open_archive(sqlite_crawl, readonly=True) as local:
        rows = list(archive.iter_articles())
        paths = [urlsplit(row["canonical_url"]).path for row in rows]
        assert sorted(paths) == sorted(article.path for article in demo.expected_stored())
        assert len(set(paths)) == len(paths)
        assert all(row["story_id"] is not None for row in rows)
        assert story_sizes(archive) == story_sizes(local)  # the same stories as in SQLite
        # The demo site has no syndicated copies: every article is a story of its own.
        assert story_sizes(archive) == {1: len(rows)} and archive.summary()["stories"] == len(rows)
        (run,) = archive.summary(crawls_per_site=5)["sites"]["urdupoint"]["crawls"]
        assert (run["status"], run["new"]) == ("finished", len(rows))
        crawl_row = archive.get_crawl(run["id"])
        assert crawl_row["host"] and crawl_row["pid"] and crawl_row["heartbeat_at"]
    again = crawl(demo_server, pg_url)  # a second run stores nothing new
    with open_archive(pg_url, readonly=True) as archive:
        assert archive.summary()["articles"] == len(rows)
        assert archive.summary()["last_crawl"]["new"] == 0, again.stderr[-2000:]


def health_report(db, *extra):
    return newscrawl("health", "--db", str(db), *extra, check=False)


def test_a_demo_crawl_records_its_health_in_postgresql(demo_server, sqlite_crawl, pg_url):  # noqa: F811
    crawl(demo_server, pg_url)
    with open_archive(pg_url, readonly=True) as archive, open_archive(sqlite_crawl, readonly=True) as local:
        run, local_run = archive.get_crawl(1), local.get_crawl(1)
        assert run["coverage"] == local_run["coverage"] == DEMO_COVERAGE
        assert run["status"] == "finished"
        assert archive.read_sql("SELECT * FROM health_alerts") == []
    report = health_report(pg_url, "--format", "json")
    assert report.returncode == 0
    assert report.stdout == json.dumps({"sites": {"urdupoint": {"verdict": "ok", "alerts": [], "crawls": [
        {"crawl": 1, "status": "finished", "started_at": run["started_at"], "coverage": DEMO_COVERAGE}]}}},
        indent=2) + "\n"
    # Word for word what the same crawl into SQLite reports, text and JSON.
    for extra in ((), ("--format", "json")):
        mine, local = health_report(pg_url, *extra), health_report(sqlite_crawl, *extra)
        assert (mine.returncode, mine.stdout) == (0, local.stdout.replace(local_run["started_at"], run["started_at"]))


def test_copy_moves_a_sqlite_archive_whole(sqlite_crawl, pg_url, tmp_path):  # noqa: F811
    # The module's archive copied first, and an alert added: its health goes along.
    source_db = tmp_path / "source.db"
    with closing(sqlite3.connect(sqlite_crawl)) as module_db, closing(sqlite3.connect(source_db)) as mine:
        module_db.backup(mine)
    with open_archive(source_db) as source:
        store.record(source, 1, "urdupoint", DEMO_COVERAGE, [Alarm("articles", 80, 75)], {"articles"})
    newscrawl("copy", "--from", str(source_db), "--to", pg_url)
    with open_archive(pg_url, readonly=True) as copy, open_archive(source_db, readonly=True) as source:
        assert copy.read_sql("SELECT * FROM health_alerts") == source.read_sql("SELECT * FROM health_alerts")
        assert copy.get_crawl(1)["coverage"] == source.get_crawl(1)["coverage"] == DEMO_COVERAGE
        assert list(copy.iter_articles()) == list(source.iter_articles())
        changed = [row["id"] for row in source.iter_articles() if source.changes(row["id"])]
        assert len(changed) == 1
        assert copy.changes(changed[0]) == source.changes(changed[0])
        assert list(copy.iter_stories()) == list(source.iter_stories())
        for query in ("Karachi", "hospital", "port container", "nothing-like-this"):
            found = {hit["id"] for hit in copy.search(query, limit=500)}  # ranks differ by engine
            assert found == {hit["id"] for hit in source.search(query, limit=500)}
            assert bool(found) == (query != "nothing-like-this"), query
        summary, expected = copy.summary(crawls_per_site=3), source.summary(crawls_per_site=3)
        for key in ("articles", "changes", "stories", "crawls"):
            assert summary[key] == expected[key]
        assert copy.last_row_id() == source.last_row_id() == (last := copy.last_row_id())
    with open_archive(pg_url) as copy:  # new rows go after the copied ones
        assert copy.upsert(wam(1)) == "new"
        assert copy.row_id(wam(1)["canonical_url"]) == last + 1
    again = newscrawl("copy", "--from", str(source_db), "--to", pg_url, check=False)
    assert again.returncode == 1 and "not empty" in again.stderr
    stats = newscrawl("stats", "--db", pg_url)
    assert stats.stdout.startswith(f"Archive {pg_url}: {summary['articles'] + 1} articles")
    copied, local = health_report(pg_url, "--format", "json"), health_report(source_db, "--format", "json")
    assert copied.returncode == local.returncode == 2 and copied.stdout == local.stdout
    assert [a["subject"] for a in json.loads(copied.stdout)["sites"]["urdupoint"]["alerts"]] == ["articles"]


def _store_a_copy(url, copy, barrier, results):
    from newscrawl.syndication import StoryIndex

    with open_archive(url) as archive:
        index = StoryIndex(archive)
        barrier.wait()  # all three store and link at the same moment
        archive.upsert(copy)
        link = index.add(copy)
        archive.commit()
        results.put(link.story)


def test_three_workers_storing_one_wire_story_at_once_make_one_story(pg_url):  # noqa: F811
    open_archive(pg_url).close()  # the schema first: workers race on the story, not on migration
    copies = [wam(1), wam(2, published_at="2023-07-29T09:30:00+04:00"),
              edited(first="Abu Dhabi: " + WAM_BODY[0].split("-- ", 1)[1], number=3)]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(copies)), context.Queue()
    workers = [context.Process(target=_store_a_copy, args=(pg_url, copy, barrier, results))
               for copy in copies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    stories = {results.get(timeout=5) for _ in copies}
    with open_archive(pg_url, readonly=True) as archive:
        (story,) = archive.iter_stories()
        assert story["copies"] == 3 and story["first_site"] == "site2"
        assert stories == {story["id"]}
        assert {row["story_id"] for row in archive.iter_articles()} == {story["id"]}


def test_unreachable_server_at_start_is_one_line_and_writes_nothing(demo_server, tmp_path):
    feed = tmp_path / "feed.jsonl"
    result = crawl(demo_server, UNREACHABLE, "-O", str(feed), check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"scrapy crawl: cannot open the PostgreSQL archive {UNREACHABLE}: connection failed: connection "
        'to server at "127.0.0.1", port 9 failed: Connection refused'), result.stderr
    assert "Traceback" not in result.stderr and not feed.exists()
    for verb in (["stats"], ["export"], ["stories"], ["migrate"]):
        result = newscrawl(*verb, "--db", UNREACHABLE, check=False)
        assert result.returncode == 1
        (line,) = result.stderr.strip().splitlines()
        assert "cannot open the PostgreSQL archive" in line


def _terminate(url):
    name = url.rsplit("/", 1)[1]
    with admin_connection() as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


def test_a_lost_connection_is_retried_and_the_batch_replayed(pg_url):  # noqa: F811
    with open_archive(pg_url, retries=3) as archive:
        crawl_id = archive.start_crawl("wam", {})
        archive.upsert(wam(1))
        store.record(archive, crawl_id, "site1", {"site": "site1"}, [Alarm("articles", 3, 1)], {"articles"})
        archive.upsert(wam(2))  # all three wait in the open batch
        _terminate(pg_url)
        assert archive.upsert(wam(3)) == "new"
        archive.commit()
        assert archive.summary()["articles"] == 3
        assert archive.get_crawl(crawl_id)["coverage"] == {"site": "site1"}
        assert [(a["site"], a["subject"], a["first_crawl"]) for a in store.open_alerts(archive)] == [
            ("site1", "articles", crawl_id)]


def test_a_server_that_stays_away_ends_in_archive_lost(pg_url):  # noqa: F811
    name = pg_url.rsplit("/", 1)[1]
    archive = open_archive(pg_url, retries=2)
    archive.upsert(wam(1))
    with admin_connection() as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    _terminate(pg_url)
    with pytest.raises(ArchiveLost, match="lost the PostgreSQL archive"):
        archive.upsert(wam(2))
    with admin_connection() as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    archive.close()


def test_archive_lost_mid_crawl_stops_the_worker_and_a_later_run_finishes(pg_url):  # noqa: F811
    name = pg_url.rsplit("/", 1)[1]
    open_archive(pg_url).close()
    with running_server("urdupoint", delay=0.1) as server:
        args = [sys.executable, "-m", "scrapy", "crawl", "urdupoint", "-a", f"base_url={server.base_url}",
                "-a", f"sections={SECTIONS}", "-s", f"NEWSCRAWL_DB={pg_url}", "-s", "CONCURRENT_REQUESTS=2"]
        env = {**os.environ, **LOOPBACK_ONLY, "NEWSCRAWL_DB_RETRIES": "1"}
        worker = subprocess.Popen(args, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
        try:
            with open_archive(pg_url, readonly=True) as reader:  # cut it off mid-crawl
                while reader.summary()["articles"] < 5 and worker.poll() is None:
                    time.sleep(0.1)
            with admin_connection() as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            _terminate(pg_url)
            _, log = worker.communicate(timeout=120)
        finally:
            worker.kill()
            with admin_connection() as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert "lost the PostgreSQL archive" in log and "'finish_reason': 'archive_lost'" in log, log[-3000:]
        assert "health not recorded" in log and "Error caught on signal handler" not in log, log[-3000:]
        with open_archive(pg_url, readonly=True) as reader:
            stored = reader.summary()["articles"]
        assert 5 <= stored < len(demo.expected_stored())
        crawl(server.base_url, pg_url)  # the next run stores what the lost one could not
    with open_archive(pg_url, readonly=True) as archive:
        assert archive.summary()["articles"] == len(demo.expected_stored())
        first, second = sorted(run["id"] for run in archive.summary(crawls_per_site=5)["sites"]["urdupoint"]["crawls"])
        assert archive.get_crawl(first)["status"] == "interrupted"
        assert archive.get_crawl(second)["status"] == "finished"


def _open(url, barrier):
    barrier.wait()
    open_archive(url).close()


def test_workers_opening_a_new_database_together_create_the_schema_once(pg_url):  # noqa: F811
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    workers = [context.Process(target=_open, args=(pg_url, barrier)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 4
    import psycopg

    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM newscrawl_schema ORDER BY version").fetchall() == [
            (version,) for version in range(1, PG_SCHEMA_VERSION + 1)]
    result = newscrawl("migrate", "--db", pg_url)
    assert result.stdout == f"{pg_url}: schema version {PG_SCHEMA_VERSION}\n"


def test_band_rows_follow_the_fingerprints_and_a_version_1_archive_is_migrated(pg_url):  # noqa: F811
    """fingerprint_bands (what linking looks candidates up in) is kept from fingerprints.bands,
    on insert and on update; a version-1 database gets it filled from what it holds."""
    import psycopg

    from newscrawl.storage.postgres_schema import MIGRATIONS
    from newscrawl.syndication.minhash import NUM_PERM

    with psycopg.connect(pg_url, autocommit=True) as conn:   # an archive made by version 1
        conn.execute("CREATE TABLE newscrawl_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO newscrawl_schema VALUES (1, 'then')")
        conn.execute("INSERT INTO articles (canonical_url, url, content_hash, first_seen_at, updated_at, "
                     "published_at) VALUES ('https://a.example/1', 'https://a.example/1', 'h', 'then', 'then', "
                     "'2023-07-29T10:00:00+05:00')")
        conn.execute("INSERT INTO fingerprints (article, method, content_hash, signature, shingles, key_tokens, "
                     "bands) VALUES (1, 'm', 'h', %s, 1, '{}', '{5,6,6}')", (bytes(4 * NUM_PERM),))
    with open_archive(pg_url) as archive:
        assert archive.schema_version() == PG_SCHEMA_VERSION
        rows = lambda: sorted(archive._conn.execute("SELECT key, article FROM fingerprint_bands").fetchall(),
                              key=lambda row: row["key"])  # noqa: E731
        assert rows() == [{"key": 5, "article": 1}, {"key": 6, "article": 1}]
        archive._conn.execute("UPDATE fingerprints SET bands = '{7}' WHERE article = 1")
        assert rows() == [{"key": 7, "article": 1}]
        articles, _, _ = archive.band_candidates("m", [7, 8], ["2023-07"])
        assert list(articles) == [1]


def test_a_run_ends_with_its_last_worker(pg_url):  # noqa: F811
    with open_archive(pg_url) as archive:
        one = archive.start_crawl("urdupoint", {"run": "R1", "_pid": "11", "_host": "a"})
        two = archive.start_crawl("urdupoint", {"run": "R1", "_pid": "12", "_host": "b"})
        assert archive.get_run("R1")["status"] == "running"
        archive.finish_crawl(one, status="interrupted")
        assert archive.get_run("R1")["status"] == "running"  # the other worker still runs
        archive.finish_crawl(two, status="finished")
        assert archive.get_run("R1")["status"] == "finished"
        assert [(c["host"], c["pid"], c["run"]) for c in map(archive.get_crawl, (one, two))] == [
            ("a", 11, "R1"), ("b", 12, "R1")]


def test_a_password_in_the_crawl_setting_is_a_usage_error(demo_server):
    result = crawl(demo_server, "postgresql://crawler:hunter2@127.0.0.1:9/x", check=False)
    assert result.returncode == 2 and "hunter2" not in result.stderr
    assert "PGPASSWORD" in result.stderr.splitlines()[-1]


def test_two_last_workers_finishing_at_once_finish_the_run(pg_url):  # noqa: F811
    """Worker B's finish is held open (its own transaction, the order the code takes) while A
    finishes: A must wait for B's commit and then see it; seeing B still 'running' would leave
    the run 'running' for ever (CI saw this as a flaky 3-worker test)."""
    import threading

    import psycopg

    with open_archive(pg_url) as archive:
        one = archive.start_crawl("urdupoint", {"run": "R2", "_pid": "11", "_host": "a"})
        two = archive.start_crawl("urdupoint", {"run": "R2", "_pid": "12", "_host": "b"})
    worker_b = psycopg.connect(pg_url)   # a transaction, like the archive's batch
    worker_b.execute("SELECT 1 FROM runs WHERE id = 'R2' FOR UPDATE")
    worker_b.execute("UPDATE crawls SET status = 'finished' WHERE id = %s", (two,))
    worker_b.execute("UPDATE runs SET status = 'finished' WHERE id = 'R2' AND NOT EXISTS "
                     "(SELECT 1 FROM crawls WHERE run = 'R2' AND status = 'running')")   # sees A running

    def finish_a():
        with open_archive(pg_url) as archive:
            archive.finish_crawl(one, status="finished")

    worker_a = threading.Thread(target=finish_a)
    worker_a.start()
    with psycopg.connect(pg_url, autocommit=True) as observer:
        for _ in range(600):   # until A waits on B's lock (or has already finished without it)
            waiting = observer.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND wait_event_type = 'Lock'").fetchone()[0]
            if waiting or not worker_a.is_alive():
                break
            time.sleep(0.05)
    worker_b.commit()
    worker_b.close()
    worker_a.join(30)
    with open_archive(pg_url, readonly=True) as archive:
        assert archive.get_run("R2")["status"] == "finished"


def test_linking_waits_only_for_a_possible_copy(pg_url):  # noqa: F811
    """story_linking locks the article's band keys until the commit: a worker linking an article
    that shares a key waits; one linking an unrelated article does not."""
    import threading

    archives = [open_archive(pg_url) for _ in range(3)]
    holder, unrelated, copy = archives
    try:
        holder.story_linking([11, 42])
        done = {}

        def link(name, archive, keys):
            archive.story_linking(keys)
            done[name] = time.monotonic()
            archive.commit()

        threads = [threading.Thread(target=link, args=("unrelated", unrelated, [7])),
                   threading.Thread(target=link, args=("copy", copy, [42, 99]))]
        for thread in threads:
            thread.start()
        threads[0].join(10)
        assert "unrelated" in done and "copy" not in done
        with psycopg_connect(pg_url) as observer:
            for _ in range(200):   # the copy's linker is waiting on the holder's lock
                if observer.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND wait_event_type = 'Lock'").fetchone()[0]:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("the copy's linker never waited")
        assert "copy" not in done
        holder.commit()
        threads[1].join(10)
        assert "copy" in done
    finally:
        for archive in archives:
            archive.close()


def psycopg_connect(url):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def test_two_workers_marking_each_other_gone_do_not_deadlock(pg_url):  # noqa: F811
    """A worker's open batch holds its own crawls row (a heartbeat); a peer marking it gone holds
    the run's row and waits for it. Marking (and finishing) commits the batch first, so the
    worker's own marking does not wait on the peer in turn (PostgreSQL would abort one)."""
    import threading

    first, second = open_archive(pg_url), open_archive(pg_url)
    try:
        one = first.start_crawl("urdupoint", {"run": "R3"})
        two = second.start_crawl("urdupoint", {"run": "R3"})
        second.heartbeat()   # uncommitted: the row of crawl `two` stays locked until second commits
        marked = []
        peer = threading.Thread(target=lambda: marked.append(first.mark_gone(two)))
        peer.start()
        with psycopg_connect(pg_url) as observer:
            for _ in range(200):
                if observer.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND wait_event_type = 'Lock'").fetchone()[0]:
                    break
                time.sleep(0.05)
        assert second.mark_gone(one)
        peer.join(30)
        assert marked == [True]
        assert second.get_run("R3")["status"] == "interrupted"
    finally:
        first.close()
        second.close()


def test_a_worker_that_lost_the_archive_records_its_end_once_the_server_is_back(pg_url):  # noqa: F811
    from newscrawl.pipelines.store import record_on_a_new_connection

    name = pg_url.rsplit("/", 1)[1]
    with open_archive(pg_url) as archive:
        crawl_id = archive.start_crawl("urdupoint", {})
    with admin_connection() as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:   # still away: the row stays 'running' for a later run to mark
        assert not record_on_a_new_connection(pg_url, crawl_id, "failed", "archive_lost", {}, {})
    finally:
        with admin_connection() as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert record_on_a_new_connection(pg_url, crawl_id, "failed", "archive_lost", {"new": 3}, {"x": 1})
    with open_archive(pg_url, readonly=True) as archive:
        crawl = archive.get_crawl(crawl_id)
        assert (crawl["status"], crawl["finish_reason"], crawl["new"]) == ("failed", "archive_lost", 3)


def test_a_growing_archive_keeps_its_planner_statistics(pg_url):  # noqa: F811
    """Stored articles make the archive ANALYZE its lookup tables (autovacuum may be off, as it is
    on this machine): without statistics every seen-store lookup scanned the whole table."""
    def analyzed(archive):
        return archive.read_sql("SELECT relname AS name FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
                                "ORDER BY relname")

    with open_archive(pg_url) as archive:
        archive.analyze_after = 3
        for number in range(1, 3):
            archive.upsert(wam(number))
        archive.commit()
        assert analyzed(archive) == []
        archive.upsert(wam(3))
        archive.commit()
        assert [row["name"] for row in analyzed(archive)] == ["articles", "fingerprint_bands", "fingerprints",
                                                               "stories"]
        assert archive._new_since_analyze == 0
