"""`scrapy parse` as Scrapy has it, except that it records no run in the archive's `crawls` table:
a look at one page is not a crawl (a "finished" row would also clear the frontier of earlier runs)."""

from scrapy.commands.parse import Command as ScrapyParseCommand


class Command(ScrapyParseCommand):
    default_settings = {**ScrapyParseCommand.default_settings, "NEWSCRAWL_RECORD_CRAWL": False}
