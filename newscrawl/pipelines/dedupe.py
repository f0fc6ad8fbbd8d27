"""Store each article once per run, however many links led to it.

Keys: the canonical URL and the site's own article id, so a tracking-parameter link, an AMP
copy, a second section's listing and a "More Stories" widget all collapse to one item. Copies
already in the archive from earlier runs are the storage's upsert's business.
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
        if url in self.seen_urls or (article_key and article_key in self.seen_ids):
            self.stats.inc_value("dedupe/duplicates")
            raise DropItem(f"duplicate: {adapter.get('url')} is {url}")
        self.seen_urls.add(url)
        if article_key:
            self.seen_ids.add(article_key)
        return item
