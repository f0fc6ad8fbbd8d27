"""Argument types of the `newscrawl` command: each turns a malformed value into argparse's usage
error (exit 2) naming the option and what it expects, before the command runs."""

import argparse


def iso_datetime(value):
    """An ISO 8601 time with its UTC offset, as a datetime."""
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected an ISO 8601 time such as 2023-07-29T16:00:00Z")
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r}: give its UTC offset, e.g. 2023-07-29T21:00:00+05:00")
    return parsed


def iso_day(value):
    """A day as YYYY-MM-DD (the form the archive compares against)."""
    from datetime import date

    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{value!r}: expected a date as YYYY-MM-DD")


def whole_number(low, high):
    """A type for whole numbers from low to high: '1e23', '2.5', '-1' and overflows are refused
    here, not deep in SQLite."""
    def parse(value):
        text = value.strip()
        if not text.lstrip("+-").isdigit() or len(text) > 12:
            raise argparse.ArgumentTypeError(f"{value!r}: expected a whole number from {low:,} to {high:,}")
        number = int(text)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{value!r}: expected a whole number from {low:,} to {high:,}")
        return number
    parse.__name__ = "whole number"  # argparse names the type in its own messages
    return parse


port_number = whole_number(0, 65535)  # 0: any free port


def http_url(value):
    from .validation import is_http_url

    if not is_http_url(value.strip()):
        raise argparse.ArgumentTypeError(f"{value!r}: expected an http(s) URL such as "
                                         "https://www.urdupoint.com/en/world/some-story-1731046.html")
    return value.strip()


def profile_name(value):
    """The name of a site profile (`scrapy list` shows them)."""
    from .profiles import PROFILES

    if value not in PROFILES:
        raise argparse.ArgumentTypeError(f"{value!r}: no such site profile; profiles: {', '.join(sorted(PROFILES))}")
    return value


def timezone_name(value):
    """An IANA timezone such as Asia/Karachi."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError; "../x" a ValueError
        raise argparse.ArgumentTypeError(f"{value!r}: not an IANA timezone such as Asia/Karachi") from None
    return value
