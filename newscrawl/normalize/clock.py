"""Clock, zone and calendar primitives shared by the English and the Urdu/Arabic date readers.

Both scripts end the same way: a day and an optional clock time (12- or 24-hour) in a
zone named in the text or the site's own, written as ISO 8601 in the site's zone, and
relative times ("2 hours ago", "منذ ساعتين") counted back from a base. Those steps live
here, below dates.py and script_dates.py, so neither has to import the other; the two
exceptions tell the readers that an exact form names an impossible day (refused) or a
zone only dateparser knows (handed on to it).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

_ZONE_ABBREVIATIONS = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "PKT": 5 * 60, "GST": 4 * 60, "MSK": 3 * 60,
    "CET": 60, "CEST": 120, "BST": 60, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}
_OFFSET = re.compile(r"(?P<name>[a-z]{2,5})?\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
                     re.IGNORECASE)


class NotExact(Exception):
    """The text has an exact form's shape but a detail (a zone name) needs dateparser."""


class ImpossibleDay(ValueError):
    """The text has an exact form's shape and names a day no calendar has (2023-02-30)."""


def calendar_day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleDay(f"{year}-{month}-{day}") from None


def make_time(hour: int, minute: int, second: int, half: str | None) -> time | None:
    """A clock time; `half` is "a" or "p" for a 12-hour figure, None for 24-hour."""
    if half:
        if hour > 12 and half == "a" or hour > 23:
            return None
        if hour <= 12:  # "15:32 PM" happens; trust the 24-hour figure then
            hour = hour % 12 + (12 if half == "p" else 0)
    return time(hour, minute, second)


def zone_from_token(token: str) -> tzinfo:
    """The zone a date names ("PKT", "GMT+5", "+05:00"); NotExact for names only dateparser knows."""
    token = token.strip("()").upper()
    if token in _ZONE_ABBREVIATIONS:
        return timezone(timedelta(minutes=_ZONE_ABBREVIATIONS[token]))
    offset = _OFFSET.fullmatch(token)
    if offset and (offset["name"] is None or offset["name"].upper() in ("UTC", "GMT")):
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        return timezone(timedelta(minutes=minutes if offset["sign"] == "+" else -minutes))
    raise NotExact(token)


def iso_in_zone(moment: datetime, zone: tzinfo) -> str:
    """`moment` as ISO 8601 in `zone`, to the second."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def go_back(local_base: datetime, parts: list[tuple[int, str]], zone: tzinfo) -> str:
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
        return iso_in_zone(local_base - timedelta(seconds=seconds, days=30 * months), zone)
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
