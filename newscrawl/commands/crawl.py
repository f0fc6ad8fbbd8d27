"""`scrapy crawl` that checks its spider, spider arguments and archive before anything starts.

A bad `-a` argument, an unknown spider or an unusable archive (a directory that does not exist,
a directory, a read-only, corrupt or foreign file, a newer schema) then ends as a one-line
usage error (exit 2) instead of a traceback from inside the crawler.
"""

from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from ..pipelines.store import CRAWL_DIRECTORY
from ..storage import Archive, ArchiveError
from ..spiders.arguments import ArgumentError


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) == 1 and self.crawler_process:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                raise UsageError(f"unknown spider {args[0]!r}; `scrapy list` names them",
                                 print_help=False) from None
            parse_arguments = getattr(spidercls, "parse_arguments", None)
            if parse_arguments is not None:
                try:
                    parse_arguments(**opts.spargs)
                except ArgumentError as error:
                    raise UsageError(str(error), print_help=False) from None
            db = self.settings.get("NEWSCRAWL_DB")
            if db and Path(db).parent != CRAWL_DIRECTORY and not Path(db).parent.is_dir():
                raise UsageError(f"-s NEWSCRAWL_DB={db}: no such directory {str(Path(db).parent)!r}",
                                 print_help=False)
            if db:
                _check_archive(db)
        super().run(args, opts)


def _check_archive(db):
    """Open (create, migrate) the archive as the crawl will, so its problems show before the
    crawl starts: inside it, a failure to open it is a traceback and `scrapy crawl` exits 0/1."""
    if Path(db).parent == CRAWL_DIRECTORY:
        CRAWL_DIRECTORY.mkdir(exist_ok=True)
    try:
        Archive(db).close()
    except ArchiveError as error:
        raise UsageError(f"-s NEWSCRAWL_DB={db}: {error}", print_help=False) from None
