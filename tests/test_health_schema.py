"""The health tables on both backends: a SQLite archive of v5 migrates to v6 with its crawls and
frontier intact, a PostgreSQL one of v1 to v2 (health_alerts); alerts open, carry on and clear."""

import sqlite3
import threading
import time

import pytest
from psycopg.types.json import Jsonb

from conftest import newscrawl
from newscrawl.health import store
from newscrawl.health.history import Alarm
from newscrawl.storage import MIGRATIONS, Archive, ArchiveError, open_archive
from newscrawl.storage.postgres_schema import MIGRATIONS as PG_MIGRATIONS, VERSION_TABLE
from pg_support import admin_connection, archive_target, pg_url  # noqa: F401 (fixtures)


def v5_archive(path):
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:5]:
        for statement in step:
            conn.execute(statement)
    conn.execute("INSERT INTO crawls (id, spider, started_at, status) VALUES (1, 'urdupoint', '2026-11-01', 'running')")
    conn.execute("INSERT INTO frontier VALUES (1, 'https://www.urdupoint.com/en/world/a-1.html', 1, 'world')")
    conn.execute("PRAGMA user_version = 5")
    conn.close()


def test_a_v5_archive_keeps_its_crawls_and_frontier(tmp_path):
    path = tmp_path / "old.db"
    v5_archive(path)
    with Archive(path) as archive:
        assert archive.schema_version() == len(MIGRATIONS) == 6
        assert archive.get_crawl(1)["status"] == "running"
        assert [row["url"] for row in archive.left_frontier("urdupoint", 2)] == [
            "https://www.urdupoint.com/en/world/a-1.html"]
        archive.finish_crawl(1, status="finished_with_alerts", finish_reason="finished")
        # A finished run (with alerts or not) has nothing left to follow.
        assert archive.left_frontier("urdupoint", 2) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT status, coverage FROM crawls").fetchall() == [("finished_with_alerts", None)]


def coverage(articles):
    return {"site": "urdupoint", "kind": "refresh", "articles": articles,
            "fields": {"tags": {"profile": 0.25, "fallback": 0.75, "filled": 1.0}}}


def test_alerts_open_carry_on_and_clear(archive_target):  # noqa: F811
    with open_archive(archive_target) as archive:
        assert store.open_alerts(archive) == [] and store.recent_coverage(archive, None, 3) == {}
        for crawl in (1, 2, 3):
            archive.start_crawl("urdupoint", {})
        store.record(archive, 1, "urdupoint", coverage(1), [Alarm("field:tags", 1.0, 0.0)], {"field:tags"})
        store.record(archive, 2, "urdupoint", coverage(2), [Alarm("field:tags", 0.9, 0.2)], {"field:tags"})
        (alert,) = store.open_alerts(archive)
        assert {key: alert[key] for key in ("id", "site", "subject", "before", "now", "first_crawl", "last_crawl",
                                            "cleared_at", "cleared_crawl")} == {
            "id": 1, "site": "urdupoint", "subject": "field:tags", "before": 1.0, "now": 0.2, "first_crawl": 1,
            "last_crawl": 2, "cleared_at": None, "cleared_crawl": None}
        store.record(archive, 3, "urdupoint", coverage(3), [], set())        # not judged: stays open
        assert len(store.open_alerts(archive)) == 1
        store.record(archive, 3, "urdupoint", coverage(3), [], {"field:tags"})
        assert store.open_alerts(archive) == [] and store.open_alerts(archive, "urdupoint") == []
        (cleared,) = archive.read_sql("SELECT * FROM health_alerts")
        assert (cleared["cleared_crawl"], cleared["cleared_at"] is not None) == (3, True)
        store.record(archive, 3, "urdupoint", coverage(3), [Alarm("field:tags", 1.0, 0.1)], {"field:tags"})
        assert [(a["id"], a["first_crawl"]) for a in store.open_alerts(archive)] == [(2, 3)]  # a new alert
        assert store.history(archive, "urdupoint", 4, 5) == []       # no crawl is finished
        for crawl in (1, 3):
            archive.finish_crawl(crawl, status="finished")
        assert store.history(archive, "urdupoint", 4, 5) == [coverage(3), coverage(1)]
        assert store.history(archive, "urdupoint", 3, 5) == [coverage(1)]
        assert store.history(archive, "another", 4, 5) == []
        assert archive.get_crawl(3)["coverage"] == coverage(3)
    with open_archive(archive_target, readonly=True) as reader:
        recent = store.recent_coverage(reader, "urdupoint", 2)
        assert [(run["crawl"], run["status"], run["coverage"]) for run in recent["urdupoint"]] == [
            (3, "finished", coverage(3)), (2, "running", coverage(2))]
        assert store.recent_coverage(reader, "another", 2) == {}


def test_a_v1_postgresql_archive_migrates_to_health_alerts(pg_url):  # noqa: F811
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for statement in PG_MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (1, '2026-11-01')")
        conn.execute("INSERT INTO crawls (spider, started_at, status, coverage) VALUES "
                     "('urdupoint', '2026-11-01', 'finished', %s)", (Jsonb(coverage(5)),))
    with pytest.raises(ArchiveError, match="run `newscrawl migrate"):
        open_archive(pg_url, readonly=True)
    assert newscrawl("migrate", "--db", pg_url).stdout == f"{pg_url}: schema version {len(PG_MIGRATIONS)}\n"
    with open_archive(pg_url) as archive:
        assert store.history(archive, "urdupoint", 2, 5) == [coverage(5)]
        archive.start_crawl("urdupoint", {})
        store.record(archive, 2, "urdupoint", coverage(1), [Alarm("articles", 5, 1)], {"articles"})
        # The open index: one open alert per site and subject, whatever writes it.
        with pytest.raises(archive.conflict_errors):
            archive.write_sql([("INSERT INTO health_alerts (site, subject, first_seen_at) VALUES (%s, %s, %s)",
                                ("urdupoint", "articles", "2026-11-02"))])
        assert [(a["subject"], a["before"], a["now"]) for a in store.open_alerts(archive)] == [("articles", 5, 1)]


def test_two_workers_of_a_run_raising_one_alert_at_once_keep_one_open(pg_url):  # noqa: F811
    name = pg_url.rsplit("/", 1)[1]
    with open_archive(pg_url, max_transaction_s=3600) as first, open_archive(pg_url) as second:
        one, two = (archive.start_crawl("urdupoint", {"run": "R"}) for archive in (first, second))
        store.record(first, one, "urdupoint", coverage(1), [Alarm("field:tags", 1.0, 0.0)], {"field:tags"})
        errors = []

        def record_second():
            try:
                store.record(second, two, "urdupoint", coverage(2), [Alarm("field:tags", 1.0, 0.1)], {"field:tags"})
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)

        worker = threading.Thread(target=record_second)
        worker.start()
        with admin_connection() as admin:  # the second waits on the alert the first has not committed
            while worker.is_alive() and not admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    (name,)).fetchone()[0]:
                time.sleep(0.01)
        first.commit()
        worker.join(30)
        assert errors == [] and not worker.is_alive()
        second.commit()
        (alert,) = store.open_alerts(first)
        assert (alert["first_crawl"], alert["last_crawl"], alert["now"]) == (one, two, 0.1)
        # Each worker's crawl keeps its own coverage.
        assert [(run["crawl"], run["coverage"]) for run in store.recent_coverage(first, None, 5)["urdupoint"]] == [
            (two, coverage(2)), (one, coverage(1))]
