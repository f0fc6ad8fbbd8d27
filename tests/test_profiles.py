"""Every site profile against saved pages of its site (tests/fixtures/profiles/<site>/).

Adding a site is one profile module, one saved article page with its expected JSON and one saved
listing with its expected links; the tests below find them by walking the folder.
  <name>.html + <name>.json                  an article page and the Article it must give
                                             (fields left out of the JSON are not compared)
  listing-<name>.html + listing-<name>.json  {"url", "articles", "next_page"[, "section", "page",
                                             "listing_published"]} for the spider's listing policy
  load-more-<name>.json + load-more-<name>.expected.json   a "load more" answer, likewise
  api-<name>.json + api-<name>.expected.json   for a profile with an article_api: the API's answer
                                             and the Article it must give (its "url" is the page's)
next_page is a URL (GET), {"method", "url", "body"} (a load-more POST) or null.
`scripts/regen_fixtures.py` rewrites the article JSON when a profile changes on purpose.
"""

import json
import re
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler

from newscrawl.cli import extract_page
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.profiles import PROFILES
from newscrawl.spiders.site import SiteSpider

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
# The time the saved pages were "fetched": listings' relative times ("40 minutes ago") count from it.
HEADERS = {"Date": "Sat, 29 Jul 2023 16:00:00 GMT"}
NEVER_COMPARED = {"fetched_at"}  # the time of the test run
EXPECTED_SUFFIX = ".expected.json"

ARTICLE_PAGES = sorted(p for p in FIXTURES.glob("*/*.html") if not p.name.startswith("listing-"))
LISTING_PAGES = sorted(FIXTURES.glob("*/listing-*.html"))
LOAD_MORE_ANSWERS = sorted(p for p in FIXTURES.glob("*/load-more-*.json") if not p.name.endswith(EXPECTED_SUFFIX))
API_ANSWERS = sorted(p for p in FIXTURES.glob("*/api-*.json") if not p.name.endswith(EXPECTED_SUFFIX))


def fixture_id(path):
    return f"{path.parent.name}/{path.name}"


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def expected_path(answer):
    return answer.with_name(answer.name.removesuffix(".json") + EXPECTED_SUFFIX)


def article_mismatches(expected, article):
    return [f"{field}:\n    expected {expected[field]!r}\n    got      {article.get(field)!r}"
            for field in expected if field not in NEVER_COMPARED and article.get(field) != expected[field]]


def make_spider(profile):
    cls = type("FixtureSpider", (SiteSpider,), {"name": profile.name, "profile": profile})
    crawler = get_crawler(cls)
    crawler.spider = spider = cls.from_crawler(crawler)
    crawler.stats.open_spider()
    return spider


def follow_up(request):
    """How a listing's next request is written in the fixtures."""
    if request.method == "GET":
        return request.url
    return {"method": request.method, "url": request.url, "body": request.body.decode("utf-8")}


def check_listing_requests(requests, expected):
    """Compare a listing callback's output with its expected JSON; one message per differing part."""
    articles = [r for r in requests if r.callback.__name__ == "parse_article"]
    others = [r for r in requests if r.callback.__name__ != "parse_article"]
    got = {
        "articles": [r.url for r in articles],
        "next_page": follow_up(others[0]) if others else None,
        "listing_published": [r.meta.get("listing_published") for r in articles],
    }
    problems = [f"{key}:\n    expected {expected[key]!r}\n    got      {got[key]!r}"
                for key in got if key in expected and got[key] != expected[key]]
    assert len(others) <= 1, f"more than one follow-up request: {[follow_up(r) for r in others]}"
    assert not problems, "\n  ".join(problems)


# --- article pages --------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ARTICLE_PAGES, ids=fixture_id)
def test_article_page_gives_its_expected_article(page):
    expected = read_json(page.with_suffix(".json"))
    unknown = set(expected) - set(ARTICLE_FIELDS)
    assert not unknown, f"{page.with_suffix('.json').name}: not Article fields: {sorted(unknown)}"
    article = extract_page(str(page), expected["url"], site=page.parent.name)
    mismatches = article_mismatches(expected, article)
    assert not mismatches, f"{fixture_id(page)}, {len(mismatches)} field(s) differ:\n  " + "\n  ".join(mismatches)


@pytest.mark.parametrize("answer", API_ANSWERS, ids=fixture_id)
def test_api_answer_gives_its_expected_article(answer):
    """The spider asks the profile's API for the article and extracts the answer as its page."""
    expected = read_json(expected_path(answer))
    profile = PROFILES[answer.parent.name]
    request = Request(profile.article_api.url_for(expected["url"]), meta={"article_url": expected["url"]})
    response = TextResponse(request.url, body=answer.read_bytes(), headers=HEADERS, encoding="utf-8",
                            request=request)
    article = make_spider(profile).extract(response)
    assert article is not None, f"{fixture_id(answer)}: the answer could not be parsed (see the log)"
    mismatches = article_mismatches(expected, article)
    assert not mismatches, f"{fixture_id(answer)}, {len(mismatches)} field(s) differ:\n  " + "\n  ".join(mismatches)


EXPECTED_ARTICLES = [p.with_suffix(".json") for p in ARTICLE_PAGES] + [expected_path(a) for a in API_ANSWERS]


@pytest.mark.parametrize("expectation", EXPECTED_ARTICLES, ids=fixture_id)
def test_expected_article_is_complete_and_well_typed(expectation):
    """The expectations themselves: what every archived article has, in the stored types."""
    expected = read_json(expectation)
    for field in ("url", "canonical_url", "site", "article_id", "language", "title", "body", "published_at"):
        assert expected.get(field), f"{field} missing from {expectation.name}"
    assert expected["site"] == expectation.parent.name
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", expected["published_at"]), \
        "published_at keeps the site's offset"
    for field in ("authors", "tags"):
        assert isinstance(expected.get(field, []), list) or expected[field] is None
    if expected.get("dateline") is not None:
        assert set(expected["dateline"]) == {"location", "agency", "outlet", "date"}


# --- listings -------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", LISTING_PAGES, ids=fixture_id)
def test_listing_page_yields_its_articles_and_next_page(page):
    expected = read_json(page.with_suffix(".json"))
    profile = PROFILES[page.parent.name]
    response = HtmlResponse(expected["url"], body=page.read_bytes(), headers=HEADERS, encoding="utf-8")
    requests = list(make_spider(profile).parse_listing(
        response, section=expected.get("section", profile.sections[0]), page=expected.get("page", 1)))
    check_listing_requests(requests, expected)


@pytest.mark.parametrize("answer", LOAD_MORE_ANSWERS, ids=fixture_id)
def test_load_more_answer_yields_its_articles_and_next_request(answer):
    expected = read_json(expected_path(answer))
    profile = PROFILES[answer.parent.name]
    response = TextResponse(expected["url"], body=answer.read_bytes(), headers=HEADERS, encoding="utf-8")
    requests = list(make_spider(profile).parse_load_more(
        response, section=expected.get("section", profile.sections[0]), page=expected["page"]))
    check_listing_requests(requests, expected)


# --- coverage and names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_profile_has_an_article_and_a_listing_fixture(name):
    assert any(p.parent.name == name for p in ARTICLE_PAGES + API_ANSWERS), \
        f"no article page (or API answer) in fixtures/profiles/{name}/"
    assert any(p.parent.name == name for p in LISTING_PAGES), f"no listing page in fixtures/profiles/{name}/"
    if PROFILES[name].load_more:
        assert any(p.parent.name == name for p in LOAD_MORE_ANSWERS), f"no load-more answer for {name}"


def test_every_fixture_folder_names_a_profile():
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(PROFILES)


def test_profile_names_are_unique_valid_spider_names():
    assert all(key == profile.name for key, profile in PROFILES.items())
    for name in PROFILES:
        # `scrapy crawl <name>`, a class name and the archive's site column are all built from it.
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
    settings = Settings()
    settings.setmodule("newscrawl.settings")
    listed = SpiderLoader.from_settings(settings).list()
    assert len(listed) == len(set(listed)), f"duplicate spider names: {sorted(listed)}"
    assert set(PROFILES) <= set(listed)
