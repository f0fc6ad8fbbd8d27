"""Progress of a long crawl: a log line every NEWSCRAWL_PROGRESS_INTERVAL seconds (pages, pages/s,
articles new and updated, requests queued), one more when the crawl ends, and a tqdm bar on
standard error when it is a terminal (never in logs, cron or scrapyd: NEWSCRAWL_PROGRESS_BAR=0 turns
it off on a terminal too)."""

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)
DEFAULT_INTERVAL = 60.0


def wants_bar(stream, enabled=True):
    """A bar only for a person watching: enabled and the stream a terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(enabled and isatty and isatty())


def progress_line(pages, seconds, new, updated, queued):
    rate = pages / seconds if seconds > 0 else 0.0
    return (f"Progress: {pages} pages ({rate:.1f} pages/s), articles {new} new, {updated} updated, "
            f"{queued} queued")


class CrawlProgress:
    def __init__(self, crawler, interval, bar):
        self.crawler, self.interval, self.bar_enabled = crawler, interval, bar
        self.started = None
        self.loop = None
        self.bar = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", DEFAULT_INTERVAL)
        bar = wants_bar(sys.stderr, crawler.settings.getbool("NEWSCRAWL_PROGRESS_BAR", True))
        if interval <= 0 and not bar:
            raise NotConfigured
        extension = cls(crawler, interval, bar)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        if bar:
            crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def _queued(self):
        engine = getattr(self.crawler, "engine", None)
        scheduler = getattr(engine, "scheduler", None)
        try:
            return len(scheduler) if scheduler is not None else 0
        except TypeError:   # a scheduler that cannot tell
            return 0

    def line(self):
        stats = self.crawler.stats
        return progress_line(stats.get_value("response_received_count", 0), time.monotonic() - self.started,
                             stats.get_value("archive/new", 0), stats.get_value("archive/updated", 0),
                             self._queued())

    def spider_opened(self, spider=None):
        self.started = time.monotonic()
        if self.interval > 0:
            self.loop = task.LoopingCall(lambda: logger.info(self.line()))
            self.loop.start(self.interval, now=False)
        if self.bar_enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=1, unit="page", desc="crawl", dynamic_ncols=True, leave=True)

    def response_received(self, response=None, request=None, spider=None):
        if self.bar is None:
            return
        stats = self.crawler.stats
        self.bar.total = self.bar.n + 1 + self._queued()   # the queue grows as pages are read
        self.bar.set_postfix(new=stats.get_value("archive/new", 0), updated=stats.get_value("archive/updated", 0),
                             refresh=False)
        self.bar.update(1)

    def spider_closed(self, spider=None, reason=None):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.bar is not None:
            self.bar.close()
        if self.interval > 0 and self.started is not None:
            logger.info(self.line())
