"""Which way a site writes numeric dates, and which dates can be publication dates at all.

"12/07/2023" is 12 July in Pakistan, the Gulf, Britain and India, and 7 December in the
United States. A profile declares its order; a page without one is judged by its language
tag (CLDR's short date pattern for that locale, through Babel). A tag without a country
reads day-first, except for the languages whose CLDR default is otherwise (ja, zh: year
first); plain "en" is day-first too, since only American English writes the month first.

A publication date is refused when it is before 1990 (no wire site's archive is older; a
0001-01-01 is a CMS placeholder) or later than the fetch time plus a day of clock skew.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

DATE_ORDERS = ("DMY", "MDY", "YMD")
DEFAULT_ORDER = "DMY"
# The reading tried when the declared one gives a date in the future.
OTHER_ORDER = {"DMY": "MDY", "MDY": "DMY"}
EARLIEST = date(1990, 1, 1)
CLOCK_SKEW = timedelta(days=1)

FUTURE = "future"
IMPLAUSIBLE = "implausible"

_TAG = re.compile(r"(?P<language>[a-z]{2,3})(?:[-_](?:[a-z]{4}[-_])?(?P<territory>[a-z]{2}|\d{3}))?(?:[-_].*)?",
                  re.IGNORECASE)


def check_order(order: str) -> str:
    """`order` itself; an unknown one is a configuration error."""
    if order not in DATE_ORDERS:
        raise ValueError(f"unknown date order {order!r}; expected one of {', '.join(DATE_ORDERS)}")
    return order


def date_order_for_locales(*tags: str | None) -> str:
    """The numeric date order of the first language tag ("en-PK", "ur", "en_US") that names
    a known locale; DMY when none does."""
    for tag in tags:
        match = _TAG.fullmatch((tag or "").strip())
        if match:
            order = _order_of(match["language"].lower(), (match["territory"] or "").upper())
            if order:
                return order
    return DEFAULT_ORDER


@lru_cache(maxsize=256)
def _order_of(language: str, territory: str) -> str | None:
    from babel import Locale, UnknownLocaleError  # only pages without a profile pay the import

    if not territory and language == "en":
        return DEFAULT_ORDER  # CLDR's "en" is American; only en-US (and the like) write M/D/Y
    for identifier in ((f"{language}_{territory}", f"und_{territory}") if territory else (language,)):
        try:
            pattern = Locale.parse(identifier).date_formats["short"].pattern
        except (UnknownLocaleError, ValueError, KeyError):
            continue
        return _order_of_pattern(pattern)
    return None


def _order_of_pattern(pattern: str) -> str:
    """"dd/MM/y" -> "DMY", "M/d/yy" -> "MDY", "y/MM/dd" -> "YMD"."""
    positions = {letter: pattern.find(letter) for letter in "dMy"}
    if min(positions.values()) < 0:
        return DEFAULT_ORDER
    first = min(positions, key=positions.get)
    return {"d": "DMY", "M": "MDY", "y": "YMD"}[first]


def latest_publication(fetched_at: datetime) -> datetime:
    """The latest publication time a page fetched at `fetched_at` can have."""
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    return fetched_at + CLOCK_SKEW


def refusal(value: str, not_after: datetime | None) -> str | None:
    """Why an ISO value ("2023-07-12", "2023-07-12T10:00:00+05:00") cannot be a publication
    date: IMPLAUSIBLE (before 1990), FUTURE (after `not_after`), or None when it can."""
    try:
        if len(value) == 10:
            day, moment = date.fromisoformat(value), None
        else:
            moment = datetime.fromisoformat(value)
            day = moment.date()
    except ValueError:
        return IMPLAUSIBLE
    if day < EARLIEST:
        return IMPLAUSIBLE
    if not_after is None:
        return None
    if moment is None:
        return FUTURE if day > not_after.date() else None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return FUTURE if moment > not_after else None
