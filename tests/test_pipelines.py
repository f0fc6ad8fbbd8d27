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
