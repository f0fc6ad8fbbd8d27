"""What a crawl stores does not depend on the order responses arrive in: a page first parsed as an
excursion at the depth limit (its related links cut), then shown by a listing, has its cut links
followed at the listing's depth. The bad order is built by hand, so no timing is involved."""

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl.demo import generic, urdupoint
from newscrawl.middlewares import IncrementalMiddleware
from newscrawl.profiles import URDUPOINT
from newscrawl.spiders import base
from newscrawl.spiders.news import GenericNewsSpider
from newscrawl.spiders.site import SiteSpider
from newscrawl.storage import Archive

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"
RELATED_FROM = generic.article(generic.RELATED_FROM_ID)
RELATED_ONLY = generic.article(generic.RELATED_ONLY_ID)
DEPTH_LIMIT = 2   # hops of related links the spiders follow from a listed article


class RecordingEngine:
    """Stands in for the engine: what the spider asked it to crawl."""

    def __init__(self):
        self.crawled = []

    def crawl(self, request):
        self.crawled.append(request)


def open_spider(cls, **args):
    crawler = get_crawler(cls)
    crawler.settings.frozen = False   # as before the crawl starts: a local copy's spider sets DOWNLOAD_DELAY
    crawler.spider = spider = cls.from_crawler(crawler, **args)
    crawler.stats.open_spider()
    crawler.engine = RecordingEngine()
    return spider


def page(site, url, request):
    status, body, _ = site.render(urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""),
                                  HOST)
    assert status == 200
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=request)


def requests_of(output):
    return [obj for obj in output if isinstance(obj, Request)]


def excursions(requests, depth_key):
    return [(r.url, r.meta["kind"], r.meta[depth_key]) for r in requests]


def parse_at_the_limit(spider, site, url, callback_name):
    """The page reached first as an excursion at the depth limit: stored, its links cut."""
    request = spider.excursion_request(url, DEPTH_LIMIT, "elsewhere")
    spider._request_scheduled(request)
    output = list(getattr(spider, callback_name)(page(site, url, request)))
    assert len(output) == 1 and not isinstance(output[0], Request)   # the article, no links
    return output[0]


def generic_listing_request(spider):
    """The request the world/business listing makes for RELATED_FROM (depth 0), parsed from the page."""
    page_number = next(p for p in range(1, generic.PAGES + 1)
                       if RELATED_FROM in generic.listing(RELATED_FROM.section, p))
    listing_url = ORIGIN + generic.listing_path(RELATED_FROM.section, page_number)
    listing = page(generic, listing_url, Request(listing_url, meta={"kind": "listing", "section": listing_url}))
    output = list(spider.parse_listing(listing, page=page_number))
    listed = [r for r in requests_of(output) if r.url == RELATED_FROM.url(HOST)]
    assert [r.meta["depth_related"] for r in listed] == [0]
    return listing, output, listed[0]


def test_generic_a_listing_dropped_as_duplicate_follows_the_cut_links():
    spider = open_spider(GenericNewsSpider, url=f"{ORIGIN}/")
    parse_at_the_limit(spider, generic, RELATED_FROM.url(HOST), "parse_candidate")
    _, _, listed = generic_listing_request(spider)
    spider._request_scheduled(listed)
    spider._request_dropped(listed)                      # the duplicate filter's verdict
    crawled = spider.crawler.engine.crawled
    assert RELATED_ONLY.url(HOST) in [r.url for r in crawled]
    assert {(r.meta["kind"], r.meta["depth_related"], r.meta["section"]) for r in crawled} == \
        {("excursion", 1, listed.meta["section"])}
    spider._request_dropped(listed)                      # shown again: followed once only
    assert len(spider.crawler.engine.crawled) == len(crawled)


def test_generic_a_listing_skipped_as_stored_follows_the_cut_links(tmp_path):
    spider = open_spider(GenericNewsSpider, url=f"{ORIGIN}/")
    archive = Archive(tmp_path / "archive.db")
    mw = IncrementalMiddleware(spider.crawler)
    mw.archive, mw.crawl_id, mw.enabled = archive, archive.start_crawl("news"), True
    item = parse_at_the_limit(spider, generic, RELATED_FROM.url(HOST), "parse_candidate")
    archive.upsert(make_article(canonical_url=item["canonical_url"], article_id=None, site="127.0.0.1"))
    listing, output, _ = generic_listing_request(spider)
    kept = requests_of(mw.process_spider_output(listing, output, spider))
    urls = [r.url for r in kept]
    assert RELATED_FROM.url(HOST) not in urls            # stored this run: not fetched again
    followed = [r for r in kept if r.meta["kind"] == "excursion"]
    assert RELATED_ONLY.url(HOST) in [r.url for r in followed]
    assert {r.meta["depth_related"] for r in followed} == {1}
    assert spider.crawler.stats.get_value("excursions/depth_cut_followed") == len(followed)


def test_generic_a_deeper_duplicate_follows_nothing():
    spider = open_spider(GenericNewsSpider, url=f"{ORIGIN}/")
    url = RELATED_FROM.url(HOST)
    parse_at_the_limit(spider, generic, url, "parse_candidate")
    again = spider.excursion_request(url, DEPTH_LIMIT, "elsewhere")
    spider._request_scheduled(again)
    spider._request_dropped(again)                       # as deep as before: the cut stands
    assert spider.crawler.engine.crawled == []
    nearer = spider.excursion_request(url, 1, "world")   # one hop nearer: its links at the limit
    spider._request_dropped(nearer)
    assert {r.meta["depth_related"] for r in spider.crawler.engine.crawled} == {2}


def test_site_spider_a_listing_dropped_as_duplicate_follows_the_cut_more_stories():
    cls = type("UrduPointSpider", (SiteSpider,), {"name": "urdupoint", "profile": URDUPOINT})
    spider = open_spider(cls, base_url=ORIGIN, sections="world")
    story = next(a for a in urdupoint.articles() if a.section == "world" and "world" in a.listed_in)
    parse_at_the_limit(spider, urdupoint, story.url(HOST), "parse_article")
    listed = spider._article_request(story.url(HOST), base.ARTICLE_PRIORITY, 0, "world")
    spider._request_dropped(listed)
    crawled = spider.crawler.engine.crawled
    assert sorted(r.url for r in crawled) == sorted(a.url(HOST) for a in urdupoint.more_stories(story))
    assert excursions(crawled, "more_stories_depth") == [(r.url, "excursion", 1) for r in crawled]


def test_remembered_links_are_bounded(monkeypatch):
    monkeypatch.setattr(base, "CUT_LINKS_KEPT", 3)
    spider = open_spider(GenericNewsSpider, url=f"{ORIGIN}/")
    for n in range(3):
        response = HtmlResponse(f"{ORIGIN}/news/1000000{n}-a-b-c", body=b"",
                                request=spider.excursion_request(f"{ORIGIN}/news/1000000{n}-a-b-c", 2, "s"))
        list(spider.follow_related(response, [f"{ORIGIN}/x{n}", f"{ORIGIN}/y{n}"], "generic/related_links"))
    assert list(spider.cut_by_depth) == [f"{ORIGIN}/news/10000002-a-b-c"]   # the oldest forgotten first
    assert spider.cut_links_kept == 2
