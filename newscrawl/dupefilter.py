"""Scrapy's duplicate filter, minus what the archive already answers.

Scrapy keeps the fingerprint of every request of a run in memory: a long crawl grows by it. Once
an article is stored, the seen-store (IncrementalMiddleware) drops every later request for it
before it reaches the scheduler, so its fingerprint is forgotten here: what stays is listings,
requests in flight and pages that were never stored. Refresh runs (`-a refresh=1`) fetch stored
articles again, so there every fingerprint is kept, as Scrapy does.
"""

from scrapy import signals
from scrapy.dupefilters import RFPDupeFilter


class StoredAwareDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        crawler.signals.connect(dupefilter.item_scraped, signal=signals.item_scraped)
        return dupefilter

    def _archive_answers(self):
        args = getattr(self.crawler.spider, "args", None)
        return (args is not None and not getattr(args, "refresh", True)
                and self.crawler.stats.get_value("archive/crawl_id") is not None)

    def item_scraped(self, item, response, spider=None):
        request = getattr(response, "request", None)
        if request is not None and self._archive_answers():
            self._fingerprints.discard(self._fingerprint(request))
