"""What a site profile declares. A site is data; the spider and extractor are shared."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit


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
class PageAction:
    """A step that makes a rendered listing show more stories.

    "click": click selector (a "load more" button) while it is visible.
    "scroll": bring selector (the element an infinite-scroll page watches) into view while it is
    present; without a selector, scroll to the bottom of the page.
    """

    kind: str                   # "click" or "scroll"
    selector: str | None = None

    def __post_init__(self):
        if self.kind not in ("click", "scroll") or (self.kind == "click" and not self.selector):
            raise ValueError(f"page action {self.kind!r}: expected click(selector) or scroll([selector])")


@dataclass(frozen=True)
class Render:
    """Requests fetched by a browser (scrapy-playwright), for pages whose stories a script builds.

    Each round tries the actions in order until one makes the listing grow (more Listing.item
    elements); a round where none does, or max_iterations rounds, end the expansion.
    """

    kinds: tuple[str, ...] = ("listing",)  # request kinds (the spider's meta "kind") to render
    wait_for: str | None = None        # CSS present once the script has drawn the stories
    actions: tuple[PageAction, ...] = ()
    max_iterations: int = 10           # rounds of actions per page, at most
    patience_ms: int = 3000            # how long a round waits for new stories to appear


@dataclass(frozen=True)
class ArticleApi:
    """A JSON API serving the articles whose pages are script shells: the spider asks it instead.

    path: template with {slug}, the last segment of the article page's path ("<id>-<slug>").
    to_html(data): the API's JSON as the HTML page the profile's Fields read.
    """

    path: str
    to_html: Callable

    def url_for(self, page_url):
        slug = urlsplit(page_url).path.rstrip("/").rsplit("/", 1)[-1]
        return urljoin(page_url, self.path.format(slug=quote(slug, safe="")))

    def page(self, response, page_url):
        """The article as an HtmlResponse at its page URL (so canonical_url and article_id come
        from the page, never from the API address); the Date header is kept for relative times."""
        from scrapy.http import HtmlResponse

        html = self.to_html(json.loads(response.text))
        headers = {"Date": response.headers["Date"]} if "Date" in response.headers else {}
        return HtmlResponse(page_url, body=html.encode("utf-8"), encoding="utf-8", headers=headers,
                            request=response.request)


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
class Layout:
    """One dated version of a site's article pages (Fundus keeps several per site): the pages
    that show `check` are read with `fields`, so old and new pages both parse."""

    name: str                # e.g. "2026-11": when the site started printing it
    check: str               # CSS present only on pages of this layout
    fields: Fields


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
    date_order: str = "DMY"          # how the site writes numeric dates: "DMY" (12/07/2023 is 12 July), "MDY", "YMD"
    encoding: str | None = None      # the site's charset when its pages do not declare one
    feeds: tuple[str, ...] = ()      # RSS/Atom feeds and news sitemaps (paths) used as extra seeds
    load_more: LoadMore | None = None  # listings that grow through a JSON "load more" request
    render: Render | None = None     # pages built by script: fetched by a browser (-a render=0: never)
    article_api: ArticleApi | None = None  # articles fetched from a JSON API instead of their pages
    # The rare site-specific fix-up: called as cleanup(article_dict, response), returns the dict.
    cleanup: Callable | None = None
    # Later layouts of the article pages, newest first; `fields` reads the pages none of them
    # matches (the original layout, named "base").
    layouts: tuple[Layout, ...] = ()

    def layout_for(self, root):
        """(fields, layout name) for an article page's parsed root: the first layout whose check
        the page shows, else the profile's own fields."""
        from ..extract.html import select

        for layout in self.layouts:
            if select(root, layout.check):
                return layout.fields, layout.name
        return self.fields, "base"

    def article_match(self, url):
        """The article-pattern match of url's path, or None for a non-article URL."""
        return re.search(self.article_pattern, urlsplit(url).path)

    def section_url(self, section, base_url=None):
        return (base_url or self.base_url).rstrip("/") + self.section_paths[0].format(section=section)


def with_layouts(profile, paths):
    """profile with the Layout objects at these import paths ahead of its own (newest first):
    a deployment's fix for a changed site before the profile itself is released with it."""
    if not paths:
        return profile
    from dataclasses import replace

    from scrapy.utils.misc import load_object

    return replace(profile, layouts=(*(load_object(path) for path in paths), *profile.layouts))
