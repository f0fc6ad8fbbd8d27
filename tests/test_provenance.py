"""Choosing the publication date among a page's dates, and flagging contradictions."""

from datetime import datetime, timezone

import pytest

from newscrawl.normalize.provenance import choose_published, date_from_url, dateline_disagrees, read_published

KARACHI = {"tz": "Asia/Karachi", "languages": ("en",)}
DATE_HEADER = datetime(2023, 7, 29, 16, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("candidates, expected", [
    ([("json-ld", "2020-04-29T15:32:37+0500"), ("byline", "Wed 29th April 2020 | 03:32 PM")],
     ("2020-04-29T15:32:37+05:00", "json-ld")),
    ([("json-ld", None), ("meta", "not a date"), ("byline", "July 29, 2023 | 08:20 PM")],
     ("2023-07-29T20:20:00+05:00", "byline")),
    ([("json-ld", ""), ("byline", "41 minutes ago")], ("2023-07-29T20:19:00+05:00", "byline")),
    ([("byline", None), ("listing", "2023-07-28T09:00:00+05:00"), ("dateline", "2023-07-27")],
     ("2023-07-28T09:00:00+05:00", "listing")),
    ([("url", "2023-07-29"), ("dateline", "2023-07-28")], ("2023-07-29", "url")),
    ([("dateline", "2023-07-29")], ("2023-07-29", "dateline")),
    ([("json-ld", "soon"), ("byline", None)], (None, None)),
    ([], (None, None)),
])
def test_first_readable_source_wins(candidates, expected):
    assert choose_published(candidates, relative_base=DATE_HEADER, **KARACHI) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://www.urdupoint.com/daily/livenews/2023-07-29/news-3521234.html", "2023-07-29"),
    ("https://www.app.com.pk/2023/07/29/senate-passes-bill/", "2023-07-29"),
    ("https://example.com/2023/13/29/x", None),
    ("https://example.com/2023/02/30/x", None),
    ("https://www.urdupoint.com/en/world/story-1731046.html", None),
    (None, None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("published, dateline, disagrees", [
    ("2023-07-29T20:20:00+05:00", "2023-07-29", False),
    ("2023-07-30T00:10:00+05:00", "2023-07-29", False),   # filed before midnight
    ("2023-07-31T09:00:00+05:00", "2023-07-29", True),
    ("2023-07-29", "2023-08-02", True),
    ("2023-07-29", None, False),
    (None, "2023-07-29", False),
])
def test_dateline_disagreement(published, dateline, disagrees):
    assert dateline_disagrees(published, dateline) is disagrees


def test_extracted_article_records_source_and_flags_a_contradicting_dateline():
    from scrapy.http import HtmlResponse

    from newscrawl.extract.article import extract_article
    from newscrawl.profiles import URDUPOINT

    page = b"""<html lang="en"><head>
      <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-08-03T10:00:00+0500"}</script>
      </head><body><div class="news_article"><h1>Floods recede in the south</h1></div>
      <div class="detail_txt"><p>KARACHI, (UrduPoint / Pakistan Point News - 29th Jul, 2023 ) :Water levels fell.</p></div>
      </body></html>"""
    url = "https://www.urdupoint.com/en/pakistan/floods-recede-in-the-south-1731999.html"
    article = extract_article(HtmlResponse(url, body=page, encoding="utf-8"), URDUPOINT)
    assert (article["published_at"], article["published_source"]) == ("2023-08-03T10:00:00+05:00", "json-ld")
    assert article["dateline"]["date"] == "2023-07-29"
    assert article["flags"] == ["dateline_date_mismatch"]


@pytest.mark.parametrize("values, expected", [
    ([None, "2023-07-29T13:20:00+04:00"], "+04:00"),
    (["2023-07-29T13:20:00+0530"], "+05:30"),
    (["2023-07-29T08:20:00Z"], "+00:00"),
    (["2023-07-29T13:20:00-0400", "2023-07-29T13:20:00+01:00"], "-04:00"),
    (["July 29, 2023", "2023-07-29"], None),
])
def test_page_zone(values, expected):
    from newscrawl.normalize.provenance import page_zone

    zone = page_zone(values)
    assert (zone and datetime(2023, 7, 29, tzinfo=zone).isoformat()[-6:]) == expected


def test_a_fixed_offset_zone_keeps_the_pages_offset():
    from datetime import timedelta

    from newscrawl.normalize.dates import parse_datetime

    gulf = timezone(timedelta(hours=4))
    assert parse_datetime("2023-07-29T09:20:00Z", tz=gulf) == "2023-07-29T13:20:00+04:00"
    assert parse_datetime("July 29, 2023 | 01:20 PM", tz=gulf) == "2023-07-29T13:20:00+04:00"


def test_agency_from_a_closing_credit_when_byline_and_dateline_name_none():
    from scrapy.http import HtmlResponse

    from newscrawl.extract.article import extract_article
    from newscrawl.profiles import URDUPOINT

    page = """<html lang="en"><body><div class="news_article"><h1>Deposits grow at UAE banks</h1></div>
      <div class="detail_txt"><p>ABU DHABI, Deposits at UAE banks grew in June, the central bank said.</p>
      <p>– Emirates News Agency, WAM –</p></div></body></html>""".encode()
    url = "https://www.urdupoint.com/en/business/deposits-grow-at-uae-banks-1731998.html"
    article = extract_article(HtmlResponse(url, body=page, encoding="utf-8"), URDUPOINT)
    assert article["agency"] == "WAM"
    assert article.get("dateline") is None


FETCH_BOUND = datetime(2023, 7, 30, 16, 0, tzinfo=timezone.utc)  # fetched 29 July + a day of skew


@pytest.mark.parametrize("candidates, expected", [
    # A placeholder year in JSON-LD does not beat the byline's date; the article says why.
    ([("json-ld", "9999-12-31"), ("byline", "Wed 12th July 2023 | 03:32 PM")],
     ("2023-07-12T15:32:00+05:00", "byline", ("date_future_dropped",))),
    ([("json-ld", "0001-01-01T00:00:00Z"), ("meta", "2023-02-30"), ("byline", "July 12, 2023")],
     ("2023-07-12", "byline", ("date_implausible_dropped",))),
    ([("meta", "-2023-07-12"), ("url", "2023-07-12")], ("2023-07-12", "url", ("date_implausible_dropped",))),
    # Month first on a day-first site: December would be after the fetch.
    ([("byline", "07/12/2023")], ("2023-07-12", "byline", ("date_order_swapped",))),
    ([("json-ld", "2023-08-15"), ("meta", "9999-12-31")], (None, None, ("date_future_dropped",))),
    ([("byline", "12/07/2023")], ("2023-07-12", "byline", ())),
])
def test_refused_dates_give_way_and_flag_the_article(candidates, expected):
    assert read_published(candidates, not_after=FETCH_BOUND, date_order="DMY", **KARACHI) == expected
