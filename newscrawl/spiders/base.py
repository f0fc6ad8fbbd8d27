"""What every newscrawl spider shares: argument checking, local-copy settings, stop rules on
articles, and counted fetch errors."""

import logging

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from ..extract.article import extract_article

logger = logging.getLogger(__name__)

LISTING_PRIORITY = 30
ARTICLE_PRIORITY = 20
EXCURSION_PRIORITY = 0  # "More Stories" and related links: after listings and listed articles


class NewsSpiderBase(scrapy.Spider):
    profile = None  # a SiteProfile, or None for sites crawled by structure alone

    @classmethod
    def parse_arguments(cls, **raw):
        """Check -a arguments (raise ArgumentError); also called by `scrapy crawl` before starting."""
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.args.is_local:
            # A local copy needs no politeness delays (a command-line -s still wins).
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    def __init__(self, *args, **kwargs):
        self.args = type(self).parse_arguments(**kwargs)
        super().__init__(*args)

    def is_older(self, published):
        return bool(self.args.since and published and published[:10] < self.args.since.isoformat())

    def extract(self, response):
        """The article of a response, or None (counted, logged once) when the page breaks the extractor."""
        try:
            article = extract_article(self.article_page(response), self.profile,
                                      listing_published=response.meta.get("listing_published"))
        except Exception:
            self.crawler.stats.inc_value("article/parse_errors")
            logger.error("Could not parse article %s", response.url, exc_info=True)
            return None
        self.crawler.stats.inc_value("article/parsed")
        return article

    def article_page(self, response):
        """The page to extract: an API answer (meta "article_url") becomes the page it stands for."""
        api = self.profile.article_api if self.profile else None
        page_url = response.meta.get("article_url")
        return api.page(response, page_url) if api and page_url else response

    def too_old(self, article):
        """since applies to articles too: an older one is skipped, and so is its neighbourhood."""
        if self.is_older(article.get("published_at")):
            self.crawler.stats.inc_value("since/older_articles_skipped")
            return True
        return False

    def on_error(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Crawl policy said no (robots.txt, offsite): counted by its middleware, not an error.
            logger.debug("Skipped %s: %s", request.url, failure.value)
            return
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"fetch_errors/{reason}")
        logger.warning("Failed %s: %s", request.url, reason)
