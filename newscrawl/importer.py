"""`newscrawl import`: items from a file (a feed, an export, another crawler's output) through the
crawl's own pipelines (validation, dedupe, storage with story links), recorded in the archive as
an "import" run.

Nothing in the file is trusted, and each item stands alone: a JSON lines file is read a line at
a time, and a line that is not UTF-8 (`dropped/not_utf8`), not a JSON object or too large
(`dropped/unreadable`), or an item the validation pipeline rejects (`dropped/invalid_<field>`,
`dropped/missing_<field>`) is reported with its number, counted, and skipped; the rest is
imported. A JSON array must be read whole, so one that is not UTF-8 or not JSON ends the
command before the archive is touched. A binary file is refused at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import CommandError
from .items import ARTICLE_FIELDS
from .validation import is_http_url

# One line of JSON lines: far above any article (a body is capped at 100,000 characters),
# far below what would strain memory.
MAX_LINE_BYTES = 16 * 1024 * 1024
_SNIFF_BYTES = 8192
_BOM = b"\xef\xbb\xbf"


class Unreadable:
    """An entry of the file that is no item: `why` completes "item N is …"; `reason` is the
    stats key's tail."""

    def __init__(self, reason: str, why: str):
        self.reason, self.why = reason, why


def _parse(text: str):
    try:
        value = json.loads(text)
    except RecursionError:
        return Unreadable("unreadable", "not a JSON object (nested too deeply)")
    except ValueError as error:
        return Unreadable("unreadable", f"not a JSON object (not JSON: {error})")
    return value if isinstance(value, dict) else Unreadable("unreadable", "not a JSON object")


class ItemFile:
    """The entries of an items file, as (number, dict or Unreadable); the file's kind (JSON
    lines or one JSON array) and anything that stops the whole file are found on opening."""

    def __init__(self, path):
        self.path = str(path)
        if Path(path).is_dir():
            raise CommandError(f"{path} is a directory, not a file of items")
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        with open(path, "rb") as source:
            head = source.read(_SNIFF_BYTES)
        if b"\0" in head:  # never in UTF-8 JSON: an image, an archive, UTF-16 text
            raise CommandError(f"{path}: a binary file, not JSON lines or a JSON array of "
                               "items (UTF-8 text)")
        self.array = head.removeprefix(_BOM).lstrip().startswith(b"[")
        self._items = self._read_array() if self.array else None

    def _read_array(self):
        try:
            text = Path(self.path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{self.path}: not UTF-8 text (at byte {error.start}); "
                               "nothing imported") from None
        try:
            items = json.loads(text)
        except RecursionError:
            raise CommandError(f"{self.path} is not a JSON array of items: nested too deeply") from None
        except ValueError as error:
            raise CommandError(f"{self.path} is not a JSON array of items: {error}") from None
        if not isinstance(items, list):
            raise CommandError(f"{self.path} is not a JSON array of items")
        return items

    def __iter__(self):
        if self.array:
            for number, value in enumerate(self._items, 1):
                yield number, value if isinstance(value, dict) else Unreadable(
                    "unreadable", "not a JSON object")
            return
        with open(self.path, "rb") as source:
            number = 0
            while line := source.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_LINE_BYTES:
                    while line and not line.endswith(b"\n"):  # skip the rest of it
                        line = source.readline(MAX_LINE_BYTES)
                    yield number, Unreadable("unreadable", f"longer than {MAX_LINE_BYTES:,} bytes")
                    continue
                if not line.strip():
                    continue
                try:
                    text = line.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as error:
                    yield number, Unreadable("not_utf8", f"not UTF-8 text (at byte {error.start})")
                    continue
                yield number, _parse(text)


def _article(row: dict) -> dict:
    from .normalize.urls import canonical_url

    article = {name: row[name] for name in ARTICLE_FIELDS if name in row}
    # story_id is the other archive's: this one assigns its own. An item without its
    # archive key gets the one a crawl would have given its URL.
    article.pop("story_id", None)
    if not article.get("canonical_url") and is_http_url(article.get("url")):
        article["canonical_url"] = canonical_url(article["url"])
    return article


def _spider_optional(method, spider, takes):
    """A pipeline method as a function of `takes` arguments: pipelines written for Scrapy 2.13+
    leave out the spider argument their methods used to end with."""
    import inspect

    if len(inspect.signature(method).parameters) > takes:
        return lambda *args: method(*args, spider)
    return method


def _warn(message):
    print(f"newscrawl import: {message}", file=sys.stderr)


def import_items(items_path, db) -> dict:
    """Run every item of the file through the pipelines into the archive at `db`; returns the
    run's stats (with "import/items": the JSON objects read)."""
    from types import SimpleNamespace

    from scrapy import Spider, signals
    from scrapy.crawler import Crawler
    from scrapy.exceptions import DropItem
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import build_from_crawler, load_object

    from .items import Article

    source = ItemFile(items_path)
    from .storage import is_postgres_url

    if not is_postgres_url(db) and Path(db).is_dir():
        raise CommandError(f"--db {db} is a directory, not an archive file")
    new_archive = not is_postgres_url(db) and not Path(db).exists()
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set("NEWSCRAWL_DB", str(db), priority="cmdline")
    settings.set("NEWSCRAWL_FIRST_COPY_ONLY", False, priority="cmdline")  # no feed to filter
    # A bare crawler: settings, signals and stats are all the pipelines use; no engine, no
    # extensions, no reactor.
    crawler = Crawler(type("ImportSpider", (Spider,), {"name": "import"}), settings)
    crawler.stats = stats = MemoryStatsCollector(crawler)
    spider = crawler.spider = crawler.spidercls.from_crawler(crawler)
    spider.args = SimpleNamespace(file=str(Path(items_path).resolve()))
    pipelines = [build_from_crawler(load_object(path), crawler)
                 for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES"))]
    opened, reason = [], "failed"  # the import's row in `crawls` says whether it got through
    try:
        for pipeline in pipelines:
            if hasattr(pipeline, "open_spider"):
                _spider_optional(pipeline.open_spider, spider, 0)()
            opened.append(pipeline)
        if new_archive:
            _warn(f"created new archive {db}")
        steps = [_spider_optional(pipeline.process_item, spider, 1) for pipeline in pipelines]
        for number, row in source:
            if isinstance(row, Unreadable):
                stats.inc_value(f"dropped/{row.reason}")
                _warn(f"{items_path}: item {number} is {row.why}")
                continue
            stats.inc_value("import/items")
            item = Article(_article(row))
            try:
                for step in steps:
                    item = step(item)
            except DropItem as drop:  # the pipeline counted it under its reason
                _warn(f"{items_path}: item {number} dropped: {drop}")
        reason = "finished"
    finally:
        for pipeline in opened:
            if hasattr(pipeline, "close_spider"):
                _spider_optional(pipeline.close_spider, spider, 0)()
        if opened:
            crawler.signals.send_catch_log(signal=signals.spider_closed, spider=spider, reason=reason)
    return stats.get_stats()


def summary(items_path, db, stats) -> str:
    """The import's one-line report: items read, what became of them, stories."""
    from .report import crawl_counts

    counts = crawl_counts(stats)
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(counts["dropped"].items())) or "none"
    truncated = {key.rsplit("/", 1)[1]: n for key, n in stats.items()
                 if key.startswith("validation/truncated/")}
    cut = ", ".join(f"{k} {v}" for k, v in sorted(truncated.items())) or "none"
    return (f"Imported {items_path} into {db}: {stats.get('import/items', 0)} items; articles "
            f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged; "
            f"dropped: {dropped}; truncated: {cut}; "
            f"stories: {stats.get('syndication/new_story', 0)} new, "
            f"{stats.get('syndication/linked', 0)} copies linked to a story")
