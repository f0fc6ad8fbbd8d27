"""Save articles to the SQLite archive and record the run in its `crawls` table."""

import logging
import sqlite3
import weakref
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals
from twisted.internet import task
from scrapy.exceptions import DropItem

from ..report import crawl_counts, crawl_status
from ..settings import NEWSCRAWL_DB as DEFAULT_DB
from ..storage import Archive

logger = logging.getLogger(__name__)
_ARCHIVES = weakref.WeakKeyDictionary()
# data/ (the default archive's, relative to where the crawl runs) is made for an archive in it:
# a fresh directory, scrapyd's too, has none. Any other directory must exist: a typo in
# -s NEWSCRAWL_DB must not create a tree.
CRAWL_DIRECTORY = Path(DEFAULT_DB).parent


def crawl_archive(crawler) -> Archive:
    """The crawl's one writing connection to the archive, shared by the components that write
    (pipelines, the seen-store's frontier): two connections of one process would wait on each
    other's write lock."""
    archive = _ARCHIVES.get(crawler)
    if archive is None or archive.closed:
        path = crawler.settings.get("NEWSCRAWL_DB")
        if Path(path).parent == CRAWL_DIRECTORY:
            CRAWL_DIRECTORY.mkdir(exist_ok=True)
        archive = _ARCHIVES[crawler] = Archive(
            path, batch_size=crawler.settings.getint("NEWSCRAWL_DB_BATCH_SIZE", 100))
    return archive


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
        arguments = {k: (str(v) if v is not None else None) for k, v in vars(args).items()} if args else {}
        self.crawl_id = self.archive.start_crawl(spider.name, arguments, job_id=arguments.get("job_id"))
        self.stats.set_value("archive/crawl_id", self.crawl_id)
        logger.info("Archive: %s (crawl %d)", self.path, self.crawl_id)
        # Commit a waiting batch between items too: other crawls share the file.
        self.flusher = task.LoopingCall(self.archive.commit_if_older)
        self.flusher.start(self.archive.max_transaction_s / 2, now=False)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        try:
            outcome = self.archive.upsert(dict(adapter.items()))   # asdict() would walk every value
        except sqlite3.IntegrityError as error:
            # Its URL names one stored article and its site id another: keep both rows as they are.
            self.stats.inc_value("dropped/conflicting_keys")
            raise DropItem(f"conflicting_keys: {adapter.get('url')} ({error})") from None
        self.stats.inc_value(f"archive/{outcome}")
        self.stats.inc_value(f"archive/section/{adapter.get('section') or 'none'}/{outcome}")
        return item

    def close_spider(self):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        self.archive.commit()

    def spider_closed(self, spider, reason):
        if self.archive is None:
            return
        stats = self.stats.get_stats()
        try:
            self.archive.finish_crawl(self.crawl_id, status=crawl_status(stats, reason),
                                      finish_reason=reason, counts=crawl_counts(stats), stats=stats)
        finally:
            self.archive.close()
            self.archive = None
