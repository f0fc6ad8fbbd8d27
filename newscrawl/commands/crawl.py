"""`scrapy crawl` that checks spider arguments before anything starts.

A bad `-a` argument then ends as a one-line usage error (exit 2) instead of a traceback from
inside the crawler.
"""

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from ..spiders.arguments import ArgumentError


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) == 1 and self.crawler_process:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                spidercls = None  # Scrapy's own message for an unknown spider follows
            parse_arguments = getattr(spidercls, "parse_arguments", None)
            if parse_arguments is not None:
                try:
                    parse_arguments(**opts.spargs)
                except ArgumentError as error:
                    raise UsageError(str(error), print_help=False) from None
        super().run(args, opts)
