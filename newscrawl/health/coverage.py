"""HealthExtension: a crawl's coverage per field and section, compared with the site's history.

While the crawl runs it counts, per stored article, where each profiled field came from
(`health/field/<name>/<profile|generic|none>`); the spider counts listings per section
(`health/section/<slug>/listings|empty_listings|links`). When the spider closes it builds the
coverage dict (history.py), stores it in the crawl's row, compares it with the last
NEWSCRAWL_HEALTH_HISTORY finished crawls of the site and records the alarms (store.py, in a
SQLite or PostgreSQL archive alike) before spidermon's close suite (monitors.py) judges them:
this extension's order is below Spidermon's.
"""

import logging
import weakref

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..profiles.fallback import GENERIC, NONE, PROFILE
from ..report import crawl_counts
from ..storage import ArchiveLost, crawl_site
from . import store
from .history import Thresholds, evaluate

logger = logging.getLogger(__name__)
_EXTENSIONS = weakref.WeakKeyDictionary()   # crawler -> its HealthExtension, for the monitors
SOURCES = (PROFILE, GENERIC, NONE)


def health_of(crawler):
    return _EXTENSIONS.get(crawler)


def _share(part, whole):
    return round(part / whole, 4) if whole else 0.0


def build_coverage(stats: dict, site: str, kind: str) -> dict:
    """The coverage dict of a crawl (history.py) from its stats."""
    profiled = stats.get("health/articles", 0)
    fields, sections = {}, {}
    for key, n in stats.items():
        if key.startswith("health/field/"):
            name, source = key[len("health/field/"):].rsplit("/", 1)
            fields.setdefault(name, dict.fromkeys(SOURCES, 0))[source] = n
        elif key.startswith("health/section/"):
            section, what = key[len("health/section/"):].rsplit("/", 1)
            sections.setdefault(section, {"listings": 0, "empty_listings": 0, "links": 0})[what] = n
    counts = crawl_counts(stats)
    dropped = sum(n for reason, n in counts["dropped"].items() if reason != "duplicate")
    parsed = stats.get("article/parsed", 0)
    return {
        "site": site, "kind": kind,
        "articles": counts["new"] + counts["updated"] + counts["unchanged"],
        "parsed": parsed, "dropped": dropped, "drop_rate": _share(dropped, parsed),
        "profiled": profiled,
        "all_profile": _share(stats.get("health/all_profile", 0), profiled),
        "fields": {name: {"profile": _share(n[PROFILE], profiled), "fallback": _share(n[GENERIC], profiled),
                          "filled": _share(n[PROFILE] + n[GENERIC], profiled)}
                   for name, n in sorted(fields.items())},
        "sections": dict(sorted(sections.items())),
    }


class HealthExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.history_size = settings.getint("NEWSCRAWL_HEALTH_HISTORY", 5)
        self.thresholds = Thresholds(
            field_drop=settings.getfloat("NEWSCRAWL_HEALTH_FIELD_DROP", Thresholds.field_drop),
            count_ratio=settings.getfloat("NEWSCRAWL_HEALTH_COUNT_RATIO", Thresholds.count_ratio),
            drop_rate_rise=settings.getfloat("NEWSCRAWL_HEALTH_DROP_RATE_RISE", Thresholds.drop_rate_rise),
            min_articles=settings.getint("NEWSCRAWL_HEALTH_MIN_ARTICLES", Thresholds.min_articles))
        self.history = []       # the site's earlier coverage, read when the spider opens
        self.alarms = []
        # (archive, crawl id, site, kind) of a recorded crawl, from when the spider opens: the
        # archive held, not asked for again (one lost mid-crawl would be opened anew).
        self.recorded = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_HEALTH_ENABLED", True):
            raise NotConfigured
        extension = _EXTENSIONS[crawler] = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item):
        sources = item.get("field_sources")
        if not sources:
            return
        inc = self.stats.inc_value
        inc("health/articles")
        for name, source in sources.items():
            inc(f"health/field/{name}/{source}")
        if all(source == PROFILE for source in sources.values()):
            inc("health/all_profile")

    def _crawl(self):
        """(archive, crawl id, site, kind) of a recorded crawl, else None (scrapy parse, shell)."""
        from ..pipelines.store import crawl_archive

        spider = self.crawler.spider
        crawl_id = self.stats.get_value("archive/crawl_id")
        args = getattr(spider, "args", None)
        if crawl_id is None or args is None:
            return None
        archive = crawl_archive(self.crawler)
        site = crawl_site(spider.name, {k: (str(v) if v is not None else None) for k, v in vars(args).items()})
        return archive, crawl_id, site, "incremental" if not args.refresh else "refresh"

    def spider_opened(self, spider):
        self.recorded = self._crawl()
        if self.recorded:
            archive, crawl_id, site, _ = self.recorded
            try:
                self.history = store.history(archive, site, crawl_id, self.history_size)
            except ArchiveLost:   # the archive stops the crawl (crawl_archive's on_lost)
                self.history = []

    def coverage(self):
        """The crawl's coverage so far (the periodic monitors read it too)."""
        site, kind = self.recorded[2:] if self.recorded else (None, None)
        return build_coverage(self.stats.get_stats(), site, kind)

    def spider_closed(self, spider, reason):
        if self.recorded is None:
            return
        archive, crawl_id, site, _ = self.recorded
        coverage = self.coverage()
        self.alarms, evaluated = evaluate(coverage, self.history, self.thresholds)
        try:
            store.record(archive, crawl_id, site, coverage, self.alarms, evaluated)
        except ArchiveLost as error:   # the crawl's row stays 'running' too (StoragePipeline)
            logger.error("%s: crawl %s's health not recorded", error, crawl_id)
        self.stats.set_value("health/alerts", len(self.alarms))
        for alarm in self.alarms:
            self.stats.set_value(f"health/alert/{alarm.subject}", alarm.now)
            logger.warning("Health alert (%s): %s", site, alarm.describe())
