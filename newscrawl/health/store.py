"""The health tables, beside the archive's own: every SQL statement of newscrawl/health is here.

`health_alerts` is created on first use (CREATE TABLE IF NOT EXISTS on the archive's connection);
`crawls.coverage` (a JSON object, history.py describes it) is a column of schema v6.
An alert is open while `cleared_at` is NULL; a crawl that judges its subject healthy clears it.
"""

import datetime as dt
import json
import sqlite3

from ..storage import FINISHED_STATUSES

ALERTS_TABLE = """CREATE TABLE IF NOT EXISTS health_alerts (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    subject TEXT NOT NULL,          -- field:<name>, section:<slug>, articles, drop_rate
    before REAL,                    -- the usual level (median of the history)
    now REAL,                       -- the latest crawl's level
    first_seen_at TEXT NOT NULL,
    first_crawl INTEGER,
    last_crawl INTEGER,
    cleared_at TEXT,
    cleared_crawl INTEGER
)"""
OPEN_INDEX = """CREATE UNIQUE INDEX IF NOT EXISTS health_alerts_open
    ON health_alerts (site, subject) WHERE cleared_at IS NULL"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _has_alerts_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'health_alerts'").fetchone() is not None


def ensure_tables(conn: sqlite3.Connection) -> None:
    conn.execute(ALERTS_TABLE)
    conn.execute(OPEN_INDEX)


def history(conn: sqlite3.Connection, site: str, before: int, limit: int) -> list[dict]:
    """Coverage of the site's last `limit` finished crawls before crawl `before`, newest first."""
    rows = conn.execute(
        f"""SELECT coverage FROM crawls WHERE id < ? AND status IN {FINISHED_STATUSES!r}
            AND coverage IS NOT NULL AND json_extract(coverage, '$.site') = ?
            ORDER BY id DESC LIMIT ?""", (before, site, limit)).fetchall()
    return [json.loads(row[0]) for row in rows]


def save_coverage(conn: sqlite3.Connection, crawl_id: int, coverage: dict) -> None:
    conn.execute("UPDATE crawls SET coverage = ? WHERE id = ?",
                 (json.dumps(coverage, ensure_ascii=False, sort_keys=True), crawl_id))


def record(conn: sqlite3.Connection, site: str, crawl_id: int, alarms, evaluated) -> None:
    """Open (or carry on) an alert per alarm; clear the open alerts of subjects judged healthy."""
    ensure_tables(conn)
    now, raised = _now(), {alarm.subject for alarm in alarms}
    for alarm in alarms:
        updated = conn.execute(
            "UPDATE health_alerts SET now = ?, last_crawl = ? WHERE site = ? AND subject = ? "
            "AND cleared_at IS NULL", (alarm.now, crawl_id, site, alarm.subject)).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO health_alerts (site, subject, before, now, first_seen_at, first_crawl, "
                "last_crawl) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (site, alarm.subject, alarm.before, alarm.now, now, crawl_id, crawl_id))
    for subject in evaluated - raised:
        conn.execute("UPDATE health_alerts SET cleared_at = ?, cleared_crawl = ? WHERE site = ? "
                     "AND subject = ? AND cleared_at IS NULL", (now, crawl_id, site, subject))


def open_alerts(conn: sqlite3.Connection, site: str | None = None) -> list[dict]:
    if not _has_alerts_table(conn):
        return []
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "SELECT * FROM health_alerts WHERE cleared_at IS NULL AND (? IS NULL OR site = ?) "
        "ORDER BY site, subject", (site, site)).fetchall()
    return [dict(row) for row in rows]


def recent_coverage(conn: sqlite3.Connection, site: str | None, limit: int) -> dict[str, list[dict]]:
    """{site: [{"crawl", "status", "started_at", "coverage"}, …]}: each site's last crawls that
    recorded coverage, newest first."""
    rows = conn.execute(
        """SELECT id, status, started_at, coverage, site FROM (
               SELECT id, status, started_at, coverage, json_extract(coverage, '$.site') AS site,
                      row_number() OVER (PARTITION BY json_extract(coverage, '$.site') ORDER BY id DESC) AS n
               FROM crawls WHERE coverage IS NOT NULL)
           WHERE n <= ? AND (? IS NULL OR site = ?) ORDER BY site, id DESC""",
        (limit, site, site)).fetchall()
    sites: dict[str, list[dict]] = {}
    for crawl_id, status, started_at, coverage, name in rows:
        sites.setdefault(name, []).append({"crawl": crawl_id, "status": status, "started_at": started_at,
                                           "coverage": json.loads(coverage)})
    return sites
