"""Scrapy settings for newscrawl. Override per run with `-s NAME=VALUE`."""

import os

from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# The archive: a SQLite file (relative paths are relative to the directory the crawl runs in)
# or a postgresql:// URL; the environment's NEWSCRAWL_DB, when set, is the default.
NEWSCRAWL_DB = os.environ.get("NEWSCRAWL_DB") or "data/newscrawl.db"
NEWSCRAWL_DB_BATCH_SIZE = 100

# Politeness for live sites; a spider crawling a local copy (-a base_url=http://127.0.0.1:…)
# turns the delays off for itself.
USER_AGENT = "newscrawl/0.1 (news archive crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
# Scrapy starts one task per item slot for every response; news pages yield a handful.
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Forgets stored articles' requests: the seen-store answers for them (newscrawl/dupefilter.py).
DUPEFILTER_CLASS = "newscrawl.dupefilter.StoredAwareDupeFilter"
SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.ReleaseResponseMiddleware": 10,   # outermost: sees the output last
    "newscrawl.middlewares.IncrementalMiddleware": 950,
    "newscrawl.middlewares.ExtractionContextMiddleware": 960,   # innermost: meta in before the callback
}
ITEM_PIPELINES = {
    "newscrawl.pipelines.validate.ValidationPipeline": 100,
    "newscrawl.health.schema.ArticleSchemaPipeline": 150,   # spidermon: the Article's JSON schema
    "newscrawl.pipelines.dedupe.DedupePipeline": 200,
    # Stores each article (StoragePipeline) and links it to its story across sites and runs.
    "newscrawl.pipelines.syndication.SyndicationPipeline": 300,
}
# Feeds (-o FILE) get only the first copy of each story; the archive keeps every copy.
NEWSCRAWL_FIRST_COPY_ONLY = False
# -s NEWSCRAWL_FRONTIER=redis://…  -a run=R: workers share one frontier (docs/scale-out.md).
ADDONS = {"newscrawl.frontier.addon.FrontierAddon": 0}
EXTENSIONS = {
    "newscrawl.report.CrawlSummary": 500,
    "newscrawl.progress.CrawlProgress": 510,
    # Crawl health (README, "Crawl health"): coverage and history alarms first, then spidermon's suites.
    "newscrawl.health.coverage.HealthExtension": 490,
    "spidermon.contrib.scrapy.extensions.Spidermon": 495,
}
# A progress line in the crawl log every N seconds (0: none); a bar on a terminal's stderr.
NEWSCRAWL_PROGRESS_INTERVAL = 60
NEWSCRAWL_PROGRESS_BAR = True
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("newscrawl.health.monitors.CloseSuite",)
SPIDERMON_PERIODIC_MONITORS = {"newscrawl.health.monitors.PeriodicSuite": 300}   # seconds
SPIDERMON_VALIDATION_SCHEMAS = ["newscrawl.health.schema.ARTICLE_SCHEMA"]
SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS = True
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
NEWSCRAWL_HEALTH_HISTORY = 5          # finished crawls of the site each crawl is compared with

# Rendering (profiles with `render`, e.g. wam) installs scrapy-playwright for that crawl only (the
# `news` spider: newscrawl.render_on_demand, which starts it at the first page drawn by script);
# never list its DOWNLOAD_HANDLERS here (they cost every crawl ~0.8 s and hang `scrapy shell`).
# NEWSCRAWL_CHROMIUM = None  # Chromium to use; default: Playwright's own, else the system's

# Hostile sites (see newscrawl/resilience.py): every request judged by its host (also retries
# and redirects), Retry-After honoured, mislabelled charsets repaired, size limits that also
# stop decompression bombs, redirect loops cut at their first repeat.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawl.resilience.OnSiteMiddleware": 50,
    "newscrawl.resilience.RetryAfterMiddleware": 560,      # sees the answer just before Scrapy's retry (550)
    "newscrawl.resilience.CharsetRepairMiddleware": 585,   # after decompression, before meta refresh (580)
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.resilience.SizeLimitMiddleware": 590,
    "newscrawl.resilience.ContentTypeMiddleware": 595,     # 2xx that is not a page: skipped, counted
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newscrawl.resilience.RedirectLoopMiddleware": 600,
}
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024   # news HTML is far smaller; also caps decompressed size (bombs)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True      # a truncated article must not be stored as if complete
REDIRECT_MAX_TIMES = 10               # real chains are 3-4 hops; Scrapy's 20 feeds traps
# A page that keeps failing is counted (fetch_errors/*) and summarized; it is not a crawl failure.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
NEWSCRAWL_RETRY_AFTER_MAX = 60        # seconds; a longer Retry-After gives the page up now
LOG_FORMATTER = "newscrawl.logformatter.NewscrawlLogFormatter"
LOG_LEVEL = "INFO"

# Feeds (-o/-O FILE.csv|json|jsonl): one column order everywhere, lists readable in CSV.
FEED_EXPORT_FIELDS = ARTICLE_FIELDS
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "csv": "newscrawl.export.ArticleCsvItemExporter",
    "json": "newscrawl.export.ArticleJsonItemExporter",
    "jsonlines": "newscrawl.export.ArticleJsonLinesItemExporter",
    "jsonl": "newscrawl.export.ArticleJsonLinesItemExporter",
}
