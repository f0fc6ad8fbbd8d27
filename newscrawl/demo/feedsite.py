"""A bundled demo site that shows its articles only through a news sitemap and an RSS feed.

Its home page is an app shell: no article links, no section menus, only the footer's utility pages
and a <link rel="alternate"> to its feed. robots.txt names a sitemap index, which names the news
sitemap (the newest stories, with publication dates); the feed carries the newest stories too, and
some older ones the news sitemap has dropped. A crawler finds every article only by reading both.

  /robots.txt                 Sitemap: /sitemaps/index.xml
  /sitemaps/index.xml         sitemap index -> /sitemaps/news.xml
  /sitemaps/news.xml          news sitemap: articles 0 .. NEWS_SITEMAP_SIZE-1
  /feeds/latest.rss           RSS: articles FEED_START .. end
  /YYYY/MM/DD/<slug>/         article pages (JSON-LD NewsArticle)
  /about/, /contact/          utility pages (200, no articles)

All stories, people and figures are invented for this demo.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from html import escape
from urllib.parse import urlsplit

AST = timezone(timedelta(hours=3), "AST")
NOW = datetime(2023, 7, 29, 19, 0, tzinfo=AST)
SITE_NAME = "Coastal Ledger"
NEWS_SITEMAP_SIZE = 10
FEED_START = 6          # the feed's first article: 6..9 are in both, 10.. only in the feed
UTILITY_PATHS = ("/about/", "/contact/")
_TOPICS = (
    ("Harbour authority opens a second container berth", "ports"),
    ("Desalination plant trial cuts energy use by a fifth", "water"),
    ("Coastal road closed overnight for resurfacing works", "transport"),
    ("Fishing cooperative reports a record sardine catch", "fisheries"),
    ("University launches a marine biology field station", "education"),
    ("Airport adds direct flights to three African capitals", "aviation"),
    ("Heat alert issued as temperatures pass 46 degrees", "weather"),
    ("Central bank keeps its benchmark rate unchanged", "economy"),
    ("Date harvest festival draws growers from the region", "agriculture"),
    ("Mangrove planting drive reaches its millionth seedling", "environment"),
    ("Port city approves a plan for solar-powered ferries", "transport"),
    ("Hospital opens a paediatric heart surgery unit", "health"),
    ("Museum returns restored dhow to the old harbour", "culture"),
    ("Startup fund backs twelve logistics companies", "economy"),
)
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


@dataclass(frozen=True)
class DemoArticle:
    index: int
    title: str
    topic: str
    published: datetime

    @property
    def path(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return self.published.strftime("/%Y/%m/%d/") + slug + "/"

    @property
    def published_at(self) -> str:
        return self.published.isoformat()

    @property
    def body(self) -> list[str]:
        t = self.title.lower()
        return [f"Officials confirmed on {self.published:%A} that the {t} story is moving ahead, after months "
                f"of planning by local agencies and residents' groups along the coast.",
                f"The {self.topic} department said the figures would be published in full next month, and that "
                f"the first results had matched the forecasts made when the work began.",
                "Residents interviewed by the Ledger welcomed the news but asked for clearer timetables, saying "
                "earlier announcements had not always been followed by visible change on the ground.",
                f"A further update on the {self.topic} programme is expected before the end of the quarter."]


@lru_cache(maxsize=1)
def _articles() -> tuple[DemoArticle, ...]:
    # Newest first, five hours apart: the news sitemap holds about the last two days.
    return tuple(DemoArticle(i, title, topic, NOW - timedelta(hours=1 + 5 * i))
                 for i, (title, topic) in enumerate(_TOPICS))


def articles() -> list[DemoArticle]:
    return list(_articles())


def expected_stored() -> list[DemoArticle]:
    """Every article: each is listed by the news sitemap, the feed, or both."""
    return list(_articles())


def news_sitemap_articles() -> list[DemoArticle]:
    return list(_articles()[:NEWS_SITEMAP_SIZE])


def feed_articles() -> list[DemoArticle]:
    return list(_articles()[FEED_START:])


def _base(host: str) -> str:
    return "http://" + (host if host and _HOST.fullmatch(host) else "127.0.0.1")


def render(path: str, host: str) -> tuple[int, str, dict]:
    base = _base(host)
    path = urlsplit(path).path or "/"
    xml = {"Content-Type": "application/xml; charset=utf-8"}
    if path == "/robots.txt":
        return 200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemaps/index.xml\n", \
            {"Content-Type": "text/plain; charset=utf-8"}
    if path == "/":
        return 200, _home_page(base), {}
    if path == "/sitemaps/index.xml":
        return 200, _sitemap_index(base), xml
    if path == "/sitemaps/news.xml":
        return 200, _news_sitemap(base), xml
    if path == "/feeds/latest.rss":
        return 200, _feed(base), {"Content-Type": "application/rss+xml; charset=utf-8"}
    if path in UTILITY_PATHS:
        return 200, _page(base, path.strip("/").title(), "website", base + path,
                          f"<main><h1>{path.strip('/').title()}</h1><p>{SITE_NAME} is a demo site.</p></main>"), {}
    for a in _articles():
        if path == a.path:
            return 200, _article_page(base, a), {}
    return 404, _page(base, "Not found", "website", base + "/", "<main><h1>Not found</h1></main>"), {}


def _sitemap_index(base: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemaps/news.xml</loc></sitemap></sitemapindex>\n")


def _news_sitemap(base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>{SITE_NAME}</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a.published_at}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>\n" for a in news_sitemap_articles())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "</urlset>\n")


def _feed(base: str) -> str:
    items = "".join(f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
                    f"<pubDate>{format_datetime(a.published)}</pubDate></item>\n" for a in feed_articles())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{SITE_NAME}</title><link>{base}/</link>\n{items}</channel></rss>\n")


def _page(base: str, title: str, og_type: str, canonical: str, main: str, head_extra: str = "") -> str:
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)} | {SITE_NAME}'
            f'</title>\n<link rel="canonical" href="{canonical}">\n<meta property="og:type" content="{og_type}">\n'
            f'<meta property="og:site_name" content="{SITE_NAME}">\n'
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="{base}/feeds/latest.rss">\n'
            f"{head_extra}</head>\n<body>\n<header><a href=\"{base}/\">{SITE_NAME}</a></header>\n{main}\n"
            f'<footer><a href="{base}/about/">About</a> <a href="{base}/contact/">Contact</a>'
            "<p>An offline demonstration site bundled with newscrawl; its stories are invented.</p></footer>\n"
            "</body>\n</html>\n")


def _home_page(base: str) -> str:
    # The stories are drawn by a script from the feed: the markup itself links none.
    main = ('<main id="app"><h1>Latest from the coast</h1><noscript>Enable JavaScript to read the latest '
            "stories.</noscript></main>\n<script>fetch('/feeds/latest.rss')</script>")
    return _page(base, "Home", "website", base + "/", main)


def _article_page(base: str, a: DemoArticle) -> str:
    url = base + a.path
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "datePublished": a.published_at, "articleSection": a.topic.title(),
          "author": {"@type": "Organization", "name": SITE_NAME}, "mainEntityOfPage": url}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>\n'
    paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in a.body)
    main = (f'<main><article><h1>{escape(a.title)}</h1>\n<time datetime="{a.published_at}">'
            f'{a.published:%d %B %Y, %H:%M}</time>\n<div class="story-body">\n{paragraphs}</div></article></main>')
    return _page(base, a.title, "article", url, main, head)
