"""newscrawl.validation: the type and form of every Article field, and length caps, on real
values (and the runaway ones that reached the archive before these checks)."""

import pytest

from conftest import make_article
from newscrawl.validation import ENTRY_LIMIT, TEXT_CAPS, URL_LIMIT, InvalidField, check_article

LONG_URL = "https://www.urdupoint.com/en/world/story-1731046.html?" + "utm_content=x&" * 800


def test_a_crawled_article_passes_unchanged():
    assert check_article(make_article()) == ({}, [])
    assert check_article(make_article(published_at="2023-07-29", modified_at="2023-07-30T08:00:00Z",
                                      dateline={}, authors=[], flags=None)) == ({}, [])


@pytest.mark.parametrize("field, value, problem", [
    ("title", ["Floods hit", "the coastal towns"], "expected a string, not list"),
    ("body", {"text": "KARACHI, July 29 (APP) - Heavy rains"}, "expected a string, not dict"),
    ("url", 1731046, "expected a string, not int"),
    ("url", "javascript:alert(1)", "not an http(s) URL"),
    ("url", "www.urdupoint.com/en/world/story-1731046.html", "not an http(s) URL"),
    ("canonical_url", "/en/world/story-1731046.html", "not an http(s) URL"),
    ("canonical_url", "http://[::1/story", "not an http(s) URL"),
    ("canonical_url", LONG_URL, f"more than {URL_LIMIT}"),
    ("published_at", "not a date", "is not an ISO 8601 date or time"),
    ("published_at", "July 29, 2023", "is not an ISO 8601 date or time"),
    ("published_at", "20230729", "is not an ISO 8601 date or time"),  # sorts wrong against --since
    ("published_at", "2023-02-30", "is not an ISO 8601 date or time"),
    ("modified_at", "2023-07-29T25:00:00+05:00", "is not an ISO 8601 date or time"),
    ("fetched_at", "2023-07-30", "is not an ISO 8601 time"),
    ("fetched_at", 1690711200, "expected a string, not int"),
    ("authors", "Ayesha Khan", "expected a list of strings, not str"),
    ("tags", ["Pakistan", 7], "expected a string, not int"),
    ("dateline", "KARACHI, July 29 (APP)", "expected an object, not str"),
    ("dateline", {"location": "KARACHI", "city": "Karachi"}, "unknown keys city"),
    ("dateline", {"location": ["KARACHI"]}, "expected a string, not list"),
    ("published_source", "guessed", "is not one of json-ld"),
    ("site", ["urdupoint"], "expected a string, not list"),
    ("article_id", "9" * 300, "300 characters, more than 200"),
    ("story_id", "17", "expected a whole number, not str"),
    ("story_id", True, "expected a whole number, not bool"),
    ("title", "Floods \ud800 hit", "lone surrogate"),  # what JSON "\ud800" decodes to
])
def test_a_value_of_the_wrong_type_or_form_makes_the_article_invalid(field, value, problem):
    with pytest.raises(InvalidField) as raised:
        check_article(make_article(**{field: value}))
    assert raised.value.reason == f"invalid_{field}"
    assert str(raised.value).startswith(f"{field}: ") and problem in str(raised.value)


@pytest.mark.parametrize("field, value", [
    ("published_at", "2023-07-29T20:20:00+05:00"),
    ("published_at", "2023-07-29T15:20:00Z"),
    ("published_at", "2023-07-29T20:20:00"),        # no offset: other crawlers' feeds
    ("published_at", "2023-07-29 20:20:00+05:00"),
    ("modified_at", "2023-07-29"),
    ("fetched_at", "2023-07-30T10:00:00.123456+00:00"),
    ("url", "HTTP://WWW.URDUPOINT.COM/en/world/story-1731046.html"),
    ("image_url", "https://www.urdupoint.com/images/news/2023/07/29/story.jpg"),
    ("published_source", "htmldate"),
    ("title", "ایران میں زلزلے سے تباہی"),
    ("title", "T" * TEXT_CAPS["title"]),  # at the cap: kept whole
])
def test_valid_values_pass_untouched(field, value):
    assert check_article(make_article(**{field: value})) == ({}, [])


@pytest.mark.parametrize("field, value, kept", [
    ("title", "Floods hit the coastal towns " * 7000, TEXT_CAPS["title"]),   # ~200 KB
    ("subtitle", "Heavy rains. " * 1000, TEXT_CAPS["subtitle"]),
    ("byline_raw", "By Ayesha Khan " * 500, TEXT_CAPS["byline_raw"]),
    ("body", "KARACHI, July 29 (APP) - Heavy monsoon rains.\n\n" * 45000, TEXT_CAPS["body"]),  # ~2 MB
])
def test_runaway_text_is_cut_at_its_cap_and_flagged(field, value, kept):
    changed, flags = check_article(make_article(**{field: value}))
    assert flags == [f"{field}_truncated"]
    assert len(changed[field]) <= kept and value.startswith(changed[field])
    assert len(changed[field]) > kept - 30  # cut at the cap, less the trailing space it ends on


def test_lists_keep_their_first_entries_each_cut_to_its_limit():
    tags = [f"Tag {n}" for n in range(500)]
    changed, flags = check_article(make_article(tags=tags, authors=["Ayesha Khan", "A" * 5000]))
    assert changed["tags"] == tags[:100]
    assert changed["authors"] == ["Ayesha Khan", "A" * ENTRY_LIMIT]
    assert sorted(flags) == ["authors_truncated", "tags_truncated"]


def test_dateline_parts_are_cut_and_flagged():
    dateline = {"location": "KARACHI" * 100, "agency": "APP", "outlet": None, "date": "2023-07-29"}
    changed, flags = check_article(make_article(dateline=dateline))
    assert changed["dateline"] == {**dateline, "location": ("KARACHI" * 100)[:ENTRY_LIMIT]}
    assert flags == ["dateline_truncated"]


@pytest.mark.parametrize("image_url", [
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
    "/images/news/story.jpg",
    "https://www.urdupoint.com/images/" + "x" * 3000 + ".jpg",
])
def test_an_unusable_image_url_is_removed_not_the_article(image_url):
    assert check_article(make_article(image_url=image_url)) == ({"image_url": None}, ["image_url_invalid"])


def test_a_numeric_article_id_becomes_its_string():
    assert check_article(make_article(article_id=1731046)) == ({"article_id": "1731046"}, [])
