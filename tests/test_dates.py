from datetime import datetime, timedelta, timezone

import pytest

from newscrawl.normalize.dates import http_date_to_datetime, is_relative, parse_datetime

PKT = "Asia/Karachi"
UAE = "Asia/Dubai"
# The Date header of a page fetched on 29 July 2023 at 20:20 Pakistan time.
FETCHED = datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)
# Just after midnight in Karachi, still the previous day in UTC.
AFTER_MIDNIGHT = datetime(2023, 7, 29, 19, 30, tzinfo=timezone.utc)

CASES = [
    # ISO 8601
    ("2020-04-29T15:32:37+0500", PKT, None, "2020-04-29T15:32:37+05:00"),
    ("2020-04-29T15:32:37+05:00", PKT, None, "2020-04-29T15:32:37+05:00"),
    ("2023-07-29T15:20:00Z", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("2023-07-29T15:20:00+00:00", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("2023-07-29T15:20Z", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("2023-07-29T15:20:00.123456+05:00", PKT, None, "2023-07-29T15:20:00+05:00"),
    ("2023-07-29T22:30:00-04:00", PKT, None, "2023-07-30T07:30:00+05:00"),
    ("2023-07-29T20:20:00", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("2023-07-29 20:20", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("2023-07-29", PKT, None, "2023-07-29"),
    ("2023-07-29", "UTC", None, "2023-07-29"),
    ("2020-06-30T06:15:00Z", UAE, None, "2020-06-30T10:15:00+04:00"),
    ("2020-06-30T10:15:00+04:00", UAE, None, "2020-06-30T10:15:00+04:00"),
    ("2023-07-29T15:20:00Z", "UTC", None, "2023-07-29T15:20:00+00:00"),
    # RFC 2822 / HTTP dates
    ("Sat, 29 Jul 2023 15:20:00 GMT", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("Sat, 29 Jul 2023 20:20:00 +0500", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("Sat, 29 Jul 2023 20:20:00 +0500", UAE, None, "2023-07-29T19:20:00+04:00"),
    # UrduPoint and APP printed dates (site-local)
    ("Published July 29, 2023 | 08:20 PM", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("July 29, 2023 | 08:20 PM", PKT, None, "2023-07-29T20:20:00+05:00"),
    ("Wed 29th April 2020 | 03:32 PM", PKT, None, "2020-04-29T15:32:00+05:00"),
    ("Tue 03rd December 2019 | 11:18 PM", PKT, None, "2019-12-03T23:18:00+05:00"),
    ("Fri 15th January 2021 | 04:29 PM", PKT, None, "2021-01-15T16:29:00+05:00"),
    ("Fri 15th January 2021 | 12:05 AM", PKT, None, "2021-01-15T00:05:00+05:00"),
    ("Fri, 1 Aug 2025, 11:43 PM", PKT, None, "2025-08-01T23:43:00+05:00"),
    ("  Published:\xa0July 29, 2023\n| 08:20 PM ", PKT, None, "2023-07-29T20:20:00+05:00"),
    # Day-only values stay days
    ("29th July, 2023", PKT, None, "2023-07-29"),
    ("29th Jul, 2023", PKT, None, "2023-07-29"),
    ("4th Jan, 2023", PKT, None, "2023-01-04"),
    ("July 29, 2023", PKT, None, "2023-07-29"),
    ("Wed 26th July 2023", PKT, None, "2023-07-26"),
    ("29th July, 2023", "America/New_York", None, "2023-07-29"),
    # Relative times, resolved against the fetch time and expressed in the site's zone
    ("41 minutes ago", PKT, FETCHED, "2023-07-29T19:39:00+05:00"),
    ("1 minute ago", PKT, FETCHED, "2023-07-29T20:19:00+05:00"),
    ("2 hours ago", PKT, FETCHED, "2023-07-29T18:20:00+05:00"),
    ("an hour ago", PKT, FETCHED, "2023-07-29T19:20:00+05:00"),
    ("15 seconds ago", PKT, FETCHED, "2023-07-29T20:19:45+05:00"),
    ("3 hours and 20 minutes ago", PKT, FETCHED, "2023-07-29T17:00:00+05:00"),
    ("3 days ago", PKT, FETCHED, "2023-07-26"),
    ("1 week ago", PKT, FETCHED, "2023-07-22"),
    ("yesterday", PKT, FETCHED, "2023-07-28"),
    ("Yesterday", PKT, AFTER_MIDNIGHT, "2023-07-29"),  # the base is already the 30th in Karachi
    ("today", PKT, FETCHED, "2023-07-29"),
    ("Today | 08:20 PM", PKT, FETCHED, "2023-07-29T20:20:00+05:00"),
    ("41 minutes ago", UAE, FETCHED, "2023-07-29T18:39:00+04:00"),
    ("41 minutes ago", PKT, "Sat, 29 Jul 2023 15:20:00 GMT", "2023-07-29T19:39:00+05:00"),
    # No base: never the wall clock
    ("41 minutes ago", PKT, None, None),
    ("yesterday", PKT, None, None),
    ("last week", PKT, None, None),
    # Garbage
    (None, PKT, None, None),
    ("", PKT, None, None),
    ("   ", PKT, None, None),
    ("garbage", PKT, None, None),
    ("Email the author", PKT, None, None),
    ("2023-02-30", PKT, None, None),
    ("2023-07-29T25:61:00", PKT, None, None),
    ("July 29", PKT, None, None),  # no year: not filled in from today's date
    ("2023", PKT, None, None),
    (b"\xff\xfe", PKT, None, None),
    (12345, PKT, None, None),
    ("x" * 500, PKT, None, None),
]


@pytest.mark.parametrize(("text", "tz", "relative_base", "expected"), CASES)
def test_parse_datetime(text, tz, relative_base, expected):
    assert parse_datetime(text, tz=tz, relative_base=relative_base) == expected


# The date parts parse_byline returns from real UrduPoint bylines.
BYLINE_DATE_PARTS = [
    ("July 29, 2023 | 08:20 PM", "2023-07-29T20:20:00+05:00"),
    ("Tue 03rd December 2019 | 11:18 PM", "2019-12-03T23:18:00+05:00"),
    ("Fri 15th January 2021 | 04:29 PM", "2021-01-15T16:29:00+05:00"),
    ("Wed 29th April 2020 | 03:32 PM", "2020-04-29T15:32:00+05:00"),
]


@pytest.mark.parametrize(("date_text", "expected"), BYLINE_DATE_PARTS)
def test_byline_date_parts(date_text, expected):
    assert parse_datetime(date_text, tz=PKT) == expected


@pytest.mark.parametrize(("byline", "expected"), [
    ("Sumaira FH Published July 29, 2023 | 08:20 PM", "2023-07-29T20:20:00+05:00"),
    ("Fahad Shabbir (@FahadShabbir) 12 minutes ago Wed 29th April 2020 | 03:32 PM",
     "2020-04-29T15:32:00+05:00"),
])
def test_date_text_from_parsed_byline(byline, expected):
    from newscrawl.normalize.bylines import parse_byline

    assert parse_datetime(parse_byline(byline).date_text, tz=PKT) == expected


@pytest.mark.parametrize(("text", "formats", "expected"), [
    ("29/07/2023 20:20", ("%d/%m/%Y %H:%M",), "2023-07-29T20:20:00+05:00"),
    ("29/07/2023", ("%d/%m/%Y",), "2023-07-29"),
    ("07/08/2023", ("%d/%m/%Y",), "2023-08-07"),  # the profile's order wins over dateparser's guess
    ("2023.07.29 15:20 +0000", ("%Y.%m.%d %H:%M %z",), "2023-07-29T20:20:00+05:00"),
    ("not this", ("%d/%m/%Y",), None),
])
def test_profile_formats_come_first(text, formats, expected):
    assert parse_datetime(text, tz=PKT, formats=formats) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("29/07/2023 20:20", "2023-07-29T20:20:00+05:00"),
    ("2023/07/29", "2023-07-29"),
    ("29.07.2023", "2023-07-29"),
])
def test_dateparser_fallback(text, expected):
    assert parse_datetime(text, tz=PKT) == expected


def test_dateparser_fallback_uses_the_given_languages():
    assert parse_datetime("29 juillet 2023", tz=PKT, languages=("fr",)) == "2023-07-29"
    assert parse_datetime("29 juillet 2023", tz=PKT, languages=("en",)) is None


def test_naive_relative_base_is_taken_as_utc():
    naive = FETCHED.replace(tzinfo=None)
    assert parse_datetime("41 minutes ago", tz=PKT, relative_base=naive) == "2023-07-29T19:39:00+05:00"


def test_relative_result_never_depends_on_the_wall_clock():
    old_base = datetime(2019, 12, 3, 18, 20, tzinfo=timezone.utc)
    assert parse_datetime("2 minutes ago", tz=PKT, relative_base=old_base) == "2019-12-03T23:18:00+05:00"
    assert parse_datetime("2 minutes ago", tz=PKT, relative_base=old_base + timedelta(days=1)) == (
        "2019-12-04T23:18:00+05:00")


@pytest.mark.parametrize(("text", "expected"), [
    ("41 minutes ago", True),
    ("an hour ago", True),
    ("yesterday", True),
    ("Today | 08:20 PM", True),
    ("last week", True),
    ("July 29, 2023 | 08:20 PM", False),
    ("2023-07-29", False),
    ("a few minutes ago", True),
    ("", False),
    (None, False),
])
def test_is_relative(text, expected):
    assert is_relative(text) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Sat, 29 Jul 2023 15:20:00 GMT", datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)),
    (b"Sat, 29 Jul 2023 15:20:00 GMT", datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)),
    ("Saturday, 29-Jul-23 15:20:00 GMT", datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)),
    ("Sat Jul 29 15:20:00 2023", datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)),
    ("Sat, 29 Jul 2023 20:20:00 +0500", datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)),
    ("garbage", None),
    ("", None),
    (None, None),
])
def test_http_date_to_datetime(value, expected):
    parsed = http_date_to_datetime(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


def test_invalid_zone_is_a_configuration_error():
    with pytest.raises(Exception):
        parse_datetime("2023-07-29", tz="Not/AZone")


# --- day/month order and plausible publication dates ---------------------------------------

from newscrawl.normalize.date_checks import FUTURE, IMPLAUSIBLE, date_order_for_locales  # noqa: E402
from newscrawl.normalize.dates import DateReading, read_datetime  # noqa: E402

# Fetched 29 July 2023, 15:20 UTC: the latest plausible publication is a day later.
LATEST = FETCHED + timedelta(days=1)


@pytest.mark.parametrize("text, order, expected", [
    ("12/07/2023", "DMY", "2023-07-12"),              # Pakistan, the Gulf: 12 July
    ("12/07/2023", "MDY", "2023-07-12"),              # 7 December would be after the fetch: read D/M
    ("07/12/2023", "MDY", "2023-07-12"),
    ("07/12/2023", "DMY", "2023-07-12"),              # 7 December is future: the other reading
    ("03/04/2023", "DMY", "2023-04-03"),
    ("03/04/2023", "MDY", "2023-03-04"),              # both readings past: the declared one wins
    ("12.07.2023", "DMY", "2023-07-12"),
    ("12-07-2023", "DMY", "2023-07-12"),
    ("12/07/2023 10:30 PM", "DMY", "2023-07-12T22:30:00+05:00"),
    ("Published: 12/07/2023 | 22:30", "DMY", "2023-07-12T22:30:00+05:00"),
    ("Wed, 12/07/2023", "DMY", "2023-07-12"),
    ("13/07/2023", "MDY", "2023-07-13"),              # no 13th month: the only reading
    ("2023/07/12", "DMY", "2023-07-12"),              # year first is always Y/M/D
    ("2023/07/12", "MDY", "2023-07-12"),
    ("12/07/23", "DMY", "2023-07-12"),                # two-digit years: dateparser, same order
    ("01/08/2023", "DMY", "2023-01-08"),              # 1 August is after the fetch: 8 January
    ("31/12/2023", "DMY", None),                      # future, and no other reading: refused
])
def test_numeric_dates_follow_the_site_order(text, order, expected):
    assert parse_datetime(text, tz=PKT, date_order=order, not_after=LATEST) == expected


@pytest.mark.parametrize("text, expected", [
    ("12/07/2023", DateReading("2023-07-12")),
    ("07/12/2023", DateReading("2023-07-12", swapped=True)),
    ("31/12/2023", DateReading(None, FUTURE)),
    ("9999-12-31", DateReading(None, FUTURE)),
    ("9999-12-31T23:59:59Z", DateReading(None, IMPLAUSIBLE)),  # past the calendar's end in UTC+5
    ("2023-07-30T20:00:00+05:00", DateReading("2023-07-30T20:00:00+05:00")),  # within the day's skew
    ("2023-07-31T20:00:00+05:00", DateReading(None, FUTURE)),
    ("2023-07-31", DateReading(None, FUTURE)),
    ("0001-01-01", DateReading(None, IMPLAUSIBLE)),
    ("0001-01-01T00:00:00Z", DateReading(None, IMPLAUSIBLE)),
    ("1970-01-01T00:00:00Z", DateReading(None, IMPLAUSIBLE)),  # epoch zero: a CMS default
    ("1989-12-31", DateReading(None, IMPLAUSIBLE)),
    ("1990-01-01", DateReading("1990-01-01")),
    ("-2023-07-01", DateReading(None, IMPLAUSIBLE)),            # a sign is never dropped
    ("-2023-07-01T10:00:00Z", DateReading(None, IMPLAUSIBLE)),
    ("2023-02-30", DateReading(None, IMPLAUSIBLE)),             # refused, never 2023-03-02 or -02-01
    ("2023-02-30T10:00:00+05:00", DateReading(None, IMPLAUSIBLE)),
    ("30 February 2023", DateReading(None, IMPLAUSIBLE)),
    ("February 30, 2023 | 10:00 AM", DateReading(None, IMPLAUSIBLE)),
    ("30/02/2023", DateReading(None, IMPLAUSIBLE)),
    ("0000-00-00 00:00:00", DateReading(None, IMPLAUSIBLE)),
    ("30 فروری 2023", DateReading(None, IMPLAUSIBLE)),
    ("not a date", DateReading(None)),
])
def test_implausible_and_future_dates_are_refused_with_a_reason(text, expected):
    assert read_datetime(text, tz=PKT, languages=("en", "ur"), not_after=LATEST) == expected


def test_the_relative_base_bounds_dates_when_no_fetch_time_is_given():
    assert parse_datetime("9999-12-31", tz=PKT, relative_base=FETCHED) is None
    assert parse_datetime("2023-07-29", tz=PKT, relative_base=FETCHED) == "2023-07-29"


def test_an_unknown_date_order_is_a_configuration_error():
    with pytest.raises(ValueError, match="unknown date order 'DYM'"):
        parse_datetime("12/07/2023", date_order="DYM")


@pytest.mark.parametrize("tags, expected", [
    (("en-US",), "MDY"),
    (("en_US",), "MDY"),
    (("en-GB",), "DMY"),
    (("en-IN",), "DMY"),
    (("en-PK",), "DMY"),
    (("en-AE",), "DMY"),
    (("en-SA",), "DMY"),              # no CLDR en-SA: the country's own locale (ar-SA)
    (("ur",), "DMY"),
    (("ur-PK",), "DMY"),
    (("ar",), "DMY"),
    (("ar-AE",), "DMY"),
    (("en",), "DMY"),                 # no country: day first unless American
    (("ja",), "YMD"),
    (("zh-Hans-CN",), "YMD"),
    ((None, "", "en-US"), "MDY"),     # html lang missing, og:locale says en_US
    (("xx-YY", "en-PH"), "MDY"),      # an unknown tag is skipped
    (("en-PK", "en_US"), "DMY"),      # the first known tag wins
    ((), "DMY"),
    (("not a tag",), "DMY"),
])
def test_date_order_from_the_page_language(tags, expected):
    assert date_order_for_locales(*tags) == expected


def test_every_profile_declares_a_known_date_order():
    from newscrawl.normalize.date_checks import DATE_ORDERS
    from newscrawl.profiles import PROFILES

    assert {name: profile.date_order for name, profile in PROFILES.items()} == dict.fromkeys(PROFILES, "DMY")
    assert all(profile.date_order in DATE_ORDERS for profile in PROFILES.values())
