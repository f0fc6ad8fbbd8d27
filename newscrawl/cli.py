"""The `newscrawl` command: offline extraction, the demo site, and reading the archive."""

import argparse
import json
import os
import sys

from .errors import (EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, CommandError, UsageError,
                     describe_os_error, one_line)
from .saved_pages import extract_page  # noqa: F401  (scripts and tests extract through here)

# --db of every verb that reads or writes the archive: a SQLite file or a postgresql:// URL
# (its password in PGPASSWORD or ~/.pgpass); $NEWSCRAWL_DB when not given.
DB_ARGUMENT = ({"default": os.environ["NEWSCRAWL_DB"], "help": "the archive (default: $NEWSCRAWL_DB)"}
               if os.environ.get("NEWSCRAWL_DB") else
               {"required": True, "help": "the archive: a SQLite file or a postgresql:// URL"})


def cmd_extract(args):
    from .saved_pages import extract_batch

    if args.batch:
        if args.page or args.url:
            raise UsageError("--batch takes its pages and URLs from the list: give no PAGE or --url")
        lines, failures = extract_batch(args.batch, args.site)
        if failures:
            raise CommandError(f"{failures} of {lines} lines of {args.batch} failed (see above)")
        return
    if not args.page:
        raise UsageError("give a PAGE or --batch LIST.jsonl")
    article = extract_page(args.page, args.url, args.site)
    print(json.dumps(article, ensure_ascii=False, indent=2))


def cmd_normalize(args):
    """One JSON object (or null) per input line: what the loaders make of a site's strings."""
    from dataclasses import asdict

    from .normalize.bylines import parse_byline
    from .normalize.dates import is_relative, parse_datetime
    from .normalize.datelines import parse_dateline
    from .profiles import get_profile

    profile = get_profile(args.site) if args.site else None
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
    for number, line in enumerate(sys.stdin.buffer, 1):
        try:
            text = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            raise CommandError(f"standard input, line {number}: not UTF-8 text (at byte {error.start})") from None
        print(json.dumps(parse(text), ensure_ascii=False), flush=args.flush)


def cmd_serve_demo(args):
    from .demo.server import SITES, serve

    if args.site not in SITES:
        raise UsageError(f"--site {args.site!r}: no demo copy of that site; demo sites: "
                         f"{', '.join(sorted(SITES))}")
    serve(site=args.site, host=args.host, port=args.port)


def cmd_export(args):
    from .export import EXCEL_MAX_CELL, output_file, write_articles
    from .storage import open_archive

    max_cell = EXCEL_MAX_CELL if args.excel else args.max_cell
    if max_cell is not None and args.format != "csv":
        raise UsageError(f"--{'excel' if args.excel else 'max-cell'} cuts CSV cells: use it with --format csv")
    if args.since and args.until and args.until < args.since:
        raise UsageError(f"--until {args.until} is before --since {args.since}")
    archive = open_archive(args.db, readonly=True)
    try:
        rows = archive.iter_articles(site=args.site, since=args.since, until=args.until, section=args.section,
                                     agency=args.agency, story=args.story, query=args.query)
        output = args.output or "-"
        try:
            with output_file(output) as out:
                count = write_articles(rows, args.format, out, max_cell)
        except OSError as error:
            if output == "-" or error.filename is not None or isinstance(error, BrokenPipeError):
                raise
            raise type(error)(error.errno, error.strerror, output) from None  # say which file
        if output != "-":
            print(f"Exported {count} articles to {output}", file=sys.stderr)
    finally:
        archive.close()


def cmd_stats(args):
    from .storage import open_archive

    archive = open_archive(args.db, readonly=True)
    try:
        summary = archive.summary(crawls_per_site=args.crawls)
    finally:
        archive.close()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    sites = summary["sites"]
    print(f"Archive {args.db}: {summary['articles']} articles from {len(sites)} "
          f"site{'' if len(sites) == 1 else 's'}, {summary['stories']} stories, {summary['changes']} "
          f"recorded changes, {summary['crawls']} crawls (schema v{summary['schema_version']})")
    for site, entry in sites.items():
        print(f"Site {site or '(none)'}: {entry['articles']} article{'' if entry['articles'] == 1 else 's'}")
        if entry["sections"]:
            print("  sections: " + ", ".join(f"{section or '(none)'} {n}"
                                             for section, n in entry["sections"].items()))
        for crawl in entry["crawls"]:
            print("  " + crawl_line(crawl))


def crawl_line(crawl):
    """One run of the `crawls` table as `newscrawl stats` prints it."""
    dropped = ", ".join(f"{k} {v}" for k, v in sorted((crawl.get("dropped") or {}).items())) or "none"
    return (f"crawl #{crawl['id']} ({crawl['spider']}, {crawl['status']}, {crawl['started_at']} to "
            f"{crawl['finished_at'] or '-'}): {crawl['pages'] or 0} pages fetched; articles "
            f"{crawl['new'] or 0} new, {crawl['updated'] or 0} updated, {crawl['unchanged'] or 0} unchanged; "
            f"dropped: {dropped}; errors: {crawl['errors'] or 0}")


def cmd_import(args):
    from .importer import import_items, summary

    stats = import_items(args.items, args.db)
    print(summary(args.items, args.db, stats))


def cmd_stories(args):
    from .storage import open_archive

    archive = open_archive(args.db, readonly=True)
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


def cmd_search(args):
    from .search import search_archive, write_hits

    if not args.query.strip():
        raise UsageError("give the words to search for")
    hits = search_archive(args.db, args.query, site=args.site, since=args.since, limit=args.limit)
    count = write_hits(hits, args.format, sys.stdout)
    print(f"{count} hit{'' if count == 1 else 's'}", file=sys.stderr)


def cmd_browse(args):
    from .browse import serve

    serve(args.db, host=args.host, port=args.port)


def build_parser():
    from .cli_types import http_url, iso_datetime, iso_day, port_number, profile_name, timezone_name, whole_number

    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    parser.add_argument("--debug", action="store_true",
                        help="on an unexpected error, print its traceback (also: NEWSCRAWL_DEBUG=1)")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser(
        "extract", help="print the Article JSON a crawl would store for a saved page",
        description="Print the Article JSON a crawl would store for a saved page. With --batch, a bad "
                    "line or page is reported (stdout and stderr, with its line number) and the batch "
                    "goes on; the exit status is then 1.")
    extract.add_argument("page", nargs="?", help="a saved page, .html or .html.gz")
    extract.add_argument("--batch", metavar="LIST.jsonl",
                         help='lines {"id", "page", "url"} (page relative to the list); one JSON line '
                              'out each; exit status 1 if any line failed')
    extract.add_argument("--url", type=http_url, help="the page's URL (default: its rel=canonical link)")
    extract.add_argument("--site", type=profile_name, help="the site profile (default: picked from the URL)")
    extract.set_defaults(run=cmd_extract)

    normalize = commands.add_parser(
        "normalize", help="normalize dates, bylines or datelines read one per line from standard input")
    normalize.add_argument("kind", choices=("date", "byline", "dateline"))
    normalize.add_argument("--site", type=profile_name,
                           help="use the site profile's timezone, languages and date formats")
    normalize.add_argument("--base", type=iso_datetime,
                           help="the time relative dates count back from (ISO 8601 with offset)")
    normalize.add_argument("--tz", type=timezone_name,
                           help="IANA timezone of printed times (default: the site's, else UTC)")
    normalize.add_argument("--languages", help="comma-separated language codes (default: the site's, else en)")
    normalize.add_argument("--flush", action="store_true", help="flush after every line (for pipes)")
    normalize.set_defaults(run=cmd_normalize)

    serve = commands.add_parser("serve-demo", help="serve a bundled local copy of a site on 127.0.0.1")
    serve.add_argument("--site", default="urdupoint", help="the demo site (urdupoint, gulfwire, wam)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port_number, default=8765, help="0: any free port")
    serve.set_defaults(run=cmd_serve_demo)

    export = commands.add_parser("export", help="write the archive's articles as CSV, JSON or JSON lines")
    export.add_argument("--db", **DB_ARGUMENT)
    export.add_argument("--format", choices=("csv", "json", "jsonl"), default="jsonl")
    export.add_argument("--site")
    export.add_argument("--since", type=iso_day, help="only articles published on or after YYYY-MM-DD")
    export.add_argument("--until", type=iso_day, help="only articles published on or before YYYY-MM-DD")
    export.add_argument("--section", help="only this section (its slug, as stored: world, middle-east)")
    export.add_argument("--agency", help="only articles credited to this agency (APP, Reuters; any case)")
    export.add_argument("--story", type=whole_number(1, 2**63 - 1), metavar="ID",
                        help="only the copies of this story (stories.id, as in `newscrawl story`)")
    export.add_argument("--query", metavar="TEXT", help="only articles whose title or body match TEXT (full-text)")
    export.add_argument("--output", "-o", help="a file to write, replaced only once the export is complete "
                                                "(default, or -: standard output)")
    max_cell = export.add_mutually_exclusive_group()
    max_cell.add_argument("--max-cell", type=whole_number(10, 100_000_000), metavar="N",
                          help="csv: cut cells longer than N characters (ending them with …); by default "
                               "cells are whole (read long ones in Python after csv.field_size_limit(2**31 - 1))")
    max_cell.add_argument("--excel", action="store_true",
                          help="csv: cut cells at 32,767 characters, the most a spreadsheet cell holds")
    export.set_defaults(run=cmd_export)

    stats = commands.add_parser("stats", help="summarize the archive: per site its articles, sections and last crawls")
    stats.add_argument("--db", **DB_ARGUMENT)
    stats.add_argument("--crawls", type=whole_number(0, 1_000_000), default=3, metavar="N",
                       help="the last N crawls of each site (default: %(default)s; 0: none)")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(run=cmd_stats)

    import_ = commands.add_parser(
        "import", help="run Article items from a JSON lines or JSON file through the pipelines into an archive",
        description="Run Article items through the crawl's pipelines into an archive. Items that are "
                    "unreadable or invalid are reported, counted and skipped (exit status 0); a file that "
                    "cannot be read at all is an error (1).")
    import_.add_argument("--db", **{**DB_ARGUMENT, "help": "the archive: a SQLite file (created if missing; its directory must exist) or a postgresql:// URL"})
    import_.add_argument("items", metavar="ITEMS.jsonl", help="a feed, an export or another crawler's items")
    import_.set_defaults(run=cmd_import)

    stories = commands.add_parser("stories", help="list stories with their copies, first source first")
    stories.add_argument("--db", **DB_ARGUMENT)
    stories.add_argument("--site", help="only stories with a copy on this site")
    stories.add_argument("--since", type=iso_day, help="only stories first published on or after YYYY-MM-DD")
    stories.add_argument("--min-copies", type=whole_number(1, 1_000_000), default=1, metavar="N",
                         help="only stories with at least N copies (2: syndicated ones)")
    stories.add_argument("--json", action="store_true")
    stories.set_defaults(run=cmd_stories)
    search = commands.add_parser(
        "search", help="full-text search of the archive's titles and bodies, best match first",
        description="Full-text search (SQLite FTS5, bm25 ranking; title matches weigh more). The query "
                    "may use FTS5 syntax (OR, NOT, \"a phrase\", pref*, title: word); anything that is "
                    "not valid FTS5 is searched as plain words. The archive is only read.")
    search.add_argument("query", help="the words to look for")
    search.add_argument("--db", default="data/demo.db", help="the archive (default: data/demo.db)")
    search.add_argument("--site", help="only articles of this site")
    search.add_argument("--since", type=iso_day, help="only articles published on or after YYYY-MM-DD")
    search.add_argument("--limit", type=whole_number(1, 10_000), default=20, metavar="N",
                        help="at most N hits (default 20)")
    search.add_argument("--format", choices=("text", "json", "csv"), default="text")
    search.set_defaults(run=cmd_search)

    browse = commands.add_parser(
        "browse", help="open the archive in Datasette (read-only) on 127.0.0.1",
        description="Serve the archive with Datasette, read-only: full-text search, facets, stories "
                    "with their copies, crawl history and charts. Binds to 127.0.0.1 unless --host "
                    "is given; put it behind a password before sharing it (README, \"Browsing\").")
    browse.add_argument("--db", default="data/demo.db", help="the archive (default: data/demo.db)")
    browse.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    browse.add_argument("--port", type=port_number, default=8001, help="default 8001; 0: any free port")
    browse.set_defaults(run=cmd_browse)
    from .schedule import add_parser as add_schedule_parser

    add_schedule_parser(commands)
    from .frontier.status import add_parser as add_frontier_parser

    add_frontier_parser(commands)
    from .storage.commands import add_parsers as add_storage_parsers

    add_storage_parsers(commands, DB_ARGUMENT)
    from .health.cli import add_parser as add_health_parser

    add_health_parser(commands)
    return parser


def _silence_stdout():
    """Point stdout at /dev/null when it can take no more (closed pipe, full disk), so that
    Python's own flush at exit does not fail again: the documented way out of a broken pipe
    (docs.python.org/3/library/signal.html, "Note on SIGPIPE")."""
    try:
        sys.stdout.flush()
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run(args, debug=False) -> int:
    """Run the parsed command: the one place where errors become one line on stderr and an
    exit code (newscrawl.errors). SystemExit (a command's own exit code) passes through."""
    from .storage import ArchiveError

    try:
        args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
        return EXIT_OK
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        _silence_stdout()
        return EXIT_INTERRUPTED
    except CommandError as error:
        failure, message, code = error, str(error), error.exit_code
    except ArchiveError as error:
        failure, message, code = error, str(error), EXIT_FAILED
    except OSError as error:  # permissions, a directory for a file, a full disk, ...
        failure, message, code = error, describe_os_error(error), EXIT_FAILED
    except Exception as error:
        hint = "" if debug else " (rerun with --debug or NEWSCRAWL_DEBUG=1 for the traceback)"
        failure, message, code = error, f"unexpected error: {type(error).__name__}: {error}{hint}", EXIT_FAILED
    if debug:
        import traceback

        traceback.print_exception(failure)
    _silence_stdout()
    print(f"newscrawl {args.command}: {one_line(message)}", file=sys.stderr)
    return code


def main(argv=None):
    args = build_parser().parse_args(argv)
    debug = args.debug or os.environ.get("NEWSCRAWL_DEBUG", "") not in ("", "0")
    sys.exit(run(args, debug))


if __name__ == "__main__":
    main()
