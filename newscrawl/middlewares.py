"""Spider middlewares for concerns that cut across every spider."""

import logging

from scrapy import Request, signals

from .storage import Archive

logger = logging.getLogger(__name__)


class IncrementalMiddleware:
    """The archive is the seen-store: an article already stored is not requested again.

    Requests carry meta "kind" (article, excursion, next_page, …) and "section". A section stops
    paging once `caught_up_after` listed articles in a row were known: what follows is older and
    already archived. `-a refresh=1` fetches everything again (to record changes). When the
    spider's previous run did not finish (killed, crashed), this run pages on regardless, so
    what that run never reached is still found.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = None
        self.streaks = {}
        self.enabled = False
        self.threshold = 0
        self.resuming = False

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        args = getattr(spider, "args", None)
        if args is None or getattr(args, "refresh", True):
            return  # refresh run, or a spider without incremental arguments
        self.archive = Archive(self.crawler.settings.get("NEWSCRAWL_DB"))
        self.enabled = True
        self.threshold = args.caught_up_after
        previous = self.archive.previous_crawl(spider.name, before=self.stats.get_value("archive/crawl_id"))
        if previous and previous["status"] != "finished":
            self.resuming = True
            self.stats.set_value("incremental/resuming_after", previous["id"])
            logger.info("Previous %s crawl #%d ended %s: paging every section fully to catch up",
                        spider.name, previous["id"], previous["status"])

    def spider_closed(self, spider):
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    def _known(self, spider, url):
        if self.archive.known(url):
            return True
        profile = getattr(spider, "profile", None)
        match = profile.article_match(url) if profile else None
        return bool(match and self.archive.known(site=profile.name, article_id=match["id"]))

    def _keep(self, request, spider):
        kind, section = request.meta.get("kind"), request.meta.get("section")
        if kind in ("article", "excursion"):
            # An API request (WAM) carries the article page's URL: that is the archive key.
            if self._known(spider, request.meta.get("article_url", request.url)):
                self.stats.inc_value("incremental/known_skipped")
                if kind == "article":
                    self.streaks[section] = self.streaks.get(section, 0) + 1
                return False
            if kind == "article":
                self.streaks[section] = 0
        elif kind == "next_page" and self.threshold and not self.resuming \
                and self.streaks.get(section, 0) >= self.threshold:
            self.stats.inc_value("incremental/sections_caught_up")
            logger.info("Section %s: the last %d listed articles are all archived; stop paging",
                        section, self.streaks[section])
            return False
        return True

    def process_spider_output(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        for obj in result:
            if not (self.enabled and isinstance(obj, Request)) or self._keep(obj, spider):
                yield obj

    async def process_spider_output_async(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        async for obj in result:
            if not (self.enabled and isinstance(obj, Request)) or self._keep(obj, spider):
                yield obj
