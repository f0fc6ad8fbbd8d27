"""A generated UrduPoint-like English news site of any size, for `make bench`.

The markup is the bundled demo site's (newscrawl.demo.urdupoint): its page chrome, byline, body, tag cloud and
JSON-LD helpers render generated articles, so the crawler meets the structure its profile was written for.
Pages weigh ~80 KB, mostly chrome (styles, scripts, menus, ad slots), like the real site's.
Headlines, bylines and datelines come from the demo's invented stories. Bodies are word salad drawn from the
demo's vocabulary with a per-article seed: real stories differ in their wording, and reused demo paragraphs
would make the story-linking stage see every article as a copy. One article in COPY_EVERY repeats the text
of the article COPY_DISTANCE before it, as syndicated copy does. Every page is a pure function of the article
number and the number of articles added so far, so a server can render lazily and identically on every run.

Article j (1 = oldest) has id ID_BASE + j, lives in section SECTIONS[(j - 1) % 6] and was published
SPACING * (n + HEADROOM - j) before the demo's NOW, so added articles are the newest. In its section's
timeline (position t, 0 = oldest) one article in WIDGET_ONLY_EVERY is in no listing: only the "More Stories"
widgets (the 6 nearest in time) reach it. Listings hold PER_PAGE articles, newest first.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime
from functools import lru_cache

from newscrawl.demo import urdupoint as demo

SECTIONS = ("pakistan", "world", "business", "sports", "technology", "middle-east")
SECTION_NAMES = {"pakistan": "Pakistan", "world": "World", "business": "Business", "sports": "Sports",
                 "technology": "Technology", "middle-east": "Middle East"}
PER_PAGE = 20
WIDGET_ONLY_EVERY = 50
WIDGET_SIZE = 6
ID_BASE = 3_000_000
SPACING = timedelta(minutes=3)
HEADROOM = 1000          # articles that can be added before the newest would be later than NOW
PARAGRAPHS = 9           # ~2.5 KB of text, like real wire copy
COPY_EVERY, COPY_DISTANCE = 50, 60

_ARTICLE = re.compile(r"/en/([a-z0-9-]+)/[^/]*-(\d+)\.html")
_LISTING = re.compile(r"/en/news/([a-z0-9-]+?)(?:-updates(\d+))?\.html")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th) ([A-Z][a-z]+), \d{4}")


@lru_cache(maxsize=1)
def _pool() -> tuple[demo.DemoArticle, ...]:
    """Demo stories with an absolute byline date and a dated dateline: safe to re-date."""
    return tuple(a for a in demo.articles() if a.byline_form in ("2022", "2020") and a.dateline.get("date")
                 and demo._DATELINE.match(a.body[0]))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    return tuple(word for a in demo.articles() for paragraph in a.body
                 for word in _WORD.findall(demo._DATELINE.sub("", paragraph, count=1)))


@lru_cache(maxsize=256)
def _paragraphs(seed: int) -> list[str]:
    """PARAGRAPHS paragraphs of 2-3 sentences, the same for the same seed."""
    rng, words = random.Random(seed), _vocabulary()

    def sentence():
        chosen = rng.choices(words, k=rng.randint(12, 24))
        return chosen[0][:1].upper() + chosen[0][1:] + " " + " ".join(chosen[1:]) + "."
    return [" ".join(sentence() for _ in range(rng.randint(2, 3))) for _ in range(PARAGRAPHS)]


def _redate(paragraph: str, when) -> str:
    """The dateline's day rewritten to the article's own day, in the month form it was printed with."""
    def day(match):
        month = demo.MONTHS[when.month - 1]
        return f"{demo._ordinal(when.day)} {month[:3] if len(match.group(1)) == 3 else month}, {when.year}"
    return _DAY.sub(day, paragraph, count=1)


class Site:
    def __init__(self, n_articles: int):
        self.n = n_articles
        self.added = 0
        self._index()

    @property
    def total(self) -> int:
        return self.n + self.added

    def add(self, k: int) -> None:
        """Publish k new articles: they top their sections' listings."""
        if self.added + k > HEADROOM:
            raise ValueError(f"at most {HEADROOM} articles can be added")
        self.added += k
        self._index()

    # -- the model ------------------------------------------------------------------------

    def _index(self):
        self.timeline_sizes = [max(0, (self.total - i - 1) // len(SECTIONS) + 1) for i in range(len(SECTIONS))]
        # Listed article numbers per section, newest first (a few hundred KB of ints at 100k).
        self.listed = {s: [self.number(i, t) for t in range(self.timeline_sizes[i] - 1, -1, -1)
                           if t % WIDGET_ONLY_EVERY != WIDGET_ONLY_EVERY // 2]
                       for i, s in enumerate(SECTIONS)}
        self.newest = sorted((j for s in SECTIONS for j in self.listed[s][:30]), reverse=True)[:30]

    @staticmethod
    def number(section_index: int, t: int) -> int:
        return t * len(SECTIONS) + section_index + 1

    def pages(self, section: str) -> int:
        return max(1, -(-len(self.listed[section]) // PER_PAGE))

    def article(self, j: int) -> demo.DemoArticle:
        pool = _pool()
        lead = pool[(j * 7) % len(pool)]
        when = demo.NOW - SPACING * (self.n + HEADROOM - j)
        # Text of its own (word salad from the demo's vocabulary, so no two stories share their wording),
        # except one article in COPY_EVERY: a syndicated copy of an earlier story's text.
        text_of = j - COPY_DISTANCE if j % COPY_EVERY == COPY_EVERY // 5 and j > COPY_DISTANCE else j
        paragraphs = _paragraphs(text_of)
        body = [_redate(demo._DATELINE.match(lead.body[0]).group(0), when) + paragraphs[0], *paragraphs[1:]]
        section, article_id = SECTIONS[(j - 1) % len(SECTIONS)], str(ID_BASE + j)
        slug = demo.slugify(lead.title)
        return replace(lead, id=article_id, section=section, slug=slug, path=f"/en/{section}/{slug}-{article_id}.html",
                       subtitle=paragraphs[0].split(". ", 1)[0], published_at=when.isoformat(timespec="seconds"),
                       body=body, dateline={**lead.dateline, "date": when.date().isoformat()},
                       byline_form="2020" if j % 3 == 0 else "2022",
                       image_url=f"/media/{when:%Y/%m}/_3/730x425/pic_{article_id}.jpg", listed_in=(section,))

    def more_stories(self, j: int) -> list[int]:
        """The WIDGET_SIZE articles of j's section nearest in time, newest first."""
        i, t = (j - 1) % len(SECTIONS), (j - 1) // len(SECTIONS)
        size = self.timeline_sizes[i]
        near = sorted((u for u in range(max(0, t - WIDGET_SIZE), min(size, t + WIDGET_SIZE + 1)) if u != t),
                      key=lambda u: (abs(u - t), u))[:WIDGET_SIZE]
        return sorted((self.number(i, u) for u in near), reverse=True)

    # -- answering ------------------------------------------------------------------------

    def render(self, path: str, host: str) -> tuple[int, str, dict]:
        """(status, body, extra headers) of a GET, like newscrawl.demo.urdupoint.render."""
        base = demo._base(host)
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path == "/robots.txt":
            return 200, "User-agent: *\nAllow: /\n", {"Content-Type": "text/plain; charset=utf-8"}
        if path == "/en/sitemap/news.rss":
            return 200, self.news_rss(base), {"Content-Type": "application/rss+xml; charset=utf-8"}
        match = _LISTING.fullmatch(path)
        if match and match.group(1) in SECTION_NAMES and match.group(2) != "1":
            page = int(match.group(2) or 1)
            if page <= self.pages(match.group(1)):
                return 200, self.listing_page(base, match.group(1), page), {}
        match = _ARTICLE.fullmatch(path)
        if match:
            j = int(match.group(2)) - ID_BASE
            if 1 <= j <= self.total and SECTIONS[(j - 1) % len(SECTIONS)] == match.group(1):
                return 200, self.article_page(base, j), {}
        return 404, demo._not_found_page(base), {}

    def news_rss(self, base: str) -> str:
        items = "".join(
            f"<item><title>{demo.esc(a.title)}</title><link>{base}{a.path}</link><guid>{base}{a.path}</guid>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>\n"
            for a in map(self.article, self.newest[:20]))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>UrduPoint bench news</title><link>{base}/en/</link>\n{items}</channel></rss>\n")

    def article_page(self, base: str, j: int) -> str:
        a = self.article(j)
        canonical, name = base + a.path, SECTION_NAMES[a.section]
        trail = [(base + "/en/", "Home"), (base + demo.listing_path(a.section, 1), name),
                 (canonical, demo._short(a.title, 80))]
        head = demo._head(base, f"{a.title} - UrduPoint", a.subtitle, canonical, og_type="article",
                          image=base + a.image_url,
                          extra=demo._json_ld(demo._news_article_ld(base, a)))
        crumbs = "".join(f'<li><a href="{url}">{demo.esc(text)}</a></li><li><i class="fa fa-angle-double-right">'
                         f'</i></li>' for url, text in trail[:-1]) + f"<li>{demo.esc(trail[-1][1])}</li>"
        more = "".join(f'<li>\n<a href="{base}{m.path}">\n<img src="{base}/media/thumbs/80x65/pic_{m.id}.jpg" />\n'
                       f'<p>{demo.esc(m.title)}</p>\n{demo._date_line(m.published_at)}</a>\n</li>\n'
                       for m in map(self.article, self.more_stories(j)))
        main = (f'<div class="main_bar fl news_article">\n<h1>{demo.esc(a.title)}</h1>\n<div class="clear"></div>\n'
                f'{demo._byline(base, a)}\n<div class="clear"></div>\n'
                f'<figure class="ac">\n<img src="{base + a.image_url}" alt="{demo.attr(a.title)}">\n</figure>\n'
                f'{demo._detail_txt(base, a)}<div class="clear mb20"></div>\n{demo._related_topics(base, a)}'
                f'<div class="clear"></div>\n{self._recent_block(base)}<div class="clear mb20"></div>\n'
                f'<div class="widget" id="comments">\n<h3>Your Thoughts and Comments</h3>\n'
                f'<div class="fb-comments" data-href="{canonical}" data-width="100%" data-numposts="5"></div>\n'
                f'</div>\n</div>\n')
        side = (f'<div class="side_bar fr">\n{demo._search_box(base)}{demo._ad_sticky("ad-side-one")}'
                f'<div class="clear mb15"></div>\n<div class="widget">\n<h3>More Stories From {name}</h3>\n'
                f'<ul class="widget_list">\n{more}</ul>\n</div>\n{self._latest_block(base)}</div>\n')
        body = (f'{_mega_menu(base)}<ul class="bread_crumb_en">\n{crumbs}\n</ul>\n'
                f'{demo._json_ld(demo._breadcrumb_ld(base, trail))}'
                f'<div id="main_content">\n{main}{side}<div class="clear"></div>\n</div>\n')
        return demo._page(base, head, body)

    def listing_page(self, base: str, section: str, page: int) -> str:
        name, last = SECTION_NAMES[section], self.pages(section)
        entries = [self.article(j) for j in self.listed[section][(page - 1) * PER_PAGE:page * PER_PAGE]]
        items = []
        if page == 1 and entries:
            big, entries = entries[0], entries[1:]
            items.append(f'<div class="news_big_item">\n<a href="{base + big.path}">\n'
                         f'<img src="{base}/media/thumbs/730x425/pic_{big.id}.jpg" alt="{demo.attr(big.title)}">\n'
                         f'<h4>{demo.esc(big.title)}</h4>\n<p>{demo.esc(big.subtitle)}</p>\n</a>\n'
                         f'{demo._date_line(big.published_at)}</div>\n')
        lis = "".join(f'<li>\n<a href="{base + e.path}">\n'
                      f'<img src="{base}/media/thumbs/235x155/pic_{e.id}.jpg" alt="{demo.attr(e.title)}">\n'
                      f'<div class="txt_box">\n<h4>{demo.esc(e.title)}</h4>\n<p>{demo.esc(e.subtitle)}</p>\n</div>\n'
                      f'</a>\n{demo._date_line(e.published_at)}</li>\n' for e in entries)
        items.append(f'<ul class="news_list">\n{lis}</ul>\n')
        # A window of page numbers, as large sites print them; rel=next is what crawlers follow.
        shown = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
        pager = "".join(f'<li{" class=active" if n == page else ""}><a href="{base + demo.listing_path(section, n)}">'
                        f'{n}</a></li>' for n in shown)
        if page < last:
            pager += f'<li><a rel="next" href="{base + demo.listing_path(section, page + 1)}">Next</a></li>'
        url = base + demo.listing_path(section, page)
        title = f"{name} News - Latest {name} Headlines" + (f" - Page {page}" if page > 1 else "")
        head = demo._head(base, f"{title} - UrduPoint", f"Latest {name.lower()} news and updates from UrduPoint.",
                          url)
        trail = [(base + "/en/", "Home"), (base + demo.listing_path(section, 1), name)]
        body = (f'{_mega_menu(base)}<ul class="bread_crumb_en">\n<li><a href="{base}/en/">Home</a></li>'
                f'<li><i class="fa fa-angle-double-right"></i></li><li>{name}</li>\n</ul>\n'
                f'{demo._json_ld(demo._breadcrumb_ld(base, trail))}'
                f'<div id="main_content">\n<div class="main_bar fl">\n<h1 class="sec_heading">{name} News</h1>\n'
                f'{"".join(items)}<ul class="pagination">\n{pager}\n</ul>\n</div>\n'
                f'<div class="side_bar fr">\n{demo._search_box(base)}{demo._ad_sticky("ad-side-one")}'
                f'{self._latest_block(base)}</div>\n{demo.CLEAR}</div>\n')
        return demo._page(base, head, body)

    def _recent_block(self, base: str) -> str:
        items = "".join(
            f'<a class="relc_box" href="{base}{r.path}">\n<img src="{base}/media/thumbs/235x155/pic_{r.id}.jpg">\n'
            f'<p>{demo.esc(demo._short(r.title))}</p>\n{demo._date_line(r.published_at)}</a>\n'
            for r in map(self.article, self.newest[:WIDGET_SIZE]))
        return f'<div class="clear mb20"></div>\n<div class="widget">\n<h3>Recent Stories</h3>\n{items}</div>\n'

    def _latest_block(self, base: str) -> str:
        """The sidebar's site-wide latest headlines (not a More Stories widget: crawlers do not follow it)."""
        items = "".join(f'<li class="latest_item"><a href="{base}{a.path}">\u2022 {demo.esc(a.title)}</a>'
                        f'{demo._date_line(a.published_at)}</li>\n' for a in map(self.article, self.newest))
        return f'<div class="widget">\n<h3>Latest News \u00bb</h3>\n<ul class="latest_list">\n{items}</ul>\n</div>\n'


@lru_cache(maxsize=8)
def _mega_menu(base: str) -> str:
    """The big drop-down menus news sites carry on every page (most of a real page's weight is chrome)."""
    groups = {
        "News": [*SECTION_NAMES.values(), "Pakistan Politics", "Crime", "Education", "Health", "Weather",
                 "Science", "Environment", "Opinion", "Editorials", "Special Reports", "Interviews"],
        "Cities": ["Islamabad", "Karachi", "Lahore", "Peshawar", "Quetta", "Multan", "Faisalabad", "Rawalpindi",
                   "Hyderabad", "Sialkot", "Gujranwala", "Sargodha", "Bahawalpur", "Sukkur", "Larkana", "Abbottabad",
                   "Mardan", "Gilgit", "Muzaffarabad", "Gwadar", "Dera Ismail Khan", "Mingora", "Chitral", "Skardu"],
        "Business": ["Stocks", "Currency Rates", "Gold Rates", "Petrol Prices", "Open Market", "Interbank",
                     "Cotton Rates", "Commodities", "Budget", "Taxes", "Banking", "Real Estate", "Automobiles"],
        "Sports": ["Cricket", "Football", "Hockey", "Tennis", "Squash", "Olympics", "Live Scores", "Fixtures",
                   "Rankings", "Records", "Players", "Teams"],
        "Lifestyle": ["Fashion", "Food Recipes", "Travel", "Horoscope", "Names", "Prayer Times", "Ramadan Timings",
                      "Islamic Calendar", "Dictionary", "Poetry", "Quotes", "Jobs", "Admissions", "Results"],
        "Technology": ["Mobile Prices", "Laptops", "Gadgets", "Apps", "Reviews", "Comparisons", "Internet",
                       "Telecom", "Startups", "Artificial Intelligence"],
    }
    blocks = []
    for group, labels in groups.items():
        links = "".join(f'<li class="mm_item"><a class="mm_link" href="{base}/en/{demo.tag_slug(group)}/'
                        f'{demo.tag_slug(label)}.html" title="{demo.attr(label)} - {group}">'
                        f'<i class="fa fa-angle-right"></i> {demo.esc(label)}</a></li>\n' for label in labels)
        blocks.append(f'<div class="mm_col">\n<strong class="mm_head">{group}</strong>\n<ul class="mm_list">\n'
                      f'{links}</ul>\n</div>\n')
    return f'<div class="mega_menu" id="mega_menu">\n{"".join(blocks * 2)}</div>\n{demo.CLEAR}'
