"""Drop articles that cannot be archived, counting each drop under its reason."""

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

REQUIRED = ("url", "title", "body", "published_at")


class ValidationPipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        missing = [name for name in REQUIRED if not adapter.get(name)]
        if missing:
            reason = f"missing_{missing[0]}"
            self.stats.inc_value(f"dropped/{reason}")
            raise DropItem(f"{reason}: {adapter.get('url')}")
        return item
