"""Spider arguments are checked before the crawl starts, with messages that say what to fix."""

import re
import sys
from datetime import date

import pytest

from conftest import run_cli, scrapy_crawl
from newscrawl.spiders.arguments import DEFAULT_MAX_PAGES, ArgumentError, CrawlArguments, GenericArguments

DEFAULTS = ("world", "pakistan")
KNOWN = ("world", "pakistan", "business")


def parse(**raw):
    return CrawlArguments.parse("urdupoint", DEFAULTS, KNOWN, **raw)


def test_defaults():
    args = parse()
    assert (args.sections, args.since, args.max_pages, args.base_url) == (DEFAULTS, None, DEFAULT_MAX_PAGES, None)


def test_values_are_parsed():
    args = parse(sections="World, business", since="2023-07-01", max_pages="0",
                 base_url="http://127.0.0.1:8765/", _job="abc123")
    assert args.sections == ("world", "business")
    assert args.since == date(2023, 7, 1)
    assert args.max_pages is None  # 0 = no limit
    assert args.base_url == "http://127.0.0.1:8765" and args.is_local
    assert args.job_id == "abc123"


@pytest.mark.parametrize("raw, message", [
    ({"sinse": "2023-07-01"}, "unknown argument -a sinse"),
    ({"since": "29/07/2023"}, "expected a date as YYYY-MM-DD"),
    ({"since": "2023-02-30"}, "expected a date as YYYY-MM-DD"),
    ({"max_pages": "ten"}, "expected a whole number >= 0"),
    ({"max_pages": "-1"}, "expected a whole number >= 0"),
    ({"sections": "world;drop table"}, "expected comma-separated section names"),
    ({"sections": " , "}, "expected comma-separated section names"),
    ({"base_url": "127.0.0.1:8765"}, "expected scheme and host only"),
    ({"base_url": "http://127.0.0.1:8765/en/news"}, "expected scheme and host only"),
    ({"base_url": ""}, "expected scheme and host only"),
    ({"base_url": "  "}, "expected scheme and host only"),
    ({"base_url": "http://"}, "expected scheme and host only"),
    ({"base_url": "http://exa mple.com"}, "expected scheme and host only"),
    ({"base_url": "http://127.0.0.1:99999"}, "the port is not a number from 1 to 65535"),
    ({"base_url": "http://127.0.0.1:0"}, "the port is not a number from 1 to 65535"),
    ({"base_url": "http://127.0.0.1:port"}, "the port is not a number from 1 to 65535"),
    ({"base_url": "http://user:secret@127.0.0.1:8765"}, "user names and passwords in URLs are not accepted"),
    ({"base_url": "http://user@127.0.0.1:8765"}, "user names and passwords in URLs are not accepted"),
    ({"sections": "wrld"}, "unknown section 'wrld'; known sections: world, pakistan, business"),
    ({"sections": "world,sports"}, "unknown section 'sports'"),
    ({"excursions": "some"}, "expected one of sections, all"),
])
def test_bad_arguments_fail_with_a_clear_message(raw, message):
    with pytest.raises(ArgumentError, match=message):
        parse(**raw)


def test_excursions_stay_in_the_chosen_sections_unless_all():
    assert not parse().sections_given and parse().excursions_anywhere   # no choice made: anywhere
    assert not parse(sections="world").excursions_anywhere
    assert parse(sections="world", excursions="all").excursions_anywhere


def test_a_password_in_a_bad_argument_is_not_repeated():
    with pytest.raises(ArgumentError) as error:
        parse(base_url="http://user:secret@127.0.0.1:8765/x")
    assert "secret" not in str(error.value) and "user:***@127.0.0.1:8765" in str(error.value)


def test_scrapy_crawl_with_a_bad_argument_fails_at_start(tmp_path):
    result = scrapy_crawl("urdupoint", "-a", "since=yesterday", "-s", f"NEWSCRAWL_DB={tmp_path / 'x.db'}",
                          check=False)
    assert result.returncode != 0
    assert "-a since='yesterday': expected a date as YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_scrapy_list_shows_every_profile_and_the_generic_spider():
    from newscrawl.profiles import PROFILES

    listed = run_cli(sys.executable, "-m", "scrapy", "list").stdout.split()
    assert listed == sorted([*PROFILES, "news"])


@pytest.mark.parametrize("raw, message", [
    ({}, "-a url=… is required"),
    ({"url": "example.com/world"}, "expected an http(s) URL"),
    ({"url": "https://example.com/", "sections": "world"}, "unknown argument -a sections"),
    ({"url": ""}, "expected an http(s) URL"),
    ({"url": "https://example.com:99999/"}, "the port is not a number"),
    ({"url": "https://me:pw@example.com/"}, "user names and passwords in URLs are not accepted"),
])
def test_generic_spider_arguments(raw, message):
    with pytest.raises(ArgumentError, match=re.escape(message)):
        GenericArguments.parse("news", **raw)
    args = GenericArguments.parse("news", url="https://example.com/world/", since="2023-07-01")
    assert (args.url, args.since, args.max_pages) == ("https://example.com/world/", date(2023, 7, 1), DEFAULT_MAX_PAGES)


def test_scrapy_crawl_news_without_url_is_a_usage_error():
    result = scrapy_crawl("news", check=False)
    assert result.returncode == 2 and "-a url=… is required" in result.stderr
