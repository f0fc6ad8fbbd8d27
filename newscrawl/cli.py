"""The `newscrawl` command: offline extraction, the demo site, and reading the archive."""

import argparse
import gzip
import json
import sys
from pathlib import Path

from .items import ARTICLE_FIELDS


def _read_page(path):
    data = Path(path).read_bytes()
    return gzip.decompress(data) if path.endswith(".gz") or data[:2] == b"\x1f\x8b" else data


def extract_page(path, url=None, site=None):
    """The Article dict (ARTICLE_FIELDS order) a crawl would store for a saved page."""
    from scrapy.http import HtmlResponse

    from .extract.article import extract_article
    from .profiles import get_profile, profile_for_url

    body = _read_page(path)
    if not url:
        # No URL given: the page's own canonical link says where it came from.
        url = HtmlResponse("file:///page.html", body=body).xpath('//link[@rel="canonical"]/@href').get()
        if not url:
            raise ValueError(f"{path}: the page has no canonical link; pass its URL")
    profile = get_profile(site) if site else profile_for_url(url)
    response = HtmlResponse(url, body=body, encoding=profile.encoding if profile else None)
    article = dict(extract_article(response, profile))
    return {name: article.get(name) for name in ARTICLE_FIELDS}


def cmd_extract(args):
    if args.batch:
        return _extract_batch(args.batch, args.site)
    if not args.page:
        sys.exit("newscrawl extract: give a PAGE or --batch LIST.jsonl")
    try:
        article = extract_page(args.page, args.url, args.site)
    except ValueError as error:
        sys.exit(f"newscrawl extract: {error}")
    print(json.dumps(article, ensure_ascii=False, indent=2))


def _extract_batch(listing, site):
    """Lines {"id", "page", "url"} in; one {"id", ...Article} line out each, errors included."""
    base = Path(listing).resolve().parent
    with open(listing, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            task = json.loads(line)
            page = Path(task["page"])
            page = page if page.is_absolute() else base / page
            try:
                result = {"id": task.get("id"), **extract_page(str(page), task.get("url"), site)}
            except Exception as error:  # one bad page must not end a corpus run
                result = {"id": task.get("id"), "error": f"{type(error).__name__}: {error}"}
                print(f"newscrawl extract: line {number}: {result['error']}", file=sys.stderr)
            print(json.dumps(result, ensure_ascii=False), flush=True)


def cmd_normalize(args):
    """One JSON object (or null) per input line: what the loaders make of a site's strings."""
    from dataclasses import asdict

    from .normalize.bylines import parse_byline
    from .normalize.dates import is_relative, parse_datetime
    from .normalize.datelines import parse_dateline
    from .profiles import get_profile

    profile = get_profile(args.site) if args.site else None
    if args.tz:
        from zoneinfo import ZoneInfo

        ZoneInfo(args.tz)  # an unknown zone fails here, before any input is read
    date_options = {
        "tz": args.tz or (profile.timezone if profile else "UTC"),
        "languages": tuple(args.languages.split(",")) if args.languages else
        (profile.languages if profile else ("en",)),
        "formats": profile.date_formats if profile else (),
        "relative_base": args.base,
    }

    def date(text):
        value = parse_datetime(text, **date_options)
        if value is None:
            return None
        return {"value": value, "precision": "day" if len(value) == 10 else "second",
                "relative": is_relative(text)}

    def dateline(text):
        parsed = parse_dateline(text)
        if parsed is None:
            return None
        result = {k: v for k, v in asdict(parsed).items() if k != "rest_offset"}
        result["rest"] = text[parsed.rest_offset:]
        return result

    def byline(text):
        parsed = parse_byline(text)
        result = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(parsed).items()}
        result["published_at"] = parse_datetime(parsed.date_text or parsed.relative_text, **date_options)
        return result

    parse = {"date": date, "dateline": dateline, "byline": byline}[args.kind]
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        print(json.dumps(parse(text), ensure_ascii=False), flush=args.flush)


def _iso_datetime(value):
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected an ISO 8601 time such as 2023-07-29T16:00:00Z")
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r}: give its UTC offset, e.g. 2023-07-29T21:00:00+05:00")
    return parsed


def cmd_serve_demo(args):
    from .demo.server import serve

    serve(site=args.site, host=args.host, port=args.port)


def cmd_export(args):
    from .export import write_articles
    from .storage import Archive

    archive = Archive.open_readonly(args.db)
    rows = archive.iter_articles(site=args.site, since=args.since)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = write_articles(rows, args.format, out)
        print(f"Exported {count} articles to {args.output}", file=sys.stderr)
    else:
        write_articles(rows, args.format, sys.stdout)
    archive.close()


def cmd_stats(args):
    from .storage import Archive

    archive = Archive.open_readonly(args.db)
    summary = archive.summary()
    archive.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    print(f"Archive {args.db}: {summary['articles']} articles (schema v{summary['schema_version']})")
    for site, n in summary["per_site"].items():
        print(f"  site {site}: {n}")
    for section, n in summary["per_section"].items():
        print(f"  section {section}: {n}")
    last = summary.get("last_crawl")
    if last:
        dropped = ", ".join(f"{k} {v}" for k, v in sorted((last.get("dropped") or {}).items())) or "none"
        print(f"Last crawl #{last['id']} ({last['spider']}, {last['status']}, "
              f"{last['started_at']} to {last['finished_at']}): {last['pages']} pages fetched; "
              f"articles {last['new']} new, {last['updated']} updated, {last['unchanged']} unchanged; "
              f"dropped: {dropped}; errors: {last['errors']}")


def _item_lines(path):
    """(number, text or value) of each item of a JSON lines file or a JSON array (a feed, an
    export, another crawler's output); a broken array ends the command before anything runs."""
    with open(path, encoding="utf-8") as source:
        text = source.read()
    if not text.lstrip().startswith("["):
        return [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    try:
        return list(enumerate(json.loads(text), 1))
    except ValueError as error:
        sys.exit(f"newscrawl import: {path} is not a JSON array of items: {error}")


def _read_items(path, lines, stats):
    """Article dicts; an item that is not a JSON object is reported and counted."""
    from .normalize.urls import canonical_url

    for number, row in lines:
        try:
            row = json.loads(row) if isinstance(row, str) else row
        except ValueError as error:
            row = error
        if not isinstance(row, dict):
            stats.inc_value("dropped/unreadable")
            print(f"newscrawl import: {path}: item {number} is not a JSON object", file=sys.stderr)
            continue
        article = {name: row[name] for name in ARTICLE_FIELDS if name in row}
        # story_id is the other archive's: this one assigns its own. An item without its
        # archive key gets the one a crawl would have given its URL.
        article.pop("story_id", None)
        if not article.get("canonical_url") and isinstance(article.get("url"), str):
            article["canonical_url"] = canonical_url(article["url"])
        yield article


def _spider_optional(method, spider, takes):
    """A pipeline method as a function of `takes` arguments: pipelines written for Scrapy 2.13+
    leave out the spider argument their methods used to end with."""
    import inspect

    if len(inspect.signature(method).parameters) > takes:
        return lambda *args: method(*args, spider)
    return method


def cmd_import(args):
    """Items from a file through the crawl's own pipelines (validation, dedupe, storage with
    story links), recorded in the archive as an "import" run."""
    from types import SimpleNamespace

    from scrapy import Spider, signals
    from scrapy.crawler import Crawler
    from scrapy.exceptions import DropItem
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import build_from_crawler, load_object

    from .items import Article
    from .report import crawl_counts

    if not Path(args.items).is_file():
        raise FileNotFoundError(f"no such file: {args.items}")
    lines = _item_lines(args.items)
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set("NEWSCRAWL_DB", args.db, priority="cmdline")
    settings.set("NEWSCRAWL_FIRST_COPY_ONLY", False, priority="cmdline")  # no feed to filter
    # A bare crawler: settings, signals and stats are all the pipelines use; no engine, no
    # extensions, no reactor.
    crawler = Crawler(type("ImportSpider", (Spider,), {"name": "import"}), settings)
    crawler.stats = MemoryStatsCollector(crawler)
    spider = crawler.spider = crawler.spidercls.from_crawler(crawler)
    spider.args = SimpleNamespace(file=str(Path(args.items).resolve()))
    pipelines = [build_from_crawler(load_object(path), crawler)
                 for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES"))]
    for pipeline in pipelines:
        if hasattr(pipeline, "open_spider"):
            _spider_optional(pipeline.open_spider, spider, 0)()
    steps = [_spider_optional(pipeline.process_item, spider, 1) for pipeline in pipelines]
    read, reason = 0, "failed"  # the import's row in `crawls` says whether it got through
    try:
        for row in _read_items(args.items, lines, crawler.stats):
            read += 1
            item = Article(row)
            try:
                for step in steps:
                    item = step(item)
            except DropItem:
                pass  # the pipeline counted it under its reason
        reason = "finished"
    finally:
        for pipeline in pipelines:
            if hasattr(pipeline, "close_spider"):
                _spider_optional(pipeline.close_spider, spider, 0)()
        crawler.signals.send_catch_log(signal=signals.spider_closed, spider=spider, reason=reason)
    stats = crawler.stats.get_stats()
    counts = crawl_counts(stats)
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(counts["dropped"].items())) or "none"
    print(f"Imported {args.items} into {args.db}: {read} items; articles {counts['new']} new, "
          f"{counts['updated']} updated, {counts['unchanged']} unchanged; dropped: {dropped}; "
          f"stories: {stats.get('syndication/new_story', 0)} new, "
          f"{stats.get('syndication/linked', 0)} copies linked to a story")


def cmd_stories(args):
    from .storage import Archive

    archive = Archive.open_readonly(args.db)
    try:
        stories = archive.iter_stories(site=args.site, since=args.since, min_copies=args.min_copies)
        if args.json:  # one array, streamed
            print("[", end="")
            for count, story in enumerate(stories):
                print(("," if count else "") + "\n" + json.dumps(story, ensure_ascii=False), end="")
            print("\n]")
            return
        count = 0
        for count, story in enumerate(stories, 1):
            copies = story["articles"]
            print(f"story {story['id']}  {story['agency'] or '-'}  {story['copies']} "
                  f"cop{'y' if story['copies'] == 1 else 'ies'}  {copies[0]['title'] if copies else ''}")
            for copy in copies:
                label = "first" if copy["id"] == story["first_article"] else "copy"
                print(f"  {label:<5}  {copy['published_at'] or '-':<25}  {copy['site'] or '-':<14}  "
                      f"{copy['canonical_url']}")
        print(f"{count} stories", file=sys.stderr)
    finally:
        archive.close()


def build_parser():
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the Article JSON a crawl would store for a saved page")
    extract.add_argument("page", nargs="?", help="a saved page, .html or .html.gz")
    extract.add_argument("--batch", metavar="LIST.jsonl",
                         help='lines {"id", "page", "url"} (page relative to the list); one JSON line out each')
    extract.add_argument("--url", help="the page's URL (default: its rel=canonical link)")
    extract.add_argument("--site", help="the site profile (default: picked from the URL)")
    extract.set_defaults(run=cmd_extract)

    normalize = commands.add_parser(
        "normalize", help="normalize dates, bylines or datelines read one per line from standard input")
    normalize.add_argument("kind", choices=("date", "byline", "dateline"))
    normalize.add_argument("--site", help="use the site profile's timezone, languages and date formats")
    normalize.add_argument("--base", type=_iso_datetime,
                           help="the time relative dates count back from (ISO 8601 with offset)")
    normalize.add_argument("--tz", help="IANA timezone of printed times (default: the site's, else UTC)")
    normalize.add_argument("--languages", help="comma-separated language codes (default: the site's, else en)")
    normalize.add_argument("--flush", action="store_true", help="flush after every line (for pipes)")
    normalize.set_defaults(run=cmd_normalize)

    serve = commands.add_parser("serve-demo", help="serve a bundled local copy of a site on 127.0.0.1")
    serve.add_argument("--site", default="urdupoint")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(run=cmd_serve_demo)

    export = commands.add_parser("export", help="write the archive's articles as CSV, JSON or JSON lines")
    export.add_argument("--db", required=True)
    export.add_argument("--format", choices=("csv", "json", "jsonl"), default="jsonl")
    export.add_argument("--site")
    export.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    export.add_argument("--output", "-o", help="a file to write (default: standard output)")
    export.set_defaults(run=cmd_export)

    stats = commands.add_parser("stats", help="summarize the archive and its last crawl")
    stats.add_argument("--db", required=True)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(run=cmd_stats)

    import_ = commands.add_parser(
        "import", help="run Article items from a JSON lines or JSON file through the pipelines into an archive")
    import_.add_argument("--db", required=True)
    import_.add_argument("items", metavar="ITEMS.jsonl", help="a feed, an export or another crawler's items")
    import_.set_defaults(run=cmd_import)

    stories = commands.add_parser("stories", help="list stories with their copies, first source first")
    stories.add_argument("--db", required=True)
    stories.add_argument("--site", help="only stories with a copy on this site")
    stories.add_argument("--since", help="only stories first published on or after YYYY-MM-DD")
    stories.add_argument("--min-copies", type=int, default=1, metavar="N",
                         help="only stories with at least N copies (2: syndicated ones)")
    stories.add_argument("--json", action="store_true")
    stories.set_defaults(run=cmd_stories)
    from .schedule import add_parser as add_schedule_parser

    add_schedule_parser(commands)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if getattr(args, "since", None):
        from datetime import date

        try:
            date.fromisoformat(args.since)
        except ValueError:
            sys.exit(f"newscrawl {args.command}: --since {args.since!r}: expected YYYY-MM-DD")
    from .storage import ArchiveError

    try:
        args.run(args)
    except (ArchiveError, FileNotFoundError, KeyError) as error:
        sys.exit(f"newscrawl {args.command}: {error}")


if __name__ == "__main__":
    main()
