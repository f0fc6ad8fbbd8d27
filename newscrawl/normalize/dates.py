"""Dates and times from news pages as ISO 8601 strings in the site's own zone.

A value with a time becomes "2023-07-29T20:20:00+05:00" (site zone, seconds, no
microseconds); a value that names only a day stays "2023-07-29", because turning it
into local midnight and converting it would move it to the previous day in UTC.

The exact forms (ISO 8601, RFC 2822, UrduPoint's bylines, "N minutes ago") are read
with compiled regexes; dateparser is only a fallback for anything else. Timing check:
    .venv/bin/python -m timeit -s "from newscrawl.normalize.dates import parse_datetime" \
        "parse_datetime('Wed 29th April 2020 | 03:32 PM', tz='Asia/Karachi')"
gave about 6-10 µs per call here (dateparser: 0.4-2.5 ms, 80 ms for its first call).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo

# Regex fragments shared with the byline and dateline parsers.
MONTH_PATTERN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
WEEKDAY_PATTERN = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)"
)
_MONTH_NUMBERS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def month_number(name: str) -> int:
    """1-12 for an English month name or abbreviation ("Sept.", "July")."""
    return _MONTH_NUMBERS[name.strip(".").lower()[:3]]


_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_TIME = (
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
)
_ZONE = r"\(?(?P<zone>z|[a-z]{2,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}(?::?\d{2})?)\)?"
_TIME_TAIL = rf"(?:\s*(?:\||,|-|–|—|\bat\b|@)?\s*{_TIME}(?:\s*{_ZONE})?)?"

_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<zone>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
# "Wed 29th April 2020 | 03:32 PM", "29th July, 2023", "Sat, 29 Jul 2023 15:20:00 GMT"
_DAY_MONTH_YEAR = re.compile(
    rf"(?:{WEEKDAY_PATTERN}\.?,?\s+)?{_DAY}\s+(?:of\s+)?(?P<month>{MONTH_PATTERN})\.?,?\s+{_YEAR}{_TIME_TAIL}",
    re.IGNORECASE,
)
# "July 29, 2023 | 08:20 PM", "Fri, Jul 28, 2023"
_MONTH_DAY_YEAR = re.compile(
    rf"(?:{WEEKDAY_PATTERN}\.?,?\s+)?(?P<month>{MONTH_PATTERN})\.?\s+{_DAY},?\s+{_YEAR}{_TIME_TAIL}",
    re.IGNORECASE,
)

_LABEL = re.compile(
    r"^(?:(?:first|last)\s+)?(?:published|updated|posted|modified|created|released|date)\b"
    r"(?:\s+(?:on|at)\b)?\s*:?\s*",
    re.IGNORECASE,
)

_UNIT = (
    r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w"
    r"|months?|mos?|years?|yrs?|y)"
)
_COUNT = r"(?:\d+|\b(?:an?|one)\b)"
_RELATIVE_PART = re.compile(rf"(?P<count>{_COUNT})\s*(?P<unit>{_UNIT})\b", re.IGNORECASE)
# "2 hours ago", "1 hour 20 minutes ago", "5m ago"; the byline parser searches with it too.
RELATIVE_AGO = re.compile(
    rf"(?:about\s+|around\s+|over\s+|almost\s+|nearly\s+)?"
    rf"(?P<parts>(?:{_COUNT}\s*{_UNIT}\b,?\s*(?:and\s+)?)+)ago\b",
    re.IGNORECASE,
)
_JUST_NOW = re.compile(r"(?:just\s+now|now|moments?\s+ago|a\s+moment\s+ago)", re.IGNORECASE)
_DAY_WORD = re.compile(rf"(?P<word>today|yesterday){_TIME_TAIL}", re.IGNORECASE)
# Relative phrasing the exact forms above do not cover; dateparser reads these.
_RELATIVE_HINT = re.compile(
    r"\b(?:ago|yesterday|today|tonight|tomorrow|just\s+now|from\s+now|"
    r"(?:last|this|next)\s+(?:week|month|year|night|morning|evening|"
    r"mon|tue|wed|thu|fri|sat|sun)|in\s+\d+\s+(?:second|minute|hour|day|week|month|year)s?\b)",
    re.IGNORECASE,
)

_ZONE_ABBREVIATIONS = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "PKT": 5 * 60, "GST": 4 * 60, "MSK": 3 * 60,
    "CET": 60, "CEST": 120, "BST": 60, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}
_OFFSET = re.compile(r"(?P<name>[a-z]{2,5})?\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
                     re.IGNORECASE)
_TIME_DIRECTIVES = re.compile(r"%[HIMSpXcTRrs]")
_MAX_LENGTH = 120  # longer strings are prose, not dates; dateparser is slow on them


class _NotExact(Exception):
    """The text has an exact form's shape but a detail (a zone name) needs dateparser."""


def parse_datetime(
    text: str | bytes | None,
    *,
    tz: str = "UTC",
    languages: Iterable[str] = ("en",),
    relative_base: datetime | str | bytes | None = None,
    formats: Iterable[str] = (),
) -> str | None:
    """An ISO 8601 string for `text` in zone `tz`: a full timestamp, or "YYYY-MM-DD"
    when the text names only a day. None when nothing can be read.

    Relative times ("41 minutes ago", "yesterday") are resolved against
    `relative_base` (an aware datetime, or an HTTP date / ISO string); without one
    they give None, never the wall clock. An invalid `tz` is a configuration error
    and raises.
    """
    zone = ZoneInfo(tz)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return None
    collapsed = " ".join(text.split()).strip(" |,;–—")
    if not collapsed or len(collapsed) > _MAX_LENGTH:
        return None
    cleaned = _LABEL.sub("", collapsed).strip(" |,;–—") or collapsed
    languages = (languages,) if isinstance(languages, str) else tuple(languages or ("en",))
    try:
        for candidate in dict.fromkeys((collapsed, cleaned)):
            result = _parse_with_formats(candidate, formats, zone)
            if result:
                return result
        try:
            result = _parse_exact(cleaned, zone)
        except _NotExact:
            result = None
        if result:
            return result
        base = _aware_base(relative_base)
        if _is_exact_relative(cleaned):
            return _parse_relative(cleaned, base, zone) if base else None
        if _RELATIVE_HINT.search(cleaned):
            return _dateparser_relative(cleaned, languages, tz, base, zone) if base else None
        return _dateparser_absolute(cleaned, languages, tz, zone)
    except (ValueError, OverflowError, KeyError):
        return None


def is_relative(text) -> bool:
    """True when `text` states a time relative to now ("2 hours ago", "yesterday")."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return False
    cleaned = _LABEL.sub("", " ".join(text.split())).strip(" |,;–—")
    return bool(cleaned) and (_is_exact_relative(cleaned) or bool(_RELATIVE_HINT.search(cleaned)))


def http_date_to_datetime(value: str | bytes | None) -> datetime | None:
    """An HTTP `Date` header (RFC 7231 forms) as an aware UTC datetime, or None."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000" and asctime dates: HTTP dates are always GMT
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


# --- exact forms -----------------------------------------------------------------

def _parse_exact(text: str, zone: tzinfo) -> str | None:
    match = _ISO.fullmatch(text)
    if match:
        return _from_parts(match, int(match["month"]), zone)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.fullmatch(text)
        if match:
            return _from_parts(match, month_number(match["month"]), zone)
    return None


def _from_parts(match: re.Match, month: int, zone: tzinfo) -> str | None:
    day = date(int(match["year"]), month, int(match["day"]))
    if match["hour"] is None:
        return day.isoformat()
    clock = _clock(match)
    if clock is None:
        return None
    moment = datetime.combine(day, clock)
    source_zone = _zone_from_token(match["zone"]) if match["zone"] else zone
    return _iso(moment.replace(tzinfo=source_zone), zone)


def _clock(match: re.Match) -> time | None:
    hour, ampm = int(match["hour"]), match.groupdict().get("ampm")
    if match["minute"] is None and not ampm:
        return None  # a bare number after a date is not a time
    if ampm:
        if hour > 12 and ampm[0].lower() == "a" or hour > 23:
            return None
        if hour <= 12:  # "15:32 PM" happens; trust the 24-hour figure then
            hour = hour % 12 + (12 if ampm[0].lower() == "p" else 0)
    return time(hour, int(match["minute"] or 0), int(match["second"] or 0))


def _zone_from_token(token: str) -> tzinfo:
    token = token.strip("()").upper()
    if token in _ZONE_ABBREVIATIONS:
        return timezone(timedelta(minutes=_ZONE_ABBREVIATIONS[token]))
    offset = _OFFSET.fullmatch(token)
    if offset and (offset["name"] is None or offset["name"].upper() in ("UTC", "GMT")):
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        return timezone(timedelta(minutes=minutes if offset["sign"] == "+" else -minutes))
    raise _NotExact(token)


def _parse_with_formats(text: str, formats, zone: tzinfo) -> str | None:
    for pattern in formats:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if not _TIME_DIRECTIVES.search(pattern):
            return parsed.date().isoformat()
        return _iso(parsed if parsed.tzinfo else parsed.replace(tzinfo=zone), zone)
    return None


def _iso(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


# --- relative times --------------------------------------------------------------

def _is_exact_relative(text: str) -> bool:
    return bool(RELATIVE_AGO.fullmatch(text) or _JUST_NOW.fullmatch(text) or _DAY_WORD.fullmatch(text))


def _aware_base(base) -> datetime | None:
    if isinstance(base, (str, bytes)):
        parsed = http_date_to_datetime(base)
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(base.decode() if isinstance(base, bytes) else base)
            except ValueError:
                return None
        base = parsed
    if not isinstance(base, datetime):
        return None
    return base if base.tzinfo else base.replace(tzinfo=timezone.utc)  # naive: taken as UTC


def _parse_relative(text: str, base: datetime, zone: tzinfo) -> str | None:
    local_base = base.astimezone(zone)
    if _JUST_NOW.fullmatch(text):
        return _iso(local_base, zone)
    word = _DAY_WORD.fullmatch(text)
    if word:
        day = local_base.date() - timedelta(days=word["word"].lower() == "yesterday")
        if word["hour"] is None:
            return day.isoformat()
        clock = _clock(word)
        if clock is None:
            return None
        source_zone = _zone_from_token(word["zone"]) if word["zone"] else zone
        return _iso(datetime.combine(day, clock, tzinfo=source_zone), zone)
    ago = RELATIVE_AGO.fullmatch(text)
    seconds, months, precise = 0, 0, False
    for part in _RELATIVE_PART.finditer(ago["parts"]):
        count = int(part["count"]) if part["count"].isdigit() else 1
        unit = part["unit"].lower()
        if unit.startswith("mo"):
            months += count
        elif unit.startswith("y"):
            months += 12 * count
        else:
            size = _unit_seconds(unit)
            seconds += count * size
            precise = precise or size < 86400
    if precise:  # "2 hours ago" is a moment; months count as 30 days then
        return _iso(local_base - timedelta(seconds=seconds, days=30 * months), zone)
    # "3 days ago" only claims a day: keep it a day, in the site's calendar.
    day = _minus_months(local_base.date(), months) - timedelta(seconds=seconds)
    return day.isoformat()


def _unit_seconds(unit: str) -> int:
    if unit.startswith("w"):
        return 7 * 86400
    if unit.startswith("d"):
        return 86400
    if unit.startswith("h"):
        return 3600
    if unit.startswith("m"):
        return 60
    return 1


def _minus_months(day: date, months: int) -> date:
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


# --- dateparser fallback ---------------------------------------------------------

@lru_cache(maxsize=32)
def _absolute_parser(languages: tuple[str, ...], tz: str):
    from dateparser.date import DateDataParser  # slow import: only when needed

    return DateDataParser(languages=list(languages), settings={
        "TIMEZONE": tz,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RETURN_TIME_AS_PERIOD": True,
        # A missing year would be filled from today's date: refuse instead.
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Relative times need a base; bare numbers are not publication dates.
        "PARSERS": ["custom-formats", "absolute-time"],
    })


def _dateparser_absolute(text: str, languages: tuple[str, ...], tz: str, zone: tzinfo) -> str | None:
    try:
        data = _absolute_parser(languages, tz).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return _from_date_data(data, zone)


def _dateparser_relative(text, languages, tz, base: datetime, zone: tzinfo) -> str | None:
    from dateparser.date import DateDataParser

    local_base = base.astimezone(zone).replace(tzinfo=None)
    try:  # cheap to build (~40 µs); the base differs per call
        data = DateDataParser(languages=list(languages), settings={
            "TIMEZONE": tz, "RETURN_AS_TIMEZONE_AWARE": True, "RETURN_TIME_AS_PERIOD": True,
            "RELATIVE_BASE": local_base,
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
    return _iso(moment, zone)
