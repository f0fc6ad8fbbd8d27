"""`scrapy crawl news -a url=…` on a local site that no profile describes."""

import json
import sqlite3
from urllib.parse import urlsplit

import pytest

from conftest import scrapy_crawl
from newscrawl.demo import generic as site
from newscrawl.demo.server import running_server


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("generic") / "archive.db"
    with running_server("gulfwire") as server:
        scrapy_crawl("news", "-a", f"url={server.base_url}/", "-s", f"NEWSCRAWL_DB={db}")
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {urlsplit(r["canonical_url"]).path: dict(r) for r in conn.execute("SELECT * FROM articles")}
        run = dict(conn.execute("SELECT * FROM crawls").fetchone())
    return rows, run, json.loads(run["stats"])


def test_finds_exactly_the_articles(crawled):
    rows, run, _ = crawled
    assert sorted(rows) == sorted(a.path for a in site.expected_stored())
    assert run["status"] == "finished" and run["new"] == len(site.expected_stored())


def test_related_only_article_is_reached(crawled):
    rows, _, _ = crawled
    assert site.article(site.RELATED_ONLY_ID).path in rows


def test_never_requests_offsite_or_disallowed_urls(crawled):
    _, _, stats = crawled
    assert stats["robotstxt/forbidden"] == 1                 # PRIVATE_PATH, refused before fetching
    assert not any(k.startswith("fetch_errors/") for k in stats)
    # robots.txt (for the middleware, and read for Sitemap: lines) + the /sitemap.xml it names none
    # so tried (404: no sitemap, not an error) + home + 2 sections x 3 pages + the articles: nothing
    # else (OFFSITE_URL, tag, author, about, video pages) was fetched
    assert stats["feed/not_found"] == 1
    assert stats["downloader/request_count"] == 2 + 1 + 1 + 2 * site.PAGES + len(site.expected_stored())


def test_fields_match_the_sites_truth(crawled):
    rows, _, _ = crawled
    for truth in site.expected_stored():
        row = rows[truth.path]
        assert row["title"] == truth.title
        assert row["published_at"] == truth.published_at      # the page's own +04:00 kept
        assert row["body"] == "\n\n".join(truth.body)
        assert json.loads(row["authors"]) == truth.authors
        assert row["agency"] == truth.agency
        assert json.loads(row["dateline"] or "null") == truth.dateline
        assert row["site"] == "127.0.0.1"
