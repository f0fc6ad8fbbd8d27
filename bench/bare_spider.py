"""The crawl's skeleton without newscrawl: the baseline `make bench` compares the full pipeline against.

It follows the links the urdupoint spider follows (section listings and the news feed, pagination, listed
articles, "More Stories" widgets two hops deep) with the same request priorities, and yields only URLs: no
extraction, no normalization, no seen-store, no archive. Selectors come from the urdupoint profile, so both
crawls see the same link graph.

    scrapy runspider bench/bare_spider.py -a base_url=http://127.0.0.1:PORT -a sections=world,business \
        -a stats_out=bare.json
"""
import json
import resource
from datetime import datetime, timezone

import scrapy

from newscrawl.profiles.urdupoint import PROFILE

LISTING_PRIORITY, ARTICLE_PRIORITY, EXCURSION_PRIORITY = 10, 20, 0   # as newscrawl.spiders.base
MORE_STORIES_DEPTH = 2


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url, sections, stats_out=None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.sections = sections.split(",")
        self.stats_out = stats_out

    async def start(self):
        self.cpu_at_start = _cpu()
        for section in self.sections:
            yield scrapy.Request(PROFILE.section_url(section, self.base_url), self.parse_listing,
                                 priority=LISTING_PRIORITY)
        for path in PROFILE.feeds:
            yield scrapy.Request(self.base_url + path, self.parse_feed, priority=LISTING_PRIORITY)

    def parse_listing(self, response):
        for href in response.css(PROFILE.listing.item).css(PROFILE.listing.link).getall():
            yield response.follow(href, self.parse_article, priority=ARTICLE_PRIORITY, meta={"hops": 0})
        next_href = response.css(PROFILE.listing.next_page).get()
        if next_href:
            yield response.follow(next_href, self.parse_listing, priority=LISTING_PRIORITY)

    def parse_feed(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield response.follow(link.strip(), self.parse_article, priority=ARTICLE_PRIORITY, meta={"hops": 0})

    def parse_article(self, response):
        yield {"url": response.url}
        hops = response.meta["hops"] + 1
        if hops <= MORE_STORIES_DEPTH:
            for href in response.css(PROFILE.more_stories).getall():
                yield response.follow(href, self.parse_article, priority=EXCURSION_PRIORITY, meta={"hops": hops})

    def closed(self, reason):
        if self.stats_out:
            stats = self.crawler.stats.get_stats()
            # Scrapy adds elapsed_time_seconds after the spider's own close handler has run.
            stats["elapsed_time_seconds"] = (datetime.now(timezone.utc) - stats["start_time"]).total_seconds()
            stats["bench/crawl_cpu_s"] = _cpu() - self.cpu_at_start
            with open(self.stats_out, "w", encoding="utf-8") as out:
                json.dump(stats, out, default=str)
