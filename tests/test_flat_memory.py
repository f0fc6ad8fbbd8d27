"""What a long crawl keeps in memory: stored articles are answered by the archive, not remembered."""

from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.dupefilter import StoredAwareDupeFilter
from newscrawl.items import Article
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.store import crawl_archive

URL = "https://www.example.com/news/story-1001.html"


def crawler_for(tmp_path, refresh):
    crawler = get_crawler(Spider, {"NEWSCRAWL_DB": str(tmp_path / "archive.db")})
    crawler.spider = Spider("t")
    crawler.spider.args = SimpleNamespace(refresh=refresh)
    crawler.stats.set_value("archive/crawl_id", 1)
    return crawler


@pytest.mark.parametrize("refresh, seen_again", [(False, False), (True, True)])
def test_a_stored_articles_request_is_forgotten_unless_refreshing(tmp_path, refresh, seen_again):
    crawler = crawler_for(tmp_path, refresh)
    dupefilter = StoredAwareDupeFilter.from_crawler(crawler)
    request = Request(URL)
    assert not dupefilter.request_seen(request) and dupefilter.request_seen(Request(URL))
    dupefilter.item_scraped(Article(make_article()), HtmlResponse(URL, body=b"", request=request))
    assert dupefilter.request_seen(Request(URL)) is seen_again


def test_an_incremental_run_asks_the_archive_for_duplicates(tmp_path):
    crawler = crawler_for(tmp_path, refresh=False)
    archive = crawl_archive(crawler)
    archive.upsert(make_article(canonical_url="https://www.example.com/old", article_id="1"))  # an earlier run's
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.open_spider()
    archive.upsert(make_article())                                  # this run's
    with pytest.raises(DropItem, match="duplicate"):                # same site id, another URL
        pipeline.process_item(Article(make_article(canonical_url="https://www.example.com/variant")))
    old = Article(make_article(canonical_url="https://www.example.com/old", article_id="1"))
    assert pipeline.process_item(old) is old                        # the upsert's business
    assert (pipeline.seen_urls, pipeline.seen_ids) == (set(), set())
    archive.close()
