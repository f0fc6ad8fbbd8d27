"""`newscrawl copy`: a SQLite archive moved whole into an empty PostgreSQL archive, with the
same ids (articles, stories, crawls, changes, health alerts), fingerprints (their band keys
computed on the way), frontier and crawl health, in one transaction: a copy that fails leaves
the destination empty."""

from __future__ import annotations

import json

import numpy as np
from psycopg.types.json import Jsonb

from newscrawl.storage_file import ArchiveError
from newscrawl.syndication.bands import band_keys

from .common import JSON_FIELDS, STORED_FIELDS
from .postgres import PostgresArchive
from .sqlite import Archive

_ARTICLE_EXTRA = ("content_hash", "first_seen_at", "updated_at", "story_id")
_STORY_COLUMNS = ("id", "agency", "first_site", "first_url", "first_published_at", "copies",
                  "created_at", "updated_at")
_CRAWL_COLUMNS = ("id", "job_id", "spider", "started_at", "finished_at", "status", "finish_reason",
                  "requests", "pages", "new", "updated", "unchanged", "errors")
_ALERT_COLUMNS = ("id", "site", "subject", "before", "now", "first_seen_at", "first_crawl", "last_crawl",
                  "cleared_at", "cleared_crawl")


def _insert(conn, table: str, columns, rows, casts=None) -> int:
    casts = casts or {}
    marks = ", ".join(f"%s::{casts[name]}" if name in casts else "%s" for name in columns)
    with conn.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                           [[row[name] for name in columns] for row in rows])
    return len(rows)


def copy_archive(source: Archive, target: PostgresArchive) -> dict:
    """Copy every row of `source` into `target` (which must hold no articles, crawls or
    stories); the number of rows copied per table."""
    src, dst = source._conn, target._conn
    if dst.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM crawls) "
                   "+ (SELECT count(*) FROM stories) AS n").fetchone()["n"]:
        raise ArchiveError(f"{target.location} is not empty: copy into a new database")
    counts = {}
    target.commit()
    with dst.transaction():
        crawls = [dict(row) for row in src.execute("SELECT * FROM crawls ORDER BY id")]
        runs = {}
        for crawl in crawls:
            args = json.loads(crawl["args"] or "{}")
            crawl["run"] = args.get("run") or None
            crawl["host"], pid = args.get("_host"), args.get("_pid")
            crawl["pid"] = int(pid) if str(pid).isdigit() else None
            if crawl["run"]:
                runs.setdefault(crawl["run"], {"id": crawl["run"], "spider": crawl["spider"],
                                               "started_at": crawl["started_at"],
                                               "finished_at": crawl["finished_at"], "status": crawl["status"]})
        counts["runs"] = _insert(dst, "runs", ("id", "spider", "started_at", "finished_at", "status"),
                                 list(runs.values()))
        counts["crawls"] = _insert(
            dst, "crawls", (*_CRAWL_COLUMNS, "run", "host", "pid", "args", "dropped", "stats", "coverage"),
            crawls, {"args": "jsonb", "dropped": "jsonb", "stats": "jsonb", "coverage": "jsonb"})
        stories = [dict(row) for row in src.execute("SELECT * FROM stories ORDER BY id")]
        counts["stories"] = _insert(dst, "stories", _STORY_COLUMNS, stories)
        articles = [dict(row) for row in src.execute("SELECT * FROM articles ORDER BY id")]
        counts["articles"] = _insert(dst, "articles", ("id", *STORED_FIELDS, *_ARTICLE_EXTRA), articles,
                                     {name: "jsonb" for name in JSON_FIELDS})
        with dst.cursor() as cursor:  # now that the articles exist
            cursor.executemany("UPDATE stories SET first_article = %s WHERE id = %s",
                               [(story["first_article"], story["id"]) for story in stories])
        changes = [dict(row) for row in src.execute("SELECT * FROM article_changes ORDER BY id")]
        counts["article_changes"] = _insert(dst, "article_changes",
                                            ("id", "article", "changed_at", "fields", "previous"),
                                            changes, {"fields": "jsonb", "previous": "jsonb"})
        prints = [dict(row) for row in src.execute("SELECT * FROM fingerprints ORDER BY article")]
        for row in prints:
            signature = np.frombuffer(row["signature"], dtype="<u4")[np.newaxis]
            row["bands"] = band_keys(signature)[0].view(np.int64).tolist()
            row["key_tokens"] = Jsonb(json.loads(row["key_tokens"]))
        counts["fingerprints"] = _insert(dst, "fingerprints", (
            "article", "method", "content_hash", "signature", "shingles", "agency", "key_tokens",
            "bands"), prints)
        frontier = [dict(row) for row in src.execute("SELECT * FROM frontier")]
        counts["frontier"] = _insert(dst, "frontier", ("crawl", "url", "depth", "section"), frontier)
        alerts = []  # a SQLite archive has health_alerts once a crawl has recorded its health
        if src.execute("SELECT 1 FROM sqlite_master WHERE name = 'health_alerts'").fetchone():
            alerts = [dict(row) for row in src.execute("SELECT * FROM health_alerts ORDER BY id")]
        counts["health_alerts"] = _insert(dst, "health_alerts", _ALERT_COLUMNS, alerts)
        # New rows go after the copied ones.
        for table in ("articles", "stories", "crawls", "article_changes", "health_alerts"):
            dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
    return counts
