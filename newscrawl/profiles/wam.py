"""WAM, Emirates News Agency (wam.ae): English, UAE time (UTC+04:00, no daylight saving).

Verified by two independent projects: the site is a JavaScript application, a plain fetch of
/en/article/<id>-<slug> returns an empty shell, and /api/app/articles/GetArticleBySlug?slug=<id>-<slug>
answers JSON with title and body (HTML). Seen in other crawlers' code: shortCode, slug, summary,
articleDate (ISO 8601 with +04:00), categories [{title}], articleAuthors; datelines
"ABU DHABI, 22nd April, 2026 (WAM) -- ". So articles come from the API and only listings need a
browser. Guesses, to be checked against the live site: the listing path /en/list/<section> and its
section names, the story-card markup, the "Load more" button, and the API's tags member.
"""

import html
import re

from .base import ArticleApi, Fields, Listing, PageAction, Render, SiteProfile


def api_page(data):
    """GetArticleBySlug's JSON as the article page its script would draw (what Fields read)."""
    def text(value):
        return html.escape(str(value or ""))

    category = next((c.get("title") for c in data.get("categories") or () if isinstance(c, dict)), None)
    section = re.sub(r"[^a-z0-9]+", "-", (category or "").lower()).strip("-")  # "UAE" -> "uae", like listings
    tags = "".join(f"<li>{text(t.get('title') if isinstance(t, dict) else t)}</li>" for t in data.get("tags") or ())
    authors = ", ".join(a for a in data.get("articleAuthors") or () if isinstance(a, str))
    return (
        f'<!doctype html><html lang="en"><head><title>{text(data.get("title"))}</title>'
        f'<meta property="article:published_time" content="{text(data.get("articleDate"))}">'
        f'<meta property="article:section" content="{section}"></head><body><article>'
        f'<h1 class="article-title">{text(data.get("title"))}</h1>'
        f'<p class="article-summary">{text(data.get("summary"))}</p>'
        f'<p class="article-byline">{text(authors)}</p>'
        # The body is the site's own HTML, kept as it is: its paragraphs become the text.
        f'<div class="article-body">{data.get("body") or ""}</div>'
        f'<ul class="article-tags">{tags}</ul></article></body></html>')


PROFILE = SiteProfile(
    name="wam",
    base_url="https://www.wam.ae",
    hosts=("wam.ae",),
    languages=("en",),
    timezone="Asia/Dubai",
    date_order="DMY",  # Pakistani and Gulf sites write day first
    sections=("uae", "world", "business"),
    section_paths=("/en/list/{section}",),
    # No section in WAM's article URLs: the group never matches, the API's category fills it.
    article_pattern=r"^/en/article/(?P<id>[0-9a-z]+)-[0-9a-z-]+$(?P<section>(?!))?",
    listing=Listing(
        item="article.news-card",
        link="a.news-card__link::attr(href)",
        date="time.news-card__date",
        next_page="a.next-page::attr(href)",
    ),
    fields=Fields(
        title="h1.article-title",
        subtitle="p.article-summary",
        byline="p.article-byline",
        body="div.article-body",
        tags="ul.article-tags li",
    ),
    date_formats=("%d %B %Y %H:%M",),
    encoding="utf-8",
    render=Render(
        kinds=("listing", "next_page"),
        wait_for="#news-list article.news-card",
        actions=(PageAction("click", "button.load-more"), PageAction("scroll", "div.list-end")),
        max_iterations=10,
    ),
    article_api=ArticleApi(path="/api/app/articles/GetArticleBySlug?slug={slug}", to_html=api_page),
)
