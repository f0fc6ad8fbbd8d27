"""The SQLite archive (the default backend): articles with change history and full-text
search, crawl runs and the frontier; stories and fingerprints come from StoriesMixin."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newscrawl.redact import redact_values
from newscrawl.storage_file import (APPLICATION_ID, ArchiveError, check_identity,  # noqa: F401
                                    connect_for_writing, connect_readonly, describe_open_error)

from .common import (COUNTERS, CRAWL_STATUSES, FINISHED_STATUSES, STORED_FIELDS, _encode, _json_safe,
                     _now, check_day, content_hash)
from .contract import ArchiveContract
from .sqlite_schema import MIGRATIONS, SCHEMA_VERSION, _decode_article, _decode_crawl
from .sqlite_stories import StoriesMixin


def _fts_query(text: str) -> str:
    """Quote every term so FTS5 operators, quotes and SQL in user input are plain words."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in text.split())


class Archive(StoriesMixin, ArchiveContract):
    """The SQLite archive. Writes are batched: call commit(), close() or use ``with``."""
    conflict_errors = (sqlite3.IntegrityError,)
    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike, *, batch_size: int = 100,
                 busy_timeout_s: float = 30.0, max_transaction_s: float = 0.5, _readonly: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self.batch_size = max(1, batch_size)
        # Other crawls write to the same file: a batch never holds the write lock longer than this.
        self.max_transaction_s = max_transaction_s
        self.busy_timeout_s = busy_timeout_s
        self.readonly = _readonly
        self._pending = 0
        self._transaction_started = 0.0
        try:
            self._conn = (connect_readonly(self.path, busy_timeout_s) if _readonly
                          else connect_for_writing(self.path, busy_timeout_s))
        except sqlite3.Error as error:
            described = describe_open_error(self.path, error, _readonly)
            if described is None:
                raise
            raise described from error
        self._conn.row_factory = sqlite3.Row
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            # Before anything is written (WAL mode included): never touch another program's file.
            check_identity(self._conn, self.path, MIGRATIONS)
            if _readonly:
                self._check_version(self.schema_version(), readonly=True)
            else:
                self._set_wal()
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
        except BaseException as error:
            self._conn.close()
            described = describe_open_error(self.path, error, _readonly) \
                if isinstance(error, sqlite3.Error) else None
            if described is not None:
                raise described from error
            raise

    @classmethod
    def open_readonly(cls, path: str | os.PathLike, **kwargs: Any) -> Archive:
        """Open an existing archive for reading; never creates or migrates a file."""
        return cls(path, _readonly=True, **kwargs)

    # -- schema -------------------------------------------------------------------------------

    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self, version: int, readonly: bool = False) -> None:
        if version > SCHEMA_VERSION:
            raise ArchiveError(f"{self.path} has schema version {version}, newer than this "
                               f"newscrawl knows ({SCHEMA_VERSION}); upgrade newscrawl")
        if readonly and version < SCHEMA_VERSION:
            raise ArchiveError(f"{self.path} is not a newscrawl archive at schema version "
                               f"{SCHEMA_VERSION} (found {version}); open it for writing "
                               "(e.g. run a crawl) to create or migrate it")

    def _set_wal(self) -> None:
        # SQLite answers "locked" at once, without its busy wait, while another connection is
        # creating the same new file (two crawls started together on a new archive): retry.
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        # An archive at the current version needs no write lock: check without taking one.
        if self.schema_version() == SCHEMA_VERSION and self._application_id() == APPLICATION_ID:
            return
        # One transaction per step, version read under the write lock, so two processes
        # opening the same new file cannot both run a step.
        while True:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # Stamped with the first step (a new file) or now (an archive made before
                # archives had an application_id): checked again under the lock.
                if check_identity(self._conn, self.path, MIGRATIONS):
                    self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                version = self.schema_version()
                self._check_version(version)
                if version == SCHEMA_VERSION:
                    self._conn.execute("COMMIT")
                    return
                for statement in MIGRATIONS[version]:
                    self._conn.execute(statement)
                # PRAGMA takes no parameters; the value is an int computed here, not input.
                self._conn.execute(f"PRAGMA user_version = {int(version) + 1}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def _application_id(self) -> int:
        return self._conn.execute("PRAGMA application_id").fetchone()[0]

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One write, all or nothing, inside the current batch transaction."""
        if self.readonly:
            raise ArchiveError(f"{self.path} was opened read-only")
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")
            self._transaction_started = time.monotonic()
        self._conn.execute("SAVEPOINT write")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK TO write")
                self._conn.execute("RELEASE write")
            raise
        self._conn.execute("RELEASE write")
        self._pending += 1
        if self._pending >= self.batch_size or self.transaction_age() >= self.max_transaction_s:
            self.commit()

    def transaction_age(self) -> float:
        """Seconds the open batch has held the write lock (0 when none is open)."""
        return time.monotonic() - self._transaction_started if self._conn.in_transaction else 0.0

    def commit_if_older(self) -> None:
        """Commit a batch that has held the lock for max_transaction_s; a crawl calls this on a
        timer, so a slow site between two articles keeps no other writer waiting."""
        if self.transaction_age() >= self.max_transaction_s:
            self.commit()

    def commit(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        self._pending = 0

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self.commit()
            finally:
                self._conn.close()
                self._conn = None

    # -- articles -----------------------------------------------------------------------------

    def _find(self, canonical_url: str | None, site: str | None,
              article_id: str | None, columns: str = "*") -> sqlite3.Row | None:
        if canonical_url is not None:
            row = self._conn.execute(f"SELECT {columns} FROM articles WHERE canonical_url = ?",
                                     (canonical_url,)).fetchone()
            if row is not None:
                return row
        if article_id is not None:
            return self._conn.execute(
                f"SELECT {columns} FROM articles WHERE site IS ? AND article_id = ?",
                (site, article_id)).fetchone()
        return None

    def upsert(self, article: Mapping) -> str:
        """Store an article; returns "new", "updated" or "unchanged"."""
        values = {name: _encode(name, article.get(name)) for name in STORED_FIELDS}
        if not values["canonical_url"]:
            raise ValueError("article has no canonical_url")
        digest = content_hash(values)
        with self._atomic():
            stored = self._find(values["canonical_url"], values["site"], values["article_id"])
            now = _now()
            if stored is None:
                columns = [*STORED_FIELDS, "content_hash", "first_seen_at", "updated_at"]
                self._conn.execute(
                    f"INSERT INTO articles ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [*values.values(), digest, now, now])
                return "new"
            if stored["content_hash"] == digest:
                if stored["field_sources"] != values["field_sources"]:
                    # Provenance, not content: kept current without counting a change.
                    self._conn.execute("UPDATE articles SET field_sources = ? WHERE id = ?",
                                       (values["field_sources"], stored["id"]))
                return "unchanged"
            # fetched_at differs on every fetch; it is not a change worth recording.
            changed = [name for name in STORED_FIELDS
                       if name != "fetched_at" and stored[name] != values[name]]
            previous = {name: value for name, value in _decode_article(stored).items()
                        if name in changed}
            assignments = ", ".join(f"{name} = ?" for name in STORED_FIELDS)
            self._conn.execute(
                f"UPDATE articles SET {assignments}, content_hash = ?, updated_at = ? "
                "WHERE id = ?", [*values.values(), digest, now, stored["id"]])
            self._conn.execute(
                "INSERT INTO article_changes (article, changed_at, fields, previous) "
                "VALUES (?, ?, ?, ?)",
                (stored["id"], now, json.dumps(changed),
                 json.dumps(previous, ensure_ascii=False)))
            return "updated"

    def get(self, canonical_url: str | None = None, *, site: str | None = None,
            article_id: str | None = None) -> dict | None:
        row = self._find(canonical_url, site, article_id)
        return _decode_article(row) if row is not None else None

    def known(self, canonical_url: str | None = None, *, site: str | None = None,
              article_id: str | None = None) -> bool:
        return self._find(canonical_url, site, article_id, columns="1") is not None

    def row_id(self, canonical_url: str | None = None, *, site: str | None = None,
               article_id: str | None = None) -> int | None:
        """The article's row id (rows stored later have higher ids), None when not stored."""
        row = self._find(canonical_url, site, article_id, columns="id")
        return row[0] if row is not None else None

    def last_row_id(self) -> int:
        return self._conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]

    def changes(self, article: int) -> list[dict]:
        """The change history of one article (by articles.id), oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM article_changes WHERE article = ? ORDER BY id", (article,))
        return [{**row, "fields": json.loads(row["fields"]),
                 "previous": json.loads(row["previous"])} for row in map(dict, rows)]

    def iter_articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                      section: str | None = None, agency: str | None = None, story: int | None = None,
                      query: str | None = None) -> Iterator[dict]:
        """Articles ordered by published_at then id; since/until="YYYY-MM-DD" (inclusive), section
        (slug), agency (any case), story (stories.id), query (full-text over title and body).

        Arguments are checked at the call, not at the first next(), so a bad date fails
        before an export has written anything.
        """
        since, until = (check_day(day) for day in (since, until))
        match = _fts_query(query) if query is not None else None
        rows = self._conn.execute(
            "SELECT * FROM articles WHERE (?1 IS NULL OR site = ?1) "
            "AND (?2 IS NULL OR substr(published_at, 1, 10) >= ?2) "
            "AND (?3 IS NULL OR substr(published_at, 1, 10) <= ?3) "
            "AND (?4 IS NULL OR section = ?4) AND (?5 IS NULL OR agency = ?5 COLLATE NOCASE) "
            "AND (?6 IS NULL OR story_id = ?6) "
            "AND (?7 IS NULL OR id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?7)) "
            "ORDER BY published_at, id", (site, since, until, section, agency, story, match))
        return map(_decode_article, rows)

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over title and body, best match first; adds a "snippet" key."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self._conn.execute(
            "SELECT articles.*, snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (match, limit))
        return [{**_decode_article(row), "snippet": row["snippet"]} for row in rows]

    # -- crawls -------------------------------------------------------------------------------

    def start_crawl(self, spider: str, args: Mapping | None = None,
                    job_id: str | None = None) -> int:
        with self._atomic():
            crawl_id = self._conn.execute(
                "INSERT INTO crawls (job_id, spider, args, started_at) VALUES (?, ?, ?, ?)",
                (job_id, spider, json.dumps(_json_safe(redact_values(args or {})), ensure_ascii=False),
                 _now())).lastrowid
        self.commit()
        return crawl_id

    def finish_crawl(self, crawl_id: int, *, status: str, finish_reason: str | None = None,
                     counts: Mapping | None = None, stats: Mapping | None = None) -> None:
        if status not in CRAWL_STATUSES:
            raise ValueError(f"crawl status must be one of {CRAWL_STATUSES}, not {status!r}")
        counts = counts or {}
        with self._atomic():
            self._conn.execute(
                f"UPDATE crawls SET finished_at = ?, status = ?, finish_reason = ?, "
                f"{', '.join(f'{name} = ?' for name in COUNTERS)}, dropped = ?, stats = ? "
                "WHERE id = ?",
                (_now(), status, finish_reason, *(counts.get(name, 0) for name in COUNTERS),
                 json.dumps(_json_safe(counts.get("dropped") or {}), ensure_ascii=False),
                 json.dumps(_json_safe(stats or {}), ensure_ascii=False), crawl_id))
            if status in FINISHED_STATUSES:
                # Everything it queued was followed, and so was what earlier runs left.
                self._conn.execute(
                    "DELETE FROM frontier WHERE crawl IN (SELECT id FROM crawls WHERE spider = "
                    "(SELECT spider FROM crawls WHERE id = ?) AND id <= ?)", (crawl_id, crawl_id))
        self.commit()

    def mark_gone(self, crawl_id: int, reason: str = "process_gone") -> bool:
        with self._atomic():
            marked = self._conn.execute(
                "UPDATE crawls SET finished_at = ?, status = 'interrupted', finish_reason = ? "
                "WHERE id = ? AND status = 'running'", (_now(), reason, crawl_id)).rowcount
        self.commit()
        return bool(marked)

    def get_crawl(self, crawl_id: int) -> dict | None:
        return _decode_crawl(
            self._conn.execute("SELECT * FROM crawls WHERE id = ?", (crawl_id,)).fetchone())

    def previous_crawl(self, spider: str, before: int | None = None) -> dict | None:
        """The spider's latest run started before crawl `before` (any run when None)."""
        return _decode_crawl(self._conn.execute(
            "SELECT * FROM crawls WHERE spider = ? AND id < ? ORDER BY id DESC LIMIT 1",
            (spider, before if before is not None else 2**62)).fetchone())

    # -- the frontier -------------------------------------------------------------------------

    def add_to_frontier(self, crawl_id: int, url: str, depth: int, section: str | None) -> None:
        """Record a queued excursion (a link an article showed) until the crawl finishes."""
        with self._atomic():
            self._conn.execute("INSERT OR IGNORE INTO frontier (crawl, url, depth, section) "
                               "VALUES (?, ?, ?, ?)", (crawl_id, url, depth, section))

    def left_frontier(self, spider: str, before: int) -> list[dict]:
        """What the spider's unfinished runs since its last finished one queued and nobody
        stored: (url, depth, section), shallowest first."""
        rows = self._conn.execute(
            f"""SELECT url, min(depth) AS depth, section FROM frontier
               WHERE crawl IN (SELECT id FROM crawls WHERE spider = ? AND id < ? AND id > coalesce(
                   (SELECT max(id) FROM crawls WHERE spider = ? AND id < ? AND status IN {FINISHED_STATUSES!r}), 0))
                 AND url NOT IN (SELECT canonical_url FROM articles)
               GROUP BY url ORDER BY depth, url""", (spider, before, spider, before))
        return [dict(row) for row in rows]

    # -- tables beside the archive's (crawl health) -------------------------------------------

    def read_sql(self, sql: str, params: Sequence = ()) -> list[dict]:
        return [dict(row) for row in self._conn.execute(sql, params)]

    def write_sql(self, statements: Sequence[tuple[str, Sequence]]) -> None:
        with self._atomic():
            for sql, params in statements:
                self._conn.execute(sql, params)
