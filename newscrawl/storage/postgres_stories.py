"""The PostgreSQL archive's reading side and stories: articles in order, fingerprints with
their LSH band keys, stories and the overview (a mixin of PostgresArchive).

Orderings say COLLATE "C" and NULLS FIRST: both backends then list rows the same way
(SQLite compares text byte by byte and puts NULL first).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping

import numpy as np
from psycopg.types.json import Jsonb

from newscrawl.items import ARTICLE_FIELDS

from .postgres_retry import _retrying
from .common import CRAWL_OVERVIEW_COLUMNS, _first_source_order, _now, check_day, crawl_site

_BY_PUBLICATION = 'published_at COLLATE "C" NULLS FIRST'


_retry_read, _retry_write = _retrying(write=False), _retrying(write=True)
_cursor_names = itertools.count()


class PostgresStoriesMixin:
    """Needs self._conn, self._atomic, self._after_write, self._find and self.schema_version."""

    @staticmethod
    def _decode_article(row: Mapping) -> dict:
        article = {"id": row["id"], **{name: row[name] for name in ARTICLE_FIELDS}}
        article["first_seen_at"], article["updated_at"] = row["first_seen_at"], row["updated_at"]
        return article

    def iter_articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                      section: str | None = None, agency: str | None = None, story: int | None = None,
                      query: str | None = None) -> Iterator[dict]:
        since, until = (check_day(day) for day in (since, until))
        # A server-side cursor: an export of the whole archive streams.
        cursor = self._conn.cursor(name=f"articles_{next(_cursor_names)}", withhold=True)
        cursor.execute(
            "SELECT * FROM articles WHERE (%(site)s::text IS NULL OR site = %(site)s) "
            "AND (%(since)s::text IS NULL OR substr(published_at, 1, 10) COLLATE \"C\" >= %(since)s) "
            "AND (%(until)s::text IS NULL OR substr(published_at, 1, 10) COLLATE \"C\" <= %(until)s) "
            "AND (%(section)s::text IS NULL OR section = %(section)s) "
            "AND (%(agency)s::text IS NULL OR lower(agency) = lower(%(agency)s)) "
            "AND (%(story)s::bigint IS NULL OR story_id = %(story)s) "
            "AND (%(query)s::text IS NULL OR search @@ plainto_tsquery('simple', %(query)s)) "
            f"ORDER BY {_BY_PUBLICATION}, id",
            {"site": site, "since": since, "until": until, "section": section, "agency": agency,
             "story": story, "query": query})
        return map(self._decode_article, cursor)

    @_retry_read
    def article_by_id(self, article: int) -> dict | None:
        row = self._conn.execute("SELECT * FROM articles WHERE id = %s", (article,)).fetchone()
        return self._decode_article(row) if row is not None else None

    # -- fingerprints ----------------------------------------------------------------------
    @_retry_read
    def article_ref(self, article: Mapping) -> dict | None:
        # The fingerprint in the same query (a round trip per stored article saved).
        row = self._find(article.get("canonical_url"), article.get("site"), article.get("article_id"),
                         columns="id, story_id, content_hash, (SELECT json_build_object('method', method, "
                                 "'content_hash', content_hash) FROM fingerprints WHERE fingerprints.article "
                                 "= articles.id) AS fingerprint")
        return dict(row) if row is not None else None

    @_retry_read
    def articles_to_fingerprint(self, method: str) -> list[int]:
        rows = self._conn.execute(
            "SELECT articles.id FROM articles LEFT JOIN fingerprints ON article = articles.id "
            "WHERE article IS NULL OR method != %s OR fingerprints.content_hash != articles.content_hash "
            f"ORDER BY {_BY_PUBLICATION}, articles.id", (method,))
        return [row["id"] for row in rows]

    @_retry_write
    def save_fingerprint(self, article: int, *, method: str, content_hash: str, signature: bytes,
                         shingles: int, agency: str | None, key_tokens: Mapping) -> None:
        from newscrawl.syndication.bands import band_keys

        keys = band_keys(np.frombuffer(signature, dtype="<u4")[np.newaxis])[0].view(np.int64).tolist()
        with self._atomic():
            self._conn.execute(
                """INSERT INTO fingerprints (article, method, content_hash, signature, shingles,
                       agency, key_tokens, bands) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (article) DO UPDATE SET method = excluded.method,
                       content_hash = excluded.content_hash, signature = excluded.signature,
                       shingles = excluded.shingles, agency = excluded.agency,
                       key_tokens = excluded.key_tokens, bands = excluded.bands""",
                (article, method, content_hash, signature, shingles, agency, Jsonb(key_tokens), keys))
        self._after_write()

    @_retry_read
    def iter_signatures(self, method: str, *, after: int = 0, month: str | None = None
                        ) -> Iterator[tuple[int, bytes, int, str]]:
        rows = self._conn.execute(
            "SELECT article, signature, shingles, published_month FROM fingerprints "
            "JOIN articles ON articles.id = article WHERE article > %s AND method = %s "
            "AND (%s::text IS NULL OR published_month = %s) ORDER BY article",
            (after, method, month, month)).fetchall()
        return iter([(row["article"], bytes(row["signature"]), row["shingles"], row["published_month"])
                     for row in rows])

    @_retry_read
    def band_candidates(self, method: str, keys: list[int], months: list[str]):
        """(articles, signatures, shingles) of the fingerprints of those months that share a
        band key: `fingerprint_bands` finds them among every worker's articles. Written so that
        every step is an index lookup from the few candidates, whatever the planner's statistics
        say (a new archive has none: it would scan the month's articles or every fingerprint);
        the months are checked here, on those few rows."""
        rows = self._conn.execute(
            "SELECT candidate.article, found.signature, found.shingles, found.published_month FROM "
            "(SELECT DISTINCT article FROM fingerprint_bands WHERE key = ANY(%s)) AS candidate "
            "CROSS JOIN LATERAL (SELECT signature, shingles, published_month FROM fingerprints "
            "JOIN articles ON articles.id = fingerprints.article WHERE fingerprints.article = candidate.article "
            "AND method = %s LIMIT 1) AS found ORDER BY candidate.article", (keys, method)).fetchall()
        months = set(months)
        rows = [row for row in rows if row["published_month"] in months]
        from newscrawl.syndication.minhash import NUM_PERM

        signatures = np.frombuffer(b"".join(bytes(row["signature"]) for row in rows),
                                   dtype="<u4").reshape(-1, NUM_PERM)
        return (np.array([row["article"] for row in rows], dtype=np.int64), signatures,
                np.array([row["shingles"] for row in rows], dtype=np.int64))

    @_retry_read
    def last_fingerprinted(self) -> int:
        return self._conn.execute("SELECT coalesce(max(article), 0) AS a FROM fingerprints").fetchone()["a"]

    @_retry_read
    def fingerprints(self, articles: list[int]) -> dict[int, dict]:
        if not articles:
            return {}
        rows = self._conn.execute(
            "SELECT article, shingles, fingerprints.agency, key_tokens, story_id FROM fingerprints "
            "JOIN articles ON articles.id = article WHERE article = ANY(%s)", (list(articles),))
        return {row["article"]: row for row in rows}

    # -- stories ---------------------------------------------------------------------------
    @_retry_write
    def assign_story(self, article: int, story: int | None = None) -> int:
        with self._atomic():
            previous = self._conn.execute(
                "SELECT story_id FROM articles WHERE id = %s", (article,)).fetchone()["story_id"]
            self._lock_stories(story, previous)
            if story is None:
                now = _now()
                story = self._conn.execute("INSERT INTO stories (created_at, updated_at) VALUES "
                                           "(%s, %s) RETURNING id", (now, now)).fetchone()["id"]
            self._conn.execute("UPDATE articles SET story_id = %s WHERE id = %s", (story, article))
            self._refresh_story(story)
            if previous is not None and previous != story:
                self._refresh_story(previous)
        self._after_write()
        return story

    def _lock_stories(self, *stories) -> None:
        """Workers linking unrelated articles into one story (each a copy of a third, stored
        earlier) count its copies one after the other, each seeing the other's committed link."""
        stories = sorted({story for story in stories if story is not None})
        if stories:
            self._conn.execute("SELECT id FROM stories WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (stories,))

    @_retry_write
    def refresh_story(self, story: int) -> None:
        with self._atomic():
            self._lock_stories(story)
            self._refresh_story(story)
        self._after_write()

    def _refresh_story(self, story: int) -> None:
        copies = self._conn.execute(
            "SELECT articles.id, site, canonical_url, published_at, "
            "COALESCE(fingerprints.agency, articles.agency) AS agency "
            "FROM articles LEFT JOIN fingerprints ON article = articles.id WHERE story_id = %s",
            (story,)).fetchall()
        if not copies:
            self._conn.execute("DELETE FROM stories WHERE id = %s", (story,))
            return
        copies.sort(key=_first_source_order)
        first = copies[0]
        agency = next((copy["agency"] for copy in copies if copy["agency"]), None)
        self._conn.execute(
            "UPDATE stories SET agency = %s, first_article = %s, first_site = %s, first_url = %s, "
            "first_published_at = %s, copies = %s, updated_at = %s WHERE id = %s",
            (agency, first["id"], first["site"], first["canonical_url"], first["published_at"],
             len(copies), _now(), story))

    @_retry_read
    def story_head(self, story: int) -> dict | None:
        return self._conn.execute("SELECT * FROM stories WHERE id = %s", (story,)).fetchone()

    @_retry_read
    def story(self, story: int) -> dict | None:
        row = self._conn.execute("SELECT * FROM stories WHERE id = %s", (story,)).fetchone()
        return self._with_copies(row) if row is not None else None

    @_retry_read
    def iter_stories(self, *, site: str | None = None, since: str | None = None,
                     min_copies: int = 1) -> Iterator[dict]:
        if since is not None:
            since = dt.date.fromisoformat(since).isoformat()
        rows = self._conn.execute(
            "SELECT * FROM stories WHERE copies >= %(min)s AND (%(site)s::text IS NULL OR EXISTS ("
            "SELECT 1 FROM articles WHERE story_id = stories.id AND site = %(site)s)) "
            "AND (%(since)s::text IS NULL OR substr(first_published_at, 1, 10) COLLATE \"C\" >= %(since)s) "
            "ORDER BY first_published_at COLLATE \"C\" NULLS FIRST, id",
            {"min": min_copies, "site": site, "since": since}).fetchall()
        return map(self._with_copies, rows)

    def _with_copies(self, row: Mapping) -> dict:
        copies = self._conn.execute(
            "SELECT id, site, url, canonical_url, title, published_at, agency FROM articles "
            "WHERE story_id = %s", (row["id"],)).fetchall()
        copies.sort(key=lambda copy: (copy["id"] != row["first_article"], _first_source_order(copy)))
        return {**row, "articles": copies}

    # -- overview --------------------------------------------------------------------------
    @_retry_read
    def summary(self, crawls_per_site: int = 1) -> dict:
        one = lambda sql: self._conn.execute(sql).fetchone()  # noqa: E731
        sites: dict = {}

        def site_entry(site):
            return sites.setdefault(site, {"articles": 0, "sections": {}, "crawls": []})

        for row in self._conn.execute(
                "SELECT site, section, count(*) AS n FROM articles GROUP BY site, section ORDER BY "
                'site COLLATE "C" NULLS FIRST, count(*) DESC, section COLLATE "C" NULLS FIRST'):
            entry = site_entry(row["site"])
            entry["articles"] += row["n"]
            entry["sections"][row["section"]] = row["n"]
        if crawls_per_site > 0:
            rows = self._conn.execute(
                f"""SELECT * FROM (SELECT {", ".join(CRAWL_OVERVIEW_COLUMNS)}, row_number() OVER (
                        PARTITION BY spider, CASE WHEN spider = 'news' THEN args->>'url' END
                        ORDER BY id DESC) AS recent FROM crawls) AS latest
                    WHERE recent <= %s ORDER BY id DESC""", (crawls_per_site,))
            for crawl in rows:
                del crawl["recent"]
                runs = site_entry(crawl_site(crawl["spider"], crawl["args"]))["crawls"]
                if len(runs) < crawls_per_site:
                    runs.append(crawl)
        last = one("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")
        return {
            "articles": one("SELECT count(*) AS n FROM articles")["n"],
            "changes": one("SELECT count(*) AS n FROM article_changes")["n"],
            "stories": one("SELECT count(*) AS n FROM stories")["n"],
            "crawls": one("SELECT count(*) AS n FROM crawls")["n"],
            "sites": dict(sorted(sites.items(), key=lambda item: (item[0] is None, item[0] or ""))),
            "last_crawl": last,
            "schema_version": self.schema_version(),
        }
