"""Hostile pages (newscrawl.demo.page_faults) through real crawls: the urdupoint profile (its own
selectors) and the generic `news` spider. Structured data of any shape, non-HTML answers,
canonical links that all name one story, URL variants and a 100 KB byline must each end in a
finished crawl with every real article stored once, under its own key, and a counted reason."""

import json
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from conftest import scrapy_crawl
from newscrawl.demo import page_faults
from newscrawl.demo.page_faults import CALM, NON_HTML, pages, running_page_fault_server


@dataclass
class Crawl:
    spider: str
    log: str
    status: str
    stats: dict
    articles: dict   # path -> row (path of the archive key)
    requested: list


def _crawl(tmp_path_factory, spider):
    db = tmp_path_factory.mktemp(spider) / "archive.db"
    with running_page_fault_server() as server:
        start = (["-a", f"base_url={server.base_url}", "-a", "sections=world"] if spider == "urdupoint"
                 else ["-a", f"url={server.base_url}/en/news/world.html"])
        result = scrapy_crawl(spider, *start, "-s", f"NEWSCRAWL_DB={db}")
        requested = list(server.paths)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        run = conn.execute("SELECT status, stats FROM crawls").fetchone()
        rows = [dict(r) for r in conn.execute("SELECT * FROM articles")]
    articles = {urlsplit(r["canonical_url"]).path: r for r in rows}
    assert len(articles) == len(rows)
    return Crawl(spider, result.stderr, run["status"], json.loads(run["stats"]), articles, requested)


@pytest.fixture(scope="module", params=["urdupoint", "news"])
def crawl(request, tmp_path_factory):
    return _crawl(tmp_path_factory, request.param)


def test_the_crawl_finishes_without_errors(crawl):
    assert crawl.status == "finished", crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert "log_count/ERROR" not in crawl.stats
    assert "article/parse_errors" not in crawl.stats


def test_every_page_with_bad_json_ld_is_stored_from_its_markup(crawl):
    bad = pages("ld-")
    assert len(bad) == 9
    for page in bad:
        row = crawl.articles[page.path]
        assert f"{page.title}: the story, read from its page." in row["body"]
        assert row["published_at"] == page_faults.PUBLISHED
    # A wrong type is never stored: the numeric headline gives way to the page's own title.
    assert crawl.articles[pages("ld-headline-number")[0].path]["title"] == pages("ld-headline-number")[0].title
    assert crawl.articles[pages("ld-headline-number")[0].path]["authors"] in (None, "[]")


def test_what_was_ignored_is_counted(crawl):
    stats = crawl.stats
    assert stats["extract/jsonld/too_deep"] == 1          # 200,000 nested arrays
    assert stats["extract/jsonld/too_large"] == 1         # 200,000 nested objects: over 1 MB
    assert stats["extract/jsonld/wrong_type/headline"] == 3
    assert stats["extract/jsonld/wrong_type/author"] == 2
    assert stats["extract/jsonld/wrong_type/datePublished"] == 1


def test_non_html_answers_are_skipped_and_counted_by_type(crawl):
    for page in pages("type-"):
        assert page.path not in crawl.articles
        assert page.path in crawl.requested
    assert {key: value for key, value in crawl.stats.items() if key.startswith("skipped/content_type/")} == {
        "skipped/content_type/image_png": 1, "skipped/content_type/application_json": 1,
        "skipped/content_type/application_pdf": 1, "skipped/content_type/text_plain": 1,
        "skipped/content_type/application_octet_stream": 1}
    assert len(NON_HTML) == 5


def test_the_profiles_feed_still_passes(crawl):
    if crawl.spider != "urdupoint":
        pytest.skip("this server's feed is named by the urdupoint profile only; no page advertises it")
    assert "/en/sitemap/news.rss" in crawl.requested
    assert crawl.stats["feed/article_links"] == 1    # application/rss+xml: read, not skipped


def test_canonicals_that_all_name_one_story_do_not_collapse(crawl):
    for page in pages("same-canonical"):
        row = crawl.articles[page.path]
        assert row["title"] == page.title
        assert json.loads(row["flags"]) == ["canonical_rejected"]
    assert not json.loads(crawl.articles[CALM.path]["flags"] or "[]")


def test_the_amp_copy_and_the_variants_are_one_article_each(crawl):
    variants = pages("variants")[0]
    assert variants.path in crawl.articles
    assert not [path for path in crawl.articles if "amp" in path]
    assert not [row for row in crawl.articles.values() if "amp" in (urlsplit(row["canonical_url"]).query or "")]
    assert len(crawl.articles) == 1 + 9 + 4 + 1 + 1   # calm, ld-*, same-canonical, variants, long-byline


def test_a_100kb_byline_stays_out_of_the_body(crawl):
    row = crawl.articles[pages("long-byline")[0].path]
    assert "Reporter1 Name" not in row["body"]
    assert len(row["body"]) < 1000
    assert row["byline_raw"] is None or len(row["byline_raw"]) <= 300
