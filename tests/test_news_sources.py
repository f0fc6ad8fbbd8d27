"""The generic `news` spider: feeds and sitemaps as link sources, one slug per section, and caps on
what one page (or the start page's sections) can make it queue."""

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import scrapy_crawl
from newscrawl.spiders.links import robots_sitemaps, section_slug


@pytest.mark.parametrize("label, slug", [
    ("World", "world"), ("world", "world"), (" WORLD ", "world"), ("Middle East", "middle-east"),
    ("Business & Economy", "business-economy"), ("پاکستان", "پاکستان"), ("--", None), (None, None), (7, None),
])
def test_section_slug(label, slug):
    assert section_slug(label) == slug


def test_robots_sitemaps():
    assert robots_sitemaps("User-agent: *\nDisallow: /x\nSITEMAP: /a.xml\nsitemap:https://h/b.xml\nSitemap:\n") == \
        ["/a.xml", "https://h/b.xml"]


def article_page(number, section):
    return (f'<html><head><title>Story {number}</title><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2023-07-{number:02d}T10:00:00+04:00">'
            f'<meta property="article:section" content="{section}"></head><body><article>'
            f'<h1>Harbour story number {number} told at length</h1>'
            + "".join(f"<p>Paragraph {i} of story {number}: the harbour authority said work continues "
                      f"on the new quay, with ships waiting outside the breakwater.</p>" for i in range(6))
            + "</article></body></html>")


def story_path(number):
    return f"/2023/07/harbour-story-number-{number}-told-at-length.html"


# Stories 1-2 are linked from the home page, 3 only from the feed, 4 only from the news sitemap
# (through robots.txt and a sitemap index); sections are printed "World" and "world".
PAGES = {
    "/": ('<html><head><link rel="alternate" type="application/rss+xml" href="/feed.rss"></head><body>'
          f'<a href="{story_path(1)}">One</a><a href="{story_path(2)}">Two</a></body></html>'),
    "/feed.rss": (f'<rss><channel><item><link>http://HOST{story_path(3)}</link>'
                  '<pubDate>Mon, 03 Jul 2023 10:00:00 +0400</pubDate></item></channel></rss>'),
    "/robots.txt": "User-agent: *\nAllow: /\nSitemap: http://HOST/sitemap-index.xml\n",
    "/sitemap-index.xml": ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                           '<loc>http://HOST/news-sitemap.xml</loc></sitemap></sitemapindex>'),
    "/news-sitemap.xml": ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                          'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
                          f'<loc>http://HOST{story_path(4)}</loc><news:news><news:publication_date>'
                          '2023-07-04T10:00:00+04:00</news:publication_date></news:news></url></urlset>'),
    **{story_path(n): article_page(n, "World" if n % 2 else "world") for n in range(1, 5)},
}
# A start page with 50 article links and 30 sections, for the caps.
CROWDED = {
    "/": "<html><body>" + "".join(f'<a href="/section{n}/">Section {n}</a>' for n in range(30))
         + "".join(f'<a href="{story_path(n)}">{n}</a>' for n in range(1, 51)) + "</body></html>",
    **{f"/section{n}/": "<html><body>nothing</body></html>" for n in range(30)},
    **{story_path(n): article_page(n % 28 + 1, "World") for n in range(1, 51)},
}


def serve(pages):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            page = pages.get(self.path)
            if page is None:
                self.send_error(404)
                return
            host = f"127.0.0.1:{self.server.server_address[1]}"
            body = page.replace("HOST", host).encode()
            kind = ("text/plain" if self.path.endswith(".txt") else "application/xml"
                    if self.path.endswith((".xml", ".rss")) else "text/html; charset=utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site():
    server = serve(PAGES)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feeds_and_sitemaps_are_link_sources_and_sections_one_slug(site, tmp_path):
    db = tmp_path / "archive.db"
    scrapy_crawl("news", "-a", f"url={site}/", "-s", f"NEWSCRAWL_DB={db}")
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT canonical_url, section, section_label FROM articles ORDER BY canonical_url")
        stored = {url.removeprefix(site): (section, label) for url, section, label in rows}
        stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    assert stored == {story_path(n): ("world", "World" if n % 2 else "world") for n in range(1, 5)}
    assert stats["feed/pages"] == 3   # the feed, the sitemap index, the news sitemap


def test_caps_on_links_per_page_and_sections(tmp_path):
    server = serve(CROWDED)
    try:
        site = f"http://127.0.0.1:{server.server_address[1]}"
        db = tmp_path / "archive.db"
        scrapy_crawl("news", "-a", f"url={site}/", "-s", f"NEWSCRAWL_DB={db}", "-s", "NEWSCRAWL_MAX_LINKS_PER_PAGE=20",
                     "-s", "NEWSCRAWL_MAX_SECTIONS=5")
    finally:
        server.shutdown()
        server.server_close()
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM crawls").fetchone()[0])
    assert stats["listing/article_links"] == 20
    assert stats["caps/links_per_page_dropped"] == 30    # the start page's links past the 20th article
    assert (stats["generic/sections"], stats["caps/sections_dropped"]) == (5, 25)
