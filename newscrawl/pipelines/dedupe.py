"""Store each article once per run, however many links led to it.

Keys: the canonical URL and the site's own article id, so a tracking-parameter link, an AMP
copy, a second section's listing and a "More Stories" widget all collapse to one item. Copies
already in the archive from earlier runs are the storage's upsert's business.

In an incremental run the archive answers (an article stored since the run began is a
duplicate), so nothing grows with the length of the crawl. A refresh run re-stores what earlier
runs stored, so it keeps the keys it saw, as 64-bit hashes: two different articles would have to
collide on 64 bits to be taken for one.
"""

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..frontier.state import frontier_of
from .store import crawl_archive, is_incremental


class DedupePipeline:
    def __init__(self, stats, crawler=None):
        self.stats = stats
        self.crawler = crawler
        self.seen_urls = set()
        self.seen_ids = set()
        self.archive = None
        self.stored_before = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler)

    def open_spider(self):
        if self.crawler is not None and is_incremental(self.crawler):
            self.archive = crawl_archive(self.crawler)
            shared = frontier_of(self.crawler)   # a shared run: stored before its first worker began
            self.stored_before = shared.stored_before(self.archive) if shared else self.archive.last_row_id()

    def _seen(self, url, site, article_id):
        if self.archive is not None:
            row = self.archive.row_id(url, site=site, article_id=article_id)
            return row is not None and row > self.stored_before
        url_key, id_key = hash(url), hash((site, article_id)) if article_id else None
        seen = url_key in self.seen_urls or (id_key is not None and id_key in self.seen_ids)
        self.seen_urls.add(url_key)
        if id_key is not None:
            self.seen_ids.add(id_key)
        return seen

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter.get("canonical_url")
        if self._seen(url, adapter.get("site"), adapter.get("article_id")):
            self.stats.inc_value("dedupe/duplicates")
            raise DropItem(f"duplicate: {adapter.get('url')} is {url}")
        return item
