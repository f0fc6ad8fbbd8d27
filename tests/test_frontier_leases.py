"""Leases, reclaims, quiescence, the site budget and the shared run state, against a real Redis."""

import types

import pytest
import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.frontier.keys import RunKeys
from newscrawl.frontier.leases import Leases
from newscrawl.frontier.politeness import SiteBudget
from newscrawl.frontier.scheduler import FrontierScheduler
from newscrawl.frontier.state import RunState
from newscrawl.storage import Archive
from redis_support import REDIS_URL, redis_prefix  # noqa: F401 (fixture)


@pytest.fixture
def run(redis_prefix):
    client, prefix = redis_prefix
    keys = RunKeys(prefix, "unit")
    return client, keys, Leases(client, keys)


def test_pop_leases_the_highest_priority_request(run):
    client, keys, leases = run
    client.zadd(keys.queue, {b"excursion": 0, b"article": -20, b"listing": -10})
    assert leases.pop("w1") == b"article"
    assert leases.pop("w1") == b"listing"
    assert client.zrange(keys.queue, 0, -1) == [b"excursion"]
    assert client.hgetall(keys.lease("w1")) == {b"article": b"-20", b"listing": b"-10"}
    leases.ack("w1", b"article")
    assert client.hgetall(keys.lease("w1")) == {b"listing": b"-10"}
    assert leases.pop("w2") == b"excursion" and leases.pop("w2") is None


def test_reclaim_returns_only_dead_workers_leases_with_their_priority(run):
    client, keys, leases = run
    client.zadd(keys.queue, {b"a1": -20, b"a2": -20, b"l1": -10})
    client.sadd(keys.workers, "alive", "dead")
    client.set(keys.alive("alive"), 1, ex=60)
    assert leases.pop("alive") == b"a1"
    assert leases.pop("dead") == b"a2" and leases.pop("dead") == b"l1"
    client.set(keys.busy("dead"), 1, ex=60)
    assert leases.census() == {"queued": 0, "leased": 1, "busy_workers": 1, "workers_alive": 1,
                               "leased_by_dead": 2, "seen": 0}
    assert leases.reclaim() == 2
    assert client.zrange(keys.queue, 0, -1, withscores=True) == [(b"a2", -20.0), (b"l1", -10.0)]
    assert client.smembers(keys.workers) == {b"alive"}
    assert not client.exists(keys.lease("dead"), keys.busy("dead"))
    assert client.hgetall(keys.lease("alive")) == {b"a1": b"-20"}
    assert leases.reclaim() == 0


class Spider(scrapy.Spider):
    name = "unit"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.args = types.SimpleNamespace(run="unit")
        self.queued_excursions = {}


class IdleEngine:
    """An engine with nothing in hand: the scheduler's own view of "this worker is idle"."""

    _slot = None

    def __init__(self, spider):
        self.spider = spider

    def spider_is_idle(self):
        return True


def scheduler_for(prefix, grace=3600.0):
    crawler = get_crawler(Spider, {"NEWSCRAWL_FRONTIER": REDIS_URL, "NEWSCRAWL_FRONTIER_PREFIX": prefix,
                                   "NEWSCRAWL_FRONTIER_GRACE": grace, "NEWSCRAWL_FRONTIER_HEARTBEAT": 30})
    crawler.spider = Spider()
    crawler.engine = IdleEngine(crawler.spider)
    scheduler = FrontierScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def closes(scheduler):
    try:
        scheduler._spider_idle(scheduler.spider)
    except DontCloseSpider:
        return False
    return True


def test_an_idle_worker_waits_while_others_work_and_closes_after_the_grace(run):
    client, keys, leases = run
    scheduler = scheduler_for(keys.prefix)
    try:
        assert isinstance(scheduler.spider.queued_excursions, type(scheduler.state.excursions))
        other = "host:1:other"
        client.sadd(keys.workers, other)
        client.set(keys.alive(other), 1, ex=60)

        client.set(keys.busy(other), 1, ex=60)      # starting, or scraping what it has
        assert not closes(scheduler)
        client.delete(keys.busy(other))
        client.zadd(keys.queue, {b"req": -20})
        assert leases.pop(other) == b"req"          # downloading: a lease, nothing queued
        assert not closes(scheduler)
        leases.ack(other, b"req")
        client.zadd(keys.queue, {b"next": -10})     # it produced more work
        assert not closes(scheduler)
        client.delete(keys.queue)

        assert not closes(scheduler)                # quiet now, but the grace period has not passed
        assert scheduler.quiet_since is not None and not scheduler.run_finished
        scheduler.quiet_since -= 3600
        assert closes(scheduler) and scheduler.run_finished

        # A dead worker's lease is work: reclaimed into the queue, so nobody closes.
        scheduler.quiet_since, scheduler.run_finished = None, False
        client.zadd(keys.queue, {b"orphan": -20})
        assert leases.pop(other) == b"orphan"
        client.delete(keys.alive(other))
        assert not closes(scheduler)
        assert client.zrange(keys.queue, 0, -1) == [b"orphan"]
        assert scheduler.quiet_since is None
    finally:
        scheduler.close("finished")
    assert not client.exists(keys.alive(scheduler.worker), keys.busy(scheduler.worker))


def test_closing_on_quiescence_ends_the_run_and_keeps_its_seen_set(run):
    client, keys, leases = run
    scheduler = scheduler_for(keys.prefix, grace=0)
    assert scheduler.enqueue_request(scrapy.Request("http://127.0.0.1:1/a"))
    assert not scheduler.enqueue_request(scrapy.Request("http://127.0.0.1:1/a"))   # the run's seen set
    assert scheduler.next_request().url == "http://127.0.0.1:1/a"
    assert client.hlen(keys.lease(scheduler.worker)) == 1
    scheduler._ack_done()                          # the (idle) engine is done with it
    assert client.hlen(keys.lease(scheduler.worker)) == 0
    assert closes(scheduler)
    scheduler.close("finished")
    assert client.hget(keys.meta, "finished") is not None
    assert client.scard(keys.seen) == 1 and 0 < client.ttl(keys.seen) <= 7 * 86400
    assert client.smembers(keys.workers) == set()


def test_site_budget_spaces_every_workers_requests_by_the_interval(redis_prefix):
    client, prefix = redis_prefix
    other = type(client).from_url(REDIS_URL)
    budgets = [SiteBudget(client, prefix, rate=0.1), SiteBudget(other, prefix, rate=0.1)]
    starts = [budgets[i % 2].reserve_at("news.example")[0] for i in range(4)]
    assert [b - a for a, b in zip(starts, starts[1:])] == [10_000_000] * 3
    assert SiteBudget(client, prefix, rate=0.1).reserve_at("other.example")[0] < starts[1]
    other.close()


class Crawler:
    """Stands for a crawler: RunState registers itself under it."""


def test_run_state_is_the_first_workers_and_skips_the_runs_own_crawls(run, tmp_path):
    client, keys, leases = run
    config = types.SimpleNamespace(run="unit")
    state = RunState(Crawler(), client, keys, config, print, "host:1:unit")
    archive = Archive(tmp_path / "a.db")
    try:
        archive.upsert(make_article())
        assert state.stored_before(archive) == 1
        archive.upsert(make_article(url="https://www.example.com/news/story-1002.html",
                                    canonical_url="https://www.example.com/news/story-1002.html",
                                    article_id="1002"))
        assert state.stored_before(archive) == 1   # a later worker of the run gets the first one's

        older = archive.start_crawl("site", {"run": "before"})
        archive.finish_crawl(older, status="finished")
        killed = archive.start_crawl("site", {"run": "before"})   # never finished: SIGKILLed
        mine = [archive.start_crawl("site", {"run": "unit"}) for _ in range(2)]
        previous = state.previous_crawl(archive, "site", mine[1])
        assert previous["id"] == killed and previous["status"] == "finished"   # its run finished
        failed = archive.start_crawl("site", {"run": "unit"})   # this run's worker that lost Redis
        archive.finish_crawl(failed, status="failed")
        assert state.previous_crawl(archive, "site", failed + 1)["id"] == failed
        lone = archive.start_crawl("site", {})
        archive.finish_crawl(lone, status="interrupted")
        assert state.previous_crawl(archive, "site", lone + 1)["status"] == "interrupted"

        state.excursions["http://x/1"] = None
        assert "http://x/1" in state.excursions and "http://x/2" not in state.excursions
        state.excursions["http://x/1"] = {"kind": "article", "section": "world"}
        assert state.excursions.pop("http://x/1") == {"kind": "article", "section": "world"}
        assert state.excursions.pop("http://x/1") is None and state.excursions.pop(None, 5) == 5
        state.streaks["world"] = state.streaks.get("world", 0) + 1
        assert state.streaks["world"] == 1 and state.streaks.get("business", 0) == 0
        state.streaks.bump("world")
        state.streaks.bump("business")
        assert (state.streaks["world"], state.streaks["business"]) == (2, 1)
        state.streaks.reset("world")
        assert (state.streaks["world"], state.streaks["business"]) == (0, 1)

        assert state.excursions.claim("http://x/3") and not state.excursions.claim("http://x/3")
        state.excursions.mark_listed("http://x/3", {"section": "world"})
        state.excursions.mark_listed("http://x/4", {"section": "world"})   # not queued: nothing kept
        assert "http://x/4" not in state.excursions
        assert state.excursions.pop("http://x/3") == {"section": "world"}
    finally:
        archive.close()


def test_two_workers_requests_to_one_site_wait_in_one_line(run, monkeypatch):
    """Two workers' budget middlewares: each request waits one interval more than the one before."""
    import asyncio

    from newscrawl.frontier import politeness

    client, keys, leases = run
    waits = []

    async def no_sleep(seconds):
        waits.append(seconds)

    monkeypatch.setattr(politeness.asyncio, "sleep", no_sleep)
    config = types.SimpleNamespace(run="unit", prefix=keys.prefix, site_rate=0.1)
    workers = []
    for _ in range(2):
        crawler = get_crawler(Spider)
        RunState(crawler, client, keys, config, print, "host:1:unit")
        middleware = politeness.SiteBudgetMiddleware(crawler)
        middleware.spider_opened(None)
        workers.append(middleware)
    for i in range(4):
        asyncio.run(workers[i % 2].process_request(scrapy.Request(f"http://news.example/{i}")))
    # 10 s apart (the tolerance is for the test's own time between reservations, well under 1 s)
    assert len(waits) == 3 and all(k * 10 - 1 < wait <= k * 10 for k, wait in enumerate(waits, 1)), waits


def test_the_run_filter_answers_from_memory_what_it_knows_is_in_the_seen_set(run):
    from scrapy.utils.request import RequestFingerprinter

    from newscrawl.frontier.dupefilter import RunDupeFilter

    client, keys, leases = run
    mine, other = (RunDupeFilter(client, keys.seen, RequestFingerprinter()) for _ in range(2))
    page = scrapy.Request("http://news.example/a")
    assert not mine.surely_seen(page)              # never asked: unknown, so the archive is asked
    assert not mine.request_seen(page)             # first: scheduled
    assert mine.surely_seen(page) and mine.request_seen(page)   # known now, without Redis
    assert other.request_seen(page) and other.surely_seen(page)  # another worker's copy drops
    assert not mine.surely_seen(page.replace(dont_filter=True))
    client.delete(keys.seen)
    assert mine.request_seen(page)                 # the memo answers: the set only grows in a run
    assert not other.request_seen(scrapy.Request("http://news.example/b"))
    mine.MEMO_SIZE = 1
    mine.request_seen(scrapy.Request("http://news.example/c"))
    assert len(mine.memo) == 1                     # emptied when full
