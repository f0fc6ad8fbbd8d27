"""Dates and times from news pages as ISO 8601 strings in the site's own zone.

A value with a time becomes "2023-07-29T20:20:00+05:00" (site zone, seconds, no
microseconds); a value that names only a day stays "2023-07-29", because turning it
into local midnight and converting it would move it to the previous day in UTC.

The exact forms (ISO 8601, RFC 2822, UrduPoint's bylines, "N minutes ago", and the
Urdu and Arabic forms "ہفتہ 29 جولائی 2023 20:20", "السبت 29 يوليو 2023 - 08:20 م",
"2 گھنٹے پہلے", "منذ ساعتين") are read with compiled regexes; dateparser is only a
fallback for anything else. Timing check:
    .venv/bin/python -m timeit -s "from newscrawl.normalize.dates import parse_datetime" \
        "parse_datetime('Wed 29th April 2020 | 03:32 PM', tz='Asia/Karachi')"
gave about 6-10 µs per call here, the Urdu and Arabic forms 6-11 µs (dateparser:
0.4-2.5 ms, 80 ms for its first call). Text without Arabic script never reaches the
Urdu/Arabic code, so the English path does not pay for it.

This module holds the public entry points and the English exact and relative forms;
the Urdu and Arabic forms are in script_dates.py, the clock and zone steps both share in
clock.py, and the dateparser fallback in dateparser_fallback.py.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Iterable, NamedTuple
from zoneinfo import ZoneInfo

from .clock import ImpossibleDay, NotExact, calendar_day, go_back, iso_in_zone, make_time, zone_from_token
from .date_checks import CLOCK_SKEW, DEFAULT_ORDER, IMPLAUSIBLE, OTHER_ORDER, check_order, refusal
from .dateparser_fallback import dateparser_absolute, dateparser_relative
from .script_dates import (
    ASCII_DIGITS, SCRIPT_LABEL, SCRIPT_RELATIVE_HINT, is_script_relative, parse_script_exact,
    parse_script_relative, script_text, strip_marks,
)

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
# "12/07/2023", "12.07.2023 10:30": day or month first, as the site writes them.
_NUMERIC = re.compile(
    rf"(?:{WEEKDAY_PATTERN}\.?,?\s+)?(?P<first>\d{{1,2}})(?P<sep>[/.-])(?P<other>\d{{1,2}})(?P=sep){_YEAR}"
    rf"{_TIME_TAIL}",
    re.IGNORECASE,
)
# "2023/07/12": year first is always year, month, day.
_NUMERIC_YEAR_FIRST = re.compile(
    rf"(?P<year>\d{{4}})(?P<sep>[/.])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}}){_TIME_TAIL}", re.IGNORECASE
)
# "-2023-07-01": a signed year is no publication date, and dateparser would drop the sign.
_SIGNED_YEAR = re.compile(r"[-−+]\s*\d")

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


_TIME_DIRECTIVES = re.compile(r"%[HIMSpXcTRrs]")
_MAX_LENGTH = 120  # longer strings are prose, not dates; dateparser is slow on them


class DateReading(NamedTuple):
    """What read_datetime made of a text: the value, or why a date it found was refused."""

    value: str | None
    refused: str | None = None   # date_checks.FUTURE or IMPLAUSIBLE: a date was read, and refused
    swapped: bool = False        # read in the other day/month order (the declared one was future)


def parse_datetime(text: str | bytes | None, **options) -> str | None:
    """An ISO 8601 string for `text` in zone `tz`: a full timestamp, or "YYYY-MM-DD"
    when the text names only a day. None when nothing can be read, or when what was read
    is not a plausible publication date. Options: those of read_datetime."""
    return read_datetime(text, **options).value


def read_datetime(
    text: str | bytes | None,
    *,
    tz: str | tzinfo = "UTC",
    languages: Iterable[str] = ("en",),
    relative_base: datetime | str | bytes | None = None,
    formats: Iterable[str] = (),
    date_order: str | None = None,
    not_after: datetime | None = None,
) -> DateReading:
    """`text` read as a publication date (see parse_datetime), and why a date was refused.

    Relative times ("41 minutes ago", "yesterday") are resolved against
    `relative_base` (an aware datetime, or an HTTP date / ISO string); without one
    they give None, never the wall clock. An invalid `tz` or `date_order` is a
    configuration error and raises. `tz` may also be a tzinfo (a page's own fixed offset,
    for sites with no profile); the dateparser fallback then reads naive values as UTC.

    `date_order` ("DMY", "MDY", "YMD"; default DMY) says how the site writes numeric dates.
    Dates before 1990 and after `not_after` (the fetch time plus a day's clock skew; by
    default the relative base plus that skew, when there is one) are refused; a future date
    is read once more in the other day/month order before it is refused.
    """
    order = check_order(date_order or DEFAULT_ORDER)
    if isinstance(tz, tzinfo):
        zone, tz = tz, "UTC"
    else:
        zone = ZoneInfo(tz)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return DateReading(None)
    if _SIGNED_YEAR.match(text.strip()):
        return DateReading(None, IMPLAUSIBLE)
    if not_after is None and relative_base is not None:
        base = _aware_base(relative_base)
        not_after = base + CLOCK_SKEW if base else None
    languages = (languages,) if isinstance(languages, str) else tuple(languages or ("en",))
    read = (text, zone, tz, languages, relative_base, tuple(formats or ()))
    try:
        value = _parse_text(*read, order)
        problem = value and refusal(value, not_after)
    except ImpossibleDay:  # refused, never moved to a neighbouring day
        value, problem = None, IMPLAUSIBLE
    if problem and order in OTHER_ORDER:  # "12/07/2023" read the wrong way round gives December
        try:
            other = _parse_text(*read, OTHER_ORDER[order])
        except ImpossibleDay:
            other = None
        if other and other != value and not refusal(other, not_after):
            return DateReading(other, swapped=True)
    return DateReading(None, problem) if problem else DateReading(value)


def _parse_text(text, zone, tz, languages, relative_base, formats, order) -> str | None:
    collapsed = " ".join(text.split()).strip(" |,;–—")
    if not collapsed.isascii():  # Eastern digits read as ASCII by every path below
        collapsed = strip_marks(collapsed).translate(ASCII_DIGITS)
    if not collapsed or len(collapsed) > _MAX_LENGTH:
        return None
    cleaned = _LABEL.sub("", collapsed).strip(" |,;–—") or collapsed
    try:
        for candidate in dict.fromkeys((collapsed, cleaned)):
            result = _parse_with_formats(candidate, formats, zone)
            if result:
                return result
        folded = script_text(cleaned)
        if folded is not None:  # the fold keeps offsets: cut the label from both
            label = SCRIPT_LABEL.match(folded)
            if label and label.end() < len(folded):
                cleaned, folded = cleaned[label.end():], folded[label.end():]
        return _parse_cleaned(cleaned, folded, zone, languages, tz, relative_base, order)
    except ImpossibleDay:
        raise
    except OverflowError:  # 9999-12-31T23:59Z moved to UTC+5 leaves the calendar
        raise ImpossibleDay(text) from None
    except (ValueError, KeyError):
        return None


def _parse_cleaned(cleaned, folded, zone, languages, tz, relative_base, order) -> str | None:
    """Exact forms first, then relative forms (which need a base), then dateparser."""
    try:
        result = _parse_exact(cleaned, zone, order) or (folded and parse_script_exact(folded, zone))
    except NotExact:
        result = None
    if result:
        return result
    base = _aware_base(relative_base)
    if _is_exact_relative(cleaned):
        return _parse_relative(cleaned, base, zone) if base else None
    if folded and is_script_relative(folded):
        return parse_script_relative(folded, base, zone) if base else None
    if _RELATIVE_HINT.search(cleaned) or (folded and SCRIPT_RELATIVE_HINT.search(folded)):
        return dateparser_relative(cleaned, languages, tz, base, zone, order) if base else None
    return dateparser_absolute(cleaned, languages, tz, zone, order)


def is_relative(text) -> bool:
    """True when `text` states a time relative to now ("2 hours ago", "yesterday")."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        return False
    cleaned = _LABEL.sub("", " ".join(text.split())).strip(" |,;–—")
    if not cleaned:
        return False
    if _is_exact_relative(cleaned) or _RELATIVE_HINT.search(cleaned):
        return True
    folded = script_text(strip_marks(cleaned))
    return folded is not None and (is_script_relative(folded) or bool(SCRIPT_RELATIVE_HINT.search(folded)))


def http_date_to_datetime(value: str | bytes | None) -> datetime | None:
    """An HTTP `Date` header (RFC 7231 forms) as an aware UTC datetime, or None."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or not value.strip():
        return None
    return _utc_from_http_date(value.strip())


@lru_cache(maxsize=64)  # responses answered in the same second carry the same header
def _utc_from_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000" and asctime dates: HTTP dates are always GMT
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


# --- exact forms -----------------------------------------------------------------

def _parse_exact(text: str, zone: tzinfo, order: str) -> str | None:
    for pattern in (_ISO, _NUMERIC_YEAR_FIRST):
        match = pattern.fullmatch(text)
        if match:
            return _from_parts(match, int(match["month"]), zone)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.fullmatch(text)
        if match:
            return _from_parts(match, month_number(match["month"]), zone)
    match = _NUMERIC.fullmatch(text) if order != "YMD" else None
    if match:
        day, month = (match["first"], match["other"]) if order == "DMY" else (match["other"], match["first"])
        return _from_parts(match, int(month), zone, int(day))
    return None


def _from_parts(match: re.Match, month: int, zone: tzinfo, day_of_month: int | None = None) -> str | None:
    # An impossible day (2023-02-30) raises: it is refused, never moved to another day.
    day = calendar_day(int(match["year"]), month, day_of_month or int(match["day"]))
    if match["hour"] is None:
        return day.isoformat()
    clock = _clock(match)
    if clock is None:
        return None
    moment = datetime.combine(day, clock)
    source_zone = zone_from_token(match["zone"]) if match["zone"] else zone
    return iso_in_zone(moment.replace(tzinfo=source_zone), zone)


def _clock(match: re.Match) -> time | None:
    ampm = match.groupdict().get("ampm")
    if match["minute"] is None and not ampm:
        return None  # a bare number after a date is not a time
    half = ampm[0].lower() if ampm else None
    return make_time(int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0), half)


def _parse_with_formats(text: str, formats, zone: tzinfo) -> str | None:
    for pattern in formats:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if not _TIME_DIRECTIVES.search(pattern):
            return parsed.date().isoformat()
        return iso_in_zone(parsed if parsed.tzinfo else parsed.replace(tzinfo=zone), zone)
    return None


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
        return iso_in_zone(local_base, zone)
    word = _DAY_WORD.fullmatch(text)
    if word:
        day = local_base.date() - timedelta(days=word["word"].lower() == "yesterday")
        if word["hour"] is None:
            return day.isoformat()
        clock = _clock(word)
        if clock is None:
            return None
        source_zone = zone_from_token(word["zone"]) if word["zone"] else zone
        return iso_in_zone(datetime.combine(day, clock, tzinfo=source_zone), zone)
    ago = RELATIVE_AGO.fullmatch(text)
    parts = [(int(part["count"]) if part["count"].isdigit() else 1, part["unit"].lower())
             for part in _RELATIVE_PART.finditer(ago["parts"])]
    return go_back(local_base, parts, zone)
