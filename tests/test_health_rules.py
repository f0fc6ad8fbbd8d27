"""Crawl health's pure rules on real values: field checks, layout choice, history alarms, verdicts,
and spidermon's item validation against the Article schema."""

import pytest
from parsel import Selector
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.demo.layouts import URDUPOINT_B
from newscrawl.health.history import Alarm, Thresholds, evaluate, verdict
from newscrawl.health.schema import ArticleSchemaPipeline
from newscrawl.items import Article
from newscrawl.profiles import URDUPOINT
from newscrawl.profiles.base import with_layouts
from newscrawl.profiles.fallback import body_ok, checked, field_sources, subtitle_ok, tags_ok, title_ok


@pytest.mark.parametrize("check, value, ok", [
    (title_ok, "Pakistan, China agree to expand CPEC cooperation", True),
    (title_ok, "PM", False),                       # a 3-character "title": a selector caught a label
    (title_ok, "   Home  ", False),
    (title_ok, None, False),
    (subtitle_ok, "The two sides signed five agreements.", True),
    (subtitle_ok, "Share", False),
    (body_ok, ["ISLAMABAD, (UrduPoint / Pakistan Point News - 29th Jul, 2023 ) :Federal Minister said on "
               "Saturday that the government would complete the project."], True),
    (body_ok, ["Read more"], False),
    (body_ok, [], False),
    (tags_ok, ["Pakistan", "China", "CPEC"], True),
    (tags_ok, [], False),
    (tags_ok, ["Pakistan", "The government said on Saturday that the flood relief would reach every district soon"],
     False),                                        # a sentence is not a tag
])
def test_field_checks(check, value, ok):
    assert check(value) is ok


def test_checked_keeps_a_passing_value_and_drops_a_failing_one():
    assert checked("title", "Floods hit the coastal towns") == "Floods hit the coastal towns"
    assert checked("title", "Wor") is None


def test_field_sources_cover_the_declared_fields_only():
    article = {"title": "Floods hit the coastal towns", "authors": ["Ayesha Khan"], "tags": []}
    sources = field_sources(URDUPOINT.fields, {"title", "body"}, article)
    assert sources == {"title": "profile", "subtitle": "none", "byline_raw": "none", "authors": "generic",
                       "body": "profile", "tags": "none"}


def test_a_page_is_read_by_the_layout_it_shows():
    profile = with_layouts(URDUPOINT, ["newscrawl.demo.layouts.URDUPOINT_B"])
    new = Selector(text='<div class="byline"><span class="writer">Ayesha Khan</span></div>').root
    old = Selector(text='<p class="art_info_bar">Ayesha Khan</p>').root
    assert profile.layout_for(new) == (URDUPOINT_B.fields, "demo-b")
    assert profile.layout_for(old) == (URDUPOINT.fields, "base")
    assert URDUPOINT.layout_for(new) == (URDUPOINT.fields, "base")


def coverage(articles=75, authors=1.0, sections=None, kind="refresh", parsed=76, drop_rate=0.013):
    return {"site": "urdupoint", "kind": kind, "articles": articles, "parsed": parsed, "drop_rate": drop_rate,
            "profiled": articles, "fields": {"authors": {"profile": authors, "fallback": 1 - authors, "filled": 1.0}},
            "sections": sections or {"world": {"listings": 3, "empty_listings": 0, "links": 24}}}


@pytest.mark.parametrize("current, history, alarms", [
    (coverage(), [], []),                                             # no history: nothing to compare
    (coverage(), [coverage()] * 3, []),
    (coverage(authors=0.0), [coverage()] * 3, [Alarm("field:authors", 1.0, 0.0)]),
    (coverage(authors=0.75), [coverage()] * 3, []),                   # a dip, not a sharp drop
    (coverage(articles=37), [coverage(articles=75), coverage(articles=74)], [Alarm("articles", 74.5, 37)]),
    (coverage(articles=37, kind="incremental"), [coverage(articles=75, kind="incremental")], []),
    (coverage(sections={"world": {"listings": 1, "empty_listings": 1, "links": 0}}), [coverage()],
     [Alarm("section:world", 24, 0)]),
    (coverage(drop_rate=0.4), [coverage()] * 2, [Alarm("drop_rate", 0.013, 0.4)]),
    # An incremental crawl that fetched one page, the dateless one: too few to judge.
    (coverage(articles=0, parsed=1, drop_rate=1.0, kind="incremental"), [coverage()], []),
])
def test_history_alarms(current, history, alarms):
    assert evaluate(current, history)[0] == alarms


def test_subjects_judged_are_the_ones_an_alert_can_clear_on():
    _, evaluated = evaluate(coverage(), [coverage()])
    assert evaluated == {"field:authors", "section:world", "articles", "drop_rate"}
    assert evaluate(coverage(articles=60), [coverage()], Thresholds(count_ratio=0.8))[0] == [
        Alarm("articles", 75, 60)]


@pytest.mark.parametrize("alerts, latest, expected", [
    ([], None, "ok"),
    ([{"subject": "field:authors"}], coverage(authors=0.0), "degraded"),       # generic filled every article
    ([{"subject": "field:authors"}], {"fields": {"authors": {"filled": 0.5}}}, "broken"),
    ([{"subject": "section:world"}], coverage(), "broken"),
])
def test_verdicts(alerts, latest, expected):
    assert verdict(alerts, latest) == expected


@pytest.fixture
def schema_pipeline():
    from newscrawl import settings

    crawler = get_crawler(settings_dict={name: getattr(settings, name) for name in dir(settings)
                                         if name.startswith("SPIDERMON_")})
    return crawler, ArticleSchemaPipeline.from_crawler(crawler)


def test_item_validation_rejects_a_malformed_article_with_a_counted_reason(schema_pipeline):
    crawler, pipeline = schema_pipeline
    good = Article(**make_article(field_sources={"title": "profile", "authors": "generic"}))
    assert pipeline.process_item(good) is good
    with pytest.raises(DropItem, match="schema_language"):
        pipeline.process_item(Article(**make_article(language="English")))
    with pytest.raises(DropItem, match="schema_field_sources"):
        pipeline.process_item(Article(**make_article(field_sources={"title": "guessed"})))
    stats = crawler.stats.get_stats()
    assert stats["dropped/schema_language"] == 1 and stats["dropped/schema_field_sources"] == 1
    assert stats["spidermon/validation/items"] == 3
    assert stats["spidermon/validation/items/dropped"] == 2


def test_item_validation_never_crashes_on_values_json_cannot_hold(schema_pipeline):
    crawler, pipeline = schema_pipeline
    for value in ({"location": object()}, {1: 2}, b"KARACHI"):
        with pytest.raises(DropItem):
            pipeline.process_item(Article(**make_article(dateline=value)))
    assert sum(n for key, n in crawler.stats.get_stats().items() if key.startswith("dropped/schema_")) == 3
