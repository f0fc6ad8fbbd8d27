"""Spider arguments are checked before the crawl starts, with messages that say what to fix."""

import re
import sys
from datetime import date

import pytest

from conftest import run_cli, scrapy_crawl
from newscrawl.spiders.arguments import DEFAULT_MAX_PAGES, ArgumentError, CrawlArguments, GenericArguments

DEFAULTS = ("world", "pakistan")


def parse(**raw):
    return CrawlArguments.parse("urdupoint", DEFAULTS, **raw)


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
])
def test_bad_arguments_fail_with_a_clear_message(raw, message):
    with pytest.raises(ArgumentError, match=message):
        parse(**raw)


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
])
def test_generic_spider_arguments(raw, message):
    with pytest.raises(ArgumentError, match=re.escape(message)):
        GenericArguments.parse("news", **raw)
    args = GenericArguments.parse("news", url="https://example.com/world/", since="2023-07-01")
    assert (args.url, args.since, args.max_pages) == ("https://example.com/world/", date(2023, 7, 1), DEFAULT_MAX_PAGES)


def test_scrapy_crawl_news_without_url_is_a_usage_error():
    result = scrapy_crawl("news", check=False)
    assert result.returncode == 2 and "-a url=… is required" in result.stderr
