"""The SQLite archive's schema (one list of statements per version) and its row decoders."""

from __future__ import annotations

import json
import sqlite3

from newscrawl.items import ARTICLE_FIELDS

from .common import CRAWL_STATUSES, JSON_FIELDS, V1_CRAWL_STATUSES, V1_FIELDS

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
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN {V1_CRAWL_STATUSES!r}),
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
    [  # 6: crawl health: where fields were read, per-crawl coverage, the finished_with_alerts status
        "ALTER TABLE articles ADD COLUMN field_sources TEXT",
        # A CHECK cannot be altered: crawls is rebuilt, frontier (which references it) kept aside.
        "CREATE TABLE frontier_v5 AS SELECT * FROM frontier",
        "DROP TABLE frontier",
        f"""CREATE TABLE crawls_v6 (
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
            stats TEXT,
            coverage TEXT
        )""",
        "INSERT INTO crawls_v6 SELECT *, NULL FROM crawls",
        "DROP TABLE crawls",
        "ALTER TABLE crawls_v6 RENAME TO crawls",
        """CREATE TABLE frontier (
            crawl INTEGER NOT NULL REFERENCES crawls (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            depth INTEGER NOT NULL,
            section TEXT,
            PRIMARY KEY (crawl, url)
        ) WITHOUT ROWID""",
        "INSERT INTO frontier SELECT * FROM frontier_v5",
        "DROP TABLE frontier_v5",
    ],
]
# The month an article was published, "" when published_at is not a date: the story index's shard.
_MONTH_SQL = ("CASE WHEN published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
              "THEN substr(published_at, 1, 7) ELSE '' END")
SCHEMA_VERSION = len(MIGRATIONS)


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
    for name in ("args", "dropped", "stats", "coverage"):
        if crawl.get(name) is not None:
            crawl[name] = json.loads(crawl[name])
    return crawl
