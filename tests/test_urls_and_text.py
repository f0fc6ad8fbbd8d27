"""URL canonicalization and text cleanup on the forms wire sites print."""

import pytest

from newscrawl.normalize.text import clean_text, join_paragraphs, unique
from newscrawl.normalize.urls import canonical_url, same_site
from newscrawl.profiles import URDUPOINT

ARTICLE = "https://www.urdupoint.com/en/world/blinken-says-russian-defense-chief-allegedly-1731046.html"


@pytest.mark.parametrize("linked", [
    ARTICLE,
    ARTICLE + "?utm_source=twitter&utm_medium=social",
    ARTICLE + "#comments",
    ARTICLE + "?fbclid=IwAR0abc",
    "https://WWW.URDUPOINT.COM/en/world/blinken-says-russian-defense-chief-allegedly-1731046.html",
    "https://www.urdupoint.com/en/amp/world/blinken-says-russian-defense-chief-allegedly-1731046.html",
    "https://www.urdupoint.com/en/amp/world/blinken-says-russian-defense-chief-allegedly-1731046.html?utm_campaign=x#top",
])
def test_every_variant_of_one_article_has_one_key(linked):
    assert canonical_url(linked, URDUPOINT.amp_rules) == ARTICLE


def test_meaningful_parameters_stay():
    assert canonical_url("https://example.com/news?id=5&utm_source=x&page=2") == "https://example.com/news?id=5&page=2"


@pytest.mark.parametrize("url, expected", [
    (ARTICLE, ("world", "1731046")),
    ("https://www.urdupoint.com/en/amp/pakistan/x-y-906868.html", ("pakistan", "906868")),
    ("https://www.urdupoint.com/en/news/world.html", None),
    ("https://www.urdupoint.com/en/latest-news/russia.html", None),
    ("https://www.urdupoint.com/en/team/fahad-shabbir.html", None),
])
def test_article_pattern(url, expected):
    match = URDUPOINT.article_match(url)
    assert (match and (match["section"], match["id"])) == (expected or None)


def test_same_site_accepts_subdomains_only():
    assert same_site("https://www.urdupoint.com/en/", ("urdupoint.com",))
    assert not same_site("https://urdupoint.com.evil.example/", ("urdupoint.com",))
    assert not same_site("https://noturdupoint.com/", ("urdupoint.com",))


@pytest.mark.parametrize("raw, expected", [
    ("It is impossible to give the exact  date  when\n the borders ", "It is impossible to give the exact date when the borders"),
    ("PESHAWAR, (APP - UrduPoint / Pakistan Point News - 4th Jan, 2023 ) :Spirited", "PESHAWAR, (APP - UrduPoint / Pakistan Point News - 4th Jan, 2023 ) :Spirited"),
    ("\u200bMOSCOW\u00a0(UrduPoint News)", "MOSCOW (UrduPoint News)"),
    ("  \n ", None),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_join_paragraphs_and_unique():
    assert join_paragraphs(["One.", " ", "Two  words."]) == "One.\n\nTwo words."
    assert join_paragraphs([]) is None
    assert unique(["Russia", "russia", "", "April"]) == ["Russia", "April"]
