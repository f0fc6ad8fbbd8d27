"""Offline demo of "Gulf Wire", an invented English news site that no profile describes: the generic
spider must find its way through it without selectors. Frozen at NOW = 2023-07-29 18:00 (UTC+04:00).

Texts live in data/generic.json; rendering is pure (no clock, no randomness) and links are absolute,
built from the request's Host header.

  /                              home: section links, top stories, the video, about and contact
  /world/, /business/            listings, newest first, PER_PAGE stories a page; ?page=2, ?page=3 follow
                                 (<link rel="next"> in the head and a visible "Older stories »" link);
                                 every item prints <time datetime>
  /2023/07/29/<slug>/            article, WordPress-style URL (every other article)
  /news/<8-digit id>-<slug>      article, id-style URL (the others)
  /tag/<tag>/, /author/<name>/   lists of stories (not articles)
  /about/, /contact/             site pages with prose (not articles)
  /video/<slug>/                 a video page: a player and a caption, no article body
  /robots.txt                    allows everything but /private/
Articles carry og:type=article; half declare a JSON-LD NewsArticle (datePublished with its offset), the
other half only article:published_time. Wire copy opens with its dateline ("DUBAI, July 29 (WAM) -- …")
and is bylined "By WAM"/"By Reuters"/"By AFP"; staff copy "By <name>" with an author link. Each article
has a "Related stories" aside, share buttons and the site footer.

Special cases a generic crawl must get right:
  RELATED_ONLY_ID   linked only from RELATED_FROM_ID's "Related stories": no listing, tag, author or
                    home page shows it. A correct crawl stores it.
  OFFSITE_URL       a world listing item on another site: never fetched.
  PRIVATE_PATH      a business listing item under /private/, which robots.txt disallows: never fetched
                    (the page looks like an article, so a crawler that fetches it would store it).
  VIDEO_PATH        listed like a story on the world listing's first page; no body: not stored.
  NON_ARTICLE_PATHS home, about, contact, tag, author and video pages: never stored.
expected_stored() is every article (the related-only one included) and nothing else.
"""
from __future__ import annotations

import html
import json
import pkgutil
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import parse_qs, quote, urlsplit

GST = timezone(timedelta(hours=4), "GST")
NOW = datetime(2023, 7, 29, 18, 0, tzinfo=GST)
SITE_NAME = "Gulf Wire"
SECTIONS = ("world", "business")
SECTION_NAMES = {"world": "World", "business": "Business"}
PAGES = 3
PER_PAGE = 4
RELATED_SIZE = 3

RELATED_ONLY_ID = "41027419"
RELATED_FROM_ID = "41027417"
OFFSITE_URL = "https://elsewhere.example/world/partner-coverage-of-the-water-summit/"
PRIVATE_PATH = "/private/embargoed-bank-results-preview/"
VIDEO_PATH = "/video/electric-water-taxi-trial-on-the-creek/"
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class DemoArticle:
    id: str
    section: str
    slug: str
    path: str
    title: str
    summary: str
    author: str | None       # a staff writer, or None for agency copy
    agency: str | None       # WAM, Reuters, AFP for wire copy
    published_at: str        # ISO 8601 with +04:00
    body: list[str]          # paragraphs; wire copy opens with its dateline
    dateline: dict | None    # {location, agency, outlet, date} as a correct extraction stores it
    tags: list[str]
    json_ld: bool            # True: JSON-LD NewsArticle; False: only article:published_time meta

    @property
    def published(self) -> datetime:
        return datetime.fromisoformat(self.published_at)

    @property
    def authors(self) -> list[str]:
        return [self.author] if self.author else []

    @property
    def byline(self) -> str:
        return f"By {self.author or self.agency}"

    @property
    def listed(self) -> bool:
        return self.id != RELATED_ONLY_ID

    def url(self, host: str = "127.0.0.1") -> str:
        return _base(host) + self.path


def slugify(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def listing_path(section: str, page: int = 1) -> str:
    return f"/{section}/" + (f"?page={page}" if page > 1 else "")


def tag_path(tag: str) -> str:
    return f"/tag/{slugify(tag)}/"


def author_path(name: str) -> str:
    return f"/author/{slugify(name)}/"


# ------------------------------------------------------------------------------------------------- the model

@lru_cache(maxsize=1)
def _articles() -> tuple[DemoArticle, ...]:
    # pkgutil, not open(): the package may be installed zipped.
    rows = json.loads(pkgutil.get_data(__package__, "data/generic.json").decode("utf-8"))["articles"]
    out = []
    for n, row in enumerate(rows):  # rows are newest first
        slug = slugify(row["title"])
        # Alternate URL styles, and metadata styles in pairs, so every combination occurs.
        path = (f"/{row['published_at'][:10].replace('-', '/')}/{slug}/" if n % 2 == 0
                else f"/news/{row['id']}-{slug}")
        out.append(DemoArticle(
            id=row["id"], section=row["section"], slug=slug, path=path, title=row["title"],
            summary=row["summary"], author=row["author"], agency=row["agency"], published_at=row["published_at"],
            body=list(row["body"]), dateline=row["dateline"], tags=list(row["tags"]), json_ld=(n // 2) % 2 == 0))
    return tuple(out)


def articles() -> list[DemoArticle]:
    """Every article the site serves, newest first."""
    return list(_articles())


def expected_stored() -> list[DemoArticle]:
    """What a correct generic crawl stores: every article, the related-only one included."""
    return articles()


def article(article_id: str) -> DemoArticle:
    return next(a for a in _articles() if a.id == article_id)


def listing(section: str, page: int) -> list[DemoArticle]:
    """The stories of one listing page (1-based), newest first."""
    listed = [a for a in _articles() if a.section == section and a.listed]
    return listed[(page - 1) * PER_PAGE:page * PER_PAGE]


def related(of: DemoArticle) -> list[DemoArticle]:
    """The RELATED_SIZE listed stories of the same section nearest in time, plus the related-only story
    on RELATED_FROM_ID's page."""
    timeline = [a for a in _articles() if a.section == of.section and a.listed and a.id != of.id]
    nearest = sorted(timeline, key=lambda a: abs((a.published - of.published).total_seconds()))[:RELATED_SIZE]
    extra = [article(RELATED_ONLY_ID)] if of.id == RELATED_FROM_ID else []
    return extra + nearest


def tags() -> list[str]:
    return sorted({t for a in _articles() if a.listed for t in a.tags})


def authors() -> list[str]:
    return sorted({a.author for a in _articles() if a.listed and a.author})


NON_ARTICLE_PATHS = ("/", "/about/", "/contact/", VIDEO_PATH,
                     *(tag_path(t) for t in tags()), *(author_path(n) for n in authors()))


@lru_cache(maxsize=1)
def _by_path() -> dict[str, DemoArticle]:
    return {a.path: a for a in _articles()}


# ------------------------------------------------------------------------------------------------ rendering

esc = html.escape
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def _base(host: str) -> str:
    return "http://" + (host if host and _HOST.fullmatch(host) else "127.0.0.1")


def _shown(dt: datetime) -> str:
    """"29 July 2023, 5:20 pm", as the pages print times."""
    return f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}, {(dt.hour % 12) or 12}:{dt.minute:02d} " \
           f"{'pm' if dt.hour >= 12 else 'am'}"


def render(path: str, host: str) -> tuple[int, str, dict]:
    """Answer one GET: (status, body, extra headers)."""
    base = _base(host)
    parts = urlsplit(path)
    path = parts.path or "/"
    if path == "/robots.txt":
        return 200, ROBOTS_TXT, {"Content-Type": "text/plain; charset=utf-8"}
    if path == "/":
        return 200, _home_page(base), {}
    section = path.strip("/")
    if path == f"/{section}/" and section in SECTIONS:
        page = parse_qs(parts.query).get("page", ["1"])[0]
        if page.isdigit() and 1 <= int(page) <= PAGES:
            return 200, _listing_page(base, section, int(page)), {}
    if path in _by_path():
        return 200, _article_page(base, _by_path()[path]), {}
    if path == PRIVATE_PATH:
        return 200, _private_page(base), {}
    if path == VIDEO_PATH:
        return 200, _video_page(base), {}
    if path in ("/about/", "/contact/"):
        return 200, _site_page(base, path), {}
    for name in authors():
        if path == author_path(name):
            return 200, _story_list_page(base, path, f"Stories by {name}",
                                         [a for a in _articles() if a.listed and a.author == name]), {}
    for tag in tags():
        if path == tag_path(tag):
            return 200, _story_list_page(base, path, f"Tagged: {tag}",
                                         [a for a in _articles() if a.listed and tag in a.tags]), {}
    return 404, _page(base, "Page not found", "website", base + path,
                      f'<main><h1>Page not found</h1><p>Try the <a href="{base}/">home page</a>.</p></main>'), {}


def _page(base: str, title: str, og_type: str, canonical: str, main: str, head_extra: str = "") -> str:
    canonical = esc(canonical)  # a 404's canonical echoes the requested path
    nav = "".join(f'<a href="{base}{listing_path(s)}">{SECTION_NAMES[s]}</a> ' for s in SECTIONS)
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} | {SITE_NAME}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n"
            f'<meta property="og:site_name" content="{SITE_NAME}">\n<meta property="og:type" content="{og_type}">\n'
            f'<meta property="og:title" content="{esc(title)}">\n<meta property="og:url" content="{canonical}">\n'
            f"{head_extra}<style>body{{font-family:Georgia,serif;max-width:960px;margin:auto}}"
            f".share a,.site-footer a{{margin-right:1em}}</style>\n</head>\n<body>\n"
            f'<header class="site-header"><a class="logo" href="{base}/">{SITE_NAME}</a>\n'
            f'<nav class="main-nav">{nav}<a href="{base}{VIDEO_PATH}">Video</a></nav></header>\n'
            f"{main}\n"
            f'<footer class="site-footer"><a href="{base}/about/">About us</a><a href="{base}/contact/">Contact</a>'
            f"<p>&copy; 2023 {SITE_NAME}. An offline demonstration site bundled with newscrawl; its stories, "
            f"people and figures are invented.</p></footer>\n</body>\n</html>\n")


def _card(href: str, title: str, published: str, summary: str) -> str:
    when = datetime.fromisoformat(published)
    return (f'<article class="card"><h3><a href="{href}">{esc(title)}</a></h3>\n'
            f'<time datetime="{published}">{_shown(when)}</time>\n<p class="summary">{esc(summary)}</p></article>\n')


def _article_card(base: str, a: DemoArticle) -> str:
    return _card(base + a.path, a.title, a.published_at, a.summary)


def _listing_page(base: str, section: str, page: int) -> str:
    url = base + listing_path(section, page)
    cards = [_article_card(base, a) for a in listing(section, page)]
    if page == 1 and section == "world":
        cards.insert(1, _card(base + VIDEO_PATH, "Video: Electric water taxi trial on the creek",
                              "2023-07-29T16:00:00+04:00", "Watch the first electric water taxi carry passengers."))
        cards.append(_card(OFFSITE_URL, "Partner coverage: the regional water summit",
                           "2023-07-29T12:00:00+04:00", "From our partner site."))
    if page == 1 and section == "business":
        cards.insert(2, _card(base + PRIVATE_PATH, "Preview: bank results (subscribers)",
                              "2023-07-29T12:30:00+04:00", "Embargoed preview for subscribers."))
    links, pager = "", []
    if page > 1:
        links += f'<link rel="prev" href="{base + listing_path(section, page - 1)}">\n'
        pager.append(f'<a class="newer" href="{base + listing_path(section, page - 1)}">« Newer stories</a>')
    if page < PAGES:
        links += f'<link rel="next" href="{base + listing_path(section, page + 1)}">\n'
        pager.append(f'<a class="older" href="{base + listing_path(section, page + 1)}">Older stories »</a>')
    name = SECTION_NAMES[section]
    main = (f'<main><h1>{name}</h1>\n<section class="story-list">\n{"".join(cards)}</section>\n'
            f'<nav class="pager">{" ".join(pager)}</nav></main>')
    title = name + (f" - page {page}" if page > 1 else "")
    return _page(base, title, "website", url, main, links)


def _home_page(base: str) -> str:
    blocks = "".join(
        f'<section class="section-block"><h2><a href="{base}{listing_path(s)}">{SECTION_NAMES[s]}</a></h2>\n'
        + "".join(_article_card(base, a) for a in listing(s, 1)[:2])
        + f'<a class="more" href="{base}{listing_path(s)}">More {SECTION_NAMES[s].lower()} news</a></section>\n'
        for s in SECTIONS)
    main = (f"<main><h1>{SITE_NAME}: news from the Gulf and the world</h1>\n{blocks}"
            f'<section class="video-block"><h2>Video</h2><a href="{base}{VIDEO_PATH}">Electric water taxi trial '
            f"on the creek</a></section></main>")
    return _page(base, "Home", "website", base + "/", main)


def _news_article_ld(base: str, a: DemoArticle) -> dict:
    author = ({"@type": "Person", "name": a.author, "url": base + author_path(a.author)} if a.author
              else {"@type": "Organization", "name": a.agency})
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
            "description": a.summary, "datePublished": a.published_at, "author": author,
            "articleSection": SECTION_NAMES[a.section], "image": [f"{base}/media/{a.id}.jpg"],
            "mainEntityOfPage": {"@type": "WebPage", "@id": base + a.path},
            "publisher": {"@type": "Organization", "name": SITE_NAME, "logo": {"@type": "ImageObject",
                                                                               "url": f"{base}/logo.png"}}}


def _article_page(base: str, a: DemoArticle) -> str:
    url = base + a.path
    head = (f'<meta name="description" content="{esc(a.summary)}">\n'
            f'<meta property="og:description" content="{esc(a.summary)}">\n'
            f'<meta property="og:image" content="{base}/media/{a.id}.jpg">\n')
    if a.json_ld:
        head += f'<script type="application/ld+json">{json.dumps(_news_article_ld(base, a))}</script>\n'
    else:
        head += (f'<meta property="article:published_time" content="{a.published_at}">\n'
                 f'<meta property="article:section" content="{SECTION_NAMES[a.section]}">\n')
    credit = (f'By <a href="{base}{author_path(a.author)}" rel="author">{esc(a.author)}</a>' if a.author
              else f"By {a.agency}")
    paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in a.body)
    tag_links = "".join(f'<li><a href="{base}{tag_path(t)}" rel="tag">{esc(t)}</a></li>' for t in a.tags)
    shared = quote(url, safe="")
    share = (f'<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={shared}">Share on Facebook</a>'
             f'<a href="https://twitter.com/intent/tweet?url={shared}">Share on X</a>'
             f'<a href="mailto:?subject={quote(a.title)}&amp;body={shared}">Email</a></div>')
    related_links = "".join(f'<li><a href="{base + r.path}">{esc(r.title)}</a></li>' for r in related(a))
    main = (f'<main>\n<article class="story">\n<header><p class="kicker"><a href="{base}{listing_path(a.section)}">'
            f"{SECTION_NAMES[a.section]}</a></p>\n<h1>{esc(a.title)}</h1>\n"
            f'<p class="byline">{credit}</p>\n<time datetime="{a.published_at}">{_shown(a.published)}</time></header>\n'
            f'<figure><img src="{base}/media/{a.id}.jpg" alt=""><figcaption>File photo.</figcaption></figure>\n'
            f'<div class="story-body">\n{paragraphs}</div>\n<ul class="tags">{tag_links}</ul>\n{share}\n</article>\n'
            f'<aside class="related"><h2>Related stories</h2><ul>{related_links}</ul></aside>\n</main>')
    return _page(base, a.title, "article", url, main, head)


def _story_list_page(base: str, path: str, heading: str, stories: list[DemoArticle]) -> str:
    cards = "".join(_article_card(base, a) for a in stories)
    main = f'<main><h1>{esc(heading)}</h1>\n<section class="story-list">\n{cards}</section></main>'
    return _page(base, heading, "website", base + path, main)


def _video_page(base: str) -> str:
    main = (f'<main><h1>Electric water taxi trial on the creek</h1>\n<time datetime="2023-07-29T16:00:00+04:00">'
            f'{_shown(datetime(2023, 7, 29, 16, 0, tzinfo=GST))}</time>\n'
            f'<video controls width="640" src="{base}/media/water-taxi.mp4"></video>\n'
            f'<p class="caption">The first electric water taxi carries passengers on a trial run. (2:10)</p></main>')
    return _page(base, "Video: Electric water taxi trial on the creek", "video.other", base + VIDEO_PATH, main)


def _private_page(base: str) -> str:
    main = ('<main><article class="story"><h1>Preview: what to expect from bank results</h1>\n'
            '<p class="byline">By Gulf Wire Staff</p>\n<time datetime="2023-07-29T12:30:00+04:00">29 July 2023</time>\n'
            "<p>This preview is under embargo for subscribers until the banks publish their quarterly results.</p>\n"
            "<p>Analysts expect higher interest income and steady loan growth across the sector.</p>\n"
            "<p>Provisions for bad loans are forecast to fall for a third quarter.</p></article></main>")
    head = '<meta property="article:published_time" content="2023-07-29T12:30:00+04:00">\n'
    return _page(base, "Preview: what to expect from bank results", "article", base + PRIVATE_PATH, main, head)


_SITE_PAGES = {
    "/about/": ("About us", [
        f"{SITE_NAME} is an independent news site covering the Gulf region and the world, founded by a small "
        "team of editors who believe readers deserve clear, calm reporting.",
        "We publish our own reporting alongside copy from news agencies, and we always say which is which: "
        "agency stories carry the agency's name in the byline.",
        "Our newsroom works from Dubai, with contributors across the region. We correct mistakes openly and "
        "note every correction at the end of the story concerned."]),
    "/contact/": ("Contact", [
        "Write to the newsroom at news@gulfwire.example, or call during office hours, Sunday to Thursday.",
        "For corrections, please give the headline and date of the story and tell us what is wrong.",
        "Press releases are welcome but we cannot reply to each one."]),
}


def _site_page(base: str, path: str) -> str:
    title, paragraphs = _SITE_PAGES[path]
    prose = "".join(f"<p>{esc(p)}</p>\n" for p in paragraphs)
    main = f'<main><h1>{title}</h1>\n<div class="page-text">\n{prose}</div></main>'
    return _page(base, title, "website", base + path, main)
