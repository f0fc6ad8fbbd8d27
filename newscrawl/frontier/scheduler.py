"""FrontierScheduler: scrapy-redis's Scheduler with leases, quiescence and a failure mode.

Each worker of a run registers (`<run>:workers`) and keeps a heartbeat key with a TTL. A popped
request is leased to the worker and acked once the engine is done with it (downloaded, parsed,
its requests pushed, its article committed to the archive), in batches: every tick, or when the
worker reaches its lease limit. The worker refreshes its heartbeat, acks, reclaims dead
workers' leases and checks quiescence every tick. It closes only when the
run's queue is empty, no live worker holds a lease or is busy, and that stayed so for the grace
period. When Redis stops answering (after the client's retries), the worker stops as failed.
"""

import logging
import os
import socket
import time
import uuid

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from .config import FrontierConfig, FrontierError, check_reachable, redacted
from .dupefilter import RunDupeFilter
from .keys import RunKeys
from .queue import LeasedPriorityQueue
from .state import RunState

logger = logging.getLogger(__name__)
LOST_REASON = "frontier_lost"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class FrontierScheduler(Scheduler):
    def __init__(self, crawler, config: FrontierConfig, server):
        keys = RunKeys(config.prefix, config.run)
        dupefilter = RunDupeFilter(server, keys.seen, crawler.request_fingerprinter,
                                   debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        super().__init__(server, persist=True, queue_key=keys.queue, dupefilter=dupefilter,
                         dupefilter_key=keys.seen)
        self.crawler, self.stats, self.config, self.keys = crawler, crawler.stats, config, keys
        self.worker = worker_id()
        # The in-flight limit: a SIGKILL costs refetching at most this many pages. Leases count
        # until acked, and an ack waits for the archive's commit: twice the engine's concurrency
        # lets one commit ack about CONCURRENT_REQUESTS pages instead of one.
        self.max_leases = crawler.settings.getint("NEWSCRAWL_FRONTIER_MAX_LEASES") or \
            2 * crawler.settings.getint("CONCURRENT_REQUESTS")
        self.leased = {}          # encoded request -> the Request the engine has
        self.quiet_since = None
        self.run_finished = False
        self.state = None
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        args = getattr(crawler.spider, "args", None)
        config = FrontierConfig.from_settings(crawler.settings, getattr(args, "run", None))
        if config is None:
            raise FrontierError("FrontierScheduler needs -s NEWSCRAWL_FRONTIER=redis://…")
        check_reachable(config)
        return cls(crawler, config, config.connect())

    # -- life cycle -----------------------------------------------------------------------

    def open(self, spider):
        self.spider = spider
        self.queue = LeasedPriorityQueue(self.server, spider, self.keys, self.worker)
        self.state = RunState(self.crawler, self.server, self.keys, self.config, self._lost, self.worker)
        self.state.surely_seen = self.df.surely_seen
        try:
            self.server.hsetnx(self.keys.meta, "spider", spider.name)
            owner = self.server.hget(self.keys.meta, "spider").decode()
            if owner != spider.name:
                logger.error("Frontier run %s belongs to spider %s, not %s: choose another -a run",
                             self.config.run, owner, spider.name)
                raise CloseSpider("frontier_conflict")
            self.server.hsetnx(self.keys.meta, "started", time.time())
            self._heartbeat()
            reclaimed = self.queue.leases.reclaim()
            queued = len(self.queue)
        except RedisError as error:
            self._lost(error)
            return
        if hasattr(spider, "queued_excursions"):
            spider.queued_excursions = self.state.excursions
        self.crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)
        self.loop = task.LoopingCall(self._tick)
        self.loop.start(self.config.tick, now=False)
        logger.info("Frontier %s run %s: worker %s joins (%d requests queued, %d reclaimed)",
                    redacted(self.config.url), self.config.run, self.worker, queued, reclaimed)

    def close(self, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.state is not None:
            self.state.detach()
        if self.state is None or self.state.lost:
            return   # our leases expire with the heartbeat; the next worker or run takes them
        try:
            # The engine has finished every request it had and the pipelines have committed.
            self._ack(list(self.leased))
            self.server.srem(self.keys.workers, self.worker)
            self.server.delete(self.keys.alive(self.worker), self.keys.busy(self.worker),
                               self.keys.lease(self.worker))
            if reason == "finished" and self.run_finished:
                self._finish_run()
        except RedisError as error:
            logger.warning("Frontier: could not sign off worker %s: %s", self.worker, error)

    def _finish_run(self):
        keep = int(self.config.keep_days * 86400)
        pipe = self.server.pipeline(transaction=True)
        pipe.hsetnx(self.keys.meta, "finished", time.time())
        pipe.delete(self.keys.excursions, self.keys.streaks)
        for key in (self.keys.seen, self.keys.meta, self.keys.workers):
            pipe.expire(key, keep)
        pipe.execute()

    # -- the scheduler interface ----------------------------------------------------------

    def __len__(self):
        return 0 if self.state.lost else len(self.queue)

    def enqueue_request(self, request):
        if self.state.lost:
            return False
        try:
            if request.dont_filter:
                self.queue.push(request)
            elif not self.df.schedule(request, self.queue):
                self.df.log(request, self.spider)
                return False
        except RedisError as error:
            self._lost(error)
            return False
        self.stats.inc_value("frontier/enqueued")
        return True

    def next_request(self):
        if self.state.lost:
            return None
        try:
            if len(self.leased) >= self.max_leases:
                self._ack_done()   # at the limit: commit and ack what is done (else every tick)
                if len(self.leased) >= self.max_leases:
                    return None
            request, data = self.queue.pop()
        except RedisError as error:
            self._lost(error)
            return None
        if request is None:
            return None
        self.leased[data] = request
        self.stats.inc_value("frontier/leased")
        return request

    def has_pending_requests(self):
        if self.state.lost:
            return False
        try:
            return len(self.queue) > 0
        except RedisError as error:
            self._lost(error)
            return False

    # -- leases ---------------------------------------------------------------------------

    def _in_progress(self):
        slot = getattr(self.crawler.engine, "_slot", None)   # the engine's requests not yet done
        return slot.inprogress if slot is not None else set()

    def _ack_done(self):
        in_progress = self._in_progress()
        self._ack([data for data, request in self.leased.items() if request not in in_progress])

    def _ack(self, done):
        if not done:
            return
        if self.stats.get_value("archive/crawl_id") is not None:
            from ..pipelines.store import crawl_archive

            crawl_archive(self.crawler).commit()   # what the requests stored is durable first
        self.queue.leases.ack(self.worker, *done)
        for data in done:
            del self.leased[data]
        self.stats.inc_value("frontier/acked", len(done))

    def _heartbeat(self):
        ttl_ms = int(self.config.heartbeat_ttl * 1000)
        pipe = self.server.pipeline(transaction=False)
        pipe.sadd(self.keys.workers, self.worker)
        pipe.set(self.keys.alive(self.worker), 1, px=ttl_ms)
        if self.leased or self._starting_or_working():
            pipe.set(self.keys.busy(self.worker), 1, px=ttl_ms)
        else:
            pipe.delete(self.keys.busy(self.worker))
        pipe.execute()

    def _starting_or_working(self):
        engine = self.crawler.engine
        try:
            return not engine.spider_is_idle()
        except (AttributeError, RuntimeError):   # still opening (no scraper slot yet): starting
            return getattr(engine, "spider", None) is not None

    def _tick(self):
        if self.state.lost:
            return
        try:
            self._ack_done()
            self._heartbeat()
            reclaimed = self.queue.leases.reclaim()
        except RedisError as error:
            self._lost(error)
            return
        if reclaimed:
            self.stats.inc_value("frontier/reclaimed", reclaimed)
            logger.info("Frontier: %d requests of dead workers back in the queue", reclaimed)
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()   # other workers may have queued work: look now, not in 5 s

    # -- closing --------------------------------------------------------------------------

    def _spider_idle(self, spider):
        if self.state.lost:
            return   # the close for LOST_REASON is under way
        try:
            self._ack_done()
            self._heartbeat()
            self.queue.leases.reclaim()
            census = self.queue.leases.census()
        except RedisError as error:
            self._lost(error)
            raise DontCloseSpider from None
        if census["queued"] or census["leased"] or census["busy_workers"]:
            self.quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.quiet_since = self.quiet_since or now
        if now - self.quiet_since < self.config.grace:
            raise DontCloseSpider
        self.run_finished = True
        logger.info("Frontier run %s is quiescent: queue empty, no worker busy for %.1fs",
                    self.config.run, now - self.quiet_since)

    def _lost(self, error):
        if self.state is None or self.stats.get_value("frontier/lost"):
            return
        self.state.lost = True
        self.stats.set_value("frontier/lost", 1)
        logger.error("Frontier %s lost after retries (%s): worker %s stops as failed; its leases "
                     "return to the queue when its heartbeat expires, and a later run finishes the work",
                     redacted(self.config.url), str(error) or type(error).__name__, self.worker)
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=LOST_REASON))
