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
    # Set by the health close suite (newscrawl/health/monitors.py) when a monitor failed.
    return "finished_with_alerts" if stats.get("health/monitors_failed") else "finished"


# What each counted reason means, for the summary: a number alone ("not fetched: 232") says
# nothing to someone reading it after their first crawl.
DROP_REASONS = {
    "duplicate": "a copy of an article this run had already stored (same canonical URL or site id)",
    "conflicting_keys": "its URL names one stored article and its site id another; both kept as they were",
    "not_utf8": "an imported line that is not UTF-8 text",
    "unreadable": "an imported line that is not a JSON object",
}
SKIPPED_LINKS = {  # stats key -> why links seen on pages were not fetched
    "incremental/known_skipped": "to articles already in the archive, stored earlier in this run or by an "
                                 "earlier one (listings and \"More Stories\" link the same articles again; "
                                 "-a refresh=1 fetches stored ones again)",
    "dupefilter/filtered": "to a URL this run had already requested (Scrapy's duplicate filter)",
    "offsite/links_skipped": "to other sites",
    "offsite/filtered": "to other sites (Scrapy's offsite filter)",
    "robotstxt/forbidden": "forbidden by the site's robots.txt",
    "since/older_listed_skipped": "listed with a date older than -a since",
    "excursions/other_sections_skipped": "to articles of sections outside -a sections (-a excursions=all "
                                         "follows them)",
    "caps/links_per_page_dropped": "past NEWSCRAWL_MAX_LINKS_PER_PAGE article links on one page",
    "caps/sections_dropped": "to sections past NEWSCRAWL_MAX_SECTIONS on the start page",
}
STOPPED_SECTIONS = {  # stats key -> why a section's listing was not paged further
    "max_pages/sections_stopped": "reached -a max_pages listing pages",
    "since/sections_stopped": "reached articles older than -a since",
    "incremental/sections_caught_up": "their last listed articles were all archived already (-a caught_up_after)",
}


FIELD_NAMES = {"published_at": "publication date", "url": "URL", "canonical_url": "canonical URL",
               "body": "body text", "image_url": "image URL", "modified_at": "modification date"}


def drop_reason(reason):
    """What a dropped/<reason> counter means."""
    if reason in DROP_REASONS:
        return DROP_REASONS[reason]
    for prefix, sentence in (("missing_", "no {} found on the page: an article needs one to be stored"),
                             ("invalid_", "its {} had the wrong type or form")):
        if reason.startswith(prefix):
            field = reason[len(prefix):]
            return sentence.format(FIELD_NAMES.get(field, field.replace("_", " ")))
    return "see the log"


def fetch_error(reason):
    """What a fetch_errors/<reason> counter means (after Scrapy's retries)."""
    if reason.startswith("http_"):
        from http import HTTPStatus

        code = reason[len("http_"):]
        try:
            phrase = f" {HTTPStatus(int(code)).phrase}"
        except ValueError:
            phrase = ""
        return f"the server answered {code}{phrase}"
    return "no answer (connection or timeout), see the log"


def _breakdown(title, total, items):
    """A heading with its total, then one indented line per nonzero reason."""
    lines = [f"{title}: {total}"]
    lines += [f"  {n} {text}" for text, n in items if n]
    return lines


def summary_lines(stats, reason):
    """The crawl's summary, each number with what it counts."""
    counts = crawl_counts(stats)
    status = crawl_status(stats, reason)
    retried = stats.get("retry/count", 0)
    retry_reasons = ", ".join(f"{key.rsplit('/', 1)[1]}{f' ×{n}' if n > 1 else ''}"
                              for key, n in sorted(stats.items()) if key.startswith("retry/reason_count/"))
    lines = [
        f"Crawl {status}{'' if status == reason else f' (finish reason: {reason})'}: "
        f"{counts['pages']} pages fetched from {counts['requests']} requests"
        + (f" (retried {retried}: {retry_reasons})" if retried else ""),
        f"Articles stored: {counts['new']} new, {counts['updated']} updated (their text changed), "
        f"{counts['unchanged']} unchanged"
        + (f", of {stats['article/parsed']} article pages read" if stats.get("article/parsed") else ""),
    ]
    for section, n in section_counts(stats).items():
        lines.append(f"  {section}: {n['new']} new, {n['updated']} updated, {n['unchanged']} unchanged")
    dropped = counts["dropped"]
    lines += _breakdown("Dropped, not stored", sum(dropped.values()),
                        [(f"{key}: {drop_reason(key)}", n) for key, n in sorted(dropped.items())])
    failed = {k.split("/", 1)[1]: v for k, v in stats.items() if k.startswith("fetch_errors/")}
    if failed:
        lines += _breakdown("Pages that could not be fetched (the crawl went on)", sum(failed.values()),
                            [(f"{key}: {fetch_error(key)}", n) for key, n in sorted(failed.items())])
    skipped = [(text, stats.get(key, 0)) for key, text in SKIPPED_LINKS.items()]
    if any(n for _, n in skipped):
        lines += _breakdown("Links seen but not fetched", sum(n for _, n in skipped), skipped)
    stopped = [(text, stats.get(key, 0)) for key, text in STOPPED_SECTIONS.items()]
    if any(n for _, n in stopped):
        lines += _breakdown("Sections not paged further", sum(n for _, n in stopped), stopped)
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
