"""Save articles to the archive (SQLite or PostgreSQL) and record the run in its `crawls` table."""

import logging
import os
import socket
import weakref
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals
from twisted.internet import task
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from ..report import crawl_counts, crawl_status
from ..storage import ArchiveContract, ArchiveLost, is_postgres_url, open_archive


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


def this_process() -> dict:
    """Who runs a crawl, kept in its `crawls` args: a later run can tell a killed one (SIGKILL,
    power cut: nobody left to finish its row) from one still running."""
    return {"_pid": str(os.getpid()), "_host": socket.gethostname()}


def _process_alive(run: dict) -> bool:
    """Is the process of a 'running' row alive? True when it cannot be told (another host, a row
    written before pids were kept): such rows are left as they are."""
    args = run.get("args") or {}
    pid, host = args.get("_pid"), args.get("_host")
    if not (pid and str(pid).isdigit()) or host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, as another user's process
        return True
    return True


def mark_runs_whose_process_is_gone(archive: ArchiveContract, spider: str, crawl_id: int) -> int:
    """Mark the spider's earlier 'running' rows whose process is gone `interrupted`; their count."""
    marked, before = 0, crawl_id
    while (run := archive.previous_crawl(spider, before)) is not None:
        before = run["id"]
        if run["status"] == "running" and not _process_alive(run):
            archive.finish_crawl(run["id"], status="interrupted", finish_reason="process_gone")
            marked += 1
    return marked


def mark_run_workers_whose_process_is_gone(archive: ArchiveContract, spider: str, run: str,
                                           crawl_id: int) -> int:
    """Mark the 'running' crawls of this shared run whose process is gone (a SIGKILLed worker)
    `interrupted`, so the run can end with its last live worker; their count. Looks at the
    spider's crawls after this one and at the run's own crawls just before it."""
    marked, before = 0, None
    while (row := archive.previous_crawl(spider, before)) is not None:
        before = row["id"]
        same_run = (row.get("args") or {}).get("run") == run
        if row["id"] < crawl_id and not same_run:
            break   # the run's earlier workers started just before this one
        if same_run and row["id"] != crawl_id and row["status"] == "running" and not _process_alive(row):
            archive.finish_crawl(row["id"], status="interrupted", finish_reason="process_gone")
            marked += 1
    return marked


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
        self.crawl_id = self.archive.start_crawl(spider.name, {**arguments, **this_process()},
                                                 job_id=arguments.get("job_id"))
        self.stats.set_value("archive/crawl_id", self.crawl_id)
        stale = mark_runs_whose_process_is_gone(self.archive, spider.name, self.crawl_id)
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
                gone = mark_run_workers_whose_process_is_gone(self.archive, spider.name, run, self.crawl_id)
                if gone:
                    self.stats.set_value("archive/run_workers_marked_interrupted", gone)
            if self.crawl_id is not None:
                self.archive.finish_crawl(self.crawl_id, status=crawl_status(stats, reason),
                                          finish_reason=reason, counts=crawl_counts(stats), stats=stats)
        except ArchiveLost as error:  # the row stays 'running'; a later run marks it interrupted
            logger.error("%s: crawl %s not recorded as finished", error, self.crawl_id)
        finally:
            self.archive.close()
            self.archive = None
