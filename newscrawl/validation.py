"""Whether an article is fit for the archive: the type and form of every field, and length caps.

Pure functions over one article dict, used by the validation pipeline (pipelines/validate.py),
so crawled items and imported ones (`newscrawl import` runs the crawl's pipelines) pass the
same checks. A value of the wrong type or form makes the item invalid (the pipeline drops it
as `dropped/invalid_<field>`); a value that is merely too long is cut and flagged
`<field>_truncated`, because the rest of the article is still worth keeping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import urlsplit

from .normalize.provenance import SOURCES

URL_LIMIT = 2083  # Scrapy's URLLENGTH_LIMIT: no longer URL is ever requested by a crawl

# Caps in characters. Each is far above what real pages print, so only runaway values meet it
# (a whole page read as the title, a body that swallowed the comment thread), and each keeps a
# value under Python's csv field limit (131,072 characters), so exports read back.
TEXT_CAPS = {
    "title": 1_000,       # real headlines stay under ~300, Urdu and Arabic ones included
    "subtitle": 2_000,    # a standfirst: a sentence or two
    "byline_raw": 1_000,
    "agency": 200,
    "section": 200,
    "body": 100_000,      # ~15,000 words: longer than any news story, and under csv's 131,072
}
# Identifiers are never cut (a cut id would name another article): a longer one is invalid.
ID_FIELDS = ("site", "article_id", "language")
ID_LIMIT = 200
LIST_CAPS = {"authors": 50, "tags": 100, "flags": 50}  # entries kept
ENTRY_LIMIT = 200  # characters of one author, tag, flag or dateline part
DATELINE_KEYS = frozenset({"location", "agency", "outlet", "date"})
DAY_FIELDS = ("published_at", "modified_at")  # a bare YYYY-MM-DD is a valid value here
TIME_FIELDS = ("fetched_at",)
URL_FIELDS = ("url", "canonical_url")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class InvalidField(ValueError):
    """A field whose value the archive cannot take; `reason` is the stats key's tail."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.reason = f"invalid_{field}"


def _encodable(text: str) -> bool:
    """False for text with lone surrogates (JSON "\\ud800"): SQLite and UTF-8 files refuse it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string(field: str, value) -> str:
    if not isinstance(value, str):
        raise InvalidField(field, f"expected a string, not {type(value).__name__}")
    if not _encodable(value):
        raise InvalidField(field, "not valid Unicode text (a lone surrogate)")
    return value


def is_http_url(value) -> bool:
    """An absolute http(s) URL with a host."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _url(field: str, value, url_limit: int) -> str:
    value = _string(field, value)
    if not is_http_url(value):
        raise InvalidField(field, f"{value[:80]!r} is not an http(s) URL")
    if len(value) > url_limit:  # cut, a URL would point elsewhere
        raise InvalidField(field, f"{len(value)} characters, more than {url_limit}")
    return value


def _moment(field: str, value) -> str:
    """An ISO 8601 time (YYYY-MM-DD first, so that text order is time order for --since),
    or a bare day where the field allows one."""
    value = _string(field, value)
    try:
        if _ISO_DAY.match(value) and field in DAY_FIELDS:
            date.fromisoformat(value)
            return value
        if _ISO_TIME.match(value):
            datetime.fromisoformat(value)
            return value
    except ValueError:
        pass
    wanted = "an ISO 8601 date or time" if field in DAY_FIELDS else "an ISO 8601 time"
    raise InvalidField(field, f"{value[:80]!r} is not {wanted}")


def _cut(text: str, limit: int) -> tuple[str, bool]:
    return (text[:limit].rstrip(), True) if len(text) > limit else (text, False)


def _strings(field: str, value) -> tuple[list, bool]:
    if not isinstance(value, (list, tuple)):
        raise InvalidField(field, f"expected a list of strings, not {type(value).__name__}")
    entries, truncated = [], len(value) > LIST_CAPS[field]
    for entry in value[:LIST_CAPS[field]]:
        entry, cut = _cut(_string(field, entry), ENTRY_LIMIT)
        entries.append(entry)
        truncated |= cut
    return entries, truncated


def _dateline(value) -> tuple[dict, bool]:
    if not isinstance(value, Mapping):
        raise InvalidField("dateline", f"expected an object, not {type(value).__name__}")
    unknown = sorted(map(str, set(value) - DATELINE_KEYS))
    if unknown:
        raise InvalidField("dateline", f"unknown keys {', '.join(unknown)} "
                                       f"(expected {', '.join(sorted(DATELINE_KEYS))})")
    parts, truncated = {}, False
    for key, part in value.items():
        if part is not None:
            part, cut = _cut(_string("dateline", part), ENTRY_LIMIT)
            truncated |= cut
        parts[key] = part
    return parts, truncated


def check_article(article: Mapping, *, url_limit: int = URL_LIMIT) -> tuple[dict, list[str]]:
    """(changed, flags): the fields whose value had to change (cut, or the image URL removed)
    and the flags that say so. Raises InvalidField for the first field that cannot be stored.
    Absent and None values pass: which fields are required is the pipeline's rule."""
    changed, flags = {}, []

    def keep(field, value, truncated):
        if truncated:
            changed[field] = value
            flags.append(f"{field}_truncated")

    for field, value in article.items():
        if value is None:
            continue
        if field in URL_FIELDS:
            _url(field, value, url_limit)
        elif field == "image_url":  # an optional link: a bad one goes, the article stays
            try:
                _url(field, value, url_limit)
            except InvalidField:
                changed[field] = None
                flags.append("image_url_invalid")
        elif field in ID_FIELDS:
            if field == "article_id" and isinstance(value, int) and not isinstance(value, bool):
                changed[field] = value = str(value)  # other crawlers' JSON often has numeric ids
            if len(_string(field, value)) > ID_LIMIT:
                raise InvalidField(field, f"{len(value)} characters, more than {ID_LIMIT}")
        elif field in TEXT_CAPS:
            keep(field, *_cut(_string(field, value), TEXT_CAPS[field]))
        elif field in DAY_FIELDS or field in TIME_FIELDS:
            _moment(field, value)
        elif field in LIST_CAPS:
            keep(field, *_strings(field, value))
        elif field == "dateline":
            keep(field, *_dateline(value))
        elif field == "published_source":
            if value not in SOURCES:
                raise InvalidField(field, f"{str(value)[:80]!r} is not one of {', '.join(SOURCES)}")
        elif field == "story_id":
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidField(field, f"expected a whole number, not {type(value).__name__}")
    return changed, flags
