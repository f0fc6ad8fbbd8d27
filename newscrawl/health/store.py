"""The health tables, beside the archive's own: every SQL statement of newscrawl/health is here,
run through the archive's read_sql / write_sql in its dialect (SQLITE or POSTGRES below).

`crawls.coverage` (a JSON object, history.py describes it) is a column of both schemas: text in
SQLite (schema v6), jsonb in PostgreSQL. `health_alerts` is a step of the PostgreSQL schema (v2);
a SQLite archive creates it on first use (CREATE TABLE IF NOT EXISTS before each write).
An alert is open while `cleared_at` is NULL; a crawl that judges its subject healthy clears it.
"""

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

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


def _sorted_keys(value):
    """jsonb gives an object's keys shortest first: sorted again, as SQLite's JSON text (written
    with sort_keys) reads back, so both backends report alike."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


@dataclass(frozen=True)
class Dialect:
    """What differs between the backends; the statements below are written with `?` marks."""
    mark: str                        # the driver's placeholder
    coverage_site: str               # the site of a crawl's coverage, as SQL
    coverage_mark: str               # where a coverage (JSON text) is written
    byte_order: str                  # after an ORDER BY text: compare bytes, as SQLite does
    alerts_table: str                # a row when health_alerts exists
    tables: tuple[str, ...]          # run before each write: what is created on first use
    decode_coverage: Callable

    def sql(self, statement: str) -> str:
        return statement.replace("?", self.mark)


SQLITE = Dialect(mark="?", coverage_site="json_extract(coverage, '$.site')", coverage_mark="?", byte_order="",
                 alerts_table="SELECT 1 FROM sqlite_master WHERE name = 'health_alerts'",
                 tables=(ALERTS_TABLE, OPEN_INDEX), decode_coverage=json.loads)
POSTGRES = Dialect(mark="%s", coverage_site="(coverage->>'site')", coverage_mark="CAST(? AS jsonb)",
                   byte_order=' COLLATE "C"',
                   alerts_table="SELECT 1 AS found WHERE to_regclass('health_alerts') IS NOT NULL",
                   tables=(), decode_coverage=_sorted_keys)
DIALECTS = {"sqlite": SQLITE, "postgresql": POSTGRES}

# An alarm carries its subject's open alert on (its latest level and crawl), or opens one. The
# insert names no value when the alert is open, so a PostgreSQL sequence skips no id; ON CONFLICT
# is for another worker of the run that opened it meanwhile.
CARRY_ON_ALERT = """UPDATE health_alerts SET now = ?, last_crawl = ?
    WHERE site = ? AND subject = ? AND cleared_at IS NULL"""
OPEN_ALERT = """INSERT INTO health_alerts (site, subject, before, now, first_seen_at, first_crawl, last_crawl)
    SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (
        SELECT 1 FROM health_alerts WHERE site = ? AND subject = ? AND cleared_at IS NULL)
    ON CONFLICT (site, subject) WHERE cleared_at IS NULL
    DO UPDATE SET now = excluded.now, last_crawl = excluded.last_crawl"""
CLEAR_ALERT = """UPDATE health_alerts SET cleared_at = ?, cleared_crawl = ?
    WHERE site = ? AND subject = ? AND cleared_at IS NULL"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def history(archive, site: str, before: int, limit: int) -> list[dict]:
    """Coverage of the site's last `limit` finished crawls before crawl `before`, newest first."""
    d = DIALECTS[archive.dialect]
    rows = archive.read_sql(d.sql(
        f"""SELECT coverage FROM crawls WHERE id < ? AND status IN {FINISHED_STATUSES!r}
            AND coverage IS NOT NULL AND {d.coverage_site} = ? ORDER BY id DESC LIMIT ?"""),
        (before, site, limit))
    return [d.decode_coverage(row["coverage"]) for row in rows]


def record(archive, crawl_id: int, site: str, coverage: dict, alarms, evaluated) -> None:
    """One write: the crawl's coverage, an alert opened (or carried on) per alarm, the open alerts
    of subjects judged healthy cleared."""
    d = DIALECTS[archive.dialect]
    now, raised = _now(), {alarm.subject for alarm in alarms}
    statements = [(table, ()) for table in d.tables]
    statements.append((f"UPDATE crawls SET coverage = {d.coverage_mark} WHERE id = ?",
                       (json.dumps(coverage, ensure_ascii=False, sort_keys=True), crawl_id)))
    for alarm in alarms:
        statements.append((CARRY_ON_ALERT, (alarm.now, crawl_id, site, alarm.subject)))
        statements.append((OPEN_ALERT, (site, alarm.subject, alarm.before, alarm.now, now, crawl_id, crawl_id,
                                        site, alarm.subject)))
    statements += [(CLEAR_ALERT, (now, crawl_id, site, subject)) for subject in sorted(evaluated - raised)]
    archive.write_sql([(d.sql(statement), params) for statement, params in statements])


def open_alerts(archive, site: str | None = None) -> list[dict]:
    d = DIALECTS[archive.dialect]
    if not archive.read_sql(d.alerts_table):
        return []
    return archive.read_sql(d.sql(
        f"""SELECT * FROM health_alerts WHERE cleared_at IS NULL AND (CAST(? AS TEXT) IS NULL OR site = ?)
            ORDER BY site{d.byte_order}, subject{d.byte_order}"""), (site, site))


def recent_coverage(archive, site: str | None, limit: int) -> dict[str, list[dict]]:
    """{site: [{"crawl", "status", "started_at", "coverage"}, …]}: each site's last crawls that
    recorded coverage, newest first."""
    d = DIALECTS[archive.dialect]
    rows = archive.read_sql(d.sql(
        f"""SELECT id, status, started_at, coverage, site FROM (
               SELECT id, status, started_at, coverage, {d.coverage_site} AS site,
                      row_number() OVER (PARTITION BY {d.coverage_site} ORDER BY id DESC) AS n
               FROM crawls WHERE coverage IS NOT NULL) AS recent
           WHERE n <= ? AND (CAST(? AS TEXT) IS NULL OR site = ?) ORDER BY site{d.byte_order}, id DESC"""),
        (limit, site, site))
    sites: dict[str, list[dict]] = {}
    for row in rows:
        sites.setdefault(row["site"], []).append({"crawl": row["id"], "status": row["status"],
                                                  "started_at": row["started_at"],
                                                  "coverage": d.decode_coverage(row["coverage"])})
    return sites
