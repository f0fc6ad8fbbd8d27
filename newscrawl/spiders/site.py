"""SiteSpider: the crawl policy shared by every profiled site.

Section listings are the seeds; listing pages and the articles they list come first, "More
Stories" excursions after (request priorities). Extraction is the profile's business.
"""

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy

from ..extract.article import extract_article
from ..extract.html import element_text
from ..normalize.dates import http_date_to_datetime, parse_datetime
from ..normalize.urls import canonical_url, same_site
from .arguments import CrawlArguments

logger = logging.getLogger(__name__)

LISTING_PRIORITY = 30
ARTICLE_PRIORITY = 20
MORE_STORIES_PRIORITY = 0


class SiteSpider(scrapy.Spider):
    profile = None  # a SiteProfile; set by each site's subclass

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.args.is_local:
            # A local copy needs no politeness delays (a command-line -s still wins).
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    def __init__(self, *args, **kwargs):
        self.args = CrawlArguments.parse(self.name, self.profile.sections, **kwargs)
        super().__init__(*args)
        self.base_url = self.args.base_url or self.profile.base_url
        self.hosts = self.profile.hosts + ((urlsplit(self.base_url).hostname,) if self.args.base_url else ())
        self.allowed_domains = list(self.hosts)
        self.more_stories_depth = 2

    # -- requests -------------------------------------------------------------------------

    async def start(self):
        for section in self.args.sections:
            url = self.profile.section_url(section, self.base_url)
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"section": section, "page": 1})

    def _article_request(self, url, priority, depth, listing_published=None):
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, priority=priority,
                              meta={"more_stories_depth": depth, "listing_published": listing_published})

    def _article_url(self, response, href):
        """The canonical URL of an article link, or None for anything that is not one."""
        if not href:
            return None
        url = canonical_url(response.urljoin(href.strip()), self.profile.amp_rules)
        if not same_site(url, self.hosts) or not self.profile.article_match(url):
            return None
        return url

    # -- callbacks ------------------------------------------------------------------------

    def parse_listing(self, response, section, page):
        stats = self.crawler.stats
        stats.inc_value("listing/pages")
        base = http_date_to_datetime(response.headers.get("Date")) or datetime.now(timezone.utc)
        listing = self.profile.listing
        found = older = 0
        for item in response.css(listing.item):
            url = self._article_url(response, item.css(listing.link).get())
            if not url:
                continue
            found += 1
            listed = None
            if listing.date:
                printed = element_text(item.css(listing.date)[:1] or None)
                listed = parse_datetime(printed, tz=self.profile.timezone, languages=self.profile.languages,
                                        relative_base=base, formats=self.profile.date_formats)
            if self.args.since and listed and listed[:10] < self.args.since.isoformat():
                older += 1
                continue
            yield self._article_request(url, ARTICLE_PRIORITY, depth=0, listing_published=listed)
        stats.inc_value("listing/article_links", found)
        if older:
            stats.inc_value("since/older_listed_skipped", older)
        logger.info("Listing %s page %d: %d article links, %d older than since", section, page, found, older)

        if not found:
            return  # a page with no articles: pagination past it leads nowhere useful
        if older == found and self.args.since:
            stats.inc_value("since/sections_stopped")
            logger.info("Section %s: page %d lists only articles older than %s; stop paging",
                        section, page, self.args.since)
            return
        if self.args.max_pages and page >= self.args.max_pages:
            stats.inc_value("max_pages/sections_stopped")
            return
        next_href = response.css(listing.next_page).get() if listing.next_page else None
        if next_href:
            yield scrapy.Request(response.urljoin(next_href), callback=self.parse_listing,
                                 errback=self.on_error, priority=LISTING_PRIORITY,
                                 cb_kwargs={"section": section, "page": page + 1})

    def parse_article(self, response):
        stats = self.crawler.stats
        try:
            article = extract_article(response, self.profile,
                                      listing_published=response.meta.get("listing_published"))
        except Exception:
            stats.inc_value("article/parse_errors")
            logger.error("Could not parse article %s", response.url, exc_info=True)
            return
        stats.inc_value("article/parsed")
        published = article.get("published_at")
        if self.args.since and published and published[:10] < self.args.since.isoformat():
            stats.inc_value("since/older_articles_skipped")
            return  # and no excursion from it: its neighbours are older still
        yield article

        depth = response.meta.get("more_stories_depth", 0) + 1
        if self.profile.more_stories and depth <= self.more_stories_depth:
            for href in response.css(self.profile.more_stories).getall():
                url = self._article_url(response, href)
                if url:
                    stats.inc_value("more_stories/links")
                    yield self._article_request(url, MORE_STORIES_PRIORITY, depth)

    def on_error(self, failure):
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"fetch_errors/{reason}")
        logger.warning("Failed %s: %s", request.url, reason)
