"""The SQLite archive's story side: fingerprints, stories and the overview (a mixin of Archive)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping

from .common import CRAWL_OVERVIEW_COLUMNS, _first_source_order, _now, crawl_site
from .sqlite_schema import _MONTH_SQL, _decode_article, _decode_crawl


class StoriesMixin:
    """Needs self._conn, self._atomic, self._find, self.schema_version and the decoders."""

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

