"""Save articles to the archive (SQLite or PostgreSQL) and record the run in its `crawls` table."""

import logging
import weakref
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals
from twisted.internet import task
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from ..report import crawl_counts, crawl_status
from ..frontier.state import frontier_of
from ..storage import ArchiveContract, ArchiveLost, is_postgres_url, open_archive
from .liveness import mark_run_workers_whose_process_is_gone, mark_runs_whose_process_is_gone, this_process


logger = logging.getLogger(__name__)
_ARCHIVES = weakref.WeakKeyDictionary()
# data/ (the default archive's, relative to where the crawl runs) is made for an archive in it:
# a fresh directory, scrapyd's too, has none. Any other directory must exist: a typo in
# -s NEWSCRAWL_DB must not create a tree.
CRAWL_DIRECTORY = Path("data/newscrawl.db").parent


def crawl_archive(crawler) -> ArchiveContract:
    """The crawl's one writing connection to the archive, shared by the components that write
    (pipelines, the seen-store's frontier): two connections of one process would wait on each
    other's write lock."""
    archive = _ARCHIVES.get(crawler)
    if archive is None or archive.closed:
        path = crawler.settings.get("NEWSCRAWL_DB")
        if not is_postgres_url(path) and Path(path).parent == CRAWL_DIRECTORY:
            CRAWL_DIRECTORY.mkdir(exist_ok=True)
        archive = _ARCHIVES[crawler] = open_archive(
            path, batch_size=crawler.settings.getint("NEWSCRAWL_DB_BATCH_SIZE", 100))
        archive.on_lost = lambda error: stop_on_lost_archive(crawler, error)
    return archive


def stop_on_lost_archive(crawler, error) -> None:
    """The database stayed away through every retry (whichever component met it): stop this
    worker once; the next run fetches what this one could not store."""
    if not crawler.stats.get_value("archive/lost"):
        logger.error("%s; stopping the crawl", error)
        crawler.stats.set_value("archive/lost", 1)
        engine = getattr(crawler, "engine", None)
        if engine is not None and getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="archive_lost"))


def record_on_a_new_connection(path, crawl_id, status, reason, counts, stats) -> bool:
    """A server back after the retries gave up (a restart, a long blip): one more try, on a new
    connection, to record how the crawl ended (archive_lost: failed). Otherwise the row stays
    'running' and a later run marks it interrupted. Whether it was recorded."""
    try:
        with open_archive(path, retries=0, connect_timeout=3) as archive:
            archive.finish_crawl(crawl_id, status=status, finish_reason=reason, counts=counts, stats=stats)
    except Exception as error:  # noqa: BLE001 — whatever keeps it away, the crawl is over anyway
        logger.error("Crawl %s left 'running' (a later run marks it interrupted): %s", crawl_id,
                     str(error).splitlines()[0] if str(error) else type(error).__name__)
        return False
    logger.info("Crawl %s recorded as %s on a new connection", crawl_id, status)
    return True


def is_incremental(crawler) -> bool:
    """An incremental run of a newscrawl spider (not `-a refresh=1`): the archive answers for every
    article stored so far, this run's included, so components need not remember them."""
    args = getattr(crawler.spider, "args", None)
    return args is not None and not getattr(args, "refresh", True)


class StoragePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = crawler.settings.get("NEWSCRAWL_DB")
        self.archive = None
        self.crawl_id = None
        self.flusher = None
        self.frontier = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run's row is finished on spider_closed, once the final stats (reason, errors) exist.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        self.archive = crawl_archive(self.crawler)
        args = getattr(spider, "args", None)
        # Flusher first: articles are written (scrapy parse --pipelines) even when no run is recorded.
        self.flusher = task.LoopingCall(self.flush)
        self.flusher.start(self.archive.max_transaction_s / 2, now=False)
        if args is None or not self.crawler.settings.getbool("NEWSCRAWL_RECORD_CRAWL", True):
            # `scrapy shell` (its default spider), `scrapy parse`: no crawl, so no `crawls` row
            # that nobody would finish.
            return
        arguments = {k: (str(v) if v is not None else None) for k, v in vars(args).items()}
        # The scheduler opened first: a shared run's worker id lets any host tell it is gone.
        self.frontier = frontier_of(self.crawler)
        worker = {"_worker": self.frontier.worker} if self.frontier is not None else {}
        self.crawl_id = self.archive.start_crawl(spider.name, {**arguments, **this_process(), **worker},
                                                 job_id=arguments.get("job_id"))
        self.stats.set_value("archive/crawl_id", self.crawl_id)
        stale = mark_runs_whose_process_is_gone(self.archive, spider.name, self.crawl_id, self.frontier)
        if stale:
            self.stats.set_value("archive/stale_runs_marked_interrupted", stale)
            logger.info("Archive: %d earlier %s run(s) left 'running' by a killed process marked interrupted",
                        stale, spider.name)
        logger.info("Archive: %s (crawl %d)", self.path, self.crawl_id)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        try:
            outcome = self.archive.upsert(dict(adapter.items()))   # asdict() would walk every value
        except self.archive.conflict_errors as error:
            # Its URL names one stored article and its site id another: keep both rows as they are.
            self.stats.inc_value("dropped/conflicting_keys")
            raise DropItem(f"conflicting_keys: {adapter.get('url')} ({error})") from None
        except ArchiveLost as error:
            self.stop_on_lost_archive(error)
            raise DropItem(f"archive_lost: {adapter.get('url')}") from None
        self.stats.inc_value(f"archive/{outcome}")
        self.stats.inc_value(f"archive/section/{adapter.get('section') or 'none'}/{outcome}")
        return item

    def flush(self):
        try:
            self.archive.commit_if_older()
        except ArchiveLost as error:
            self.stop_on_lost_archive(error)

    def stop_on_lost_archive(self, error):
        stop_on_lost_archive(self.crawler, error)

    def close_spider(self):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        try:
            self.archive.commit()
        except ArchiveLost as error:
            self.stop_on_lost_archive(error)

    def spider_closed(self, spider, reason):
        if self.archive is None:
            return
        stats = self.stats.get_stats()
        run = getattr(getattr(spider, "args", None), "run", None)
        try:
            if self.crawl_id is not None and run:
                gone = mark_run_workers_whose_process_is_gone(self.archive, spider.name, run, self.crawl_id,
                                                              self.frontier)
                if gone:
                    self.stats.set_value("archive/run_workers_marked_interrupted", gone)
            if self.crawl_id is not None:
                self.archive.finish_crawl(self.crawl_id, status=crawl_status(stats, reason),
                                          finish_reason=reason, counts=crawl_counts(stats), stats=stats)
        except ArchiveLost as error:
            logger.error("%s: crawl %s not recorded as finished", error, self.crawl_id)
            if self.crawl_id is not None:
                record_on_a_new_connection(self.path, self.crawl_id, crawl_status(stats, reason), reason,
                                           crawl_counts(stats), stats)
        finally:
            self.archive.close()
            self.archive = None
