"""The dateparser fallback for dates that none of the compiled exact forms read.

dateparser knows many languages and phrasings but costs 0.4-2.5 ms a call (80 ms for the
first, and a slow import), against microseconds for the exact forms; it is kept apart so
that cost stays visible and is only paid when dates.py has nothing better. Absolute dates
go through a cached parser that refuses relative times and dates without a year; relative
phrases get a parser built around the page's base time.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache

from .clock import iso_in_zone


@lru_cache(maxsize=32)
def _absolute_parser(languages: tuple[str, ...], tz: str, order: str):
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(languages=list(languages), settings={
        "TIMEZONE": tz,
        "DATE_ORDER": order,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RETURN_TIME_AS_PERIOD": True,
        # A missing year would be filled from today's date: refuse instead.
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Relative times need a base; bare numbers are not publication dates.
        "PARSERS": ["custom-formats", "absolute-time"],
    })


def dateparser_absolute(text: str, languages: tuple[str, ...], tz: str, zone: tzinfo, order: str) -> str | None:
    try:
        data = _absolute_parser(languages, tz, order).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return _from_date_data(data, zone)


def dateparser_relative(text, languages, tz, base: datetime, zone: tzinfo, order: str) -> str | None:
    from dateparser.date import DateDataParser

    local_base = base.astimezone(zone).replace(tzinfo=None)
    try:  # cheap to build (~40 µs); the base differs per call
        data = DateDataParser(languages=list(languages), settings={
            "TIMEZONE": tz, "DATE_ORDER": order, "RETURN_AS_TIMEZONE_AWARE": True,
            "RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": local_base,
        }).get_date_data(text)
    except Exception:
        return None
    return _from_date_data(data, zone)


def _from_date_data(data, zone: tzinfo) -> str | None:
    moment = data.date_obj
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if data.period != "time":
        return moment.date().isoformat()
    return iso_in_zone(moment, zone)
