"""Arab News (arabnews.com): English, Saudi time (UTC+03:00).

Verified: article URLs /node/<id>/<section>, datelines "RIYADH: …" (a place, no agency), the byline
"ARAB NEWS |" (the outlet, no person). Guesses, to be checked against a real page: the site runs
Drupal, hence h1.article-title, div.field-name-body, div.entry-author, div.entry-date time, the tags
block, the related links, section listings at /<section> with Drupal's pager, and its
article:published_time meta. No feed is declared until one is seen.
"""

from .base import Fields, Listing, SiteProfile

PROFILE = SiteProfile(
    name="arabnews",
    base_url="https://www.arabnews.com",
    hosts=("arabnews.com",),
    languages=("en",),
    timezone="Asia/Riyadh",
    date_order="DMY",  # Pakistani and Gulf sites write day first
    sections=("saudi-arabia", "middle-east", "world", "business-economy", "sport"),
    section_paths=("/{section}",),
    article_pattern=r"^/node/(?P<id>\d+)(?:/(?P<section>[a-z0-9-]+))?/?$",
    listing=Listing(
        item="div.view-content div.views-row",
        link="h4 a::attr(href)",
        date="time",
        next_page="li.pager-next a::attr(href), nav.pager a[rel=next]::attr(href)",
    ),
    fields=Fields(
        title="h1.article-title",
        byline="div.entry-author",
        body="div.field-name-body",
        body_drop=("div.ad-slot", "div.related-inline", "figure", "div.embedded-entity"),
        tags="div.entry-tags a",
    ),
    more_stories="div.related-articles h4 a::attr(href)",
    encoding="utf-8",
)
