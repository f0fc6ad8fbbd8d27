"""`scrapy shell` as Scrapy has it, except that:

- it records no run in the archive's `crawls` table: a look at one page is not a crawl (a
  "finished" row would also clear the frontier of earlier runs, a "running" one make the next
  crawl page everything);
- it takes the spider's `-a name=value` arguments, as `scrapy crawl` does; and a URL given to a
  profile's spider off the profile's hosts is taken as a local copy's (`-a base_url=` its origin),
  since the spider would otherwise refuse the request as off-site and the shell wait for ever.
"""

from urllib.parse import urlsplit

from scrapy.commands.shell import Command as ScrapyShellCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from ..normalize.urls import same_site
from ..spiders.arguments import ArgumentError


def shell_arguments(spidercls, url, given):
    """The -a arguments for the shell's spider: those given, plus the URL as the generic spider's
    start or as a profile spider's local copy."""
    arguments = dict(given)
    if not url or not hasattr(spidercls, "parse_arguments"):
        return arguments
    parts = urlsplit(url)
    profile = getattr(spidercls, "profile", None)
    if profile is None:
        arguments.setdefault("url", url)
    elif "base_url" not in arguments and parts.hostname and not same_site(url, profile.hosts):
        arguments["base_url"] = f"{parts.scheme}://{parts.netloc}"
    return arguments


class Command(ScrapyShellCommand):
    default_settings = {**ScrapyShellCommand.default_settings, "NEWSCRAWL_RECORD_CRAWL": False}

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="set spider argument (may be repeated)")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None

    def run(self, args, opts):
        url = args[0] if args else None
        process = self.crawler_process
        make_crawler = process._create_crawler

        def crawler_with_arguments(spidercls):
            crawler = make_crawler(spidercls)
            arguments = shell_arguments(spidercls, url, opts.spargs)
            parse_arguments = getattr(spidercls, "parse_arguments", None)
            if parse_arguments is not None:
                try:
                    parse_arguments(**arguments)
                except ArgumentError as error:
                    raise UsageError(str(error), print_help=False) from None
            make_spider = crawler._create_spider
            crawler._create_spider = lambda *a, **kw: make_spider(*a, **{**arguments, **kw})
            return crawler

        process._create_crawler = crawler_with_arguments
        super().run(args, opts)
