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
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Iterable, NamedTuple
from zoneinfo import ZoneInfo

from .date_checks import CLOCK_SKEW, DEFAULT_ORDER, FUTURE, IMPLAUSIBLE, OTHER_ORDER, check_order, refusal

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


class _ImpossibleDay(ValueError):
    """The text has an exact form's shape and names a day no calendar has (2023-02-30)."""


def _calendar_day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _ImpossibleDay(f"{year}-{month}-{day}") from None


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
    except _ImpossibleDay:  # refused, never moved to a neighbouring day
        value, problem = None, IMPLAUSIBLE
    if problem and order in OTHER_ORDER:  # "12/07/2023" read the wrong way round gives December
        try:
            other = _parse_text(*read, OTHER_ORDER[order])
        except _ImpossibleDay:
            other = None
        if other and other != value and not refusal(other, not_after):
            return DateReading(other, swapped=True)
    return DateReading(None, problem) if problem else DateReading(value)


def _parse_text(text, zone, tz, languages, relative_base, formats, order) -> str | None:
    collapsed = " ".join(text.split()).strip(" |,;–—")
    if not collapsed.isascii():  # Eastern digits read as ASCII by every path below
        collapsed = strip_marks(collapsed).translate(_DIGITS)
    if not collapsed or len(collapsed) > _MAX_LENGTH:
        return None
    cleaned = _LABEL.sub("", collapsed).strip(" |,;–—") or collapsed
    try:
        for candidate in dict.fromkeys((collapsed, cleaned)):
            result = _parse_with_formats(candidate, formats, zone)
            if result:
                return result
        folded = _script_text(cleaned)
        if folded is not None:  # the fold keeps offsets: cut the label from both
            label = _SCRIPT_LABEL.match(folded)
            if label and label.end() < len(folded):
                cleaned, folded = cleaned[label.end():], folded[label.end():]
        return _parse_cleaned(cleaned, folded, zone, languages, tz, relative_base, order)
    except _ImpossibleDay:
        raise
    except OverflowError:  # 9999-12-31T23:59Z moved to UTC+5 leaves the calendar
        raise _ImpossibleDay(text) from None
    except (ValueError, KeyError):
        return None


def _parse_cleaned(cleaned, folded, zone, languages, tz, relative_base, order) -> str | None:
    """Exact forms first, then relative forms (which need a base), then dateparser."""
    try:
        result = _parse_exact(cleaned, zone, order) or (folded and _parse_script_exact(folded, zone))
    except _NotExact:
        result = None
    if result:
        return result
    base = _aware_base(relative_base)
    if _is_exact_relative(cleaned):
        return _parse_relative(cleaned, base, zone) if base else None
    if folded and _is_script_relative(folded):
        return _parse_script_relative(folded, base, zone) if base else None
    if _RELATIVE_HINT.search(cleaned) or (folded and _SCRIPT_RELATIVE_HINT.search(folded)):
        return _dateparser_relative(cleaned, languages, tz, base, zone, order) if base else None
    return _dateparser_absolute(cleaned, languages, tz, zone, order)


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
    folded = _script_text(strip_marks(cleaned))
    return folded is not None and (_is_script_relative(folded) or bool(_SCRIPT_RELATIVE_HINT.search(folded)))


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
    day = _calendar_day(int(match["year"]), month, day_of_month or int(match["day"]))
    if match["hour"] is None:
        return day.isoformat()
    clock = _clock(match)
    if clock is None:
        return None
    moment = datetime.combine(day, clock)
    source_zone = _zone_from_token(match["zone"]) if match["zone"] else zone
    return _iso(moment.replace(tzinfo=source_zone), zone)


def _clock(match: re.Match) -> time | None:
    ampm = match.groupdict().get("ampm")
    if match["minute"] is None and not ampm:
        return None  # a bare number after a date is not a time
    half = ampm[0].lower() if ampm else None
    return _make_time(int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0), half)


def _make_time(hour: int, minute: int, second: int, half: str | None) -> time | None:
    """A clock time; `half` is "a" or "p" for a 12-hour figure, None for 24-hour."""
    if half:
        if hour > 12 and half == "a" or hour > 23:
            return None
        if hour <= 12:  # "15:32 PM" happens; trust the 24-hour figure then
            hour = hour % 12 + (12 if half == "p" else 0)
    return time(hour, minute, second)


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
    parts = [(int(part["count"]) if part["count"].isdigit() else 1, part["unit"].lower())
             for part in _RELATIVE_PART.finditer(ago["parts"])]
    return _go_back(local_base, parts, zone)


def _go_back(local_base: datetime, parts: list[tuple[int, str]], zone: tzinfo) -> str:
    """`local_base` minus (count, unit) parts; units are English words or abbreviations."""
    seconds, months, precise = 0, 0, False
    for count, unit in parts:
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


# --- Urdu and Arabic script ------------------------------------------------------
# Typists interchange Arabic and Urdu letters (ي/ی, ك/ک, ه/ہ/ة), hamza forms of alef
# and digit sets. Tables and text are folded to one spelling so each table stays
# short; the fold maps one character to one, so an offset in folded text is valid in
# the original (bylines and datelines slice the original by it).
_ASCII_DIGIT_OF = {digit: str(value % 10) for value, digit in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}
_DIGITS = str.maketrans(_ASCII_DIGIT_OF)
_FOLD = str.maketrans({
    **_ASCII_DIGIT_OF,
    **dict.fromkeys("أإآٱ", "ا"), **dict.fromkeys("يى", "ی"), "ك": "ک",
    **dict.fromkeys("هةۃۂۀھ", "ہ"), "،": ",", **dict.fromkeys("\u200e\u200f\u061c", " "),
})
# Vowel marks, tatweel and joiners carry no meaning for matching but break words apart.
_MARKS = dict.fromkeys([0x0640, 0x0670, 0x200C, 0x200D, *range(0x064B, 0x0660)])
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def fold_script(text: str) -> str:
    """Arabic-script text in one spelling (digits ASCII); same length as `text`."""
    return text.translate(_FOLD)


def strip_marks(text: str) -> str:
    """`text` without vowel marks, tatweel and zero-width joiners."""
    return text.translate(_MARKS)


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of folded `words`, longest first, any spacing between words."""
    folded = sorted({fold_script(word) for word in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, word.split())) for word in folded) + ")"


_SCRIPT_MONTH_NAMES = {
    # Urdu; Arabic (Gulf, Egypt); Levantine; Maghreb
    1: ("جنوری", "يناير", "كانون الثاني", "جانفي"),
    2: ("فروری", "فبراير", "شباط", "فيفري"),
    3: ("مارچ", "مارس", "آذار"),
    4: ("اپریل", "أبريل", "إبريل", "نيسان", "أفريل"),
    5: ("مئی", "مایو", "مايو", "أيار", "ماي"),
    6: ("جون", "يونيو", "يونيه", "حزيران", "جوان"),
    7: ("جولائی", "يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("اگست", "أغسطس", "آب", "أوت", "غشت"),
    9: ("ستمبر", "سبتمبر", "أيلول", "شتنبر"),
    10: ("اکتوبر", "أكتوبر", "تشرين الأول"),
    11: ("نومبر", "نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("دسمبر", "ديسمبر", "كانون الأول", "دجنبر"),
}
_SCRIPT_MONTHS = {" ".join(fold_script(name).split()): number
                  for number, names in _SCRIPT_MONTH_NAMES.items() for name in names}
SCRIPT_MONTH_PATTERN = _alternation(_SCRIPT_MONTHS)
SCRIPT_WEEKDAY_PATTERN = (
    _alternation(("یوم", "بروز")) + r"?\s*"  # Arabic "يوم السبت", Urdu "بروز ہفتہ"
    + _alternation(("پیر", "سوموار", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "ہفتے", "سنیچر",
                    "اتوار", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"))
)


def script_month_number(name: str) -> int:
    """1-12 for a (folded or not) Urdu or Arabic month name."""
    return _SCRIPT_MONTHS[" ".join(fold_script(name).split())]


_SCRIPT_HALVES = {"ص": "a", "صباحا": "a", "قبل الظهر": "a", "am": "a", "a.m.": "a",
                  "م": "p", "مساء": "p", "مساءا": "p", "بعد الظهر": "p", "pm": "p", "p.m.": "p"}
_SCRIPT_HALF_BY_WORD = {fold_script(word): half for word, half in _SCRIPT_HALVES.items()}
_SCRIPT_ZONES = {"بتوقيت غرينتش": "GMT", "بتوقيت جرينتش": "GMT", "بتوقيت الإمارات": "GST",
                 "gmt": "GMT", "utc": "UTC", "pkt": "PKT", "gst": "GST"}
_SCRIPT_ZONE_BY_WORD = {" ".join(fold_script(word).split()): token for word, token in _SCRIPT_ZONES.items()}
# "2023ء" (Urdu) and "2023م" (Arabic, "of the Christian era") mark the year, not a time.
_ERA = r"(?:\s*(?:ء|م)(?!\w))?"
_SCRIPT_TIME = (
    rf"(?:\s*(?:[-–—|,:]|{_alternation(('الساعة', 'بوقت', 'في'))})?\s*"
    rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?"
    rf"(?:\s*(?P<half>{_alternation(_SCRIPT_HALVES)})(?!\w))?"
    rf"(?:\s*\(?(?P<zone>{_alternation(_SCRIPT_ZONES)})\)?)?)?"
)
# "ہفتہ 29 جولائی 2023 20:20", "السبت، 29 يوليو 2023 - 08:20 م", "29 تموز/يوليو 2023"
_SCRIPT_DAY_MONTH_YEAR = re.compile(
    rf"(?:{SCRIPT_WEEKDAY_PATTERN}\s*,?\s*)?(?P<day>\d{{1,2}})\s*(?P<month>{SCRIPT_MONTH_PATTERN})"
    rf"(?:\s*[/(]\s*{SCRIPT_MONTH_PATTERN}\s*\)?)?\s*,?\s*(?P<year>\d{{4}}){_ERA}{_SCRIPT_TIME}",
    re.IGNORECASE,
)
# "يوليو 29, 2023" (English-template Arabic sites)
_SCRIPT_MONTH_DAY_YEAR = re.compile(
    rf"(?:{SCRIPT_WEEKDAY_PATTERN}\s*,?\s*)?(?P<month>{SCRIPT_MONTH_PATTERN})\s+(?P<day>\d{{1,2}})\s*,\s*"
    rf"(?P<year>\d{{4}}){_ERA}{_SCRIPT_TIME}",
    re.IGNORECASE,
)
# The same form inside a byline ("مقبول احمد ہفتہ 29 جولائی 2023 20:20"), on folded text.
SCRIPT_DATE_IN_TEXT = re.compile(r"(?<!\w)" + _SCRIPT_DAY_MONTH_YEAR.pattern, re.IGNORECASE)
_SCRIPT_LABEL = re.compile(
    _alternation(("نشر في", "نشر بتاريخ", "تاريخ النشر", "تم النشر", "آخر تحديث", "تحديث", "تاريخ",
                  "شائع شدہ", "شائع", "تاریخ اشاعت", "اپ ڈیٹ", "آخری اپ ڈیٹ")) + r"\s*:?\s*"
)

_SCRIPT_UNITS = {
    "second": ("سیکنڈ", "ثانية", "ثوان", "ثواني"), "minute": ("منٹ", "دقيقة", "دقائق"),
    "hour": ("گھنٹہ", "گھنٹے", "گھنٹا", "ساعة", "ساعات"), "day": ("دن", "روز", "يوم", "أيام"),
    "week": ("ہفتہ", "ہفتے", "ہفتوں", "أسبوع", "أسابيع"),
    "month": ("مہینہ", "مہینے", "ماہ", "شهر", "أشهر", "شهور"),
    "year": ("سال", "برس", "سنة", "سنوات", "عام", "أعوام"),
}
# Arabic duals carry their count: "ساعتين" is two hours.
_SCRIPT_DUALS = {
    "second": ("ثانيتين", "ثانيتان"), "minute": ("دقيقتين", "دقيقتان"), "hour": ("ساعتين", "ساعتان"),
    "day": ("يومين", "يومان"), "week": ("أسبوعين", "أسبوعان"), "month": ("شهرين", "شهران"),
    "year": ("سنتين", "عامين", "سنتان", "عامان"),
}
_SCRIPT_UNIT_BY_WORD = {
    fold_script(word): (unit, count)
    for table, count in ((_SCRIPT_UNITS, 0), (_SCRIPT_DUALS, 2))
    for unit, words in table.items() for word in words
}
_SCRIPT_COUNT_WORDS = {
    1: ("ایک", "واحد", "واحدة"), 2: ("دو",), 3: ("تین", "ثلاث", "ثلاثة"), 4: ("چار", "أربع", "أربعة"),
    5: ("پانچ", "خمس", "خمسة"), 6: ("چھ", "ست", "ستة"), 7: ("سات", "سبع", "سبعة"),
    8: ("آٹھ", "ثماني", "ثمانية"), 9: ("نو", "تسع", "تسعة"), 10: ("دس", "عشر", "عشرة"),
}
_SCRIPT_COUNT_BY_WORD = {fold_script(word): n for n, words in _SCRIPT_COUNT_WORDS.items() for word in words}
_SCRIPT_COUNT = rf"(?:{_alternation(_SCRIPT_COUNT_BY_WORD)}|\d+)"
_SCRIPT_UNIT = rf"{_alternation(_SCRIPT_UNIT_BY_WORD)}(?!\w)"
_SCRIPT_RELATIVE_PART = re.compile(rf"(?:(?P<count>{_SCRIPT_COUNT})\s*)?(?P<unit>{_SCRIPT_UNIT})")


def _script_parts(group: str) -> str:
    """One to four "<count> <unit>" parts joined by "و" / "اور", captured as `group`."""
    part = rf"(?:{_SCRIPT_COUNT}\s*)?{_SCRIPT_UNIT}"
    # One space run per joint and at most four parts, so that a long run of unit words
    # cannot make the regex backtrack for ages.
    return rf"(?P<{group}>{part}(?:\s*(?:(?:و|اور)\s*)?{part}){{0,3}})"


# Urdu "2 گھنٹے پہلے" / "3 دن قبل"; Arabic "منذ 41 دقيقة" / "قبل ساعتين".
SCRIPT_RELATIVE_AGO = re.compile(
    rf"(?:{_script_parts('parts')}\s*{_alternation(('پہلے', 'قبل'))}"
    rf"|{_alternation(('منذ', 'قبل'))}\s*{_script_parts('parts_ar')})(?!\w)"
)
_SCRIPT_DAYS_BACK = {"کل": 1, "گزشتہ روز": 1, "گذشتہ روز": 1, "آج": 0,
                     "أمس": 1, "الأمس": 1, "البارحة": 1, "اليوم": 0}
_SCRIPT_DAYS_BACK_BY_WORD = {fold_script(word): back for word, back in _SCRIPT_DAYS_BACK.items()}
_SCRIPT_DAY_WORD = re.compile(rf"(?P<word>{_alternation(_SCRIPT_DAYS_BACK)}){_SCRIPT_TIME}")
_SCRIPT_NOW = re.compile(_alternation(("ابھی", "ابھی ابھی", "الآن", "منذ لحظات", "قبل لحظات")))
# Relative phrasing outside the exact forms; dateparser (given "ur" or "ar") reads these.
# "قبل" also opens "قبل الظهر" (a.m.), which is no relative time.
_SCRIPT_RELATIVE_HINT = re.compile(
    r"(?<!\w)(?:" + _alternation(("پہلے", "منذ", "کل", "آج", "ابھی", "گزشتہ", "گذشتہ", "پچھلے", "اگلے",
                                  "آئندہ", "أمس", "البارحة", "اليوم", "الآن", "الماضي", "الماضية",
                                  "الفائت", "المقبل", "القادم", "غدا"))
    + rf"|قبل(?!\s+{fold_script('الظهر')}))(?!\w)"
)


def _script_text(text: str) -> str | None:
    """`text` folded for the Urdu/Arabic forms, or None when it has no Arabic script."""
    if text.isascii() or not ARABIC_SCRIPT.search(text):
        return None
    return fold_script(text)


def _parse_script_exact(folded: str, zone: tzinfo) -> str | None:
    for pattern in (_SCRIPT_DAY_MONTH_YEAR, _SCRIPT_MONTH_DAY_YEAR):
        match = pattern.fullmatch(folded)
        if match:
            day = _calendar_day(int(match["year"]), script_month_number(match["month"]), int(match["day"]))
            return _script_on_day(day, match, zone)
    return None


def _script_on_day(day: date, match: re.Match, zone: tzinfo) -> str | None:
    if match["hour"] is None:
        return day.isoformat()
    half = _SCRIPT_HALF_BY_WORD[" ".join(match["half"].lower().split())] if match["half"] else None
    clock = _make_time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0), half)
    if clock is None:
        return None
    zone_token = match["zone"] and _SCRIPT_ZONE_BY_WORD[" ".join(match["zone"].lower().split())]
    source_zone = _zone_from_token(zone_token) if zone_token else zone
    return _iso(datetime.combine(day, clock, tzinfo=source_zone), zone)


def _is_script_relative(folded: str) -> bool:
    return bool(SCRIPT_RELATIVE_AGO.fullmatch(folded) or _SCRIPT_NOW.fullmatch(folded)
                or _SCRIPT_DAY_WORD.fullmatch(folded))


def _parse_script_relative(folded: str, base: datetime, zone: tzinfo) -> str | None:
    local_base = base.astimezone(zone)
    if _SCRIPT_NOW.fullmatch(folded):
        return _iso(local_base, zone)
    word = _SCRIPT_DAY_WORD.fullmatch(folded)
    if word:
        back = _SCRIPT_DAYS_BACK_BY_WORD[" ".join(word["word"].split())]
        return _script_on_day(local_base.date() - timedelta(days=back), word, zone)
    ago = SCRIPT_RELATIVE_AGO.fullmatch(folded)
    parts = []
    for part in _SCRIPT_RELATIVE_PART.finditer(ago["parts"] or ago["parts_ar"]):
        unit, implied = _SCRIPT_UNIT_BY_WORD[part["unit"]]
        count = part["count"]
        number = int(count) if count and count.isdigit() else _SCRIPT_COUNT_BY_WORD.get(count, 0)
        parts.append((number or implied or 1, unit))
    return _go_back(local_base, parts, zone)


# --- dateparser fallback ---------------------------------------------------------

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


def _dateparser_absolute(text: str, languages: tuple[str, ...], tz: str, zone: tzinfo, order: str) -> str | None:
    try:
        data = _absolute_parser(languages, tz, order).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return _from_date_data(data, zone)


def _dateparser_relative(text, languages, tz, base: datetime, zone: tzinfo, order: str) -> str | None:
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
    return _iso(moment, zone)
