"""The PostgreSQL archive's schema: one list of statements per version, applied under an
advisory lock so workers starting together on a new database run each step once."""

from __future__ import annotations

from .common import CRAWL_STATUSES

# pg_advisory_xact_lock key of migrations, and pg_advisory_lock key of story linking ("nwsc"…).
MIGRATION_LOCK = 0x6E777363_0001
STORY_LOCK = 0x6E777363_0002
ANALYZE_LOCK = 0x6E777363_0003   # one worker refreshes the planner's statistics at a time
# What a crawl's lookups plan on: without statistics PostgreSQL guesses, and a growing archive
# is scanned whole per lookup (see PostgresArchive._keep_statistics).
ANALYZED_TABLES = "articles, fingerprints, fingerprint_bands, stories"
VERSION_TABLE = "newscrawl_schema"

_STATUSES = ", ".join(f"'{status}'" for status in CRAWL_STATUSES)
_DATED = r"published_at ~ '^[0-9]{4}-[0-9]{2}'"

# MIGRATIONS[n] brings a database from version n to n + 1. Append only.
MIGRATIONS: list[list[str]] = [
    [
        # `runs`: one logical crawl (the -a run=R of a shared frontier, or one worker's own
        # crawl); `crawls`: one row per worker process.
        f"""CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            spider TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ({_STATUSES}))
        )""",
        f"""CREATE TABLE crawls (
            id BIGSERIAL PRIMARY KEY,
            run TEXT REFERENCES runs (id),
            job_id TEXT,
            spider TEXT NOT NULL,
            host TEXT,
            pid INTEGER,
            args JSONB NOT NULL DEFAULT '{{}}',
            started_at TEXT NOT NULL,
            heartbeat_at TEXT,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ({_STATUSES})),
            finish_reason TEXT,
            requests INTEGER, pages INTEGER, new INTEGER, updated INTEGER, unchanged INTEGER,
            dropped JSONB, errors INTEGER,
            stats JSONB,
            coverage JSONB
        )""",
        "CREATE INDEX crawls_spider ON crawls (spider, id)",
        "CREATE INDEX crawls_run ON crawls (run)",
        """CREATE TABLE stories (
            id BIGSERIAL PRIMARY KEY,
            agency TEXT,
            first_article BIGINT,
            first_site TEXT,
            first_url TEXT,
            first_published_at TEXT,
            copies INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX stories_first_published_at ON stories (first_published_at COLLATE \"C\")",
        f"""CREATE TABLE articles (
            id BIGSERIAL PRIMARY KEY,
            url TEXT, canonical_url TEXT NOT NULL UNIQUE, site TEXT, article_id TEXT,
            section TEXT, section_label TEXT, language TEXT,
            title TEXT, subtitle TEXT, body TEXT, authors JSONB, agency TEXT, byline_raw TEXT,
            published_at TEXT, published_source TEXT, modified_at TEXT, dateline JSONB,
            tags JSONB, image_url TEXT, fetched_at TEXT, flags JSONB, field_sources JSONB,
            content_hash TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            story_id BIGINT REFERENCES stories (id),
            published_month TEXT GENERATED ALWAYS AS (
                CASE WHEN {_DATED} THEN substr(published_at, 1, 7) ELSE '' END) STORED,
            -- 'simple': no stemming, so Urdu and Arabic words are matched as written.
            search TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', coalesce(title, '')), 'A')
                || setweight(to_tsvector('simple', coalesce(body, '')), 'B')) STORED
        )""",
        """CREATE UNIQUE INDEX articles_site_article_id ON articles (site, article_id)
            WHERE article_id IS NOT NULL""",
        "CREATE INDEX articles_published_at ON articles (published_at COLLATE \"C\")",
        "CREATE INDEX articles_published_month ON articles (published_month)",
        "CREATE INDEX articles_story_id ON articles (story_id)",
        "CREATE INDEX articles_search ON articles USING GIN (search)",
        """ALTER TABLE stories ADD FOREIGN KEY (first_article) REFERENCES articles (id)
            ON DELETE SET NULL""",
        """CREATE TABLE article_changes (
            id BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            changed_at TEXT NOT NULL,
            fields JSONB NOT NULL,
            previous JSONB NOT NULL
        )""",
        "CREATE INDEX article_changes_article ON article_changes (article)",
        # `bands`: the LSH band keys of the signature, so any worker finds the candidates of a
        # new copy in the database itself (GIN: "shares a key with" is bands && ARRAY[…]).
        """CREATE TABLE fingerprints (
            article BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            method TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            signature BYTEA NOT NULL,
            shingles INTEGER NOT NULL,
            agency TEXT,
            key_tokens JSONB NOT NULL,
            bands BIGINT[] NOT NULL
        )""",
        "CREATE INDEX fingerprints_bands ON fingerprints USING GIN (bands)",
        """CREATE TABLE frontier (
            crawl BIGINT NOT NULL REFERENCES crawls (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            depth INTEGER NOT NULL,
            section TEXT,
            PRIMARY KEY (crawl, url)
        )""",
    ],
    [  # 2: story candidates by band key
        # Band keys one row each, kept from fingerprints.bands by a trigger: the planner never
        # uses the GIN index for `bands && <42 keys>` (it guesses a fifth of the table matches)
        # and scans every fingerprint per new article, while `key = ANY(…)` on a b-tree is a
        # few index lookups whatever the archive's size.
        """CREATE TABLE fingerprint_bands (
            key BIGINT NOT NULL,
            article BIGINT NOT NULL REFERENCES fingerprints (article) ON DELETE CASCADE,
            PRIMARY KEY (key, article)
        )""",
        "CREATE INDEX fingerprint_bands_article ON fingerprint_bands (article)",
        "INSERT INTO fingerprint_bands SELECT DISTINCT unnest(bands), article FROM fingerprints",
        """CREATE FUNCTION newscrawl_fingerprint_bands() RETURNS trigger LANGUAGE plpgsql AS $body$
           BEGIN
               DELETE FROM fingerprint_bands WHERE article = NEW.article;
               INSERT INTO fingerprint_bands SELECT DISTINCT key, NEW.article FROM unnest(NEW.bands) AS key;
               RETURN NULL;
           END $body$""",
        """CREATE TRIGGER fingerprints_band_rows AFTER INSERT OR UPDATE OF bands ON fingerprints
           FOR EACH ROW EXECUTE FUNCTION newscrawl_fingerprint_bands()""",
        "DROP INDEX fingerprints_bands",
    ],
    [  # 3: crawl health (newscrawl/health/store.py): an alert is open while cleared_at is NULL
        """CREATE TABLE health_alerts (
            id BIGSERIAL PRIMARY KEY,
            site TEXT NOT NULL,
            subject TEXT NOT NULL,
            before DOUBLE PRECISION,        -- SQLite's REAL (8 bytes; PostgreSQL's REAL has 4)
            now DOUBLE PRECISION,
            first_seen_at TEXT NOT NULL,
            first_crawl BIGINT,
            last_crawl BIGINT,
            cleared_at TEXT,
            cleared_crawl BIGINT
        )""",
        """CREATE UNIQUE INDEX health_alerts_open ON health_alerts (site, subject)
            WHERE cleared_at IS NULL""",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
