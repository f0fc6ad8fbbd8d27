"""Schema v6 (crawl health): an archive of v5 migrates with its crawls and frontier intact."""

import json
import sqlite3

from newscrawl.health import store
from newscrawl.health.history import Alarm
from newscrawl.storage import MIGRATIONS, Archive


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


def test_alerts_open_carry_on_and_clear(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        conn = archive._conn
        for crawl in (1, 2, 3):
            archive.start_crawl("urdupoint", {})
        with archive._atomic():
            store.record(conn, "urdupoint", 1, [Alarm("field:tags", 1.0, 0.0)], {"field:tags"})
            store.record(conn, "urdupoint", 2, [Alarm("field:tags", 1.0, 0.2)], {"field:tags"})
        assert [(a["subject"], a["now"], a["first_crawl"], a["last_crawl"]) for a in store.open_alerts(conn)] == [
            ("field:tags", 0.2, 1, 2)]
        with archive._atomic():
            store.record(conn, "urdupoint", 3, [], set())        # not judged: stays open
        assert len(store.open_alerts(conn)) == 1
        with archive._atomic():
            store.record(conn, "urdupoint", 3, [], {"field:tags"})
        assert store.open_alerts(conn) == []
        with archive._atomic():
            store.save_coverage(conn, 3, {"site": "urdupoint", "articles": 5})
        assert store.history(conn, "urdupoint", 4, 5) == []       # crawl 3 is not finished
        archive.finish_crawl(3, status="finished")
        assert store.history(conn, "urdupoint", 4, 5) == [{"site": "urdupoint", "articles": 5}]
        assert json.loads(conn.execute("SELECT coverage FROM crawls WHERE id = 3").fetchone()[0])["articles"] == 5
