"""Store each article once per run, however many links led to it.

Keys: the canonical URL and the site's own article id, so a tracking-parameter link, an AMP
copy, a second section's listing and a "More Stories" widget all collapse to one item. Copies
already in the archive from earlier runs are the storage's upsert's business.

The keys are kept as 64-bit hashes, not strings: a third of the memory in a long crawl, and two
different articles would have to collide on 64 bits to be taken for one.
"""

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


class DedupePipeline:
    def __init__(self, stats):
        self.stats = stats
        self.seen_urls = set()
        self.seen_ids = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter.get("canonical_url")
        article_key = (adapter.get("site"), adapter.get("article_id")) if adapter.get("article_id") else None
        url_key, id_key = hash(url), hash(article_key) if article_key else None
        if url_key in self.seen_urls or (id_key is not None and id_key in self.seen_ids):
            self.stats.inc_value("dedupe/duplicates")
            raise DropItem(f"duplicate: {adapter.get('url')} is {url}")
        self.seen_urls.add(url_key)
        if id_key is not None:
            self.seen_ids.add(id_key)
        return item
