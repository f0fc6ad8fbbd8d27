"""Unit tables for the defensive readers: JSON-LD of any shape (extract/jsonld.py), canonical
trust (extract/canonical.py), URL variant keys (urlkeys.py), bylines kept out of the body."""

import json
from collections import Counter

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extract.article import BYLINE_LIMIT, extract_article
from newscrawl.extract.canonical import consistent, trusted_canonical
from newscrawl.extract.jsonld import MAX_DEPTH, clean_object, load_json, nesting_depth
from newscrawl.profiles import PROFILES
from newscrawl.urlkeys import article_key, on_origin, without_amp

URDUPOINT = PROFILES["urdupoint"]


# --- JSON-LD ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, depth", [
    ('{"a": 1}', 1),
    ('{"a": [1, {"b": "[[[[{{{"}]}', 3),          # brackets inside strings do not count
    ('"\\"[["', 0),
    ("[" * 200_000 + "]" * 200_000, MAX_DEPTH + 1),  # counting stops past the limit
])
def test_nesting_depth(text, depth):
    assert nesting_depth(text) == depth


@pytest.mark.parametrize("raw, reason", [
    ("[" * 200_000 + "]" * 200_000, "jsonld/too_deep"),
    ('{"a":' * 200_000 + "1" + "}" * 200_000, "jsonld/too_large"),
    ("{not json", "jsonld/unreadable"),
])
def test_unusable_scripts_are_counted_not_raised(raw, reason):
    problems = Counter()
    assert load_json(raw, problems) is None
    assert problems == Counter({reason: 1})


def test_a_script_just_within_the_depth_limit_is_read():
    raw = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_json(raw, Counter()) is not None


@pytest.mark.parametrize("obj, cleaned, reasons", [
    ({"headline": "Floods", "author": "Asad Ali"}, {"headline": "Floods", "author": "Asad Ali"}, {}),
    ({"headline": ["Floods", "Second"]}, {"headline": "Floods"}, {}),
    ({"headline": 1731046}, {}, {"headline": 1}),
    ({"headline": {"x": {"y": 1}}}, {}, {"headline": 1}),
    ({"headline": {"@value": "Floods"}}, {"headline": "Floods"}, {}),
    ({"headline": [["x"], 7, "Floods"]}, {"headline": "Floods"}, {"headline": 1}),
    ({"author": 42}, {}, {"author": 1}),
    ({"author": [1, {"name": "Asad Ali"}]}, {"author": [{"@type": "Person", "name": "Asad Ali"}]}, {"author": 1}),
    ({"author": {"@type": "Person", "name": {"first": "Asad"}}}, {}, {"author": 1}),
    ({"author": {"@id": "#a"}}, {"author": {"@id": "#a"}}, {}),
    ({"author": {"@id": {"x": 1}}}, {}, {"author": 1}),
    ({"datePublished": {"@value": 20230801}}, {}, {"datePublished": 1}),
    ({"image": {"url": ["a"]}}, {}, {"image": 1}),
    ({"image": [{"url": "https://e.com/a.jpg"}]}, {"image": "https://e.com/a.jpg"}, {}),
    ({"keywords": ["US", 3, "Fed"]}, {"keywords": ["US", "Fed"]}, {"keywords": 1}),
    ({"@type": {"kind": "NewsArticle"}, "@id": ["x"]}, {}, {}),
    ({"@type": ["NewsArticle", 5]}, {"@type": "NewsArticle"}, {}),
])
def test_values_of_the_wrong_shape_are_left_out_and_counted(obj, cleaned, reasons):
    problems = Counter()
    assert clean_object(obj, problems) == cleaned
    assert problems == Counter({f"jsonld/wrong_type/{key}": n for key, n in reasons.items()})


def _page(json_ld, byline='<p class="art_info_bar">By Asad Ali</p>', inside=""):
    body = "".join(f"<p>Paragraph {i} of the council story, long enough to read as the text of news.</p>"
                   for i in range(4))
    return (f'<html><head><title>Council approves budget - UrduPoint</title>'
            f'<script type="application/ld+json">{json_ld}</script></head><body>'
            f'<div class="main_bar fl news_article"><h1>Council approves budget</h1>{byline}'
            f'<div class="detail_txt"><h2>A standfirst</h2>{inside}{body}</div></div></body></html>')


URL = "http://127.0.0.1:8000/en/world/council-approves-budget-1234567.html"
SHAPES = [
    json.dumps({"@type": "NewsArticle", "headline": {"a": 1}, "author": {"name": {"a": 1}},
                "datePublished": {"a": 1}}),
    json.dumps({"@type": "NewsArticle", "headline": "x", "datePublished": ["2023-08-01"], "dateModified": 5}),
    json.dumps({"@type": {"a": 1}, "headline": "x", "@id": ["x"], "author": {"@id": {"b": 2}}}),
    "[" * 200_000 + "]" * 200_000,
    '{"a":' * 200_000 + "1" + "}" * 200_000,
]


@pytest.mark.parametrize("profile", [None, URDUPOINT], ids=["generic", "urdupoint"])
@pytest.mark.parametrize("json_ld", SHAPES, ids=["objects", "lists", "type-and-id", "deep-array", "deep-object"])
def test_any_shape_of_json_ld_still_gives_the_article(json_ld, profile):
    article = extract_article(HtmlResponse(URL, body=_page(json_ld).encode(), encoding="utf-8"), profile)
    assert article["title"] in ("Council approves budget", "x")
    assert article["body"].startswith(("Paragraph 0", "A standfirst"))


# --- bylines ---------------------------------------------------------------------------------

BIG_BYLINE = "By " + " ".join(f"Reporter{i} Name," for i in range(7000))


@pytest.mark.parametrize("profile, page", [
    (URDUPOINT, _page("{}", byline="", inside=f'<p class="art_info_bar">{BIG_BYLINE}</p>')),
    (None, _page("{}", byline=f'<p class="byline">{BIG_BYLINE}</p>')),
], ids=["profile-inside-body", "generic-byline-class"])
def test_a_100kb_byline_is_not_body_text(profile, page):
    article = extract_article(HtmlResponse(URL, body=page.encode(), encoding="utf-8"), profile)
    assert "Reporter1 Name" not in article["body"]
    assert len(article.get("byline_raw") or "") <= BYLINE_LIMIT


def test_a_capped_byline_is_flagged():
    page = _page("{}", byline=f'<p class="art_info_bar">{BIG_BYLINE}</p>')
    article = extract_article(HtmlResponse(URL, body=page.encode(), encoding="utf-8"), URDUPOINT)
    assert article["byline_raw"].startswith("By Reporter0 Name, Reporter1 Name,")
    assert "byline_raw_truncated" in article["flags"]


# --- canonical trust -------------------------------------------------------------------------

@pytest.mark.parametrize("fetched, canonical, profile, trusted", [
    # the profile's id decides
    ("https://www.urdupoint.com/en/amp/world/floods-hit-1731046.html",
     "https://www.urdupoint.com/en/world/floods-hit-karachi-1731046.html", URDUPOINT, True),
    ("https://www.urdupoint.com/en/world/floods-hit-1731046.html",
     "https://www.urdupoint.com/en/world/other-story-1731000.html", URDUPOINT, False),
    ("https://www.urdupoint.com/en/world/floods-hit-1731046.html", "https://www.urdupoint.com/en/", URDUPOINT, False),
    # no profile: same path, same last segment or same long id
    ("https://e.com/news/floods-hit-karachi?utm_source=x", "https://e.com/news/floods-hit-karachi", None, True),
    ("https://e.com/news/floods-hit-karachi/amp", "https://e.com/news/floods-hit-karachi", None, True),
    ("https://e.com/world/floods-hit-karachi", "https://e.com/pakistan/floods-hit-karachi/", None, True),
    ("https://e.com/story/10734512", "https://e.com/world/floods-hit-karachi-10734512", None, True),
    ("https://e.com/news/floods-hit-karachi", "https://e.com/", None, False),
    ("https://e.com/news/floods-hit-karachi", "https://e.com/news/markets-close-higher", None, False),
    ("https://e.com/20230801/floods-hit", "https://e.com/20230801/markets-close", None, False),  # a day is no id
    ("https://e.com/article.php?id=123", "https://e.com/article.php", None, False),
    ("https://e.com/article.php?id=123", "https://e.com/article.php?id=123", None, True),
])
def test_canonical_consistency(fetched, canonical, profile, trusted):
    assert consistent(fetched, canonical, profile) is trusted


@pytest.mark.parametrize("candidates, expected", [
    (["https://e.com/news/floods-hit-karachi"], ("https://e.com/news/floods-hit-karachi", False)),
    (["https://e.com/"], ("https://e.com/news/floods-hit-karachi?ref=1", True)),
    (["https://e.com/", "https://e.com/news/floods-hit-karachi"], ("https://e.com/news/floods-hit-karachi", False)),
    (["https://other.example/news/floods-hit-karachi"], ("https://e.com/news/floods-hit-karachi?ref=1", False)),
    (["http://[::1", "javascript:alert(1)"], ("https://e.com/news/floods-hit-karachi?ref=1", False)),
    ([], ("https://e.com/news/floods-hit-karachi?ref=1", False)),
])
def test_trusted_canonical(candidates, expected):
    assert trusted_canonical("https://e.com/news/floods-hit-karachi?ref=1", candidates, ("e.com",)) == expected


# --- URL variants ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://e.com/news/floods-hit?amp", "https://e.com/news/floods-hit"),
    ("https://e.com/news/floods-hit?amp=1", "https://e.com/news/floods-hit"),
    ("https://e.com/news/floods-hit?outputType=amp", "https://e.com/news/floods-hit"),
    ("https://e.com/news/floods-hit?page=2&amp=1", "https://e.com/news/floods-hit?page=2"),
    ("https://e.com/news/floods-hit/amp", "https://e.com/news/floods-hit"),
    ("https://e.com/news/floods-hit/amp/", "https://e.com/news/floods-hit/"),
    ("https://e.com/amp", "https://e.com/amp"),                        # a section named amp
    ("https://e.com/news/amplifiers-on-sale", "https://e.com/news/amplifiers-on-sale"),
    ("https://e.com/news/floods-hit?camp=1", "https://e.com/news/floods-hit?camp=1"),
])
def test_without_amp(url, expected):
    assert without_amp(url) == expected


@pytest.mark.parametrize("url, origin, expected", [
    ("http://urdupoint.com/en/world/a-1.html", "https://www.urdupoint.com", "https://www.urdupoint.com/en/world/a-1.html"),
    ("https://urdupoint.com/en/world/a-1.html", "https://www.urdupoint.com", "https://www.urdupoint.com/en/world/a-1.html"),
    ("http://www.e.com/a", "https://e.com/", "https://e.com/a"),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000", "http://127.0.0.1:8000/a"),
    ("http://127.0.0.1:9000/a", "http://127.0.0.1:8000", "http://127.0.0.1:9000/a"),   # another server
    ("https://other.example/a", "https://e.com", "https://other.example/a"),
    ("https://news.e.com/a", "https://e.com", "https://news.e.com/a"),               # a subdomain is its own site
    ("https://e.com/a", None, "https://e.com/a"),
])
def test_on_origin(url, origin, expected):
    assert on_origin(url, origin) == expected


def test_every_variant_of_one_article_has_one_key():
    origin = "https://www.e.com/"
    variants = ["http://e.com/news/floods-hit", "https://www.e.com/news/floods-hit?amp",
                "http://www.e.com/news/floods-hit/amp", "https://e.com/news/floods-hit?outputType=amp",
                "https://e.com/news/floods-hit?amp=1"]
    assert {article_key(url, origin) for url in variants} == {"https://www.e.com/news/floods-hit"}


def test_the_crawls_origin_folds_the_fetched_url_when_the_page_has_no_canonical():
    from scrapy.http import Request

    page = "<html><head><title>Floods hit Karachi</title></head><body><p>Text of the story.</p></body></html>"
    keys = set()
    for url in ("http://e.com/news/floods-hit?amp", "https://www.e.com/news/floods-hit"):
        request = Request(url, meta={"site_origin": "https://www.e.com/"})
        keys.add(extract_article(HtmlResponse(url, body=page.encode(), encoding="utf-8", request=request))
                 ["canonical_url"])
    assert keys == {"https://www.e.com/news/floods-hit"}
