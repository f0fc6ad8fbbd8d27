"""`scrapy shell` as Scrapy has it, except that it records no run in the archive's `crawls` table:
a look at one page is not a crawl (a "finished" row would also clear the frontier of earlier runs)."""

from scrapy.commands.shell import Command as ScrapyShellCommand


class Command(ScrapyShellCommand):
    default_settings = {**ScrapyShellCommand.default_settings, "NEWSCRAWL_RECORD_CRAWL": False}
