"""What a finished crawl amounts to, read from its Scrapy stats (shared by the log summary
and the `crawls` table, so both always agree)."""

import logging


def crawl_counts(stats):
    """Counters of one run: requests, pages, new/updated/unchanged, drops by reason, errors."""
    dropped = {key.split("/", 1)[1]: n for key, n in stats.items() if key.startswith("dropped/")}
    if stats.get("dedupe/duplicates"):
        dropped["duplicate"] = stats["dedupe/duplicates"]
    return {
        "requests": stats.get("downloader/request_count", 0),
        "pages": stats.get("response_received_count", 0),
        "new": stats.get("archive/new", 0),
        "updated": stats.get("archive/updated", 0),
        "unchanged": stats.get("archive/unchanged", 0),
        "dropped": dropped,
        "errors": stats.get("log_count/ERROR", 0),
    }


def section_counts(stats):
    """{section: {"new": n, "updated": n, "unchanged": n}} from archive/section/<s>/<outcome>."""
    sections = {}
    for key, n in stats.items():
        if key.startswith("archive/section/"):
            section, outcome = key[len("archive/section/"):].rsplit("/", 1)
            sections.setdefault(section, {"new": 0, "updated": 0, "unchanged": 0})[outcome] = n
    return dict(sorted(sections.items()))


def crawl_status(stats, reason):
    """finished, interrupted or failed. `scrapy crawl` exits 0 even when a spider crashed, so
    errors in the log and spider exceptions count as failure here."""
    if reason == "shutdown":
        return "interrupted"
    crashed = any(key.startswith("spider_exceptions/") for key in stats)
    if reason != "finished" or crashed or stats.get("log_count/ERROR", 0):
        return "failed"
    return "finished"


def summary_lines(stats, reason):
    counts = crawl_counts(stats)
    dropped = ", ".join(f"{k} {v}" for k, v in sorted(counts["dropped"].items())) or "none"
    status = crawl_status(stats, reason)
    lines = [
        f"Crawl {status}{'' if status == reason else f' (finish reason: {reason})'}: "
        f"{counts['pages']} pages fetched from {counts['requests']} requests",
        f"Articles: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged",
        f"Dropped: {dropped}",
    ]
    if stats.get("incremental/known_skipped") or stats.get("incremental/sections_caught_up"):
        lines.append(f"Links to archived articles, not fetched: {stats.get('incremental/known_skipped', 0)}; "
                     f"sections caught up: {stats.get('incremental/sections_caught_up', 0)}")
    for section, n in section_counts(stats).items():
        lines.append(f"  {section}: {n['new']} new, {n['updated']} updated, {n['unchanged']} unchanged")
    failed = {k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("fetch_errors/")}
    if failed:
        lines.append("Fetch errors: " + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())))
    if counts["errors"]:
        lines.append(f"Errors logged: {counts['errors']} (see the log above)")
    return lines


class CrawlSummary:
    """Logs the crawl's summary when the spider closes."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.logger = logging.getLogger("newscrawl.summary")

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        from scrapy import signals

        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        for line in summary_lines(self.stats.get_stats(), reason):
            self.logger.info(line)
