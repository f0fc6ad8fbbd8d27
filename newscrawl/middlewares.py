"""Spider middlewares for concerns that cut across every spider."""

import logging
from datetime import datetime, timedelta, timezone

from scrapy import Request, signals

from .extract.article import ORIGIN_META, PROBLEMS_META
from .frontier.state import frontier_of
from .pipelines.store import crawl_archive, is_incremental
from .storage import FINISHED_STATUSES
from .urlkeys import article_key

STORED_ROWS_MEMO = 100_000   # links remembered as stored (about 15 MB), emptied when full

logger = logging.getLogger(__name__)


class Streaks(dict):
    """Per section, known listed articles in a row (a shared frontier keeps them in Redis)."""

    def bump(self, section) -> None:
        self[section] = self.get(section, 0) + 1

    def reset(self, section) -> None:
        self[section] = 0


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
        self.crawl_id = None
        self.stored_before = 0   # the last article row stored before this run
        self.streaks = Streaks()
        self.enabled = False
        self.threshold = 0
        self.resuming = False
        self.recheck_after = None   # -a recheck_days=N: stored articles published since are fetched again
        self.rechecked = set()      # their rows (bounded by the window's articles)
        # Links found stored: a stored article stays stored, so widgets and listings that print
        # it again cost no query (a round trip each on a PostgreSQL archive).
        self.stored_rows = {}
        self.shared = None   # the shared frontier's RunState, in a shared run

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        args = getattr(spider, "args", None)
        crawl_id = self.stats.get_value("archive/crawl_id")
        if args is None or crawl_id is None:
            return  # not a newscrawl spider, or a crawl without the archive
        self.archive, self.crawl_id = crawl_archive(self.crawler), crawl_id
        # A shared run (newscrawl/frontier): streaks, "stored before" and "previous" are the run's.
        shared = self.shared = frontier_of(self.crawler)
        self.stored_before = shared.stored_before(self.archive) if shared else self.archive.last_row_id()
        if not is_incremental(self.crawler):
            return  # a refresh run fetches everything; it still records its frontier
        self.enabled = True
        self.threshold = args.caught_up_after
        if shared:
            self.streaks = shared.streaks
        if getattr(args, "recheck_days", 0):
            self.recheck_after = datetime.now(timezone.utc) - timedelta(days=args.recheck_days)
        previous = (shared.previous_crawl(self.archive, spider.name, crawl_id) if shared
                    else self.archive.previous_crawl(spider.name, before=crawl_id))
        if previous and previous["status"] not in FINISHED_STATUSES:
            self.resuming = True
            self.stats.set_value("incremental/resuming_after", previous["id"])
            logger.info("Previous %s crawl #%d ended %s: paging every section fully to catch up",
                        spider.name, previous["id"], previous["status"])

    def spider_closed(self, spider):
        self.archive = None   # the storage pipeline closes the shared connection

    async def process_start(self, start):
        async for obj in start:
            yield obj
        if not self.resuming:
            return
        # Links the unfinished runs queued and never reached: widget-only articles whose
        # listed neighbours are stored (so not fetched again) would otherwise be lost.
        spider = self.crawler.spider
        left = self.archive.left_frontier(spider.name, before=self.crawl_id)
        if left:
            self.stats.set_value("incremental/frontier_resumed", len(left))
            logger.info("Following %d links the unfinished runs had queued", len(left))
        for link in left:
            yield spider.excursion_request(link["url"], link["depth"], link["section"])

    def _row_id(self, spider, url):
        if (row := self.stored_rows.get(url)) is not None:
            return row
        # An http/www./AMP spelling of a stored article is stored under the folded key.
        folded = article_key(url, site_origin(spider))
        profile = getattr(spider, "profile", None)
        match = profile.article_match(url) if profile else None
        row = self.archive.first_row_id((url, folded), site=profile.name if match else None,
                                        article_id=match["id"] if match else None)
        if row:
            if len(self.stored_rows) >= STORED_ROWS_MEMO:
                self.stored_rows.clear()
            self.stored_rows[url] = row
        return row

    def _recent(self, row):
        """Was a stored article published inside the recheck window (-a recheck_days)?"""
        if self.recheck_after is None:
            return False
        published = (self.archive.article_by_id(row) or {}).get("published_at")
        try:
            when = datetime.fromisoformat(published) if published else None
        except ValueError:
            return False
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when is not None and when >= self.recheck_after

    def _keep(self, request, spider):
        kind, section = request.meta.get("kind"), request.meta.get("section")
        if kind == "excursion" and self.shared is not None and self.shared.surely_seen(request):
            return True   # requested this run already: the run's duplicate filter drops it, unasked
        if kind in ("article", "excursion"):
            # An API request (WAM) carries the article page's URL: that is the archive key.
            row = self._row_id(spider, request.meta.get("article_url", request.url))
            if row:
                # Only what earlier runs stored says the section is caught up: this run's own
                # articles turn up again in the feed and in other sections' listings.
                if kind == "article" and row <= self.stored_before:
                    self.streaks.bump(section)
                if row <= self.stored_before and row not in self.rechecked and self._recent(row):
                    self.rechecked.add(row)   # once per run, however many links lead to it
                    self.stats.inc_value("recheck/fetched")
                    return True
                self.stats.inc_value("incremental/known_skipped")
                return False
            if kind == "article":
                self.streaks.reset(section)
        elif kind == "next_page" and self.threshold and not self.resuming \
                and self.streaks.get(section, 0) >= self.threshold:
            self.stats.inc_value("incremental/sections_caught_up")
            logger.info("Section %s: the last %d listed articles are all archived; stop paging",
                        section, self.streaks[section])
            return False
        return True

    def _outputs(self, obj, spider):
        """What goes on in place of obj: obj, nothing, or (a stored page reached nearer a listing
        than when it was parsed) the related links its depth limit had cut."""
        if not isinstance(obj, Request):
            yield obj
            return
        if self.enabled and not self._keep(obj, spider):
            reached_nearer = getattr(spider, "reached_nearer", None)
            for follow in reached_nearer(obj) if reached_nearer else ():
                yield from self._outputs(follow, spider)
            return
        if self.archive is not None and obj.meta.get("kind") == "excursion":
            # Kept until a crawl of this spider finishes: a run that dies before reaching it
            # leaves it for the next (see process_start).
            depth = obj.meta.get("more_stories_depth", obj.meta.get("depth_related", 1))
            self.archive.add_to_frontier(self.crawl_id, obj.meta.get("article_url", obj.url), depth,
                                         obj.meta.get("section"))
        yield obj

    def process_spider_output(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        for obj in result:
            yield from self._outputs(obj, spider)

    async def process_spider_output_async(self, response, result, spider=None):
        spider = spider or self.crawler.spider
        async for obj in result:
            for out in self._outputs(obj, spider):
                yield out


class ReleaseResponseMiddleware:
    """Frees each response as soon as its callback's output is consumed.

    A response and its cached selector point at each other, so without help only the cycle
    collector frees them, and between its passes hundreds of finished pages wait with their
    body, decoded text and lxml tree (~1 MB each, mostly outside Python's own accounting): a
    crawl held 200 MB of them. Dropping the cached selector breaks the cycle; reference counting
    then frees the page the moment Scrapy lets go of it. Outermost, so every other middleware is
    done with the response first.
    """

    @staticmethod
    def _release(response):
        if getattr(response, "_cached_selector", None) is not None:
            response._cached_selector = None

    def process_spider_output(self, response, result, spider=None):
        try:
            yield from result
        finally:
            self._release(response)

    async def process_spider_output_async(self, response, result, spider=None):
        try:
            async for obj in result:
                yield obj
        finally:
            self._release(response)


def site_origin(spider):
    """The crawl's own scheme and host: a site spider's base URL, the generic spider's start URL."""
    return getattr(spider, "base_url", None) or getattr(getattr(spider, "args", None), "url", None)


class ExtractionContextMiddleware:
    """Tells extraction which site the crawl is on, and counts what extraction ignored.

    Before the callback: request meta `site_origin` (urlkeys.on_origin folds http/https and
    www. spellings of the crawl's own site onto it). After: the reasons extraction left in meta
    (`extract_problems`, e.g. JSON-LD too deep or of the wrong shape) become `extract/<reason>`
    stats, so a page that lost its structured data says so without losing the article.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_input(self, response, spider=None):
        origin = site_origin(spider or self.crawler.spider)
        if origin:
            response.meta.setdefault(ORIGIN_META, origin)

    def _count(self, response):
        problems = response.meta.pop(PROBLEMS_META, None)
        for reason, count in (problems or {}).items():
            self.crawler.stats.inc_value(f"extract/{reason}", count)

    def process_spider_output(self, response, result, spider=None):
        try:
            yield from result
        finally:
            self._count(response)

    async def process_spider_output_async(self, response, result, spider=None):
        try:
            async for obj in result:
                yield obj
        finally:
            self._count(response)
