"""`scrapy crawl news -a url=…`: any news site, no profile. Listing and article pages are told
apart by structure (URL shapes, structured data, text), extraction is the generic extractor's."""

import logging
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import scrapy

from ..normalize.dates import http_date_to_datetime, parse_datetime
from ..normalize.urls import canonical_url, same_site
from ..resilience import preload_parsers
from .arguments import GenericArguments, has_credentials
from .base import ARTICLE_PRIORITY, EXCURSION_PRIORITY, LISTING_PRIORITY, NewsSpiderBase
from ..discovery.identity import article_id_of, site_of
from ..discovery.utility import is_utility_link
from .rendered import RenderedPagesMixin, enable_render_on_demand
from .links import (feed_entries, feed_links, is_article_page, is_pager_text, listed_time, looks_like_article_url,
                    looks_like_section_url, next_page_url, robots_sitemaps, section_slug)

logger = logging.getLogger(__name__)
DEFAULT_MAX_LINKS_PER_PAGE = 1000  # article links queued from one page (listing, feed, article)
DEFAULT_MAX_SECTIONS = 200         # section listings followed from the start page
MIN_LISTED_ARTICLES = 1            # article links that make a page a listing (a "most shared" box has one)
MAX_LISTING_DEPTH = 2              # start page -> section -> sub-section


class GenericNewsSpider(RenderedPagesMixin, NewsSpiderBase):
    """Crawls a site it has no profile for, starting at one listing page."""

    name = "news"

    @classmethod
    def parse_arguments(cls, **raw):
        return GenericArguments.parse(cls.name, **raw)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # A hostile page can hold 50,000 links, a start page 3,000 "sections": take the first ones.
        spider.max_links = crawler.settings.getint("NEWSCRAWL_MAX_LINKS_PER_PAGE", DEFAULT_MAX_LINKS_PER_PAGE)
        spider.max_sections = crawler.settings.getint("NEWSCRAWL_MAX_SECTIONS", DEFAULT_MAX_SECTIONS)
        spider.renders = spider.args.render and enable_render_on_demand(crawler)
        return spider

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_links, self.max_sections = DEFAULT_MAX_LINKS_PER_PAGE, DEFAULT_MAX_SECTIONS
        self.sections_followed = 0
        self.listings_queued = {canonical_url(self.args.url)}
        # The shape of the site's article URLs, learnt from its listings: when nearly all carry a
        # numeric id, a related link without one is a tag or topic page, not a story.
        self.listed_links = self.listed_with_id = 0
        host = urlsplit(self.args.url).hostname
        self.hosts = (host[4:] if host.startswith("www.") else host,)
        self.allowed_domains = list(self.hosts)
        self.site = site_of(host)   # the registered domain: www., m. and news. are one site

    async def start(self):
        preload_parsers()  # every page goes through the generic extractor: load it before fetching
        yield scrapy.Request(self.args.url, callback=self.parse_listing, errback=self.on_error,
                             priority=LISTING_PRIORITY, cb_kwargs={"page": 1},
                             meta={"seed": True, "kind": "listing", "section": self.args.url})
        # The site's sitemaps are link sources too: those robots.txt names, else /sitemap.xml.
        yield self._source_request(urljoin(self.args.url, "/robots.txt"), self.parse_robots, kind="robots")

    def _source_request(self, url, callback, kind="feed"):
        """A request for a feed, sitemap or robots.txt: one the site may well not have."""
        return scrapy.Request(url, callback=callback, errback=self.on_missing_source, priority=LISTING_PRIORITY,
                              meta={"kind": kind, "section": url})

    def on_missing_source(self, failure):
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            self.crawler.stats.inc_value("feed/not_found")  # no such feed: nothing wrong with the site
            if failure.request.url.endswith("/robots.txt"):
                yield self._source_request(urljoin(self.args.url, "/sitemap.xml"), self.parse_feed)
            return
        self.on_error(failure)

    def parse_robots(self, response):
        sitemaps = [url for url in map(response.urljoin, robots_sitemaps(response.text)) if same_site(url, self.hosts)]
        for url in sitemaps or [urljoin(self.args.url, "/sitemap.xml")]:
            yield self._source_request(url, self.parse_feed)

    def parse_feed(self, response):
        """An RSS/Atom feed or a (news) sitemap: its article links, with the dates it gives."""
        stats = self.crawler.stats
        stats.inc_value("feed/pages")
        sitemaps, entries = feed_entries(response)
        for position, url in enumerate(sitemaps):
            if position >= self.max_links:
                stats.inc_value("caps/links_per_page_dropped", len(sitemaps) - position)
                break
            if same_site(url, self.hosts):
                yield self._source_request(url, self.parse_feed)
        queued = 0
        for href, printed in entries:
            url = self._candidate(response, href)
            if not url:
                continue
            if queued >= self.max_links:
                stats.inc_value("caps/links_per_page_dropped")
                continue
            stats.inc_value("feed/article_links")
            published = parse_datetime(printed) if printed else None
            if self.is_older(published):
                stats.inc_value("since/older_listed_skipped")
                continue
            queued += 1
            yield scrapy.Request(url, callback=self.parse_candidate, errback=self.on_error,
                                 priority=ARTICLE_PRIORITY,
                                 meta={"listing_published": published, "depth_related": 0, "kind": "article",
                                       "section": response.url})

    def _candidate(self, response, href):
        url = canonical_url(response.urljoin(href.strip())) if href else None
        if not url or not looks_like_article_url(url) or has_credentials(url):
            return None
        if not same_site(url, self.hosts):
            self.crawler.stats.inc_value("offsite/links_skipped")
            return None
        return url

    def parse_listing(self, response, page):
        """A listing: its article links, the feeds it announces, its next page and, from the start
        page and the sections it names, further sections. Recognised by what it lists: a page with
        fewer than MIN_LISTED_ARTICLES article links is no listing (an article reached this way is
        still stored)."""
        stats = self.crawler.stats
        base = http_date_to_datetime(response.headers.get("Date")) or datetime.now(timezone.utc)
        found = older = 0
        seen = set()
        sections = []
        depth = response.meta.get("listing_depth", 0)
        expand = page == 1 and depth < MAX_LISTING_DEPTH
        articles = []
        # Looking for an item's own <time> costs a walk up its ancestors; skip it on pages with none.
        page_has_times = bool(response.xpath("//time[@datetime]"))
        links = response.xpath("//a[@href]")
        for position, link in enumerate(links):
            if found >= self.max_links:
                stats.inc_value("caps/links_per_page_dropped", len(links) - position)
                logger.warning("Listing %s: more than %d article links; the rest (%d links) not followed",
                               response.url, self.max_links, len(links) - position)
                break
            url = self._candidate(response, link.attrib["href"])
            if not url:
                if expand:
                    section = self._section_link(response, link)
                    if section:
                        sections.append(section)
                continue
            if url in seen:
                continue
            seen.add(url)
            found += 1
            listed = listed_time(link) if page_has_times else None
            listed = parse_datetime(listed, relative_base=base) if listed else None
            if self.is_older(listed):
                older += 1
                continue
            articles.append((url, listed))
            self.listed_links += 1
            self.listed_with_id += article_id_of(url) is not None
        rendered = self.rendered_again(response, found, expand=True)
        if rendered:  # its script draws what it lists: read it from the browser instead
            yield rendered
            return
        if found < MIN_LISTED_ARTICLES and not response.meta.get("seed"):
            if is_article_page(response):   # a short-slug article linked like a section
                stats.inc_value("generic/articles_from_menus")
                yield from self.parse_candidate(response)
                return
            stats.inc_value("generic/not_listings")
            logger.info("Not a listing: %s (%d article links)", response.url, found)
            return
        stats.inc_value("listing/pages")
        for url, listed in articles:
            yield scrapy.Request(url, callback=self.parse_candidate, errback=self.on_error,
                                 priority=ARTICLE_PRIORITY,
                                 meta={"listing_published": listed, "depth_related": 0, "kind": "article",
                                       "section": response.meta.get("section")})
        stats.inc_value("listing/article_links", found)
        for feed in feed_links(response):
            if same_site(feed, self.hosts):
                yield self._source_request(feed, self.parse_feed)
        logger.info("Listing %s (page %d): %d article-like links, %d older than since",
                    response.url, page, found, older)
        # From the start page (a home page, typically) and its sections, the sections they name.
        for section in dict.fromkeys(sections):
            if section in self.listings_queued:
                continue
            if self.sections_followed >= self.max_sections:
                stats.inc_value("caps/sections_dropped")
                continue
            self.listings_queued.add(section)
            self.sections_followed += 1
            stats.inc_value("generic/sections")
            yield scrapy.Request(section, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"page": 1},
                                 meta={"kind": "listing", "section": section, "listing_depth": depth + 1})
        if not found or (self.args.since and older == found):
            return
        if self.args.max_pages and page >= self.args.max_pages:
            stats.inc_value("max_pages/sections_stopped")
            return
        next_url = next_page_url(response, page)
        if next_url and same_site(next_url, self.hosts):
            self.listings_queued.add(canonical_url(next_url))
            yield scrapy.Request(next_url, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"page": page + 1},
                                 meta={"kind": "next_page", "section": response.meta.get("section"),
                                       "listing_depth": depth})

    def _section_link(self, response, link):
        """The listing a menu, section or "more" link leads to, or None: utility pages (by URL or
        text), the listing's own pager and other sites are left."""
        url = canonical_url(response.urljoin(link.attrib["href"].strip()))
        if not url or not same_site(url, self.hosts) or url == canonical_url(response.url):
            return None
        text = " ".join(link.xpath(".//text() | @title | @aria-label").getall())
        if is_utility_link(url, text):
            self.crawler.stats.inc_value("generic/utility_links_skipped")
            return None
        if is_pager_text(text) or not looks_like_section_url(url):
            return None
        return url

    @property
    def id_shaped(self):
        """Do this site's listed article URLs end in a numeric id (9 in 10 of 10 or more)?"""
        return self.listed_links >= 10 and self.listed_with_id >= 0.9 * self.listed_links

    def excursion_request(self, url, depth, section):
        return scrapy.Request(url, callback=self.parse_candidate, errback=self.on_error,
                              priority=EXCURSION_PRIORITY,
                              meta={"depth_related": depth, "kind": "excursion", "section": section})

    def parse_candidate(self, response):
        """A linked page that may be an article; anything else is counted and left."""
        self.promote_listed(response)
        if not is_article_page(response, self.article_text_needed(response)):
            rendered = self.rendered_again(response, 0, expand=False)
            if rendered:  # a script shell of an article
                yield rendered
                return
            self.crawler.stats.inc_value("generic/not_articles")
            return
        article = self.extract(response)
        if article is None or self.too_old(article):
            return
        if not article.get("site"):
            article["site"] = self.site
        if not article.get("article_id"):
            article["article_id"] = article_id_of(article.get("canonical_url") or response.url)
        # Pages print a section as "World" or "world": one key, the printed label beside it.
        label = article.get("section")
        article["section"], article["section_label"] = section_slug(label), label
        yield article
        yield from self.follow_related(response, self._related_urls(response, article), "generic/related_links")

    def _related_urls(self, response, article):
        hrefs, followed = response.xpath("//a/@href").getall(), 0
        for position, href in enumerate(hrefs):
            if followed >= self.max_links:
                self.crawler.stats.inc_value("caps/links_per_page_dropped", len(hrefs) - position)
                break
            url = self._candidate(response, href)
            if url and self.id_shaped and article_id_of(url) is None:
                self.crawler.stats.inc_value("generic/off_shape_links_skipped")
                continue
            if url and url != article.get("canonical_url"):
                followed += 1
                yield url
