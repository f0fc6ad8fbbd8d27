"""`scrapy crawl news -a url=…`: any news site, no profile. Listing and article pages are told
apart by structure (URL shapes, structured data, text), extraction is the generic extractor's."""

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy

from ..normalize.dates import http_date_to_datetime, parse_datetime
from ..normalize.urls import canonical_url, same_site
from ..resilience import preload_parsers
from .arguments import GenericArguments, has_credentials
from .base import ARTICLE_PRIORITY, EXCURSION_PRIORITY, LISTING_PRIORITY, NewsSpiderBase
from .links import is_article_page, listed_time, looks_like_article_url, looks_like_section_url, next_page_url

logger = logging.getLogger(__name__)


class GenericNewsSpider(NewsSpiderBase):
    """Crawls a site it has no profile for, starting at one listing page."""

    name = "news"

    @classmethod
    def parse_arguments(cls, **raw):
        return GenericArguments.parse(cls.name, **raw)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        host = urlsplit(self.args.url).hostname
        self.hosts = (host[4:] if host.startswith("www.") else host,)
        self.allowed_domains = list(self.hosts)
        self.site = self.hosts[0]
        # Two hops: a listed page may first be reached as another article's related link.
        self.related_depth = 2

    async def start(self):
        preload_parsers()  # every page goes through the generic extractor: load it before fetching
        yield scrapy.Request(self.args.url, callback=self.parse_listing, errback=self.on_error,
                             priority=LISTING_PRIORITY, cb_kwargs={"page": 1},
                             meta={"seed": True, "kind": "listing", "section": self.args.url})

    def _candidate(self, response, href):
        url = canonical_url(response.urljoin(href.strip())) if href else None
        if not url or not looks_like_article_url(url) or has_credentials(url):
            return None
        if not same_site(url, self.hosts):
            self.crawler.stats.inc_value("offsite/links_skipped")
            return None
        return url

    def parse_listing(self, response, page):
        stats = self.crawler.stats
        stats.inc_value("listing/pages")
        base = http_date_to_datetime(response.headers.get("Date")) or datetime.now(timezone.utc)
        found = older = 0
        seen = set()
        sections = []
        # Looking for an item's own <time> costs a walk up its ancestors; skip it on pages with none.
        page_has_times = bool(response.xpath("//time[@datetime]"))
        for link in response.xpath("//a[@href]"):
            url = self._candidate(response, link.attrib["href"])
            if not url:
                section = canonical_url(response.urljoin(link.attrib["href"].strip()))
                if response.meta.get("seed") and same_site(section, self.hosts) and looks_like_section_url(section):
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
            yield scrapy.Request(url, callback=self.parse_candidate, errback=self.on_error,
                                 priority=ARTICLE_PRIORITY,
                                 meta={"listing_published": listed, "depth_related": 0, "kind": "article",
                                       "section": response.meta.get("section")})
        stats.inc_value("listing/article_links", found)
        logger.info("Listing %s (page %d): %d article-like links, %d older than since",
                    response.url, page, found, older)
        # From the start page (a home page, typically) the site's sections are listings too.
        for section in dict.fromkeys(sections).keys() - {canonical_url(response.url)}:
            stats.inc_value("generic/sections")
            yield scrapy.Request(section, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"page": 1},
                                 meta={"kind": "listing", "section": section})
        if not found or (self.args.since and older == found):
            return
        if self.args.max_pages and page >= self.args.max_pages:
            stats.inc_value("max_pages/sections_stopped")
            return
        next_url = next_page_url(response, page)
        if next_url and same_site(next_url, self.hosts):
            yield scrapy.Request(next_url, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"page": page + 1},
                                 meta={"kind": "next_page", "section": response.meta.get("section")})

    def excursion_request(self, url, depth, section):
        return scrapy.Request(url, callback=self.parse_candidate, errback=self.on_error,
                              priority=EXCURSION_PRIORITY,
                              meta={"depth_related": depth, "kind": "excursion", "section": section})

    def parse_candidate(self, response):
        """A linked page that may be an article; anything else is counted and left."""
        self.promote_listed(response)
        if not is_article_page(response):
            self.crawler.stats.inc_value("generic/not_articles")
            return
        article = self.extract(response)
        if article is None or self.too_old(article):
            return
        if not article.get("site"):
            article["site"] = self.site
        yield article

        depth = response.meta.get("depth_related", 0) + 1
        if depth <= self.related_depth:
            for href in response.xpath("//a/@href").getall():
                url = self._candidate(response, href)
                if url and url != article.get("canonical_url"):
                    self.crawler.stats.inc_value("generic/related_links")
                    yield self.excursion_request(url, depth, response.meta.get("section"))
