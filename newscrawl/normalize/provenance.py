"""Which of a page's dates is its publication date, where it came from, and whether the
page contradicts itself."""

import re
from datetime import date, timedelta, timezone
from typing import NamedTuple

from .date_checks import FUTURE, IMPLAUSIBLE
from .dates import read_datetime

# Sources in the order they are trusted: machine-readable metadata first, the page's printed
# byline next, then what the crawl saw around the page, the dateline's day, and last htmldate's
# reading of the page's text (generic pages only).
SOURCES = ("json-ld", "meta", "byline", "listing", "url", "dateline", "htmldate")

# /2023/07/29/ or /2023-07-29/ in a path: WordPress permalinks, UrduPoint Urdu's /daily/livenews/.
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>0[1-9]|1[0-2])[/-](?P<day>0[1-9]|[12]\d|3[01])(?:/|$)")


def date_from_url(url):
    """The day a URL's path names, as YYYY-MM-DD, or None."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"])).isoformat()
    except ValueError:
        return None


_TRAILING_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


def page_zone(values):
    """The fixed UTC offset a page's machine-readable times carry (the first that has one), so
    a site with no profile keeps its own offset instead of being moved to UTC."""
    for value in values:
        match = _TRAILING_OFFSET.search((value or "").strip())
        if match:
            zone = match["zone"].upper().replace(":", "")
            if zone == "Z":
                return timezone.utc
            minutes = int(zone[1:3]) * 60 + int(zone[3:5])
            return timezone(timedelta(minutes=minutes if zone[0] == "+" else -minutes))
    return None


# Flags an article carries when a publication date on its page was refused or read the other
# way round (day and month swapped, because the site's own order gave a date in the future).
DATE_FLAGS = {FUTURE: "date_future_dropped", IMPLAUSIBLE: "date_implausible_dropped",
              "swapped": "date_order_swapped"}


class Published(NamedTuple):
    value: str | None
    source: str | None
    flags: tuple[str, ...] = ()


def read_published(candidates, **parse_options) -> Published:
    """The first candidate that reads as a plausible publication date, its source, and the
    flags of the dates refused before it (a 9999-12-31 in JSON-LD does not beat the byline).

    candidates: (source, text) pairs, best first; parse_options go to read_datetime.
    """
    flags = []
    for source, text in candidates:
        if not text:
            continue
        reading = read_datetime(text, **parse_options)
        if reading.refused:
            flags.append(DATE_FLAGS[reading.refused])
        if reading.value:
            if reading.swapped:
                flags.append(DATE_FLAGS["swapped"])
            return Published(reading.value, source, tuple(dict.fromkeys(flags)))
    return Published(None, None, tuple(dict.fromkeys(flags)))


def choose_published(candidates, **parse_options):
    """(value, source) of the first candidate that parses, or (None, None)."""
    return read_published(candidates, **parse_options)[:2]


def dateline_disagrees(published, dateline_date):
    """True when the dateline's day is more than one day away from the publication day
    (a day either way is normal: time zones, stories filed before midnight)."""
    if not published or not dateline_date:
        return False
    try:
        delta = date.fromisoformat(published[:10]) - date.fromisoformat(dateline_date[:10])
    except ValueError:
        return False
    return abs(delta.days) > 1


def days_apart(first, second):
    """Whole days between two dates or times (their first ten characters), or None."""
    try:
        return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)
    except (TypeError, ValueError):
        return None


def printed_date_wins(structured, printed, witness):
    """True when a printed byline date should replace the structured one it contradicts (more
    than a day apart): only when the independent witness (htmldate's original date) sides with
    the printed date and not with the structured one. No witness, or one that agrees with
    neither or both: the structured date stands."""
    if not (structured and printed and witness) or (days_apart(structured, printed) or 0) <= 1:
        return False
    near_printed, near_structured = days_apart(witness, printed), days_apart(witness, structured)
    return near_printed is not None and near_printed <= 1 and (near_structured is None or near_structured > 1)
