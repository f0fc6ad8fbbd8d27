"""What a site profile declares. A site is data; the spider and extractor are shared."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Listing:
    """Where a section listing keeps its article links, their dates and the next page."""

    item: str                  # CSS of one listed story (a container or the link itself)
    link: str = "a::attr(href)"   # CSS, relative to item, of the story's URL
    date: str | None = None    # CSS, relative to item, of the story's printed time
    next_page: str | None = None  # CSS of the next listing page's URL


@dataclass(frozen=True)
class LoadMore:
    """A listing's "load more" request that answers JSON holding the next stories' HTML.

    path and body are templates with {section} and {page} (page 2 is the first load);
    html_key names the JSON member holding the HTML fragment, parsed with the Listing selectors.
    """

    path: str
    method: str = "POST"
    body: str = ""                    # form-encoded, e.g. "cat={section}&page={page}"
    html_key: str = "html"
    content_type: str = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Fields:
    """CSS selectors for fields the generic extractor would get wrong or miss."""

    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    body: str | None = None          # the body container; its paragraphs become the text
    body_drop: tuple[str, ...] = ()  # CSS of elements inside the body that are not text
    tags: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class SiteProfile:
    name: str
    base_url: str                    # scheme and host of the live site
    hosts: tuple[str, ...]           # hosts whose links belong to the site
    languages: tuple[str, ...]
    timezone: str                    # IANA zone of the times the site prints
    sections: tuple[str, ...]        # default start sections
    section_paths: tuple[str, ...]   # listing path templates with {section}; first is page 1
    article_pattern: str             # regex on the URL path, named groups `id` and `section`
    listing: Listing
    fields: Fields = field(default_factory=Fields)
    more_stories: str | None = None  # CSS of "More Stories" widget links on article pages
    amp_rules: tuple[tuple[str, str], ...] = ()  # (regex, replacement) folding AMP URLs
    date_formats: tuple[str, ...] = ()  # strptime patterns the site prints, tried first
    encoding: str | None = None      # the site's charset when its pages do not declare one
    feeds: tuple[str, ...] = ()      # RSS/Atom feeds and news sitemaps (paths) used as extra seeds
    load_more: LoadMore | None = None  # listings that grow through a JSON "load more" request
    # The rare site-specific fix-up: called as cleanup(article_dict, response), returns the dict.
    cleanup: Callable | None = None

    def article_match(self, url):
        """The article-pattern match of url's path, or None for a non-article URL."""
        return re.search(self.article_pattern, urlsplit(url).path)

    def section_url(self, section, base_url=None):
        return (base_url or self.base_url).rstrip("/") + self.section_paths[0].format(section=section)
