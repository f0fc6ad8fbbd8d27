"""One politeness budget per site for all the workers of every run: `<prefix>:site:<host>:next`
holds the earliest time (Redis's clock, so machines need not agree) the next request to that
host may start. Each request reserves the next slot atomically and waits for it; N workers then
fetch a site at the pace of one, not N times as hard.

The pace is NEWSCRAWL_FRONTIER_SITE_RATE requests per second, or else 1 / DOWNLOAD_DELAY (the
pace a single worker keeps); a local copy (DOWNLOAD_DELAY 0) has no budget unless one is set.
"""

import asyncio
import logging
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from scrapy import signals

from .keys import site_key
from .state import frontier_of

logger = logging.getLogger(__name__)

# KEYS: the site's key. ARGV: interval in microseconds. Returns {reserved start, now} in µs.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, next_free)
redis.call('SET', KEYS[1], string.format('%.0f', start + interval), 'PX', math.ceil(interval / 1000) + 60000)
return {string.format('%.0f', start), string.format('%.0f', now)}
"""


class SiteBudget:
    """Reservations on one Redis; `reserve(host)` returns the seconds to wait before fetching."""

    def __init__(self, server, prefix, rate):
        self.interval_us = int(1_000_000 / rate)
        self.prefix = prefix
        self._reserve = server.register_script(RESERVE)

    def reserve_at(self, host) -> tuple[int, int]:
        """(reserved start, Redis's now), both in microseconds."""
        start, now = self._reserve(keys=[site_key(self.prefix, host)], args=[self.interval_us])
        return int(start), int(now)

    def reserve(self, host) -> float:
        start, now = self.reserve_at(host)
        return (start - now) / 1_000_000


class SiteBudgetMiddleware:
    """Downloader middleware: each request waits for its site's slot (only with a frontier and a rate)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.budget = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        state = frontier_of(self.crawler)
        if state is not None and state.config.site_rate:
            self.budget = SiteBudget(state.server, state.config.prefix, state.config.site_rate)
            logger.info("Frontier: at most %.3g requests/s per site, all workers together",
                        state.config.site_rate)

    async def process_request(self, request, spider=None):
        host = urlsplit(request.url).hostname
        if self.budget is None or not host or frontier_of(self.crawler) is None:
            return None
        try:
            wait = self.budget.reserve(host)
        except RedisError as error:
            frontier_of(self.crawler).lose(error)
            return None
        if wait > 0:
            self.crawler.stats.inc_value("frontier/politeness_waits")
            await asyncio.sleep(wait)
        return None
