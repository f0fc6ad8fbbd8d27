"""The seen-store's rules (IncrementalMiddleware) on a real archive, without a crawl."""

from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.middlewares import IncrementalMiddleware
from newscrawl.storage import Archive

OLD, NEW, UNKNOWN = (f"https://example.com/world/story-{n}.html" for n in (1, 2, 3))


def listed(url):
    return Request(url, meta={"kind": "article", "section": "world"})


def next_page():
    return Request("https://example.com/world/?page=2", meta={"kind": "next_page", "section": "world"})


def middleware(tmp_path, threshold=1):
    archive = Archive(tmp_path / "archive.db")
    archive.upsert(make_article(canonical_url=OLD, article_id="1"))        # an earlier run's
    crawler = get_crawler(Spider)
    mw = IncrementalMiddleware(crawler)
    mw.archive, mw.crawl_id, mw.enabled, mw.threshold = archive, archive.start_crawl("t"), True, threshold
    mw.stored_before = archive.last_row_id()
    archive.upsert(make_article(canonical_url=NEW, article_id="2"))        # this run's
    return mw


def kept(mw, *requests):
    return [r.url for r in mw.process_spider_output(None, list(requests), Spider("t"))]


def test_only_earlier_runs_articles_make_a_section_caught_up(tmp_path):
    mw = middleware(tmp_path)
    assert kept(mw, listed(NEW), next_page()) == [next_page().url]          # this run's: page on
    assert kept(mw, listed(UNKNOWN), listed(OLD), next_page()) == [UNKNOWN]  # caught up
    assert mw.stats.get_value("incremental/known_skipped") == 2


def test_queued_excursions_are_recorded_in_the_frontier(tmp_path):
    mw = middleware(tmp_path)
    excursion = Request(UNKNOWN, meta={"kind": "excursion", "section": "world", "more_stories_depth": 1})
    known = Request(OLD, meta={"kind": "excursion", "section": "world", "more_stories_depth": 1})
    assert kept(mw, excursion, known) == [UNKNOWN]
    later = mw.archive.start_crawl("t")
    assert mw.archive.left_frontier("t", before=later) == [{"url": UNKNOWN, "depth": 1, "section": "world"}]
