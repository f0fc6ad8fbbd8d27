"""The SQLite archive: articles (with change history and full-text search) and crawl runs.

Everything else in newscrawl talks to the database through :class:`Archive` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.redact import redact_values
from newscrawl.storage_file import (APPLICATION_ID, ArchiveError, check_identity,  # noqa: F401
                                    connect_for_writing, connect_readonly, describe_open_error)

# Fields whose change makes a stored article "updated". url/fetched_at only say where and when
# the copy was fetched; section/language/byline_raw/ids are classification, not the text.
CONTENT_FIELDS = [
    "title", "subtitle", "body", "authors", "agency", "published_at", "modified_at",
    "dateline", "tags", "image_url",
]
JSON_FIELDS = {"authors", "tags", "dateline", "flags"}
# The article columns of schema version 1, frozen: later fields arrive through migrations.
V1_FIELDS = [
    "url", "canonical_url", "site", "article_id", "section", "language", "title", "subtitle",
    "body", "authors", "agency", "byline_raw", "published_at", "modified_at", "dateline",
    "tags", "image_url", "fetched_at",
]
CRAWL_STATUSES = ("running", "finished", "failed", "interrupted")
COUNTERS = ("requests", "pages", "new", "updated", "unchanged", "errors")

# MIGRATIONS[n] brings a database from user_version n to n + 1. Append only; never edit a
# released step. Each step is a list of single statements so it can run inside one transaction.
MIGRATIONS: list[list[str]] = [
    [
        f"""CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            {", ".join(f"{name} TEXT" for name in V1_FIELDS)},
            content_hash TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (canonical_url IS NOT NULL),
            UNIQUE (canonical_url)
        )""",
        """CREATE UNIQUE INDEX articles_site_article_id ON articles (site, article_id)
            WHERE article_id IS NOT NULL""",
        "CREATE INDEX articles_published_at ON articles (published_at)",
        # `article` is articles.id (articles.article_id is the site's own id).
        """CREATE TABLE article_changes (
            id INTEGER PRIMARY KEY,
            article INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            changed_at TEXT NOT NULL,
            fields TEXT NOT NULL,
            previous TEXT NOT NULL
        )""",
        "CREATE INDEX article_changes_article ON article_changes (article)",
        f"""CREATE TABLE crawls (
            id INTEGER PRIMARY KEY,
            job_id TEXT,
            spider TEXT NOT NULL,
            args TEXT NOT NULL DEFAULT '{{}}',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN {CRAWL_STATUSES!r}),
            finish_reason TEXT,
            requests INTEGER, pages INTEGER, new INTEGER, updated INTEGER, unchanged INTEGER,
            dropped TEXT, errors INTEGER,
            stats TEXT
        )""",
        """CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, body, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END""",
        """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END""",
    ],
    [  # 2: where the publication date was read, and data-quality flags
        "ALTER TABLE articles ADD COLUMN published_source TEXT",
        "ALTER TABLE articles ADD COLUMN flags TEXT",
    ],
    [  # 3: syndication: every article belongs to a story; fingerprints for the story index
        # AUTOINCREMENT: a story merged away never lends its id to another story.
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agency TEXT,
            first_article INTEGER REFERENCES articles (id) ON DELETE SET NULL,
            first_site TEXT,
            first_url TEXT,
            first_published_at TEXT,
            copies INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id)",
        "CREATE INDEX articles_story_id ON articles (story_id)",
        "CREATE INDEX stories_first_published_at ON stories (first_published_at)",
        # `method` and `content_hash` say what the fingerprint was computed from and how: a
        # mismatch with the article or the code means it is computed again.
        """CREATE TABLE fingerprints (
            article INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            method TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            signature BLOB NOT NULL,
            shingles INTEGER NOT NULL,
            agency TEXT,
            key_tokens TEXT NOT NULL
        )""",
        # Articles stored before get a story each; the story index links the copies among
        # them the first time it opens (it fingerprints every article that has none).
        """INSERT INTO stories (id, agency, first_article, first_site, first_url,
                                first_published_at, copies, created_at, updated_at)
            SELECT id, agency, id, site, canonical_url, published_at, 1, first_seen_at, updated_at
            FROM articles""",
        "UPDATE articles SET story_id = id",
    ],
    [  # 4: the frontier: "More Stories" links a crawl queued, so a run after it dies follows them
        """CREATE TABLE frontier (
            crawl INTEGER NOT NULL REFERENCES crawls (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            depth INTEGER NOT NULL,
            section TEXT,
            PRIMARY KEY (crawl, url)
        ) WITHOUT ROWID""",
    ],
    [  # 5: the section as the page printed it, beside its slug in `section`
        "ALTER TABLE articles ADD COLUMN section_label TEXT",
    ],
]
# The month an article was published, "" when published_at is not a date: the story index's shard.
_MONTH_SQL = ("CASE WHEN published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
              "THEN substr(published_at, 1, 7) ELSE '' END")
# Fields the archive assigns itself: an item's value for them is never written by upsert.
ASSIGNED_FIELDS = ("story_id",)
STORED_FIELDS = [name for name in ARTICLE_FIELDS if name not in ASSIGNED_FIELDS]
assert set(V1_FIELDS) | {"published_source", "flags", "section_label", *ASSIGNED_FIELDS} == set(ARTICLE_FIELDS)
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _encode(name: str, value: Any) -> Any:
    if value is not None and name in JSON_FIELDS:
        # sort_keys: the same dateline built in another key order must hash the same.
        return json.dumps(list(value) if isinstance(value, tuple) else value,
                          ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return value


def _json_safe(value: Any) -> Any:
    """Scrapy stats hold datetimes, sets and the odd object; make them JSON."""
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_json_safe(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def content_hash(encoded: Mapping[str, Any]) -> str:
    """sha256 over the content fields of an already-encoded row (values are str or None)."""
    payload = json.dumps([encoded.get(name) for name in CONTENT_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _decode_article(row: sqlite3.Row) -> dict:
    article = {"id": row["id"]}
    for name in ARTICLE_FIELDS:
        value = row[name]
        article[name] = json.loads(value) if value is not None and name in JSON_FIELDS else value
    article["first_seen_at"], article["updated_at"] = row["first_seen_at"], row["updated_at"]
    return article


def _decode_crawl(row: sqlite3.Row | None) -> dict | None:
    if row is None:
        return None
    crawl = dict(row)
    for name in ("args", "dropped", "stats"):
        if crawl.get(name) is not None:
            crawl[name] = json.loads(crawl[name])
    return crawl


def _first_source_order(copy: Mapping) -> tuple:
    """Sort key of a story's copies: earliest publication (compared in UTC) first, then the
    earliest stored. A day-only date counts as that day's end, so it does not take the lead
    from a copy timed on the same day; copies without a date come last."""
    value = copy["published_at"]
    try:
        if value and len(value) == 10:
            moment = dt.datetime.fromisoformat(value).replace(
                hour=23, minute=59, second=59, tzinfo=dt.timezone.utc)
        else:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
    except (TypeError, ValueError):
        moment = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return moment, copy["id"]


def _fts_query(text: str) -> str:
    """Quote every term so FTS5 operators, quotes and SQL in user input are plain words."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in text.split())


class Archive:
    """The article archive. Writes are batched: call commit(), close() or use ``with``."""

    def __init__(self, path: str | os.PathLike, *, batch_size: int = 100,
                 busy_timeout_s: float = 30.0, max_transaction_s: float = 0.5, _readonly: bool = False):
        self.path = Path(path)
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

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()  # every finished upsert is complete on its own, so keep them even on error

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

    def iter_articles(self, *, site: str | None = None,
                      since: str | None = None) -> Iterator[dict]:
        """Articles ordered by published_at then id; since="YYYY-MM-DD" (inclusive).

        Arguments are checked at the call, not at the first next(), so a bad date fails
        before an export has written anything.
        """
        if since is not None:
            since = dt.date.fromisoformat(since).isoformat()  # clear error on a bad date
        rows = self._conn.execute(
            "SELECT * FROM articles WHERE (?1 IS NULL OR site = ?1) "
            "AND (?2 IS NULL OR substr(published_at, 1, 10) >= ?2) "
            "ORDER BY published_at, id", (site, since))
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
            if status == "finished":
                # Everything it queued was followed, and so was what earlier runs left.
                self._conn.execute(
                    "DELETE FROM frontier WHERE crawl IN (SELECT id FROM crawls WHERE spider = "
                    "(SELECT spider FROM crawls WHERE id = ?) AND id <= ?)", (crawl_id, crawl_id))
        self.commit()

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
            """SELECT url, min(depth) AS depth, section FROM frontier
               WHERE crawl IN (SELECT id FROM crawls WHERE spider = ? AND id < ? AND id > coalesce(
                   (SELECT max(id) FROM crawls WHERE spider = ? AND id < ? AND status = 'finished'), 0))
                 AND url NOT IN (SELECT canonical_url FROM articles)
               GROUP BY url ORDER BY depth, url""", (spider, before, spider, before))
        return [dict(row) for row in rows]

    # -- stories (syndication) ----------------------------------------------------------------

    def article_ref(self, article: Mapping) -> dict | None:
        """Where a stored article stands in the story index: its row id, story, content hash
        and what its fingerprint was computed from (None when it has none)."""
        row = self._find(article.get("canonical_url"), article.get("site"),
                         article.get("article_id"), columns="id, story_id, content_hash")
        if row is None:
            return None
        fingerprint = self._conn.execute(
            "SELECT method, content_hash FROM fingerprints WHERE article = ?",
            (row["id"],)).fetchone()
        return {**dict(row), "fingerprint": dict(fingerprint) if fingerprint else None}

    def articles_to_fingerprint(self, method: str) -> list[int]:
        """Ids of articles with no fingerprint, or one computed from older text or by another
        method; in publication order, so earlier copies are indexed first."""
        rows = self._conn.execute(
            "SELECT articles.id FROM articles LEFT JOIN fingerprints ON article = articles.id "
            "WHERE article IS NULL OR method != ? OR fingerprints.content_hash != articles.content_hash "
            "ORDER BY published_at, articles.id", (method,))
        return [row[0] for row in rows]

    def article_by_id(self, article: int) -> dict | None:
        row = self._conn.execute("SELECT * FROM articles WHERE id = ?", (article,)).fetchone()
        return _decode_article(row) if row is not None else None

    def save_fingerprint(self, article: int, *, method: str, content_hash: str, signature: bytes,
                         shingles: int, agency: str | None, key_tokens: Mapping) -> None:
        with self._atomic():
            self._conn.execute(
                "INSERT OR REPLACE INTO fingerprints (article, method, content_hash, signature, "
                "shingles, agency, key_tokens) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article, method, content_hash, signature, shingles, agency,
                 json.dumps(key_tokens, ensure_ascii=False, separators=(",", ":"))))

    def iter_signatures(self, method: str, *, after: int = 0, month: str | None = None
                        ) -> Iterator[tuple[int, bytes, int, str]]:
        """(article id, signature, shingles, "YYYY-MM" published or "") of the current
        fingerprints, by id: of articles after `after` (what other writers added since), or
        published in `month` ("" for undated ones): what the story index is loaded from."""
        if month:  # the range, not substr(), so the published_at index serves it
            year, number = int(month[:4]), int(month[5:7])
            following = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
            where, bounds = "AND published_at >= ? AND published_at < ?", (month, following)
        elif month == "":
            where, bounds = f"AND {_MONTH_SQL} = ''", ()
        else:
            where, bounds = "", ()
        return iter(self._conn.execute(
            f"SELECT article, signature, shingles, {_MONTH_SQL} FROM fingerprints "
            f"JOIN articles ON articles.id = article WHERE article > ? AND method = ? {where} "
            "ORDER BY article", (after, method, *bounds)))

    def last_fingerprinted(self) -> int:
        return self._conn.execute("SELECT coalesce(max(article), 0) FROM fingerprints").fetchone()[0]

    def fingerprints(self, articles: list[int]) -> dict[int, dict]:
        """The stored fingerprints of some articles (no signature), with each one's story."""
        if not articles:
            return {}
        rows = self._conn.execute(
            "SELECT article, shingles, fingerprints.agency, key_tokens, story_id FROM fingerprints "
            "JOIN articles ON articles.id = article "
            f"WHERE article IN ({', '.join('?' * len(articles))})", articles)
        return {row["article"]: {**dict(row), "key_tokens": json.loads(row["key_tokens"])}
                for row in rows}

    def assign_story(self, article: int, story: int | None = None) -> int:
        """Put an article into a story (a new one when `story` is None) and bring the story's
        first source and copy count up to date; a story left without copies is deleted."""
        with self._atomic():
            previous = self._conn.execute(
                "SELECT story_id FROM articles WHERE id = ?", (article,)).fetchone()[0]
            if story is None:
                now = _now()
                story = self._conn.execute(
                    "INSERT INTO stories (created_at, updated_at) VALUES (?, ?)",
                    (now, now)).lastrowid
            self._conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story, article))
            self._refresh_story(story)
            if previous is not None and previous != story:
                self._refresh_story(previous)
        return story

    def refresh_story(self, story: int) -> None:
        with self._atomic():
            self._refresh_story(story)

    def _refresh_story(self, story: int) -> None:
        copies = self._conn.execute(
            "SELECT articles.id, site, canonical_url, published_at, "
            "COALESCE(fingerprints.agency, articles.agency) AS agency "
            "FROM articles LEFT JOIN fingerprints ON article = articles.id WHERE story_id = ?",
            (story,)).fetchall()
        if not copies:
            self._conn.execute("DELETE FROM stories WHERE id = ?", (story,))
            return
        copies.sort(key=_first_source_order)
        first = copies[0]
        agency = next((copy["agency"] for copy in copies if copy["agency"]), None)
        self._conn.execute(
            "UPDATE stories SET agency = ?, first_article = ?, first_site = ?, first_url = ?, "
            "first_published_at = ?, copies = ?, updated_at = ? WHERE id = ?",
            (agency, first["id"], first["site"], first["canonical_url"], first["published_at"],
             len(copies), _now(), story))

    def story_head(self, story: int) -> dict | None:
        """A story's row, without its copies."""
        row = self._conn.execute("SELECT * FROM stories WHERE id = ?", (story,)).fetchone()
        return dict(row) if row is not None else None

    def story(self, story: int) -> dict | None:
        """A story and its copies, first source first."""
        row = self._conn.execute("SELECT * FROM stories WHERE id = ?", (story,)).fetchone()
        return self._with_copies(row) if row is not None else None

    def iter_stories(self, *, site: str | None = None, since: str | None = None,
                     min_copies: int = 1) -> Iterator[dict]:
        """Stories by first publication; `site`: those with a copy there; since="YYYY-MM-DD"
        (inclusive) on the first source's date. Checked at the call, like iter_articles."""
        if since is not None:
            since = dt.date.fromisoformat(since).isoformat()
        rows = self._conn.execute(
            "SELECT * FROM stories WHERE copies >= ?3 "
            "AND (?1 IS NULL OR EXISTS (SELECT 1 FROM articles WHERE story_id = stories.id "
            "AND site = ?1)) AND (?2 IS NULL OR substr(first_published_at, 1, 10) >= ?2) "
            "ORDER BY first_published_at, id", (site, since, min_copies))
        return map(self._with_copies, rows)

    def _with_copies(self, row: sqlite3.Row) -> dict:
        copies = self._conn.execute(
            "SELECT id, site, url, canonical_url, title, published_at, agency FROM articles "
            "WHERE story_id = ?", (row["id"],)).fetchall()
        copies.sort(key=lambda copy: (copy["id"] != row["first_article"], _first_source_order(copy)))
        return {**dict(row), "articles": [dict(copy) for copy in copies]}

    # -- overview -----------------------------------------------------------------------------

    def summary(self, crawls_per_site: int = 1) -> dict:
        """The archive in numbers: totals, and per site its articles, its sections (a section
        name is counted within its site, never added up across sites) and its last
        `crawls_per_site` runs, newest first (their full stats left out: get_crawl has them)."""
        one = lambda sql: self._conn.execute(sql).fetchone()  # noqa: E731
        sites: dict = {}

        def site_entry(site: str | None) -> dict:
            return sites.setdefault(site, {"articles": 0, "sections": {}, "crawls": []})

        for site, section, count in self._conn.execute(
                "SELECT site, section, count(*) FROM articles GROUP BY site, section "
                "ORDER BY site, count(*) DESC, section"):
            entry = site_entry(site)
            entry["articles"] += count
            entry["sections"][section] = count
        if crawls_per_site > 0:
            # The last runs of each spider (of each start URL for the generic one); a site's
            # runs are then its spiders' runs, trimmed again below.
            rows = self._conn.execute(
                f"""SELECT * FROM (SELECT {", ".join(CRAWL_OVERVIEW_COLUMNS)}, row_number() OVER (
                        PARTITION BY spider, CASE WHEN spider = 'news' THEN json_extract(args, '$.url') END
                        ORDER BY id DESC) AS recent FROM crawls)
                    WHERE recent <= ? ORDER BY id DESC""", (crawls_per_site,))
            for row in rows:
                crawl = _decode_crawl(row)
                del crawl["recent"]
                runs = site_entry(crawl_site(crawl["spider"], crawl["args"]))["crawls"]
                if len(runs) < crawls_per_site:
                    runs.append(crawl)
        return {
            "articles": one("SELECT count(*) FROM articles")[0],
            "changes": one("SELECT count(*) FROM article_changes")[0],
            "stories": one("SELECT count(*) FROM stories")[0],
            "crawls": one("SELECT count(*) FROM crawls")[0],
            "sites": dict(sorted(sites.items(), key=lambda item: (item[0] is None, item[0] or ""))),
            "last_crawl": _decode_crawl(one("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")),
            "schema_version": self.schema_version(),
        }


CRAWL_OVERVIEW_COLUMNS = ("id", "job_id", "spider", "args", "started_at", "finished_at", "status",
                          "finish_reason", *COUNTERS, "dropped")


def crawl_site(spider: str, args: Mapping | None) -> str:
    """The site a run crawled: a profile's spider is named after its site; the generic `news`
    spider's site is its start URL's host (without www., as its articles' `site`). Other runs
    (`import`) are listed under their own name."""
    url = (args or {}).get("url") if spider == "news" else None
    host = urlsplit(url).hostname if isinstance(url, str) else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return spider
