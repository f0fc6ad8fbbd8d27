"""Scrapy settings for newscrawl. Override per run with `-s NAME=VALUE`."""

from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# The archive. Relative paths are relative to the directory the crawl runs in.
NEWSCRAWL_DB = "data/newscrawl.db"
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
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.IncrementalMiddleware": 950,
}
ITEM_PIPELINES = {
    "newscrawl.pipelines.validate.ValidationPipeline": 100,
    "newscrawl.pipelines.dedupe.DedupePipeline": 200,
    "newscrawl.pipelines.store.StoragePipeline": 300,
}
EXTENSIONS = {
    "newscrawl.report.CrawlSummary": 500,
}
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
