"""Offline demo copy of a WAM-like wire site (Emirates News Agency) whose pages are built by script.
Frozen at NOW = 2023-07-29 20:00 UAE time (UTC+04:00, no daylight saving).

Like the real site, a plain fetch of a page gets little: stories are drawn by script from JSON
endpoints. Texts are invented and live in data/wam.json; answers are pure (no clock, no randomness).

  /en/list/<section>              a section's listing: TOP_STORIES story cards in the HTML itself, then a
                                  list the page's script fills from the section API, PER_PAGE stories at a
                                  time; "uae" and "business" grow with a "Load more" button, "world" when
                                  the reader scrolls to its end (infinite scroll)
  /en/list/archive[-K]?page=N     numbered listings for the rendering benchmark (N = 1..ARCHIVE_PAGES;
                                  archive-2, archive-3, … are further chains, to crawl side by side):
                                  script-built stories cycling through every article, one "Load more"
                                  and a plain link to page N+1
  /en/article/<id>-<slug>         an empty shell whose script fetches GetArticleBySlug and draws it
  /api/app/views/GetSectionArticles?section=<s>&page=<n>    {"items": [...], "paging": {...}}
  /api/app/articles/GetArticleBySlug?slug=<id>-<slug>       the article: shortCode, slug, title,
                                  summary, articleDate, body (HTML), categories, articleAuthors, tags
  /robots.txt                     allows everything

Every body opens with WAM's dateline, "ABU DHABI, 29th July, 2023 (WAM) -- " or the form without the
comma after the month and with an en dash. STATIC_IDS are the articles a crawl without a browser finds
(the top stories); expected_stored() is every article.
"""
from __future__ import annotations

import html
import json
import pkgutil
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

GST = timezone(timedelta(hours=4), "GST")
NOW = datetime(2023, 7, 29, 20, 0, tzinfo=GST)
SECTIONS = ("uae", "world", "business")
SECTION_NAMES = {"uae": "UAE", "world": "World", "business": "Business"}
ARCHIVE = re.compile(r"archive(?:-(\d{1,3}))?")
SCROLLING_SECTIONS = ("world",)   # the others grow with a "Load more" button
TOP_STORIES = 2
PER_PAGE = 3
ARCHIVE_PAGES = 1000
ARCHIVE_PER_PAGE = 5              # per API page; an archive listing shows two API pages
SLUG_LENGTH = 50
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
JSON_TYPE = {"Content-Type": "application/json; charset=utf-8"}


@dataclass(frozen=True)
class DemoArticle:
    id: str
    section: str
    slug: str
    title: str
    summary: str
    published_at: str          # "YYYY-MM-DDTHH:MM:SS+04:00"
    location: str
    paragraphs: tuple[str, ...]  # as written, the dateline not yet in front of the first
    tags: tuple[str, ...]
    dateline_form: str         # "comma" (29th July, 2023 … --) or "plain" (29th July 2023 … –)

    @property
    def path(self) -> str:
        return f"/en/article/{self.id}-{self.slug}"

    @property
    def api_path(self) -> str:
        return f"/api/app/articles/GetArticleBySlug?slug={self.id}-{self.slug}"

    @property
    def dateline_text(self) -> str:
        day = datetime.fromisoformat(self.published_at)
        suffix = "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        if self.dateline_form == "comma":
            return f"{self.location}, {day.day}{suffix} {MONTHS[day.month - 1]}, {day.year} (WAM) -- "
        return f"{self.location}, {day.day}{suffix} {MONTHS[day.month - 1]} {day.year} (WAM) \u2013 "

    @property
    def dateline(self) -> dict:
        """The dateline as the archive stores it."""
        return {"location": self.location, "agency": "WAM", "outlet": None, "date": self.published_at[:10]}

    @property
    def body(self) -> list[str]:
        """The paragraphs as printed, the dateline opening the first."""
        return [self.dateline_text + self.paragraphs[0], *self.paragraphs[1:]]


def slugify(title: str) -> str:
    """Lower-case words joined by hyphens, cut at a word boundary after SLUG_LENGTH characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug if len(slug) <= SLUG_LENGTH else slug[:SLUG_LENGTH].rsplit("-", 1)[0]


@lru_cache(maxsize=1)
def _articles() -> tuple[DemoArticle, ...]:
    # pkgutil, not open(): the package may be installed as a zipped egg.
    rows = json.loads(pkgutil.get_data(__package__, "data/wam.json").decode("utf-8"))["articles"]
    found = [DemoArticle(id=r["id"], section=r["section"], slug=slugify(r["title"]), title=r["title"],
                         summary=r["summary"], published_at=r["published_at"], location=r["location"],
                         paragraphs=tuple(r["body"]), tags=tuple(r["tags"]), dateline_form=r["dateline_form"])
             for r in rows]
    return tuple(sorted(found, key=lambda a: a.published_at, reverse=True))


def articles() -> list[DemoArticle]:
    """Every article the site serves, newest first."""
    return list(_articles())


def expected_stored() -> list[DemoArticle]:
    """What a crawl that renders the listings stores: every article."""
    return articles()


def section_articles(section: str) -> list[DemoArticle]:
    return [a for a in _articles() if a.section == section]


def article(article_id: str) -> DemoArticle:
    return next(a for a in _articles() if a.id == article_id)


# The top stories, in every listing's HTML: all a crawl without a browser can find.
STATIC_IDS = frozenset(a.id for s in SECTIONS for a in section_articles(s)[:TOP_STORIES])


def listing_path(section: str) -> str:
    return f"/en/list/{section}"


# ------------------------------------------------------------------------------------------------- the API

def _listed(a: DemoArticle) -> dict:
    return {"shortCode": a.id, "slug": a.slug, "title": a.title, "summary": a.summary,
            "articleDate": a.published_at, "category": SECTION_NAMES[a.section]}


def section_page(section: str, page: int, archive_page: int | None = None) -> dict:
    """One page of a section's script-built list (the top stories excluded), as the API answers it."""
    if ARCHIVE.fullmatch(section):
        everything = articles()
        chain = int(ARCHIVE.fullmatch(section).group(1) or 1)
        start = ((archive_page or 1) * 2 + page - 1 + chain) * ARCHIVE_PER_PAGE
        items = [everything[(start + i) % len(everything)] for i in range(ARCHIVE_PER_PAGE)]
        has_next = page < 2
    else:
        rest = section_articles(section)[TOP_STORIES:]
        items = rest[(page - 1) * PER_PAGE:page * PER_PAGE]
        has_next = page * PER_PAGE < len(rest)
    return {"items": [_listed(a) for a in items], "paging": {"pageNumber": page, "hasNext": has_next}}


def article_json(a: DemoArticle) -> dict:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a.body)
    return {**_listed(a), "body": body, "categories": [{"title": SECTION_NAMES[a.section]}],
            "articleAuthors": [], "tags": [{"title": t} for t in a.tags]}


# ------------------------------------------------------------------------------------------------ the pages

def _card(a: DemoArticle) -> str:
    """A story card; the page's script builds the very same markup from the API."""
    when = datetime.fromisoformat(a.published_at)
    shown = f"{when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M}"
    return (f'<article class="news-card"><a class="news-card__link" href="{a.path}">'
            f'<h3 class="news-card__title">{html.escape(a.title)}</h3></a>'
            f'<p class="news-card__summary">{html.escape(a.summary)}</p>'
            f'<time class="news-card__date" datetime="{a.published_at}">{shown}</time></article>')


_STYLE = ("body{font-family:sans-serif;margin:0 auto;max-width:900px}header{background:#0b3a53;color:#fff;"
          "padding:12px}header a{color:#fff;margin-right:16px}.news-card{min-height:280px;border-bottom:1px "
          "solid #ddd;padding:12px 0}.news-card__date{color:#777}.load-more{margin:20px 0}"
          ".list-end{height:40px}")

# The listing's script: fetch the next page of stories, append cards, then either show the "Load
# more" button again or, on a scrolling listing, wait until the reader reaches the list's end.
_LISTING_SCRIPT = """
(function () {
  var list = document.getElementById('news-list'), button = document.querySelector('button.load-more');
  var end = document.querySelector('div.list-end'), page = 0, loading = false, observer = null;
  var months = %(months)s;
  function text(tag, cls, value) { var el = document.createElement(tag); el.className = cls;
    el.textContent = value; return el; }
  function card(item) {
    var d = new Date(item.articleDate), local = new Date(d.getTime() + 4 * 3600 * 1000);
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var shown = local.getUTCDate() + ' ' + months[local.getUTCMonth()] + ' ' + local.getUTCFullYear() + ' ' +
      pad(local.getUTCHours()) + ':' + pad(local.getUTCMinutes());
    var el = document.createElement('article'), link = document.createElement('a'), time;
    el.className = 'news-card';
    link.className = 'news-card__link';
    link.href = '/en/article/' + item.shortCode + '-' + item.slug;
    link.appendChild(text('h3', 'news-card__title', item.title));
    el.appendChild(link);
    el.appendChild(text('p', 'news-card__summary', item.summary));
    time = text('time', 'news-card__date', shown);
    time.setAttribute('datetime', item.articleDate);
    el.appendChild(time);
    return el;
  }
  function load() {
    if (loading) { return; }
    loading = true;
    if (button) { button.hidden = true; }
    fetch(list.dataset.api + '&page=' + (page + 1)).then(function (r) { return r.json(); }).then(function (data) {
      data.items.forEach(function (item) { list.appendChild(card(item)); });
      page = data.paging.pageNumber;
      loading = false;
      if (button) { button.hidden = !data.paging.hasNext; }
      if (end && !data.paging.hasNext) { observer.disconnect(); end.remove(); }
    });
  }
  if (button) { button.addEventListener('click', load); }
  if (end) {
    observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; }) && page > 0) { load(); }
    });
    observer.observe(end);
  }
  load();
})();
""" % {"months": json.dumps(MONTHS)}

_ARTICLE_SCRIPT = """
(function () {
  var slug = location.pathname.split('/').pop(), app = document.getElementById('app');
  fetch('/api/app/articles/GetArticleBySlug?slug=' + encodeURIComponent(slug))
    .then(function (r) { return r.json(); }).then(function (a) {
      document.title = a.title + ' | WAM';
      app.innerHTML = '<article><h1 class="article-title"></h1><time></time><div class="article-body">' +
        a.body + '</div></article>';
      app.querySelector('h1').textContent = a.title;
      app.querySelector('time').textContent = a.articleDate;
    });
})();
"""


def _page(title: str, main: str, script: str) -> str:
    nav = "".join(f'<a href="{listing_path(s)}">{SECTION_NAMES[s]}</a>' for s in SECTIONS)
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | WAM'
            f'</title><style>{_STYLE}</style></head>\n<body><header><a href="/en/">WAM</a>{nav}</header>\n'
            f'<main id="app">{main}</main>\n<noscript>Please enable JavaScript to read WAM news.</noscript>\n'
            f'<script>{script}</script>\n</body></html>\n')


def listing_page(section: str, archive_page: int | None = None) -> str:
    api = f"/api/app/views/GetSectionArticles?section={section}"
    top, more, older = "", '<button class="load-more" hidden>Load more</button>', ""
    if archive_page is not None:
        api += f"&amp;archivePage={archive_page}"
        if archive_page < ARCHIVE_PAGES:
            older = f'<a class="next-page" href="{listing_path(section)}?page={archive_page + 1}">Older stories</a>'
    else:
        top = f'<section class="top-stories">{"".join(map(_card, section_articles(section)[:TOP_STORIES]))}</section>'
        if section in SCROLLING_SECTIONS:
            more = '<div class="list-end" aria-hidden="true"></div>'
    main = (f'<h1>{SECTION_NAMES.get(section, "Archive")}</h1>{top}<section class="latest">'
            f'<div id="news-list" class="news-list" data-api="{api}"></div>{more}</section>{older}')
    return _page(SECTION_NAMES.get(section, "Archive"), main, _LISTING_SCRIPT)


def article_shell() -> str:
    return _page("WAM", '<p class="loading">Loading\u2026</p>', _ARTICLE_SCRIPT)


def _not_found() -> tuple[int, str, dict]:
    return 404, _page("Not found", "<h1>Page not found</h1>", ""), {}


def render(path: str, host: str) -> tuple[int, str, dict]:
    """(status, body, headers) for a request path (query included)."""
    parts = urlsplit(path)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if parts.path == "/robots.txt":
        return 200, "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain; charset=utf-8"}
    if parts.path in ("/", "/en", "/en/"):
        return 200, listing_page("uae"), {}
    if parts.path.startswith("/en/list/"):
        section = parts.path[len("/en/list/"):]
        if ARCHIVE.fullmatch(section):
            page = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 0
            return (200, listing_page(section, page), {}) if 1 <= page <= ARCHIVE_PAGES else _not_found()
        return (200, listing_page(section), {}) if section in SECTIONS else _not_found()
    if parts.path.startswith("/en/article/"):
        slug = parts.path[len("/en/article/"):]
        known = any(f"{a.id}-{a.slug}" == slug for a in _articles())
        return (200, article_shell(), {}) if known else _not_found()
    if parts.path == "/api/app/views/GetSectionArticles":
        section, page = query.get("section", ""), query.get("page", "")
        archive = query.get("archivePage", "1")
        if (section in SECTIONS or ARCHIVE.fullmatch(section)) and page.isdigit() and archive.isdigit():
            return 200, json.dumps(section_page(section, int(page), int(archive))), JSON_TYPE
        return 404, json.dumps({"error": "unknown section or page"}), JSON_TYPE
    if parts.path == "/api/app/articles/GetArticleBySlug":
        found = [a for a in _articles() if f"{a.id}-{a.slug}" == query.get("slug")]
        if found:
            return 200, json.dumps(article_json(found[0]), ensure_ascii=False), JSON_TYPE
        return 404, json.dumps({"error": "no such article"}), JSON_TYPE
    return _not_found()
