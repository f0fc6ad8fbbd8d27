"""Scrapy's duplicate filter, minus what the archive already answers.

Scrapy keeps the fingerprint of every request of a run in memory: a long crawl grows by it. Once
an article is stored, the seen-store (IncrementalMiddleware) drops every later request for it
before it reaches the scheduler, so its fingerprint is forgotten here: what stays is listings,
requests in flight and pages that were never stored. Refresh runs (`-a refresh=1`) fetch stored
articles again, so there every fingerprint is kept, as Scrapy does.
"""

from scrapy import signals
from scrapy.dupefilters import RFPDupeFilter

from .pipelines.store import is_incremental


class StoredAwareDupeFilter(RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        crawler.signals.connect(dupefilter.item_scraped, signal=signals.item_scraped)
        return dupefilter

    def item_scraped(self, item, response, spider=None):
        request = getattr(response, "request", None)
        # An item scraped with the archive open was stored (the storage pipeline drops the rest).
        if (request is not None and is_incremental(self.crawler)
                and self.crawler.stats.get_value("archive/crawl_id") is not None):
            self._fingerprints.discard(self._fingerprint(request))
