"""What both archive backends share: the article fields, the content hash, crawl statuses and
the small encoders, so SQLite and PostgreSQL store and compare articles the same way."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.storage_file import ArchiveError

# Fields whose change makes a stored article "updated". url/fetched_at only say where and when
# the copy was fetched; section/language/byline_raw/ids are classification, not the text.
CONTENT_FIELDS = [
    "title", "subtitle", "body", "authors", "agency", "published_at", "modified_at",
    "dateline", "tags", "image_url",
]
JSON_FIELDS = {"authors", "tags", "dateline", "flags", "field_sources"}
# The article columns of schema version 1, frozen: later fields arrive through migrations.
V1_FIELDS = [
    "url", "canonical_url", "site", "article_id", "section", "language", "title", "subtitle",
    "body", "authors", "agency", "byline_raw", "published_at", "modified_at", "dateline",
    "tags", "image_url", "fetched_at",
]
V1_CRAWL_STATUSES = ("running", "finished", "failed", "interrupted")
# finished_with_alerts: the crawl ended normally and its health monitors failed (newscrawl/health).
FINISHED_STATUSES = ("finished", "finished_with_alerts")
CRAWL_STATUSES = (*V1_CRAWL_STATUSES, "finished_with_alerts")
COUNTERS = ("requests", "pages", "new", "updated", "unchanged", "errors")
# Fields the archive assigns itself: an item's value for them is never written by upsert.
ASSIGNED_FIELDS = ("story_id",)
STORED_FIELDS = [name for name in ARTICLE_FIELDS if name not in ASSIGNED_FIELDS]
assert set(V1_FIELDS) | {"published_source", "flags", "section_label", "field_sources",
                         *ASSIGNED_FIELDS} == set(ARTICLE_FIELDS)


def check_day(day: str | None) -> str | None:
    """A "YYYY-MM-DD" filter checked now (a clear ValueError on a bad date), or None."""
    return dt.date.fromisoformat(day).isoformat() if day is not None else None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _encode(name: str, value: Any) -> Any:
    if value is not None and name in JSON_FIELDS:
        # sort_keys: the same dateline built in another key order must hash the same.
        return json.dumps(list(value) if isinstance(value, tuple) else value,
                          ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return value


def _json_safe(value: Any) -> Any:
    """Scrapy stats hold datetimes, sets and the odd object; make them JSON."""
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_json_safe(item) for item in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def content_hash(encoded: Mapping[str, Any]) -> str:
    """sha256 over the content fields of an already-encoded row (values are str or None)."""
    payload = json.dumps([encoded.get(name) for name in CONTENT_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()



def _first_source_order(copy: Mapping) -> tuple:
    """Sort key of a story's copies: earliest publication (compared in UTC) first, then the
    earliest stored. A day-only date counts as that day's end, so it does not take the lead
    from a copy timed on the same day; copies without a date come last."""
    value = copy["published_at"]
    try:
        if value and len(value) == 10:
            moment = dt.datetime.fromisoformat(value).replace(
                hour=23, minute=59, second=59, tzinfo=dt.timezone.utc)
        else:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
    except (TypeError, ValueError):
        moment = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return moment, copy["id"]



CRAWL_OVERVIEW_COLUMNS = ("id", "job_id", "spider", "args", "started_at", "finished_at", "status",
                          "finish_reason", *COUNTERS, "dropped")


def crawl_site(spider: str, args: Mapping | None) -> str:
    """The site a run crawled: a profile's spider is named after its site; the generic `news`
    spider's site is its start URL's host (without www., as its articles' `site`). Other runs
    (`import`) are listed under their own name."""
    url = (args or {}).get("url") if spider == "news" else None
    host = urlsplit(url).hostname if isinstance(url, str) else None
    if host:
        return host[4:] if host.startswith("www.") else host
    return spider


class ArchiveLost(ArchiveError):
    """The PostgreSQL server stopped answering during a crawl and did not come back."""


class ArchiveUnavailable(ArchiveError):
    """The archive's server does not answer (at start): a runtime failure, not a usage error."""
