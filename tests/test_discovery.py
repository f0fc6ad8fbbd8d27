"""Generic discovery: the `news` spider on sites it has no profile for, and the pure functions
that tell listings, articles and utility pages apart."""

import json
import sqlite3
from urllib.parse import urlsplit

import pytest

from conftest import scrapy_crawl
from newscrawl.demo import urdupoint
from newscrawl.demo.server import running_server
from newscrawl.discovery.identity import article_id_of, site_of
from newscrawl.discovery.utility import is_utility_link
from newscrawl.spiders.links import looks_like_section_url


@pytest.mark.parametrize("url, text, utility", [
    ("http://x/contact.html", "Contact Us", True),
    ("http://x/disclaimer.html", "Disclaimer", True),
    ("http://x/privacy-policy.html", "Privacy Policy", True),
    ("http://x/advertisement.html", "Advertise With Us", True),
    ("http://x/en/about-us/", "About", True),
    ("http://x/terms-of-use", "", True),
    ("http://x/tag/cricket/", "Cricket", True),
    ("http://x/author/jane-doe/", "Jane Doe", True),
    ("http://x/user/login.php", "", True),
    ("http://x/p/12.html", "Contact us", True),          # the link text says what the URL does not
    ("http://x/en/news/world.html", "World", False),
    ("http://x/en/news/business.html", "More Business News", False),
    ("http://x/world/middle-east/", "Middle East", False),
    ("http://x/sports/", "Sports", False),
])
def test_utility_links(url, text, utility):
    assert is_utility_link(url, text) is utility


@pytest.mark.parametrize("url, section", [
    ("http://x/en/news/world.html", True),             # three segments: UrduPoint's menus
    ("http://x/news/business/", True),
    ("http://x/world/", True),
    ("http://x/a/b/c/d/e/", False),                     # too deep for a menu
    ("http://x/contact.html", False),
    ("http://x/en/world/japanese-coast-guard-rescues-14-crew-1730801.html", False),  # an article
    ("http://x/world/?page=2", False),
    ("http://x/logo.png", False),
    ("http://x/", False),
])
def test_section_urls(url, section):
    assert looks_like_section_url(url) is section


@pytest.mark.parametrize("host, site", [
    ("www.urdupoint.com", "urdupoint.com"),
    ("urdupoint.com", "urdupoint.com"),
    ("news.bbc.co.uk", "bbc.co.uk"),
    ("www.arabnews.com", "arabnews.com"),
    ("m.dawn.com", "dawn.com"),
    ("wam.ae", "wam.ae"),
    ("WWW.APP.COM.PK", "app.com.pk"),
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]", "::1"),
    ("localhost", "localhost"),
])
def test_site_is_the_registered_domain(host, site):
    assert site_of(host) == site


@pytest.mark.parametrize("url, article_id", [
    ("https://www.urdupoint.com/en/world/un-food-agency-says-heatwave-1730764.html", "1730764"),
    ("https://www.app.com.pk/national/story/41027419/", "41027419"),
    ("https://example.com/news/1234567", "1234567"),
    ("https://example.com/node_98765.php", "98765"),
    ("https://example.com/2023/07/29/", None),           # a date is not an id
    ("https://example.com/world/water-summit-opens-in-abu-dhabi/", None),
    ("https://example.com/page/12", None),               # a short counter is not an id
    ("https://example.com/story-2023", None),
])
def test_article_id_from_a_trailing_number(url, article_id):
    assert article_id_of(url) == article_id


@pytest.fixture(scope="module")
def urdupoint_generic(tmp_path_factory):
    """The UrduPoint-shaped demo crawled as a site without a profile, from its English home page."""
    db = tmp_path_factory.mktemp("discovery") / "archive.db"
    with running_server("urdupoint") as server:
        scrapy_crawl("news", "-a", f"url={server.base_url}/en/", "-s", f"NEWSCRAWL_DB={db}")
        requested = list(server.requested)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {urlsplit(r["canonical_url"]).path: dict(r) for r in conn.execute("SELECT * FROM articles")}
        stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    return rows, requested, stats


def test_urdupoint_without_profile_stores_nearly_every_article(urdupoint_generic):
    rows, _, stats = urdupoint_generic
    expected = {a.path for a in urdupoint.expected_stored()}
    assert set(rows) <= expected
    assert len(rows) >= 72, sorted(expected - set(rows))
    assert "log_count/ERROR" not in stats


def test_urdupoint_without_profile_requests_no_utility_page(urdupoint_generic):
    _, requested, stats = urdupoint_generic
    assert not set(urdupoint.UTILITY_PAGES.values()) & set(requested)
    listings = {urdupoint.listing_path(s, p) for s in urdupoint.SECTIONS for p in range(1, urdupoint.PAGES + 1)}
    articles = {a.path for a in urdupoint.articles()} | {a.amp_path for a in urdupoint.articles()}
    # Everything fetched is a source (robots.txt, the /sitemap.xml tried for lack of Sitemap: lines),
    # the start page, a listing or an article (the one broken link a listing shows included).
    other = [p for p in requested if p not in listings | articles | {"/robots.txt", "/sitemap.xml", "/en/"}
             and p != urdupoint.BROKEN_PATH]
    assert other == []
    assert set(listings) <= set(requested)                      # every section paged through
    assert stats["generic/utility_links_skipped"] >= len(urdupoint.UTILITY_PAGES)


def test_urdupoint_without_profile_identity_fields(urdupoint_generic):
    rows, _, _ = urdupoint_generic
    for path, row in rows.items():
        assert row["site"] == "127.0.0.1"
        assert row["article_id"] == article_id_of(path)
    flaky = urdupoint.article(urdupoint.FLAKY_ID)
    row = rows[flaky.path]
    assert (row["section"], row["section_label"]) == (flaky.section, urdupoint.SECTION_NAMES[flaky.section])


def test_site_with_only_a_news_sitemap_and_a_feed(tmp_path):
    """The ledger demo links no article from any page: every one is found through robots.txt's
    sitemap index, its news sitemap and the feed the pages announce, and nothing else is fetched."""
    from newscrawl.demo import feedsite

    db = tmp_path / "archive.db"
    with running_server("ledger") as server:
        scrapy_crawl("news", "-a", f"url={server.base_url}/", "-s", f"NEWSCRAWL_DB={db}")
        requested = list(server.requested)
    with sqlite3.connect(db) as conn:
        stored = {urlsplit(url).path: (published, section) for url, published, section in
                  conn.execute("SELECT canonical_url, published_at, section FROM articles")}
    assert set(feedsite.news_sitemap_articles()) - set(feedsite.feed_articles())    # each source has its own
    assert set(feedsite.feed_articles()) - set(feedsite.news_sitemap_articles())
    assert stored == {a.path: (a.published_at, a.topic) for a in feedsite.expected_stored()}
    assert sorted(set(requested) - {a.path for a in feedsite.articles()}) == \
        ["/", "/feeds/latest.rss", "/robots.txt", "/sitemaps/index.xml", "/sitemaps/news.xml"]
    assert not set(feedsite.UTILITY_PATHS) & set(requested)
