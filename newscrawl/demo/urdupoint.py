"""Offline demo copy of an UrduPoint-like English news site, frozen at NOW = 2023-07-29 21:00 PKT (16:00 UTC).

The markup follows the real site's structure (class names, URL patterns, byline forms, JSON-LD); every text is
invented and lives in data/urdupoint.json. Rendering is pure and deterministic: no clock, no randomness.

Paths (links are absolute, built from the request's Host header, like the real site's):
  /en/                                   home page linking to the three sections
  /en/news/<section>.html                listing page 1; then <section>-updates2.html, -updates3.html
  /en/<section>/<slug>-<id>.html         article; its AMP copy is /en/amp/<section>/<slug>-<id>.html
  /en/sitemap/news.rss                   RSS feed of the newest 20 listed articles
  /robots.txt                            allows everything
Each section has PAGES listing pages of PER_PAGE items, newest first: pages 1-2 hold July 2023 articles, page 3
only June 2023 ones (so a crawler's since=2023-07-01 rule can stop before it). A higher id means a newer article.

Special cases the crawler tests rely on:
  WIDGET_ONLY_IDS   in no listing; reachable only through "More Stories From <Section>" widgets (the 6 articles
                    of the same section nearest in time to the page's own article).
  TRACKING_LINK_ID  listed as <path>?utm_source=twitter&utm_medium=social; More Stories widgets link it as
                    <path>#comments and the Recent Stories block (on every article page) links its AMP copy.
  TWO_SECTION_ID    a business article that the pakistan listing shows too (same /en/business/... URL).
  NO_DATE_ID        no date anywhere: no JSON-LD date, an author-only byline, no dateline, no listing time.
                    A correct crawler drops it; expected_stored() is every article but this one.
  RELATIVE_ONLY_ID  its only date is the byline's "41 minutes ago" (2020 form without the absolute span, no
                    JSON-LD date, undated dateline): published NOW - 41 min = 2023-07-29T20:19:00+05:00.
  BROKEN_PATH       an article link on the world listing that answers 404.
  FLAKY_ID          answers 500 to its first request and 200 afterwards; the counter lives on the server
                    instance (server.py), render() itself always answers 200.
Every other article has a JSON-LD datePublished equal, to the minute, to its byline date.
"""
from __future__ import annotations

import html
import json
import pkgutil
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from email.utils import format_datetime
from urllib.parse import urlsplit

PKT = timezone(timedelta(hours=5), "PKT")
NOW = datetime(2023, 7, 29, 21, 0, tzinfo=PKT)
SECTIONS = ("world", "pakistan", "business")
SECTION_NAMES = {"world": "World", "pakistan": "Pakistan", "business": "Business"}
PAGES = 3
PER_PAGE = 8
SLUG_LENGTH = 45
WIDGET_SIZE = 6

NO_DATE_ID = "1730471"
RELATIVE_ONLY_ID = "1730801"
TRACKING_LINK_ID = "1730764"
TWO_SECTION_ID = "1730757"
FLAKY_ID = "1730810"
WIDGET_ONLY_IDS = ("1730778", "1730744", "1730721", "1730435", "1730424", "1730372")
BROKEN_PATH = "/en/world/argentine-lawmakers-debate-new-fishing-quotas-1730492.html"
# The footer's "About us" links: pages that are not news (the demo answers them 404).
UTILITY_PAGES = {"Contact Us": "/contact.html", "Disclaimer": "/disclaimer.html",
                 "Privacy Policy": "/privacy-policy.html", "Advertise With Us": "/advertisement.html"}
TRACKING_QUERY = "?utm_source=twitter&utm_medium=social"
TRACKING_FRAGMENT = "#comments"

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class DemoArticle:
    id: str
    section: str
    slug: str
    path: str
    title: str
    subtitle: str
    author: str
    author_slug: str
    handle: str | None
    published_at: str | None   # "YYYY-MM-DDTHH:MM:SS+05:00"; None for the undated article
    body: list[str]            # paragraphs as text, the dateline at the start of the first
    dateline: dict             # {location, agency, outlet, date}
    tags: list[str]
    image_url: str             # path of the main image (not served)
    byline_form: str           # "2022" | "2020" | "relative-only" | "none"
    listed_in: tuple[str, ...]  # sections whose listings show it; () for widget-only articles

    def __hash__(self):
        return hash(self.id)

    @property
    def amp_path(self) -> str:
        return f"/en/amp/{self.section}/{self.slug}-{self.id}.html"

    @property
    def published(self) -> datetime | None:
        return datetime.fromisoformat(self.published_at) if self.published_at else None

    def url(self, host: str = "127.0.0.1") -> str:
        return _base(host) + self.path


@dataclass(frozen=True)
class ListingEntry:
    href: str                  # the path as linked, tracking query included
    title: str
    subtitle: str
    published_at: str | None
    article: DemoArticle | None  # None for the broken link


def slugify(title: str) -> str:
    """UrduPoint's slug rule, inferred from real URLs: cut the title at 45 characters, then drop ' , . : and
    hyphenate the rest (so words are cut mid-way, as on the real site)."""
    cut = re.sub(r"['\u2019,.:]", "", title.lower()[:SLUG_LENGTH])
    return re.sub(r"[^a-z0-9]+", "-", cut).strip("-")


def tag_slug(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")


def listing_path(section: str, page: int) -> str:
    return f"/en/news/{section}.html" if page == 1 else f"/en/news/{section}-updates{page}.html"


# ------------------------------------------------------------------------------------------------- the model

@lru_cache(maxsize=1)
def _data() -> dict:
    # pkgutil, not open(): the package may be installed as a zipped egg.
    return json.loads(pkgutil.get_data(__package__, "data/urdupoint.json").decode("utf-8"))


@lru_cache(maxsize=1)
def _articles() -> tuple[DemoArticle, ...]:
    data = _data()
    out = []
    for row in data["articles"]:
        author = data["authors"][row["author"]]
        slug = slugify(row["title"])
        # Image paths carry the month, except for the two articles that must show no absolute date at all.
        dated = row["byline_form"] in ("2022", "2020")
        month = row["published_at"][:7].replace("-", "/") if dated else "archive"
        out.append(DemoArticle(
            id=row["id"], section=row["section"], slug=slug, path=f"/en/{row['section']}/{slug}-{row['id']}.html",
            title=row["title"], subtitle=row["subtitle"], author=row["author"], author_slug=author["slug"],
            handle=author["handle"], published_at=row["published_at"], body=list(row["body"]),
            dateline=dict(row["dateline"]), tags=list(row["tags"]),
            image_url=f"/media/{month}/_3/730x425/pic_{row['id']}.jpg", byline_form=row["byline_form"],
            listed_in=tuple(row["listed_in"])))
    return tuple(sorted(out, key=lambda a: -int(a.id)))


def articles() -> list[DemoArticle]:
    """Every article the site serves, newest first (including the undated one)."""
    return list(_articles())


def expected_stored() -> list[DemoArticle]:
    """The articles a correct crawler stores: all but the undated one."""
    return [a for a in _articles() if a.id != NO_DATE_ID]


def article(article_id: str) -> DemoArticle:
    return next(a for a in _articles() if a.id == article_id)


def flaky_paths() -> frozenset[str]:
    """Paths the server fails (500) on their first request."""
    return frozenset({article(FLAKY_ID).path})


@lru_cache(maxsize=1)
def _by_path() -> dict[str, tuple[DemoArticle, bool]]:
    pages = {}
    for a in _articles():
        pages[a.path] = (a, False)
        pages[a.amp_path] = (a, True)
    return pages


@lru_cache(maxsize=None)
def _section_entries(section: str) -> tuple[ListingEntry, ...]:
    entries = [ListingEntry(a.path + (TRACKING_QUERY if a.id == TRACKING_LINK_ID else ""), a.title, a.subtitle,
                            a.published_at, a)
               for a in _articles() if section in a.listed_in]
    for b in _data()["broken_links"]:
        if b["section"] == section:
            path = f"/en/{section}/{slugify(b['title'])}-{b['id']}.html"
            entries.append(ListingEntry(path, b["title"], b["subtitle"], b["published_at"], None))
    # Newest first; ids grow with time, so the undated article keeps its place too.
    return tuple(sorted(entries, key=lambda e: -int(_entry_id(e))))


def listing(section: str, page: int) -> list[ListingEntry]:
    """The items of one listing page (1-based), as linked."""
    return list(_section_entries(section)[(page - 1) * PER_PAGE:page * PER_PAGE])


def more_stories(of: DemoArticle) -> list[DemoArticle]:
    """The WIDGET_SIZE articles of the same section nearest in time (widget-only ones included)."""
    timeline = [a for a in _articles() if a.section == of.section]
    i = timeline.index(of)
    nearest = sorted((j for j in range(len(timeline)) if j != i), key=lambda j: (abs(j - i), j))
    return sorted((timeline[j] for j in nearest[:WIDGET_SIZE]), key=lambda a: -int(a.id))


def recent_stories() -> list[DemoArticle]:
    """The site-wide "Recent Stories": newest dated articles of the listings, any section."""
    return [a for a in _articles() if a.listed_in and a.published_at][:WIDGET_SIZE]


def _widget_href(a: DemoArticle) -> str:
    return a.path + (TRACKING_FRAGMENT if a.id == TRACKING_LINK_ID else "")


def _recent_href(a: DemoArticle) -> str:
    return a.amp_path if a.id == TRACKING_LINK_ID else a.path


# ------------------------------------------------------------------------------------------------ time forms

def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day:02d}{suffix}"


def _clock(dt: datetime) -> str:
    return f"{(dt.hour % 12) or 12:02d}:{dt.minute:02d} {'PM' if dt.hour >= 12 else 'AM'}"


def _ago(dt: datetime) -> str:
    minutes = int((NOW - dt).total_seconds() // 60)
    for unit, size in (("month", 30 * 1440), ("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes >= size or unit == "minute":
            n = minutes // size
            return f"{n} {unit}{'' if n == 1 else 's'} ago"


def _day_text(dt: datetime) -> str:
    """'Sat 29th July 2023', the listing and 2020-byline form."""
    return f"{WEEKDAYS[dt.weekday()]} {_ordinal(dt.day)} {MONTHS[dt.month - 1]} {dt.year}"


def _listing_time(dt: datetime) -> str:
    return _ago(dt) if NOW - dt < timedelta(hours=24) else _day_text(dt)


def _iso_compact(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S%z")   # "+0500", no colon, as on the real pages


# ------------------------------------------------------------------------------------------------- rendering

def esc(text: str) -> str:
    """Escape a text node (quotes stay as typed, like the real pages)."""
    return html.escape(text, quote=False)


attr = html.escape   # attribute values
CLEAR = '<div class="clear"></div>\n'
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
_DATELINE = re.compile(r"^[^()]{1,60}\([^()]*\)\s*:?\s*")
_LISTING = re.compile(r"/en/news/([a-z]+)(?:-updates(\d+))?\.html")


def _base(host: str) -> str:
    return "http://" + (host if host and _HOST.fullmatch(host) else "127.0.0.1")


LAYOUTS = ("A", "B")


def render(path: str, host: str, layout: str = "A", empty_sections=(), odd_ids_gone=False) -> tuple[int, str, dict]:
    """Answer one GET: (status, body, extra headers). Query strings and fragments are ignored, as by the
    real site. layout "B" is a redesign of the article pages (byline and topics in new markup, for the
    crawl-health tests); the sections in empty_sections list no stories; odd_ids_gone answers 404 for
    the articles with an odd id (about half of them: a site that lost pages)."""
    base = _base(host)
    path = urlsplit(path).path or "/"
    if path == "/robots.txt":
        return 200, "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain; charset=utf-8"}
    if path in ("/", "/en"):
        return 301, "", {"Location": base + "/en/"}
    if path == "/en/":
        return 200, _home_page(base), {}
    if path == "/en/sitemap/news.rss":
        return 200, _news_rss(base), {"Content-Type": "application/rss+xml; charset=utf-8"}
    listing_match = _LISTING.fullmatch(path)
    if listing_match:
        section, page = listing_match.group(1), int(listing_match.group(2) or 1)
        if section in SECTIONS and 1 <= page <= PAGES and listing_match.group(2) != "1":
            return 200, _listing_page(base, section, page, empty=section in empty_sections), {}
    found = _by_path().get(path)
    if found and not (odd_ids_gone and int(found[0].id) % 2):
        a, amp = found
        return 200, (_amp_page(base, a) if amp else _article_page(base, a, layout)), {}
    return 404, _not_found_page(base), {}


def _news_rss(base: str, size: int = 20) -> str:
    """The site's news feed: its newest listed articles (widget-only ones stay widget-only)."""
    listed = [a for a in articles() if a.listed_in and a.published][:size]
    items = "".join(
        f"<item><title>{esc(a.title)}</title><link>{base}{a.path}</link>"
        f"<guid>{base}{a.path}</guid><pubDate>{format_datetime(a.published)}</pubDate></item>\n"
        for a in listed)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>UrduPoint demo news</title><link>{base}/en/</link>\n{items}</channel></rss>\n")


def _linkify(text: str, tags: list[str], base: str, start: int = 0) -> str:
    """Escape a paragraph, wrapping the first mention of each tag in an inline a.txt_link (as the real pages do;
    the text read from the paragraph stays the same)."""
    out = [esc(text[:start])]
    pos, seen = start, set()
    if tags:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(tags, key=len, reverse=True))) + r")\b", re.I)
        for m in pattern.finditer(text, start):
            key = m.group(0).lower()
            if key in seen:
                continue
            seen.add(key)
            out.append(esc(text[pos:m.start()]))
            out.append(f'<a target="_blank" class="txt_link" href="{base}/en/latest-news/{tag_slug(m.group(0))}.html">'
                       f'{esc(m.group(0))}</a>')
            pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _json_ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, indent=1)}</script>\n'


def _news_article_ld(base: str, a: DemoArticle, layout: str = "A") -> dict:
    ld = {"@context": "http://schema.org", "@type": "NewsArticle",
          "mainEntityOfPage": {"@type": "WebPage", "@id": base + a.path},
          "headline": a.title,
          "image": {"@type": "ImageObject", "url": base + a.image_url, "height": 410, "width": 730}}
    if a.published and a.byline_form != "relative-only":
        ld["datePublished"] = ld["dateModified"] = _iso_compact(a.published)
    ld["author"] = {"@type": "Person", "name": a.author}
    ld["publisher"] = {"@type": "Organization", "name": "UrduPoint.com",
                       "logo": {"@type": "ImageObject", "url": base + "/images/up-english-logo.png",
                                "width": 150, "height": 60}}
    ld["description"] = a.subtitle
    if layout == "B":  # the redesign also declares its topics
        ld["keywords"] = list(a.tags)
    return ld


def _breadcrumb_ld(base: str, trail: list[tuple[str, str]]) -> dict:
    return {"@context": "http://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": i, "item": {"@id": url, "name": name}}
                                for i, (url, name) in enumerate(trail, 1)]}


def _byline(base: str, a: DemoArticle) -> str:
    author = f'<a href="{base}/en/team/{a.author_slug}.html">{esc(a.author)}</a>'
    dt = a.published
    if a.byline_form == "2022":
        return (f'<p class="art_info_bar"><span class="article-date">{author} Published '
                f'{MONTHS[dt.month - 1]} {dt.day}, {dt.year} | {_clock(dt)}</span></p>')
    spans = [f'<span class="article-date">\n<i class="fa fa-user"></i>\n{author}\n</span>']
    if a.handle and a.byline_form != "none":
        spans.append(f'<a target="_blank" href="https://twitter.com/{a.handle}">\n'
                     f'<span style="color:#000099; margin:0;">(@{a.handle})</span>\n</a>')
    if a.byline_form in ("2020", "relative-only"):
        spans.append(f'<span class="article-date">\n<i class="fa fa-clock-o"></i> {_ago(dt)} </span>')
    if a.byline_form == "2020":
        spans.append(f'<span class="article-date">\n<i class="fa fa-calendar-o"></i> {_day_text(dt)} | '
                     f'{_clock(dt)} </span>')
    return '<p class="art_info_bar">\n' + "\n".join(spans) + "\n</p>"


def _date_line(published_at: str | None) -> str:
    if not published_at:
        return ""
    return (f'<div class="date_line"><i class="fa fa-clock-o"></i> '
            f'{_listing_time(datetime.fromisoformat(published_at))}</div>\n')


def _short(title: str, limit: int = 50) -> str:
    return title if len(title) <= limit else title[:limit].rstrip() + " .."


def _detail_txt(base: str, a: DemoArticle) -> str:
    parts = [f'<div class="detail_txt">\n<h2>{esc(a.subtitle)}</h2>\n<div id="teads"></div>\n{CLEAR}',
             _ad_block("ad-outstream", "ad-1x1"), CLEAR, _ad_sticky("ad-center")]
    for i, text in enumerate(a.body):
        start = 0
        if i == 0 and a.dateline.get("location"):
            match = _DATELINE.match(text)
            start = match.end() if match else 0
        parts.append(f"<p>{_linkify(text, a.tags, base, start)}</p>")
        if i == 1 and len(a.body) > 2:
            # The real pages leave an empty <p> behind the mid-article ad.
            parts.append(f'<div id="eng_mob_ad_wrap">\n{_ad_slot("ad-mobile-middle")}</div>'
                         '<p style="margin-top:0px;"></p>')
        elif i == 3 and len(a.body) > 4:
            parts.append(_ad_sticky("ad-inline-2"))
    parts.append("\n" + _ad_block("ad-second-outstream", "ad-end"))
    parts.append(_SHARER_STYLE + _social_sharer(base, a) + "</div>\n")
    return "".join(parts)


def _social_sharer(base: str, a: DemoArticle) -> str:
    url, title = base + a.path, attr(a.title + " - UrduPoint")
    links = [f'<a onclick="share_this(\'{net}\')" class="{net} nafees" data-url="{url}" data-title="{title}" '
             f'href="javascript:void(0)">\n<i class="fa fa-{net}-square"></i>\n<span>{label}</span>\n</a>'
             for net, label in (("facebook", "Facebook"), ("twitter", "Twitter"), ("linkedin", "LinkedIn"))]
    links.append(f'<a class="whatsapp nafees" target="_blank" href="whatsapp://send?text={title} -- {url}">\n'
                 f'<i class="fa fa-whatsapp"></i>\n<span>Share on Whatsapp</span>\n</a>')
    return '<div class="social_sharer">\n' + "\n".join(links) + "\n</div>\n"


def _related_topics(base: str, a: DemoArticle) -> str:
    links = "".join(f'<a href="{base}/en/latest-news/{tag_slug(t)}.html">{esc(t)}</a>\n' for t in a.tags)
    return f'<div class="widget">\n<h3>Related Topics</h3>\n<div class="tagcloud">\n{links}</div>\n</div>\n'


def _recent_block(base: str) -> str:
    items = "".join(
        f'<a class="relc_box" href="{base}{_recent_href(r)}">\n<img src="{base}/media/thumbs/235x155/pic_{r.id}.jpg">\n'
        f'<p>{esc(_short(r.title))}</p>\n{_date_line(r.published_at)}</a>\n' for r in recent_stories())
    return f'<div class="clear mb20"></div>\n<div class="widget">\n<h3>Recent Stories</h3>\n{items}</div>\n'


def _more_block(base: str, a: DemoArticle) -> str:
    items = "".join(
        f'<li>\n<a href="{base}{_widget_href(m)}">\n<img src="{base}/media/thumbs/80x65/pic_{m.id}.jpg" />\n'
        f'<p>{esc(m.title)}</p>\n{_date_line(m.published_at)}</a>\n</li>\n' for m in more_stories(a))
    return (f'<div class="clear mb15"></div>\n<div class="widget">\n'
            f'<h3>More Stories From {SECTION_NAMES[a.section]}</h3>\n<ul class="widget_list">\n{items}</ul>\n</div>\n')


def _byline_b(base: str, a: DemoArticle) -> str:
    """Layout B's byline: the writer and the time in a strip of their own."""
    when = (f'<time>{_ago(a.published)}</time>' if a.byline_form == "relative-only"
            else f'<time>{_day_text(a.published)} | {_clock(a.published)}</time>' if a.published else "")
    return (f'<div class="byline"><span class="writer"><a href="{base}/en/team/{a.author_slug}.html">'
            f'{esc(a.author)}</a></span> {when}</div>')


def _topics_b(base: str, a: DemoArticle) -> str:
    links = "".join(f'<li><a href="{base}/en/latest-news/{tag_slug(t)}.html">{esc(t)}</a></li>' for t in a.tags)
    return f'<div class="widget">\n<h3>Topics</h3>\n<ul class="topic-chips">{links}</ul>\n</div>\n'


def _article_page(base: str, a: DemoArticle, layout: str = "A") -> str:
    canonical, section = base + a.path, SECTION_NAMES[a.section]
    trail = [(base + "/en/", "Home"), (base + listing_path(a.section, 1), section), (canonical, _short(a.title, 80))]
    head = _head(base, f"{a.title} - UrduPoint", a.subtitle, canonical, og_type="article",
                 image=base + a.image_url, extra=(f'<link rel="amphtml" href="{base + a.amp_path}">\n'
                                                  + _json_ld(_news_article_ld(base, a, layout))))
    crumbs = "".join(f'<li><a href="{url}">{esc(name)}</a></li><li><i class="fa fa-angle-double-right"></i></li>'
                     for url, name in trail[:-1]) + f"<li>{esc(trail[-1][1])}</li>"
    main = (f'<div class="main_bar fl news_article">\n<h1>{esc(a.title)}</h1>\n<div class="clear"></div>\n'
            f'{_byline_b(base, a) if layout == "B" else _byline(base, a)}\n<div class="clear"></div>\n'
            f'<figure class="ac">\n<img src="{base + a.image_url}" alt="{attr(a.title)}">\n</figure>\n'
            f'{_detail_txt(base, a)}<div class="clear mb20"></div>\n'
            f'{_topics_b(base, a) if layout == "B" else _related_topics(base, a)}'
            f'<div class="clear"></div>\n{_recent_block(base)}<div class="clear mb20"></div>\n'
            f'<div class="widget" id="comments">\n<h3>Your Thoughts and Comments</h3>\n'
            f'<div class="fb-comments" data-href="{canonical}" data-width="100%" data-numposts="5"></div>\n'
            f'</div>\n</div>\n')
    side = f'<div class="side_bar fr">\n{_search_box(base)}{_ad_sticky("ad-side-one")}{_more_block(base, a)}</div>\n'
    body = (f'<ul class="bread_crumb_en">\n{crumbs}\n</ul>\n{_json_ld(_breadcrumb_ld(base, trail))}'
            f'<div id="main_content">\n{main}{side}<div class="clear"></div>\n</div>\n')
    return _page(base, head, body)


def _amp_page(base: str, a: DemoArticle) -> str:
    paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in a.body)
    return (f'<!doctype html>\n<html \u26a1 lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{esc(a.title)} - UrduPoint</title>\n<link rel="canonical" href="{base + a.path}">\n'
            f'<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
            f'<meta name="description" content="{attr(a.subtitle)}">\n'
            f'<script async src="https://cdn.ampproject.org/v0.js"></script>\n{_json_ld(_news_article_ld(base, a))}'
            f'<style amp-boilerplate>body{{visibility:hidden}}</style>'
            f'<noscript><style amp-boilerplate>body{{visibility:visible}}</style></noscript>\n'
            f'<style amp-custom>body{{font-family:arial,sans-serif;margin:0 12px;line-height:1.6}}'
            f'h1{{font-size:22px}}h2{{font-size:16px;color:#333}}.tagcloud a{{margin-right:8px}}</style>\n'
            f'</head>\n<body>\n'
            f'<header class="amp_header"><a href="{base}/en/">UrduPoint</a></header>\n'
            f'<div class="main_bar news_article">\n<h1>{esc(a.title)}</h1>\n{_byline(base, a)}\n'
            f'<amp-img src="{base + a.image_url}" width="730" height="410" layout="responsive" '
            f'alt="{attr(a.title)}"></amp-img>\n'
            f'<div class="detail_txt">\n<h2>{esc(a.subtitle)}</h2>\n{paragraphs}</div>\n'
            f'{_related_topics(base, a)}</div>\n</body>\n</html>\n')


def _listing_page(base: str, section: str, page: int, empty: bool = False) -> str:
    name = SECTION_NAMES[section]
    url = base + listing_path(section, page)
    entries = [] if empty else listing(section, page)
    items = []
    if page == 1 and entries:
        big, entries = entries[0], entries[1:]
        items.append(f'<div class="news_big_item">\n<a href="{base + big.href}">\n'
                     f'<img src="{base}/media/thumbs/730x425/{_thumb(big)}" alt="{attr(big.title)}">\n'
                     f'<h4>{esc(big.title)}</h4>\n<p>{esc(big.subtitle)}</p>\n</a>\n'
                     f'{_date_line(big.published_at)}</div>\n')
    lis = "".join(f'<li>\n<a href="{base + e.href}">\n'
                  f'<img src="{base}/media/thumbs/235x155/{_thumb(e)}" alt="{attr(e.title)}">\n'
                  f'<div class="txt_box">\n<h4>{esc(e.title)}</h4>\n<p>{esc(e.subtitle)}</p>\n</div>\n</a>\n'
                  f'{_date_line(e.published_at)}</li>\n' for e in entries)
    items.append(f'<ul class="news_list">\n{lis}</ul>\n')
    active = ' class="active"'
    pager = "".join(f'<li{active if n == page else ""}><a href="{base + listing_path(section, n)}">{n}</a></li>'
                    for n in range(1, PAGES + 1))
    if page < PAGES:
        pager += f'<li><a rel="next" href="{base + listing_path(section, page + 1)}">Next</a></li>'
    title = f"{name} News - Latest {name} Headlines" + (f" - Page {page}" if page > 1 else "")
    head = _head(base, f"{title} - UrduPoint", f"Latest {name.lower()} news and updates from UrduPoint.", url)
    trail = [(base + "/en/", "Home"), (base + listing_path(section, 1), name)]
    body = (f'<ul class="bread_crumb_en">\n<li><a href="{base}/en/">Home</a></li>'
            f'<li><i class="fa fa-angle-double-right"></i></li><li>{name}</li>\n</ul>\n'
            f'{_json_ld(_breadcrumb_ld(base, trail))}'
            f'<div id="main_content">\n<div class="main_bar fl">\n<h1 class="sec_heading">{name} News</h1>\n'
            f'{"".join(items)}<ul class="pagination">\n{pager}\n</ul>\n</div>\n'
            f'<div class="side_bar fr">\n{_search_box(base)}{_ad_sticky("ad-side-one")}</div>\n{CLEAR}</div>\n')
    return _page(base, head, body)


def _entry_id(entry: ListingEntry) -> str:
    return re.search(r"-(\d+)\.html", entry.href).group(1)


def _thumb(entry: ListingEntry) -> str:
    return f"pic_{_entry_id(entry)}.jpg"


def _home_page(base: str) -> str:
    boxes = "".join(
        f'<div class="widget home_section">\n<h3><a href="{base + listing_path(s, 1)}">{SECTION_NAMES[s]}</a></h3>\n'
        f'<p>The latest {SECTION_NAMES[s].lower()} news, updated round the clock.</p>\n'
        f'<a class="more_link" href="{base + listing_path(s, 1)}">More {SECTION_NAMES[s]} News</a>\n</div>\n'
        for s in SECTIONS)
    head = _head(base, "English News - Latest Pakistan and World News - UrduPoint",
                 "Latest news from Pakistan and around the world.", base + "/en/")
    body = (f'<div id="main_content">\n<div class="main_bar fl">\n<h1 class="sec_heading">Latest News</h1>\n{boxes}'
            f'{_recent_block(base)}</div>\n<div class="side_bar fr">\n{_search_box(base)}</div>\n{CLEAR}</div>\n')
    return _page(base, head, body)


def _not_found_page(base: str) -> str:
    head = _head(base, "Page Not Found - UrduPoint", "The page you are looking for is not available.", base + "/en/")
    body = ('<div id="main_content">\n<div class="main_bar fl">\n<h1 class="sec_heading">Page Not Found</h1>\n'
            f'<p>The page you are looking for may have been moved or removed. '
            f'<a href="{base}/en/">Go to the home page</a>.</p>\n</div>\n<div class="clear"></div>\n</div>\n')
    return _page(base, head, body)


# --------------------------------------------------------------------------------------- page chrome (boilerplate)
# Realistic weight (menus, styles, ad slots, scripts) so pages are 30-100 KB like the real ones; all of it is
# written for this demo.

def _page(base: str, head: str, body: str) -> str:
    return (f"{head}</head>\n<body>\n<a href=\"#main_content\" id=\"skiplink\">Skip to main content</a>\n"
            f'<div id="main_wrap">\n<div id="canvas">\n<div class="container">\n{_header(base)}{body}'
            f"{_footer(base)}</div>\n</div>\n</div>\n{_TAIL_SCRIPTS}</body>\n</html>\n")


def _head(base: str, title: str, description: str, canonical: str, og_type: str = "website",
          image: str | None = None, extra: str = "") -> str:
    image = image or base + "/images/up-english-logo.png"
    organization = {"@context": "http://schema.org", "@type": "Organization", "url": base + "/",
                    "logo": base + "/images/up-english-logo.png",
                    "sameAs": ["https://www.facebook.com/urdupoint.network", "https://twitter.com/DailyUrduPoint"]}
    website = {"@context": "http://schema.org", "@type": "WebSite", "name": "UrduPoint",
               "alternateName": "PakistanPoint", "url": base + "/"}
    t, d = attr(title), attr(description)
    webpage = json.dumps({"@id": canonical, "@type": "WebPage", "@context": "http://schema.org"})
    return (f'<!doctype html><html lang="en" prefix="og: http://ogp.me/ns#"><head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=0">\n'
            f'<link rel="shortcut icon" href="{base}/images/favicon.ico" type="image/x-icon" />\n'
            f'<script type="text/javascript">var site_base = \'/\'; var base_url = \'{base}/\';</script>\n'
            f'<title>{t}</title>\n<meta name="description" content="{d}">\n'
            f'<meta property="og:url" content="{canonical}" />\n<meta property="og:title" content="{t}" />\n'
            f'<meta property="og:description" content="{d}" />\n<meta property="og:site_name" content="UrduPoint" />\n'
            f'<meta property="og:image" content="{image}" />\n<meta property="og:image:width" content="730" />\n'
            f'<meta property="og:image:height" content="410" />\n<meta property="og:type" content="{og_type}" />\n'
            f'<meta property="og:locale" content="en_US" />\n<meta name="twitter:card" content="summary_large_image">\n'
            f'<meta name="twitter:site" content="@DailyUrduPoint">\n<meta name="twitter:title" content="{t}">\n'
            f'<meta name="twitter:description" content="{d}">\n<meta name="twitter:image" content="{image}">\n'
            f'<link rel="canonical" href="{canonical}">\n{_json_ld(organization)}{_json_ld(website)}'
            f'<script data-schema="WebPage" type="application/ld+json">{webpage}</script>\n'
            f'<style type="text/css">{_css()}</style>\n{_HEAD_SCRIPTS}{extra}')


def _header(base: str) -> str:
    menu = "".join(f'<li class="elm__item"><a class="elm__link" href="{base + listing_path(s, 1)}">'
                   f'{SECTION_NAMES[s]}</a></li> ' for s in SECTIONS)
    return (f'<div class="top_bar"><span class="fs12">English Edition</span></div>\n<div class="header">\n'
            f'<div class="hlogo_box">\n<a target="_top" href="{base}/en/">\n'
            f'<img src="{base}/images/up-english-logo.png" alt="UrduPoint.com">\n</a>\n</div>\n'
            f'<div class="hbanner_box">\n{_ad_slot("ad-header")}</div>\n</div>\n<div class="clear"></div>\n'
            f'<header id="elmain"> <div class="elmtoggle__holder"> <div class="ac"> <a href="{base}/en/">UrduPoint</a> '
            f'<a href="javascript:void(0);" id="elmtoggle" class="cf fr pad20">'
            f'<i class="elmtoggle__icon fa fa-bars fs20"></i></a> </div> </div> '
            f'<div class="navholder--main"> <nav> <ul class="nav--main elm__list"> '
            f'<li class="elm__item"><a class="elm__link" href="{base}/en/">Home</a></li> {menu}</ul> </nav> </div> '
            f'</header>\n'
            f'<div class="clear"></div>\n{_ad_slot("ad-billboard")}<div class="clear mb5"></div>\n')


def _search_box(base: str) -> str:
    return (f'<div class="section_search">\n<form name="main_search_form" class="main_search_form" '
            f'action="{base}/en/set_search.php" method="get" onsubmit="return check_search_box();">\n'
            f'<input value="" name="kwd" id="kwd" class="big_search" type="text" placeholder="Search Here.....">\n'
            f'<input type="submit" name="kwd_submit" id="kwd_submit" value="Search">\n</form>\n</div>\n')


def _footer(base: str) -> str:
    def column(heading, links):
        items = "".join(f'<li>\n<a href="{base}{href}">\n{label}\n<span class="bgc{i}">&nbsp;</span>\n</a>\n</li>\n'
                        for i, (label, href) in enumerate(links, 3))
        return f'<div class="ftr_block">\n<strong>{heading}</strong>\n<ul class="cat_list_en">\n{items}</ul>\n</div>\n'
    sections = [(SECTION_NAMES[s] + " News", listing_path(s, 1)) for s in SECTIONS]
    about = list(UTILITY_PAGES.items())
    return (f'<div class="clear"></div>\n<div class="footer">\n<div class="footer_top">\n<div class="ftr_logo_block">\n'
            f'<div class="ftr_logo">\n<a href="{base}/en/">'
            f'<img width="140" height="76" src="{base}/images/footer-logo.png" alt="UrduPoint.com"></a>\n</div>\n'
            f'</div>\n<div class="ftr_links_block">\n'
            f'{column("ABOUT US", about)}{column("SECTIONS", sections)}</div>\n</div>\n'
            f'<div class="footer_bottom">\n<div class="fl full">\n<p>This is an offline demonstration copy of a '
            f'news site, bundled with newscrawl for tests and demos. Its stories, people and figures are invented.'
            f'</p>\n</div>\n'
            f'<p><a href="{base}/en/">&copy; UrduPoint Network (demo)</a></p>\n</div>\n</div>\n')


def _ad_slot(slot: str) -> str:
    return (f'<div align="center" style="text-align:center; margin:0 auto;">\n<div id="{slot}">\n<script>\n'
            f"googletag.cmd.push(function() {{ googletag.display('{slot}'); }});\n</script>\n</div>\n</div>\n")


def _ad_block(*slots: str) -> str:
    return '<div class="ac mb15 mt15">\n<div class="clear"></div>\n' + "".join(map(_ad_slot, slots)) + "</div>\n"


def _ad_sticky(slot: str) -> str:
    top = "top_" + slot.replace("-", "_")
    return (f'<div class="ad_stick_wrap" id="wrap-{slot}">\n<div class="ad_stick_inner">\n{_ad_slot(slot)}</div>\n'
            f'</div>\n<script type="application/javascript">\nif (document.getElementById("wrap-{slot}")) {{\n'
            f'  var {top} = getElementTopLeft("wrap-{slot}").top;\n'
            f'  window.addEventListener("scroll", function () {{\n'
            f'    var el = document.getElementById("wrap-{slot}");\n'
            f'    var inside = window.pageYOffset >= {top} && window.pageYOffset < {top} + 900;\n'
            f'    el.className = inside ? "ad_stick_wrap stick_pos" : "ad_stick_wrap";\n  }});\n}}\n</script>\n')


@lru_cache(maxsize=1)
def _css() -> str:
    rules = ["a,abbr,article,aside,b,blockquote,body,div,em,figure,footer,form,h1,h2,h3,h4,h5,h6,header,html,i,iframe,"
             "img,label,li,nav,ol,p,section,small,span,strong,table,tbody,td,th,tr,ul{margin:0;padding:0;border:0;"
             "font:inherit;vertical-align:baseline}ol,ul{list-style:none}body{line-height:20px;font-family:arial,"
             "sans-serif;color:#000;background:#f6f6f6;font-size:13px}a{text-decoration:none;color:#000}"
             "a:hover{color:#616161}img,iframe{max-width:100%}.clear{clear:both;line-height:0;margin:0;padding:0}"
             "#skiplink{display:none}"]
    rules += [f".fs{n}{{font-size:{n}px !important;}}" for n in range(10, 41)]
    rules += [f".lh{n}{{line-height:{n}px !important;}}" for n in range(12, 81, 2)]
    for short, prop in (("m", "margin"), ("p", "padding")):
        for side, name in (("t", "top"), ("b", "bottom"), ("l", "left"), ("r", "right")):
            rules += [f".{short}{side}{n}{{{prop}-{name}:{n}px !important;}}"
                      for n in (0, 1, 2, 5, 8, 10, 15, 20, 25, 30, 40)]
        rules += [f".{short}ar{n}{{{prop}:{n}px !important;}}" for n in (0, 2, 5, 8, 10, 15, 20, 25, 30)]
    rules += [f".w{n}{{width:{n}% !important;}}" for n in range(5, 101, 5)]
    rules += [f".h{n}{{height:{n}px !important;}}" for n in range(20, 401, 20)]
    palette = {"red": "#c14d44", "green": "#063f4f", "blue": "#084888", "gray": "#333", "white": "#fff",
               "black": "#000", "orange": "#f29423", "teal": "#006064", "purple": "#5a065a", "brown": "#9c6300"}
    for name, color in palette.items():
        rules += [f".txt_{name}{{color:{color} !important;}}", f".bg_{name}{{background:{color};}}",
                  f".bd_{name}{{border:1px solid {color};}}"]
    rules += [f".bgc{i}{{background:hsl({i * 23 % 360},55%,45%);display:inline-block;width:6px;height:6px;}}"
              for i in range(1, 21)]
    rules.append(
        ".container{display:block;width:1080px;min-height:100%;background:#fff;padding:0 20px;margin:0 auto;"
        "box-shadow:0 0 0 1px rgba(0,0,0,.1);position:relative}.main_bar{width:760px;float:right;position:relative}"
        ".side_bar{width:300px;float:left}.fl{float:left !important}.fr{float:right !important}.ac{text-align:center"
        " !important}.full{width:100% !important}.top_bar{background:#f8f8f8;border-bottom:1px dotted #dfdfdf;"
        "height:30px;padding:0 10px}.header{margin:10px 0;float:left;width:100%}.header .hlogo_box{float:left}"
        ".header .hbanner_box"
        "{float:right;width:800px;text-align:right}.navholder--main{background:#333}.elm__item{display:inline-block}"
        ".elm__link{display:block;padding:17px 10px;color:#fff}.bread_crumb_en{margin:10px 0}.bread_crumb_en li"
        "{display:inline-block;margin-right:6px;color:#555}.news_article h1{font-size:28px;line-height:38px;"
        "margin-bottom:10px}.art_info_bar{color:#555;margin-bottom:10px}.art_info_bar .article-date{margin-right:10px}"
        ".detail_txt{font-size:16px;line-height:28px}.detail_txt h2{font-size:18px;line-height:28px;font-weight:bold;"
        "margin-bottom:12px}.detail_txt p{margin-bottom:14px}.txt_link{color:#084888;border-bottom:1px dotted #084888}"
        ".widget{margin-bottom:20px}.widget h3{font-size:18px;border-bottom:2px solid #006064;padding-bottom:6px;"
        "margin-bottom:10px}.tagcloud a{display:inline-block;background:#eee;padding:3px 8px;margin:0 5px 5px 0;"
        "border-radius:3px}.relc_box{display:inline-block;width:31%;margin:0 1% 12px;vertical-align:top}"
        ".widget_list li{border-bottom:1px dotted #ccc;padding:6px 0;overflow:hidden}.widget_list img{float:left;"
        "margin-right:8px}.date_line{color:#777;font-size:11px}.news_big_item{margin-bottom:16px}.news_big_item h4"
        "{font-size:22px;line-height:30px}.news_list li{overflow:hidden;border-bottom:1px dotted #ccc;padding:10px 0}"
        ".news_list img{float:left;width:235px;margin-right:12px}.txt_box h4{font-size:16px;line-height:24px}"
        ".pagination{margin:20px 0;text-align:center}.pagination li{display:inline-block;margin:0 3px}.pagination a"
        "{display:block;padding:6px 12px;border:1px solid #ccc}.pagination .active a{background:#006064;color:#fff}"
        ".footer{background:#222;color:#ccc;padding:20px;margin-top:20px}.footer a{color:#ddd}.ftr_block"
        "{display:inline-block;width:30%;vertical-align:top}.ad_stick_wrap{min-height:250px}.stick_pos{position:"
        "fixed;top:60px}.section_search input.big_search{width:70%;padding:8px;border:1px solid #ccc}"
        "@media(max-width:980px){.container{width:100%;padding:0 10px;box-sizing:border-box}.main_bar,.side_bar"
        "{width:100%;float:none}.header .hbanner_box{width:100%;text-align:center !important}.relc_box{width:48%}}")
    return "".join(rules)


_SHARER_STYLE = ("<style>.social_sharer{margin:15px 0;overflow:hidden}.social_sharer a{display:inline-block;"
                 "padding:6px 12px;margin-right:6px;color:#fff;border-radius:3px}.social_sharer .facebook{background:"
                 "#3b5998}.social_sharer .twitter{background:#1da1f2}.social_sharer .linkedin{background:#0077b5}"
                 ".social_sharer .whatsapp{background:#25d366}</style>\n")

_SLOTS = [("header", "[[728, 90], [970, 90]]"), ("billboard", "[[970, 250], [970, 90]]"),
          ("center", "[[336, 280], [300, 250]]"), ("side-one", "[[300, 600], [300, 250]]"),
          ("mobile-middle", "[[336, 280], [320, 480]]"), ("inline-2", "[[336, 280], [300, 250]]"),
          ("end", "[[336, 280], [300, 250], [728, 90]]"), ("outstream", "[1, 1]"), ("1x1", "[1, 1]"),
          ("second-outstream", "[1, 1]")]

_HEAD_SCRIPTS = (
    "<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n"
    "  gtag('js', new Date());\n  gtag('config', 'UA-0000000-1');\n</script>\n"
    "<script type=\"text/javascript\">\nvar upd_w = window, upd_d = document, upd_e = upd_d.documentElement,\n"
    "    upd_x = upd_w.innerWidth || upd_e.clientWidth,\n    upd_y = upd_w.innerHeight || upd_e.clientHeight,\n"
    "    upd_path = window.location.pathname.split('/');\n</script>\n"
    "<script async='async' src='https://securepubads.g.doubleclick.net/tag/js/gpt.js'></script>\n"
    "<script>\n  var googletag = googletag || {cmd: []};\n  googletag.cmd.push(function() {\n"
    + "".join(f"    googletag.defineSlot('/0000000/demo/{name}', {sizes}, 'ad-{name}').addService(googletag.pubads())"
              f".setCollapseEmptyDiv(true, true);\n" for name, sizes in _SLOTS)
    + "    googletag.pubads().setTargeting('site', ['english']).setTargeting('section', upd_path.slice(1, 3));\n"
      "    googletag.pubads().enableSingleRequest();\n    googletag.pubads().disableInitialLoad();\n"
      "    googletag.enableServices();\n  });\n</script>\n"
      "<script>\n  // Header bidding: ask every slot for bids, then refresh the ad server once all answers are in.\n"
      "  var bidSlots = [\n"
    + "".join(f"    {{slotID: 'ad-{name}', slotName: '/0000000/demo/{name}', sizes: {sizes}}},\n"
              for name, sizes in _SLOTS)
    + "  ];\n  function requestBids(slots, done) {\n    var pending = slots.length;\n"
      "    slots.forEach(function (slot) {\n      setTimeout(function () { if (--pending === 0) { done(); } }, 10);\n"
      "    });\n  }\n  requestBids(bidSlots, function () {\n"
      "    googletag.cmd.push(function () { googletag.pubads().refresh(); });\n  });\n</script>\n"
      "<script type=\"text/javascript\">function getElementTopLeft(id) {var ele = document.getElementById(id);"
      "var top = 0;var left = 0;while (ele && ele.tagName != \"BODY\") {top += ele.offsetTop;left += ele.offsetLeft;"
      "ele = ele.offsetParent;}return { top: top, left: left };}</script>\n")

_TAIL_SCRIPTS = (
    "<script type=\"text/javascript\">\nfunction check_search_box() {\n"
    "  var box = document.forms['main_search_form']['kwd'];\n"
    "  if (box.value === '' || box.value.length < 3) { box.className += ' search_err'; box.focus(); return false; }\n"
    "  box.classList.remove('search_err');\n  return true;\n}\n"
    "function share_this(network) {\n  var links = document.querySelectorAll('.social_sharer .' + network);\n"
    "  if (!links.length) { return; }\n  var url = encodeURIComponent(links[0].getAttribute('data-url'));\n"
    "  var title = encodeURIComponent(links[0].getAttribute('data-title'));\n  var targets = {\n"
    "    facebook: 'https://www.facebook.com/sharer/sharer.php?u=' + url,\n"
    "    twitter: 'https://twitter.com/intent/tweet?url=' + url + '&text=' + title,\n"
    "    linkedin: 'https://www.linkedin.com/sharing/share-offsite/?url=' + url\n  };\n"
    "  window.open(targets[network], 'share', 'width=600,height=480');\n}\n</script>\n"
    "<script type=\"text/javascript\">\nfunction loadScript(src, done) {\n"
    "  var s = document.createElement('script'); s.type = 'text/javascript'; s.async = true;\n"
    "  s.onload = function () { if (done) { done(); } }; s.src = src;\n"
    "  document.getElementsByTagName('head')[0].appendChild(s);\n}\n"
    "loadScript('/js/jquery.js', function () {\n  jQuery('#elmtoggle').on('click', function () {\n"
    "    jQuery('body').toggleClass('show-nav');\n  });\n  jQuery('.elm__item.hassub > a').on('click', function (e) {\n"
    "    var sub = jQuery(this).next('ul');\n    if (sub.length) { e.preventDefault(); sub.slideToggle(250); }\n"
    "  });\n});\n</script>\n"
    "<div id=\"ad-sticky-footer\" align=\"center\" style=\"text-align:center;margin:0 auto;width:100%;\">\n"
    "<script>\ngoogletag.cmd.push(function() { if (upd_x <= 800) { googletag.display('ad-sticky-footer'); } });\n"
    "</script>\n</div>\n")
