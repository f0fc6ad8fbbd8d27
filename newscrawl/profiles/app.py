"""APP, Associated Press of Pakistan (app.com.pk): WordPress with tagDiv's "Newspaper" theme.

Verified: URL shapes (/<category>/<slug>/, /<category>/page/N/, /feed/, /photos-section/ pages are not
stories), listing modules (h3.entry-title.td-module-title, time.entry-date "Fri, 1 Aug 2025, 11:43 PM"),
title and body classes, article:published_time, "(adsbygoogle…).push({});" left in the body text,
datelines "ISLAMABAD, Jan 01 (APP):". Guesses: the tagDiv author box, tags list and related-posts block.
"""

import re

from .base import Fields, Listing, SiteProfile

# Category paths that list or host things, never a story: /category/x/, /tag/x/, /photos-section/x/...
_NOT_A_STORY = r"(?:category|tag|author|page|feed|photos-section|wp-content|wp-json|search)/"
_POST_ID_IN_SHORTLINK = re.compile(r"[?&]p=(\d+)")
_POST_ID_IN_BODY_CLASS = re.compile(r"\bpostid-(\d+)\b")


def use_post_id(article, response):
    """Key the article by WordPress's numeric post id: editors rename slugs, the id stays."""
    found = (_POST_ID_IN_SHORTLINK.search(response.css("link[rel=shortlink]::attr(href)").get() or "")
             or _POST_ID_IN_BODY_CLASS.search(response.css("body::attr(class)").get() or ""))
    if found:
        article["article_id"] = found.group(1)
    return article


PROFILE = SiteProfile(
    name="app",
    base_url="https://www.app.com.pk",
    hosts=("app.com.pk",),
    languages=("en",),
    timezone="Asia/Karachi",
    date_order="DMY",  # Pakistani and Gulf sites write day first
    sections=("national", "business", "world", "sports", "provinces"),
    section_paths=("/{section}/",),
    # The slug stands in for the id when the page carries no post id (see use_post_id).
    article_pattern=rf"^/(?!{_NOT_A_STORY})(?P<section>[a-z0-9-]+)/(?!(?:page|feed|amp)/)(?P<id>[^/]+)/$",
    listing=Listing(
        # Only the category loop: the sidebar's "most popular" modules use the same markup.
        item="div.tdb_loop div.td_module_wrap, div.td-ss-main-content div.td_module_wrap",
        link="h3.entry-title.td-module-title > a::attr(href)",
        date="time.entry-date",
        # The head's rel=next and the theme's page-nav arrow name the same page; either will do.
        next_page='link[rel=next]::attr(href), div.page-nav a[aria-label="next-page"]::attr(href)',
    ),
    fields=Fields(
        title="h1.tdb-title-text, h1.entry-title",
        byline="div.tdb-author-name-wrap, div.td-post-author-name",
        body="div.td-post-content, div.tdb_single_content",
        # AdSense leaves its push() call as paragraph text when the script tag is stripped.
        body_drop=("ins.adsbygoogle", "p:contains('adsbygoogle')", "div.td-a-rec", "div.td-post-sharing",
                   "figure", "div.wp-caption", "div.td_block_related_posts"),
        tags="ul.td-tags li a, ul.tdb-tags li a",
    ),
    more_stories="div.td_block_related_posts h3.entry-title a::attr(href)",
    date_formats=("%a, %d %b %Y, %I:%M %p",),
    encoding="utf-8",
    feeds=("/feed/",),
    cleanup=use_post_id,
)
