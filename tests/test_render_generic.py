"""The generic `news` spider renders the pages that are drawn by script, and only those."""

import json
import sqlite3
import sys
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from conftest import REPO, run_cli, scrapy_crawl
from newscrawl.demo import feedsite, generic, urdupoint, wam
from newscrawl.demo.server import running_server
from newscrawl.discovery.scripted import render_reason

HOST = "127.0.0.1:8765"


def demo_page(module, path):
    status, body, _ = module.render(path, HOST)
    assert status == 200
    return body


NO_SCRIPT_FETCH = "<html><body><main id='app'></main><script>console.log('hi')</script></body></html>"
JS_HINT = ("<html><body><main><h1>News</h1><p>Latest headlines.</p></main><noscript>You need to enable "
           "JavaScript to run this app.</noscript><script>var x = new XMLHttpRequest();</script></body></html>")
SHORT_SHELL = ("<html><body><h1>Daily Courier</h1><p>Top stories</p>"
               "<script>fetch(api + '/stories').then(draw)</script></body></html>")
FEED_ONLY = ("<html><body><div id='news-list'></div><script>fetch('/feeds/latest.rss')</script></body></html>")
ARTICLE_WITH_COMMENTS = ("<html><body><article><h1>Floods hit the coast</h1><p>" + "Heavy rain fell. " * 40 +
                         "</p></article><div class='comments'></div><script>fetch('/api/comments?id=7')</script>"
                         "</body></html>")


@pytest.mark.parametrize("page,article_links,reason", [
    (demo_page(wam, "/en/"), 2, "empty_container"),                      # top stories, then an empty list
    (demo_page(wam, "/en/list/world"), 2, "empty_container"),
    (demo_page(wam, wam.articles()[0].path), 0, "placeholder"),          # "Loading…" until the API answers
    (demo_page(feedsite, "/"), 0, None),        # its script fetches the feed the crawl reads anyway
    (demo_page(generic, "/"), 30, None),
    (demo_page(urdupoint, "/en/"), 60, None),   # plenty of scripts (ads, analytics), none fetching stories
    (NO_SCRIPT_FETCH, 0, None),                 # empty, but nothing would fill it
    (JS_HINT, 0, "noscript_hint"),
    (JS_HINT, 12, None),                        # a listing that already links a dozen stories
    (SHORT_SHELL, 0, "little_text"),
    (SHORT_SHELL, 3, None),
    (FEED_ONLY, 0, None),
    (ARTICLE_WITH_COMMENTS, 0, None),           # an empty comments box is no story list
])
def test_why_a_page_needs_a_browser(page, article_links, reason):
    assert render_reason(Selector(text=page), article_links) == reason


# --- real crawls -------------------------------------------------------------------------------

def crawl(site, start, db, *arguments):
    with running_server(site) as server:
        result = scrapy_crawl("news", "-a", f"url={server.base_url}{start}", "-s", f"NEWSCRAWL_DB={db}", *arguments)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {urlsplit(r["canonical_url"]).path: dict(r) for r in conn.execute("SELECT * FROM articles")}
        stats = json.loads(conn.execute("SELECT stats FROM crawls ORDER BY id DESC").fetchone()[0])
    return rows, stats, result


@pytest.fixture(scope="module")
def wam_generic(tmp_path_factory):
    return crawl("wam", "/", tmp_path_factory.mktemp("wam-generic") / "archive.db")


def test_the_script_built_site_is_crawled_through_the_browser(wam_generic):
    rows, stats, result = wam_generic
    expected = {a.path: a for a in wam.expected_stored()}
    assert set(rows) <= set(expected)
    assert len(rows) >= len(expected) - 1, sorted(set(expected) - set(rows))
    for path, row in rows.items():
        truth = expected[path]
        assert row["title"] == truth.title
        assert datetime.fromisoformat(row["published_at"]) == datetime.fromisoformat(truth.published_at)
        assert row["body"].startswith(truth.body[0][:40])
    assert "log_count/ERROR" not in stats, result.stderr[-3000:]
    assert "Rendering with Chromium at" in result.stderr


def test_only_the_listings_and_article_shells_are_rendered(wam_generic):
    rows, stats, _ = wam_generic
    listings = 1 + len(wam.SECTIONS) + 1   # the start page, each section, /en/ (the home page again)
    assert stats["render/decided/empty_container"] == listings
    assert stats["render/decided/placeholder"] == len(wam.expected_stored())
    assert stats["render/pages"] == listings + len(wam.expected_stored())
    assert stats["playwright/page_count"] == stats["render/pages"]
    assert stats["playwright/page_count/closed"] == stats["playwright/page_count"]


def test_render_0_never_starts_a_browser(tmp_path):
    rows, stats, result = crawl("wam", "/", tmp_path / "archive.db", "-a", "render=0")
    assert rows == {}   # every article is a script shell
    assert not [key for key in stats if key.startswith(("render/", "playwright/"))]
    assert "scrapy_playwright" not in result.stderr and "Rendering with" not in result.stderr


@pytest.mark.parametrize("site,start,module", [
    ("urdupoint", "/en/", urdupoint), ("gulfwire", "/", generic), ("ledger", "/", feedsite)])
def test_sites_served_as_html_render_nothing(site, start, module, tmp_path):
    rows, stats, result = crawl(site, start, tmp_path / "archive.db")
    assert len(rows) >= len(module.expected_stored()) - 3
    assert stats.get("render/pages", 0) == 0
    assert not [key for key in stats if key.startswith(("render/", "playwright/"))]
    assert "scrapy_playwright" not in result.stderr


CRAWL_AND_REPORT = """
import sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

url, db = sys.argv[1:]
settings = get_project_settings()
settings.set("NEWSCRAWL_DB", db)
process = CrawlerProcess(settings)
process.crawl("news", url=url, max_pages="1")
process.start()
print("loaded:", sorted(m for m in ("playwright", "scrapy_playwright") if m in sys.modules))
"""


def test_a_crawl_that_renders_nothing_never_loads_playwright(tmp_path):
    with running_server("ledger") as server:   # script and <noscript> on its home page, a feed behind them
        result = run_cli(sys.executable, "-c", CRAWL_AND_REPORT, f"{server.base_url}/", str(tmp_path / "a.db"),
                         cwd=REPO)
    assert result.stdout.strip().endswith("loaded: []"), result.stderr[-2000:]
