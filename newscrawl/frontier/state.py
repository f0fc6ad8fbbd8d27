"""Spider and pipeline state that is wrong once several workers share a run, kept in Redis.

- queued excursions (spiders/base.py): which "More Stories" pages wait in the queue, and the
  listing meta of a listing that showed one meanwhile; any worker may fetch the page.
- caught-up streaks (middlewares.py): known listed articles in a row, per section; the next
  listing page of a section may be any worker's.
- "stored before this run": the archive's last row when the run's first worker started, not
  when this worker did (a late worker would take this run's articles for older ones).
- the previous run: the latest crawl of another run (the workers of this one are not it).
"""

import json
import logging
import weakref

from ..storage import FINISHED_STATUSES

logger = logging.getLogger(__name__)
_FRONTIERS = weakref.WeakKeyDictionary()


def frontier_of(crawler):
    """The crawl's RunState when it shares a frontier, else None."""
    return _FRONTIERS.get(crawler)


class _SharedHash:
    """A Redis hash behind the dict operations the spiders use. After the frontier is lost,
    reads answer "absent" and writes are skipped: the worker is stopping as failed anyway."""

    def __init__(self, state, key):
        self.state, self.key = state, key

    def _call(self, method, *args, default=None):
        from redis.exceptions import RedisError   # (redis costs 0.1 s to import: frontier crawls only)

        if self.state.lost:
            return default
        try:
            return getattr(self.state.server, method)(self.key, *args)
        except RedisError as error:
            self.state.lose(error)
            return default


# KEYS: the excursions hash. ARGV: url, the listed meta (JSON). Sets it only for a queued url.
MARK_LISTED = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
"""


class SharedExcursions(_SharedHash):
    """queued_excursions: URL -> None (queued) or the listed meta of a listing that showed it."""

    def __init__(self, state, key):
        super().__init__(state, key)
        self._mark_listed = state.server.register_script(MARK_LISTED)

    def __contains__(self, url):
        return bool(self._call("hexists", url, default=False))

    def __setitem__(self, url, value):
        self._call("hset", url, json.dumps(value) if value is not None else "")

    def claim(self, url) -> bool:
        return bool(self._call("hsetnx", url, "", default=False))

    def mark_listed(self, url, meta) -> None:
        from redis.exceptions import RedisError

        if self.state.lost:
            return
        try:
            self._mark_listed(keys=[self.key], args=[url, json.dumps(meta)])
        except RedisError as error:
            self.state.lose(error)

    def pop(self, url, default=None):
        from redis.exceptions import RedisError

        if url is None or self.state.lost:
            return default
        try:
            value, _ = self.state.server.pipeline(transaction=True).hget(self.key, url).hdel(self.key, url).execute()
        except RedisError as error:
            self.state.lose(error)
            return default
        if value is None:
            return default
        return json.loads(value) if value else None


class SharedStreaks(_SharedHash):
    """section -> known listed articles in a row (IncrementalMiddleware.streaks)."""

    def get(self, section, default=0):
        value = self._call("hget", section or "")
        return int(value) if value is not None else default

    def __getitem__(self, section):
        return self.get(section)

    def __setitem__(self, section, value):
        self._call("hset", section or "", int(value))

    def bump(self, section) -> None:
        self._call("hincrby", section or "", 1)

    def reset(self, section) -> None:
        self._call("hset", section or "", 0)


class RunState:
    """What the rest of newscrawl asks of a crawl that shares a frontier."""

    def __init__(self, crawler, server, keys, config, on_lost, worker):
        self.crawler, self.server, self.keys, self.config = crawler, server, keys, config
        self.worker = worker      # this process's id in the run (host:pid:random)
        # request -> True when this worker knows the run scheduled it already (the scheduler's
        # duplicate filter answers; until it is open, nothing is known)
        self.surely_seen = lambda request: False
        self._on_lost = on_lost
        self.lost = False
        self.excursions = SharedExcursions(self, keys.excursions)
        self.streaks = SharedStreaks(self, keys.streaks)
        _FRONTIERS[crawler] = self

    def lose(self, error):
        if not self.lost:
            self.lost = True
            self._on_lost(error)

    @property
    def run(self) -> str:
        return self.config.run

    def worker_alive(self, worker) -> bool | None:
        """Does the worker's heartbeat key live (any host)? None when Redis cannot tell."""
        from redis.exceptions import RedisError

        if self.lost:
            return None
        try:
            return bool(self.server.exists(self.keys.alive(worker)))
        except RedisError:
            return None

    def detach(self):
        _FRONTIERS.pop(self.crawler, None)

    def stored_before(self, archive) -> int:
        """The archive's last article row when the run's first worker asked."""
        self.server.hsetnx(self.keys.meta, "stored_before", archive.last_row_id())
        return int(self.server.hget(self.keys.meta, "stored_before"))

    def previous_crawl(self, archive, spider, crawl_id):
        """The crawl this one follows: the latest of the spider, passing over this run's workers
        still running (peers, or killed ones whose leases the peers reclaim). A run counts as
        finished when any of its workers finished it (they close together, on quiescence); a
        worker of this run that failed (Redis lost) is a previous crawl to catch up after."""
        previous = archive.previous_crawl(spider, before=crawl_id)
        while previous and _run_of(previous) == self.config.run and previous["status"] == "running":
            previous = archive.previous_crawl(spider, before=previous["id"])
        run = _run_of(previous) if previous else None
        if run is None:
            return previous
        crawl, finished = previous, previous["status"] in FINISHED_STATUSES
        while not finished and (crawl := archive.previous_crawl(spider, before=crawl["id"])) \
                and _run_of(crawl) == run:
            finished = crawl["status"] in FINISHED_STATUSES
        return {**previous, "status": "finished"} if finished else previous


def _run_of(crawl):
    args = crawl.get("args") or {}
    return args.get("run") if isinstance(args, dict) else None
