"""URL canonicalization and text cleanup on the forms wire sites print."""

import pytest

from newscrawl.normalize.text import clean_text, join_paragraphs, unique
from newscrawl.normalize.urls import canonical_url, http_url, same_site
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
    # Bidi embeddings, overrides and isolates go; the right-to-left text stays
    ("Breaking\u202e lanif \u202cnews", "Breaking lanif news"),
    ("\u202bوزیراعظم کا دورہ\u202c", "وزیراعظم کا دورہ"),
    ("\u2067السعودية\u2069 تعلن", "السعودية تعلن"),
    ("\u202a\u202d\u2066\u2068x\u2069", "x"),
    # ZWNJ and ZWJ spell Urdu and Persian words ("کی‌بورڈ", "می‌خواهم"): kept
    ("کی\u200cبورڈ", "کی\u200cبورڈ"),
    ("می\u200cخواهم", "می\u200cخواهم"),
    ("ک\u200dی", "ک\u200dی"),
    ("\u200fشنہوا\u200f", "\u200fشنہوا\u200f"),
    # C0 and C1 controls go; tab and newline are whitespace
    ("Floods\x00 hit\x07 the\x1b[31m towns", "Floods hit the[31m towns"),
    ("C1\x80\x9b controls\x85next", "C1 controls next"),
    ("tab\tand\nnewline", "tab and newline"),
    ("  \n ", None),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("value, base, expected", [
    ("https://www.urdupoint.com/images/a.jpg", None, "https://www.urdupoint.com/images/a.jpg"),
    ("  http://127.0.0.1:8765/x.jpg ", None, "http://127.0.0.1:8765/x.jpg"),
    ("HTTPS://example.com/a", None, "HTTPS://example.com/a"),
    ("/images/a.jpg", "https://www.urdupoint.com/en/world/x-1.html", "https://www.urdupoint.com/images/a.jpg"),
    ("//cdn.example.com/a.jpg", "https://example.com/story", "https://cdn.example.com/a.jpg"),
    ("/images/a.jpg", None, None),           # relative with nothing to resolve it against
    ("javascript:alert(1)", None, None),
    ("javascript:alert(1)", "https://example.com/story", None),
    (" JavaScript:alert(document.cookie)", "https://example.com/story", None),
    ("data:image/svg+xml;base64,PHN2Zz4=", "https://example.com/story", None),
    ("vbscript:msgbox(1)", None, None),
    ("file:///etc/passwd", None, None),
    ("ftp://example.com/a.jpg", None, None),
    ("http://", None, None),
    ("http://[::1", None, None),
    ("", None, None),
    (None, None, None),
    (42, None, None),
])
def test_http_url_keeps_only_http_urls(value, base, expected):
    assert http_url(value, base) == expected


def test_canonical_url_of_a_non_http_url_is_none():
    assert canonical_url("javascript:alert(1)") is None


def test_join_paragraphs_and_unique():
    assert join_paragraphs(["One.", " ", "Two  words."]) == "One.\n\nTwo words."
    assert join_paragraphs([]) is None
    assert unique(["Russia", "russia", "", "April"]) == ["Russia", "April"]
