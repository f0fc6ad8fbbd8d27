"""Validation and in-run dedupe, one item at a time."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.items import Article
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.validate import ValidationPipeline


@pytest.fixture
def stats():
    return MemoryStatsCollector(get_crawler())


@pytest.mark.parametrize("missing", ["url", "title", "body", "published_at"])
def test_incomplete_articles_are_dropped_and_counted(stats, missing):
    pipeline = ValidationPipeline(stats)
    with pytest.raises(DropItem, match=f"missing_{missing}"):
        pipeline.process_item(Article(make_article(**{missing: None})))
    assert stats.get_stats() == {f"dropped/missing_{missing}": 1}


def test_complete_article_passes(stats):
    item = Article(make_article())
    assert ValidationPipeline(stats).process_item(item) is item
    assert stats.get_stats() == {}


def test_a_date_only_publication_is_enough(stats):
    item = Article(make_article(published_at="2023-07-29"))
    assert ValidationPipeline(stats).process_item(item) is item


def test_same_article_by_url_or_site_id_passes_once(stats):
    pipeline = DedupePipeline(stats)
    first = make_article()
    pipeline.process_item(Article(first))
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(Article(first))
    with pytest.raises(DropItem, match="duplicate"):  # another URL, same site id
        pipeline.process_item(Article(make_article(canonical_url="https://www.example.com/other")))
    other = make_article(canonical_url="https://www.example.com/2", article_id="2")
    pipeline.process_item(Article(other))
    assert stats.get_value("dedupe/duplicates") == 2


def test_same_id_on_two_sites_is_two_articles(stats):
    pipeline = DedupePipeline(stats)
    pipeline.process_item(Article(make_article()))
    pipeline.process_item(Article(make_article(site="other", canonical_url="https://other.example/1001")))
    assert stats.get_value("dedupe/duplicates") is None


@pytest.mark.parametrize("field, value, reason", [
    ("title", ["Floods hit", "the coastal towns"], "invalid_title"),
    ("url", 1731046, "invalid_url"),
    ("published_at", "not a date", "invalid_published_at"),
    ("canonical_url", None, "missing_canonical_url"),
])
def test_invalid_articles_are_dropped_and_counted(stats, field, value, reason):
    with pytest.raises(DropItem, match=reason):
        ValidationPipeline(stats).process_item(Article(make_article(**{field: value})))
    assert stats.get_stats() == {f"dropped/{reason}": 1}


def test_runaway_fields_are_cut_flagged_and_counted(stats):
    title, body = "Floods hit the coastal towns " * 7000, "Rain. " * 400_000  # 200 KB, 2.4 MB
    item = Article(make_article(title=title, body=body, flags=["dateline_date_mismatch"]))
    assert ValidationPipeline(stats).process_item(item) is item
    assert item["title"] == title[:1000].rstrip() and item["body"] == body[:100_000].rstrip()
    assert item["flags"] == ["dateline_date_mismatch", "title_truncated", "body_truncated"]
    assert stats.get_stats() == {"validation/truncated/title": 1, "validation/truncated/body": 1}


def test_the_url_cap_is_the_crawls_url_length_limit():
    crawler = get_crawler(settings_dict={"URLLENGTH_LIMIT": 100})
    pipeline = ValidationPipeline.from_crawler(crawler)
    long_url = "https://www.example.com/news/" + "x" * 100
    with pytest.raises(DropItem, match="invalid_canonical_url"):
        pipeline.process_item(Article(make_article(canonical_url=long_url)))


def test_refused_dates_are_counted_by_reason(stats):
    flags = ["date_future_dropped", "date_order_swapped", "dateline_date_mismatch"]
    item = Article(make_article(flags=flags))
    assert ValidationPipeline(stats).process_item(item) is item
    assert stats.get_stats() == {"dates/future_dropped": 1, "dates/order_swapped": 1}
