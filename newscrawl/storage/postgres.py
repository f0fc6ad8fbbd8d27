"""The PostgreSQL archive: the same contract as the SQLite one, for archives that several
workers (processes or machines) write at once.

Credentials come from libpq (PGPASSWORD, ~/.pgpass, pg_service.conf), never from the URL: a
URL with a password is refused, so no setting, job argument or message ever shows one. A lost
connection is retried with backoff (the open batch is replayed on the new connection); after
NEWSCRAWL_DB_RETRIES tries ArchiveLost is raised and the crawl stops as `failed`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator, Mapping
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from newscrawl.storage_file import ArchiveError

from .common import JSON_FIELDS, STORED_FIELDS, _encode, _now, check_day, content_hash
from .contract import ArchiveContract
from .postgres_schema import (ANALYZE_LOCK, ANALYZED_TABLES, MIGRATION_LOCK, MIGRATIONS, SCHEMA_VERSION,
                              STORY_LOCK, VERSION_TABLE)
from .common import ArchiveLost, ArchiveUnavailable  # noqa: F401
from .postgres_retry import _retrying
from .postgres_crawls import PostgresCrawlsMixin
from .postgres_stories import PostgresStoriesMixin

HEARTBEAT_S = 5.0


def describe_url(url: str) -> str:
    """The URL as messages show it; refuses one that carries a password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise ArchiveError(f"not a PostgreSQL URL: {str(error).splitlines()[0]}") from None
    if parts.get("password"):
        raise ArchiveError("a password in the PostgreSQL URL is refused (it would show in settings, "
                           "job arguments and logs): put it in PGPASSWORD or ~/.pgpass")
    return url


class PostgresArchive(PostgresCrawlsMixin, PostgresStoriesMixin, ArchiveContract):
    conflict_errors = (psycopg.errors.UniqueViolation,)
    shared_story_index = True
    analyze_after = 1000   # new articles before this process first refreshes the statistics
    dialect = "postgresql"

    def __init__(self, url: str, *, readonly: bool = False, batch_size: int = 100,
                 max_transaction_s: float = 0.5, retries: int | None = None, connect_timeout: int = 5):
        self.location = describe_url(url)
        self._url, self.readonly, self.connect_timeout = url, readonly, connect_timeout
        self.batch_size, self.max_transaction_s = max(1, batch_size), max_transaction_s
        self.retries = int(os.environ.get("NEWSCRAWL_DB_RETRIES", 6)) if retries is None else retries
        self._conn: psycopg.Connection | None = None
        self._in_transaction, self._nested = False, False
        self._savepoint_held, self._atomic_depth = False, 0   # see _atomic
        self._lost: str | None = None  # the message, once the server stayed away through the retries
        self._batch: list = []
        self._frontier_rows: list[tuple] = []   # see add_to_frontier
        self._new_since_analyze, self._analyzed_rows = 0, 0   # see _keep_statistics
        self._pending, self._transaction_started = 0, 0.0
        self._crawls: list[int] = []  # running crawls of this process, kept alive by heartbeats
        self._last_heartbeat = time.monotonic()
        try:
            self._conn = self._connect()
            if readonly:
                self._check_version(readonly=True)
            else:
                self._migrate()
        except psycopg.OperationalError as error:
            self.close()
            raise ArchiveUnavailable(f"cannot open the PostgreSQL archive {self.location}: "
                               f"{str(error).strip().splitlines()[0]}") from None
        except BaseException:
            self.close()
            raise

    @classmethod
    def open_readonly(cls, url: str, **kwargs: Any) -> PostgresArchive:
        return cls(url, readonly=True, **kwargs)

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self._url, autocommit=True, row_factory=dict_row,
                               connect_timeout=self.connect_timeout, application_name="newscrawl")
        if self.readonly:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    def _reconnect(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()
        self._conn, self._in_transaction = None, False
        self._conn = self._connect()
        batch, self._batch = self._batch, []
        for method, args, kwargs in batch:  # what the lost transaction held, written again
            method(self, *args, **kwargs)
            self._batch.append((method, args, kwargs))

    # -- schema ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        exists = self._conn.execute("SELECT to_regclass(%s) AS t", (VERSION_TABLE,)).fetchone()["t"]
        if exists is None:
            return 0
        return self._conn.execute(f"SELECT max(version) AS v FROM {VERSION_TABLE}").fetchone()["v"] or 0

    def _check_version(self, readonly: bool = False) -> int:
        version = self.schema_version()
        if version == 0:
            others = self._conn.execute(
                "SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename != %s",
                (VERSION_TABLE,)).fetchone()["n"]
            if others:
                raise ArchiveError(f"{self.location} is not a newscrawl archive: it holds other "
                                   "tables; give a new database")
        if version > SCHEMA_VERSION:
            raise ArchiveError(f"{self.location} has schema version {version}, newer than this "
                               f"newscrawl knows ({SCHEMA_VERSION}); upgrade newscrawl")
        if readonly and version < SCHEMA_VERSION:
            raise ArchiveError(f"{self.location} is not a newscrawl archive at schema version "
                               f"{SCHEMA_VERSION} (found {version}); run `newscrawl migrate --db URL`")
        return version

    def _migrate(self) -> int:
        """Bring the schema up to date, one transaction per step, under an advisory lock;
        the number of steps run."""
        if self._check_version() == SCHEMA_VERSION:
            return 0
        steps = 0
        while True:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                self._conn.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
                                   "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
                version = self._check_version()
                if version == SCHEMA_VERSION:
                    return steps
                for statement in MIGRATIONS[version]:
                    self._conn.execute(statement)
                self._conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (%s, %s)", (version + 1, _now()))
                steps += 1

    # -- transactions ----------------------------------------------------------------------
    def _begin(self) -> None:
        if self.readonly:
            raise ArchiveError(f"{self.location} was opened read-only")
        if not self._in_transaction:
            self._conn.execute("BEGIN")
            self._in_transaction, self._transaction_started = True, time.monotonic()
            self._savepoint_held = False

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        """One write, all or nothing, inside the current batch transaction. A write's savepoint
        is released together with the next one's start (or by COMMIT): one round trip a write,
        not two."""
        opens = not self._in_transaction and not self.readonly   # BEGIN goes with the savepoint
        if not opens:
            self._begin()   # (refuses a read-only archive)
        if self._atomic_depth:   # a write inside a write: a savepoint of its own
            name = f"write_{self._atomic_depth}"
            start, undo, done = f"SAVEPOINT {name}", f"ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}", \
                f"RELEASE SAVEPOINT {name}"
        else:
            start = ("BEGIN; SAVEPOINT write" if opens else
                     "RELEASE SAVEPOINT write; SAVEPOINT write" if self._savepoint_held else "SAVEPOINT write")
            undo, done = "ROLLBACK TO SAVEPOINT write; RELEASE SAVEPOINT write", None
        self._conn.execute(start)
        if opens:
            self._in_transaction, self._transaction_started = True, time.monotonic()
        self._savepoint_held = self._savepoint_held or not self._atomic_depth
        self._atomic_depth += 1
        try:
            yield
        except BaseException:
            if not self._conn.broken:
                self._conn.execute(undo)
                if done is None:
                    self._savepoint_held = False
            raise
        finally:
            self._atomic_depth -= 1
        if done is not None:
            self._conn.execute(done)
        self._pending += 1

    def _after_write(self) -> None:
        if self._pending >= self.batch_size or self.transaction_age() >= self.max_transaction_s:
            self.commit()

    def transaction_age(self) -> float:
        return time.monotonic() - self._transaction_started if self._in_transaction else 0.0

    def commit_if_older(self) -> None:
        if self.transaction_age() >= self.max_transaction_s:
            self.commit()
        if self._crawls and time.monotonic() - self._last_heartbeat >= HEARTBEAT_S:
            self.heartbeat()

    @_retrying(write=False)
    def commit(self) -> None:
        self._write_frontier()
        if self._in_transaction:
            self._conn.execute("COMMIT")
            self._in_transaction = False
        self._batch, self._pending, self._frontier_rows = [], 0, []
        if self._new_since_analyze >= max(self.analyze_after, self._analyzed_rows // 5):
            self._keep_statistics()

    def _keep_statistics(self) -> None:
        """ANALYZE the tables a crawl looks things up in, once this process has added
        `analyze_after` articles, then a fifth of what the last ANALYZE saw (autovacuum's own
        rule; it may be off, or behind a bulk crawl). Without statistics the planner takes
        "canonical_url = ANY(…)" for thousands of rows and scans the table: measured 2 scans
        of the whole archive per stored article and 104 → 43 articles/s by 80,000 articles.
        One worker at a time; the others go on."""
        self._new_since_analyze = 0
        with self._conn.transaction():
            if self._conn.execute("SELECT pg_try_advisory_xact_lock(%s) AS mine", (ANALYZE_LOCK,)).fetchone()["mine"]:
                self._conn.execute(f"ANALYZE {ANALYZED_TABLES}")
        self._analyzed_rows = self._conn.execute(
            "SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = 'articles'::regclass").fetchone()["n"]

    @_retrying(write=True)
    def heartbeat(self) -> None:
        """Tell other workers this process's crawls are alive."""
        self._last_heartbeat = time.monotonic()
        with self._atomic():
            self._conn.execute("UPDATE crawls SET heartbeat_at = %s WHERE id = ANY(%s)",
                               (_now(), self._crawls))

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        if self._conn is not None:
            try:
                if not self._conn.broken and self._lost is None:
                    self.commit()
            finally:
                self._conn.close()
                self._conn = None

    # -- articles --------------------------------------------------------------------------
    def _find(self, canonical_url, site, article_id, columns: str = "*", lock: bool = False):
        suffix = " FOR UPDATE" if lock else ""
        if canonical_url is not None:
            row = self._conn.execute(f"SELECT {columns} FROM articles WHERE canonical_url = %s{suffix}",
                                     (canonical_url,)).fetchone()
            if row is not None:
                return row
        if article_id is not None:
            where = "site = %s" if site is not None else "site IS NULL AND %s::text IS NULL"
            return self._conn.execute(
                f"SELECT {columns} FROM articles WHERE {where} AND article_id = %s{suffix}",
                (site, article_id)).fetchone()
        return None

    @_retrying(write=True)
    def upsert(self, article: Mapping) -> str:
        values = {name: _encode(name, article.get(name)) for name in STORED_FIELDS}
        if not values["canonical_url"]:
            raise ValueError("article has no canonical_url")
        digest = content_hash(values)
        marks = ", ".join("%s::jsonb" if name in JSON_FIELDS else "%s" for name in STORED_FIELDS)
        with self._atomic():
            now = _now()
            # No conflict target: either unique key (URL, or site + id) makes it an update.
            row = self._conn.execute(
                f"INSERT INTO articles ({', '.join(STORED_FIELDS)}, content_hash, first_seen_at, "
                f"updated_at) VALUES ({marks}, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
                [*values.values(), digest, now, now]).fetchone()
            outcome = "new" if row is not None else self._update(values, digest, now)
        if outcome == "new":
            self._new_since_analyze += 1
        self._after_write()
        return outcome

    def _update(self, values: dict, digest: str, now: str) -> str:
        stored = self._find(values["canonical_url"], values["site"], values["article_id"], lock=True)
        if stored is None:  # the row it collided with was deleted meanwhile
            raise psycopg.errors.UniqueViolation("the article's keys changed while it was stored")
        if stored["content_hash"] == digest:
            if _encode("field_sources", stored["field_sources"]) != values["field_sources"]:
                # Provenance, not content: kept current without counting a change.
                self._conn.execute("UPDATE articles SET field_sources = %s::jsonb WHERE id = %s",
                                   (values["field_sources"], stored["id"]))
            return "unchanged"
        changed = [name for name in STORED_FIELDS
                   if name != "fetched_at" and _encode(name, stored[name]) != values[name]]
        marks = ", ".join(f"{name} = %s::jsonb" if name in JSON_FIELDS else f"{name} = %s"
                          for name in STORED_FIELDS)
        self._conn.execute(f"UPDATE articles SET {marks}, content_hash = %s, updated_at = %s "
                           "WHERE id = %s", [*values.values(), digest, now, stored["id"]])
        self._conn.execute(
            "INSERT INTO article_changes (article, changed_at, fields, previous) VALUES (%s, %s, %s, %s)",
            (stored["id"], now, Jsonb(changed), Jsonb({name: stored[name] for name in changed})))
        return "updated"

    @_retrying(write=False)
    def get(self, canonical_url=None, *, site=None, article_id=None) -> dict | None:
        row = self._find(canonical_url, site, article_id)
        return self._decode_article(row) if row is not None else None

    @_retrying(write=False)
    def known(self, canonical_url=None, *, site=None, article_id=None) -> bool:
        return self._find(canonical_url, site, article_id, columns="1 AS found") is not None

    @_retrying(write=False)
    def row_id(self, canonical_url=None, *, site=None, article_id=None) -> int | None:
        row = self._find(canonical_url, site, article_id, columns="id")
        return row["id"] if row is not None else None

    @_retrying(write=False)
    def first_row_id(self, urls, *, site=None, article_id=None) -> int | None:
        urls = list(dict.fromkeys(urls))
        # Two index lookups (one OR would plan a sequential scan once the statement is prepared).
        row = self._conn.execute(
            "SELECT id FROM (SELECT id, array_position(%s, canonical_url) AS rank FROM articles "
            "WHERE canonical_url = ANY(%s) UNION ALL SELECT id, 2147483647 FROM articles "
            "WHERE site = %s AND article_id = %s) found ORDER BY rank LIMIT 1",
            (urls, urls, site, article_id)).fetchone()
        return row["id"] if row is not None else None

    @_retrying(write=False)
    def last_row_id(self) -> int:
        return self._conn.execute("SELECT coalesce(max(id), 0) AS id FROM articles").fetchone()["id"]

    @_retrying(write=False)
    def changes(self, article: int) -> list[dict]:
        return self._conn.execute("SELECT * FROM article_changes WHERE article = %s ORDER BY id",
                                  (article,)).fetchall()

    @_retrying(write=False)
    def search(self, query: str, limit: int = 20, *, site: str | None = None,
               since: str | None = None) -> list[dict]:
        """Best match first (title words weigh more: setweight A), with a snippet and a score;
        site and since (YYYY-MM-DD, inclusive) filter as `newscrawl search` does."""
        since = check_day(since)
        # plainto_tsquery: every word of the input is a word to find, like the SQLite backend's
        # quoted terms; operators, quotes and SQL in user input are plain text.
        rows = self._conn.execute(
            "SELECT articles.*, ts_rank_cd(search, q) AS score, ts_headline('simple', coalesce(body, ''), q, "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=4, HighlightAll=false') AS snippet "
            "FROM articles, plainto_tsquery('simple', %s) AS q WHERE search @@ q "
            "AND (%s::text IS NULL OR site = %s) "
            "AND (%s::text IS NULL OR substr(published_at, 1, 10) COLLATE \"C\" >= %s) "
            "ORDER BY score DESC, id LIMIT %s", (query, site, site, since, since, limit)).fetchall()
        return [{**self._decode_article(row), "snippet": row["snippet"], "score": row["score"]} for row in rows]

    @_retrying(write=True)
    def story_linking(self, keys=()):
        """Locks on the article's band keys, held until the commit (the pipeline commits each
        linked article on a shared index): a worker linking a possible copy waits and then sees
        it; workers linking unrelated articles do not wait for each other. Keys are taken in
        order and a transaction links one article, so two linkers never deadlock. Without keys
        (an empty text), the one index-wide lock."""
        self._begin()
        self._conn.execute("SELECT count(pg_advisory_xact_lock(key)) FROM unnest(%s::bigint[]) AS key",
                           (sorted(set(keys)) or [STORY_LOCK],))
        return contextlib.nullcontext()
