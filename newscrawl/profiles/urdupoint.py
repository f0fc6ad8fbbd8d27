"""UrduPoint English (urdupoint.com/en): the seed site. Markup facts are from a saved real page."""

from .base import Fields, Listing, SiteProfile

PROFILE = SiteProfile(
    name="urdupoint",
    base_url="https://www.urdupoint.com",
    hosts=("urdupoint.com",),
    languages=("en",),
    timezone="Asia/Karachi",
    date_order="DMY",  # Pakistani and Gulf sites write day first
    sections=("pakistan", "world", "business", "sports", "technology", "middle-east"),
    section_paths=("/en/news/{section}.html",),
    article_pattern=r"^/en/(?:amp/)?(?P<section>[a-z0-9-]+)/[^/]*?-(?P<id>\d+)\.html$",
    listing=Listing(
        item="div.news_big_item, ul.news_list li",
        link="a::attr(href)",
        date="div.date_line",
        next_page="ul.pagination a[rel=next]::attr(href)",
    ),
    fields=Fields(
        title="div.news_article h1",
        subtitle="div.detail_txt > h2",
        byline="p.art_info_bar",
        body="div.detail_txt",
        body_drop=("h2", "script", "style", "noscript", "iframe", "div.social_sharer",
                   "div[id^=div-gpt-ad]", "figure"),
        tags="div.tagcloud a",
    ),
    more_stories="ul.widget_list li a::attr(href)",
    amp_rules=((r"/en/amp/", "/en/"),),
    # The real site declares no charset in its markup; telling Scrapy spares it a guess per page.
    encoding="utf-8",
    feeds=("/en/sitemap/news.rss",),
)
