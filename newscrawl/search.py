"""`newscrawl search`: full-text search of the archive's titles and bodies, best match first.

The archive is opened read-only (a `mode=ro` URI): a search never takes the write lock a running
crawl needs. A query is first tried as FTS5 syntax (`flood OR rain`, `"exact phrase"`, `pak*`,
`title: budget`); one that is not valid FTS5 (a stray quote, a lone `AND`, SQL) is searched as
plain words, so no input is ever an error trace or reaches the database as SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from typing import IO

from .storage import Archive, is_postgres_url, open_archive

# Title matches count ten times body matches (bm25 weights, in the FTS table's column order).
RANK_SQL = "bm25(articles_fts, 10.0, 1.0)"
HIGHLIGHT = ("[", "]")  # around each matched term in a snippet
SNIPPET_TOKENS = 16
HIT_FIELDS = ("id", "published_at", "site", "section", "agency", "title", "url", "story_id",
              "score", "snippet")

_SEARCH_SQL = f"""
    SELECT articles.id, articles.published_at, articles.site, articles.section, articles.agency,
           articles.title, articles.canonical_url AS url, articles.story_id,
           {RANK_SQL} AS score,
           snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) AS snippet
    FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
    WHERE articles_fts MATCH ?
      AND (? IS NULL OR articles.site = ?)
      AND (? IS NULL OR substr(articles.published_at, 1, 10) >= ?)
    ORDER BY score, articles.published_at DESC, articles.id
    LIMIT ?"""


def plain_words(text: str) -> str:
    """An FTS5 query matching every word of `text` as a word: each one quoted, so operators,
    quotes, column filters and SQL in it are only text."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def connect_readonly(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection to an archive, after the archive's own checks (missing file, not
    an archive, another schema version), which raise ArchiveError with a clear message."""
    with closing(Archive.open_readonly(path)) as archive:
        uri = archive.path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def search(conn: sqlite3.Connection, query: str, *, site: str | None = None,
           since: str | None = None, limit: int = 20) -> list[dict]:
    """Articles matching `query`, best first (bm25, title weighted), with a snippet of the
    best-matching column; `since` is a YYYY-MM-DD day, inclusive, on the publication date."""
    if since is not None:
        since = dt.date.fromisoformat(since).isoformat()
    if not query.strip():
        return []

    def run(match: str) -> list[dict]:
        rows = conn.execute(_SEARCH_SQL, (*HIGHLIGHT, match, site, site, since, since, limit))
        return [dict(row) for row in rows]

    try:
        return run(query)
    except sqlite3.OperationalError:  # not FTS5 syntax (the error shows at the first step)
        return run(plain_words(query))


def search_archive(db, query: str, *, site: str | None = None, since: str | None = None,
                   limit: int = 20) -> list[dict]:
    """`newscrawl search` on a path (SQLite FTS5, above) or a postgresql:// URL (its tsvector
    column, ranked by ts_rank_cd): the same hit fields either way."""
    if not is_postgres_url(db):
        with closing(connect_readonly(db)) as conn:
            return search(conn, query, site=site, since=since, limit=limit)
    if not query.strip():
        return []
    with closing(open_archive(db, readonly=True)) as archive:
        rows = archive.search(query, limit, site=site, since=since)
    return [{**{name: row.get(name) for name in HIT_FIELDS}, "url": row["canonical_url"]} for row in rows]


def write_hits(hits: Iterable[dict], form: str, out: IO[str]) -> int:
    """Hits as text (a line per hit, its snippet indented below), a JSON array or CSV."""
    hits = list(hits)
    if form == "json":
        json.dump(hits, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif form == "csv":
        writer = csv.DictWriter(out, fieldnames=HIT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(hits)
    else:
        for hit in hits:
            day = (hit["published_at"] or "-")[:10]
            out.write(f"{day}  {hit['site'] or '-'}  {hit['title']}  {hit['url']}\n")
            out.write(f"    {' '.join((hit['snippet'] or '').split())}\n")
    return len(hits)
