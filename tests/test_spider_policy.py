"""Crawl policy on canned responses: feeds as seeds, "load more" listings, stop rules."""

import json

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.profiles import URDUPOINT, Listing, LoadMore, SiteProfile
from newscrawl.spiders.site import SiteSpider

BASE = "https://www.urdupoint.com"
HEADERS = {"Date": "Sat, 29 Jul 2023 16:00:00 GMT"}


def make_spider(profile=URDUPOINT, **args):
    cls = type("TestSpider", (SiteSpider,), {"name": profile.name, "profile": profile})
    crawler = get_crawler(cls)
    crawler.spider = spider = cls.from_crawler(crawler, **args)
    crawler.stats.open_spider()
    return spider


def article_urls(requests):
    return [r.url for r in requests if r.callback.__name__ == "parse_article"]


RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel>
<item><link>{BASE}/en/world/first-story-1731001.html?utm_source=rss</link><pubDate>Sat, 29 Jul 2023 20:20:00 +0500</pubDate></item>
<item><link>{BASE}/en/pakistan/second-story-1730001.html</link><pubDate>Fri, 30 Jun 2023 10:00:00 +0500</pubDate></item>
<item><link>https://elsewhere.example/en/world/x-1.html</link></item>
<item><link>{BASE}/en/news/world.html</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><link rel="alternate" href="{BASE}/en/world/atom-story-1731002.html"/><published>2023-07-29T10:00:00Z</published></entry>
</feed>"""

SITEMAP = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/en/business/sitemap-story-1731003.html</loc>
<news:news><news:publication_date>2023-07-29T12:00:00+05:00</news:publication_date></news:news></url>
</urlset>"""


def test_rss_feed_seeds_canonical_article_urls_with_their_dates():
    spider = make_spider()
    requests = list(spider.parse_feed(XmlResponse(f"{BASE}/en/sitemap/news.rss", body=RSS.encode(), headers=HEADERS)))
    assert article_urls(requests) == [f"{BASE}/en/world/first-story-1731001.html",
                                      f"{BASE}/en/pakistan/second-story-1730001.html"]
    assert requests[0].meta["listing_published"] == "2023-07-29T20:20:00+05:00"


def test_feed_respects_since_and_chosen_sections():
    spider = make_spider(since="2023-07-01")
    urls = article_urls(spider.parse_feed(XmlResponse(f"{BASE}/f.rss", body=RSS.encode())))
    assert urls == [f"{BASE}/en/world/first-story-1731001.html"]
    spider = make_spider(sections="pakistan")
    urls = article_urls(spider.parse_feed(XmlResponse(f"{BASE}/f.rss", body=RSS.encode())))
    assert urls == [f"{BASE}/en/pakistan/second-story-1730001.html"]


@pytest.mark.parametrize("body, expected", [
    (ATOM, f"{BASE}/en/world/atom-story-1731002.html"),
    (SITEMAP, f"{BASE}/en/business/sitemap-story-1731003.html"),
])
def test_atom_and_news_sitemap(body, expected):
    requests = list(make_spider().parse_feed(XmlResponse(f"{BASE}/feed.xml", body=body.encode())))
    assert article_urls(requests) == [expected]
    assert requests[0].meta["listing_published"]


LOAD_MORE_PROFILE = SiteProfile(
    name="loadmore", base_url=BASE, hosts=("urdupoint.com",), languages=("en",), timezone="Asia/Karachi",
    sections=("world",), section_paths=("/en/news/{section}.html",),
    article_pattern=URDUPOINT.article_pattern,
    listing=Listing(item="li.story", link="a::attr(href)", date="span.time"),
    load_more=LoadMore(path="/api/more", body="cat={section}&page={page}", html_key="html"),
)


def listing_html(ids, when="3 hours ago"):
    return "".join(f'<li class="story"><a href="/en/world/s-{i}.html">S</a><span class="time">{when}</span></li>'
                   for i in ids)


def test_listing_without_next_link_asks_load_more_until_empty():
    spider = make_spider(LOAD_MORE_PROFILE)
    page1 = HtmlResponse(f"{BASE}/en/news/world.html", body=f"<ul>{listing_html([1, 2])}</ul>".encode(),
                         headers=HEADERS)
    requests = list(spider.parse_listing(page1, section="world", page=1))
    more = requests[-1]
    assert article_urls(requests) == [f"{BASE}/en/world/s-1.html", f"{BASE}/en/world/s-2.html"]
    assert (more.method, more.url, more.body) == ("POST", f"{BASE}/api/more", b"cat=world&page=2")

    answer = TextResponse(more.url, body=json.dumps({"html": listing_html([3])}).encode(), headers=HEADERS)
    requests = list(spider.parse_load_more(answer, section="world", page=2))
    assert article_urls(requests) == [f"{BASE}/en/world/s-3.html"]
    assert requests[-1].body == b"cat=world&page=3"
    empty = TextResponse(more.url, body=b'{"html": ""}')
    assert list(spider.parse_load_more(empty, section="world", page=3)) == []


def test_load_more_stops_at_max_pages_and_on_garbage():
    spider = make_spider(LOAD_MORE_PROFILE, max_pages="2")
    answer = TextResponse(f"{BASE}/api/more", body=json.dumps({"html": listing_html([3])}).encode())
    requests = list(spider.parse_load_more(answer, section="world", page=2))
    assert [r.callback.__name__ for r in requests] == ["parse_article"]
    assert list(spider.parse_load_more(TextResponse(f"{BASE}/api/more", body=b"<html>"), "world", 3)) == []
    assert spider.crawler.stats.get_value("listing/load_more_unreadable") == 1


def test_a_page_queued_by_a_widget_then_listed_is_handled_as_listed():
    # Listings go after their articles, so a widget can queue a page before the listing that
    # shows it; the duplicate filter drops the listing's request, and the page must still count
    # as listed (its section, its listing date, widgets followed from depth 0).
    spider = make_spider()
    url = f"{BASE}/en/world/story-1731005.html"
    excursion = spider.excursion_request(url, 2, "pakistan")
    listed = spider._article_request(url, 20, 0, "world", listing_published="2023-07-29T10:00:00+05:00")
    spider._request_scheduled(excursion)
    spider._request_dropped(listed)
    response = HtmlResponse(url, body=b"<html></html>", request=excursion)
    spider.promote_listed(response)
    assert (response.meta["kind"], response.meta["section"], response.meta["more_stories_depth"],
            response.meta["listing_published"]) == ("article", "world", 0, "2023-07-29T10:00:00+05:00")
    assert spider.queued_excursions == {}


def test_a_duplicate_excursion_leaves_nothing_behind():
    spider = make_spider()
    url = f"{BASE}/en/world/story-1731006.html"
    first, second = spider.excursion_request(url, 1, "world"), spider.excursion_request(url, 2, "world")
    spider._request_scheduled(first)
    spider._request_scheduled(second)
    spider._request_dropped(second)            # the duplicate: the first is still queued
    assert list(spider.queued_excursions) == [url]
    spider.promote_listed(HtmlResponse(url, body=b"", request=first))
    assert spider.queued_excursions == {}
