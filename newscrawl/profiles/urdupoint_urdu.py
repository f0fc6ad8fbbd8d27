"""UrduPoint's Urdu edition (urdupoint.com/daily): right-to-left, Pakistan time.

Verified: article URLs /daily/livenews/YYYY-MM-DD/news-<id>.html, the /urdu-news listing, the body
div.detail_txt.urdu, p.art_info_bar "<author> <weekday> <day> <Urdu month> <year> <HH:MM>" (24-hour),
div.tagcloud tags, a POST "load more" answering JSON that holds HTML, the RSS feed.
Guesses: the load-more path and form body, the listing item markup (taken from the English edition's
template), the h1 and the summary h2, and the "More Stories" widget.
"""

from .base import Fields, Listing, LoadMore, SiteProfile

PROFILE = SiteProfile(
    name="urdupoint_urdu",
    base_url="https://www.urdupoint.com",
    hosts=("urdupoint.com",),
    languages=("ur",),
    timezone="Asia/Karachi",
    date_order="DMY",  # Pakistani and Gulf sites write day first
    # One live-news listing; its stories all sit under /daily/livenews/, hence the section's name.
    sections=("livenews",),
    section_paths=("/urdu-news",),
    article_pattern=r"^/daily/(?P<section>livenews)/\d{4}-\d{2}-\d{2}/news-(?P<id>\d+)\.html$",
    listing=Listing(
        # "body > li": a load-more answer holds bare <li> items, the list they are appended to.
        item="div.news_big_item, ul.news_list li, body > li",
        link="a::attr(href)",
        date="div.date_line",
    ),
    # Guess: path and body as two scrapers' requests suggest; the answer is {"html": "<li>…</li>"}.
    load_more=LoadMore(path="/daily/livenews/load-more", body="page={page}", html_key="html"),
    fields=Fields(
        title="div.news_article h1",
        subtitle="div.detail_txt.urdu > h2",
        byline="p.art_info_bar",
        body="div.detail_txt.urdu",
        body_drop=("h2", "script", "style", "noscript", "iframe", "div.social_sharer",
                   "div[id^=div-gpt-ad]", "figure"),
        tags="div.tagcloud a",
    ),
    more_stories="ul.widget_list li a::attr(href)",
    encoding="utf-8",
    feeds=("/daily/livenews/rss.xml",),
)
