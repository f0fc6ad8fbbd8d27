"""The one item newscrawl produces, and the column order every export uses."""

import scrapy


class Article(scrapy.Item):
    """A news article as stored in the archive.

    Dates are ISO 8601 strings: ``published_at``/``modified_at`` carry the site's UTC offset
    (``2023-07-29T20:20:00+05:00``) or are a bare ``YYYY-MM-DD`` when the page gives only the day;
    ``fetched_at`` is UTC.
    """

    url = scrapy.Field()            # the URL the page was fetched from
    canonical_url = scrapy.Field()  # rel=canonical (AMP and tracking variants folded), the archive key
    site = scrapy.Field()           # profile name, e.g. "urdupoint"
    article_id = scrapy.Field()     # the site's own id (UrduPoint: the number ending the URL)
    section = scrapy.Field()        # e.g. "world": one slug per section
    section_label = scrapy.Field()  # the section as the page prints it, e.g. "World"
    language = scrapy.Field()       # ISO 639-1, e.g. "en"
    title = scrapy.Field()
    subtitle = scrapy.Field()       # standfirst / summary line, when the site prints one
    body = scrapy.Field()           # plain text, paragraphs separated by a blank line, dateline kept
    authors = scrapy.Field()        # list of persons only: never agencies, outlets or desks
    agency = scrapy.Field()         # wire agency credited for the copy (Sputnik, APP, WAM, ...)
    byline_raw = scrapy.Field()     # the byline as printed
    published_at = scrapy.Field()
    published_source = scrapy.Field()  # where published_at was read: provenance.SOURCES
    modified_at = scrapy.Field()
    dateline = scrapy.Field()       # {"location", "agency", "outlet", "date"} or None
    tags = scrapy.Field()           # list of topic labels as printed
    image_url = scrapy.Field()
    flags = scrapy.Field()          # data-quality warnings, e.g. "dateline_date_mismatch"
    field_sources = scrapy.Field()  # profiled sites: where each field was read, {"authors": "generic", …}
    fetched_at = scrapy.Field()     # UTC, when the page was fetched
    story_id = scrapy.Field()       # the archive's story this copy belongs to (assigned, never scraped)


# Stable column order for CSV/JSON feeds and `newscrawl export` (Item.fields is unordered).
ARTICLE_FIELDS = [
    "url", "canonical_url", "site", "article_id", "section", "section_label", "language", "title", "subtitle",
    "body", "authors", "agency", "byline_raw", "published_at", "published_source", "modified_at",
    "dateline", "tags", "image_url", "flags", "field_sources", "fetched_at", "story_id",
]
assert set(ARTICLE_FIELDS) == set(Article.fields)
