"""Drop articles that cannot be archived, counting each drop under its reason; cut runaway values.

Crawled and imported items (`newscrawl import` runs these pipelines) get the same checks:
required fields (`dropped/missing_<field>`), the type and form of every field
(`dropped/invalid_<field>`, newscrawl/validation.py), and length caps: a value cut to its cap
is flagged `<field>_truncated` and counted under `validation/truncated/<field>`; refused dates
(`date_<reason>` flags set by extraction) are counted under `dates/<reason>`.
"""

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..normalize.text import unique
from ..validation import URL_LIMIT, InvalidField, check_article

REQUIRED = ("url", "canonical_url", "title", "body", "published_at")


class ValidationPipeline:
    def __init__(self, stats, url_limit=URL_LIMIT):
        self.stats = stats
        self.url_limit = url_limit

    @classmethod
    def from_crawler(cls, crawler):
        # The crawl's own URL limit: the longest URL it would have requested.
        return cls(crawler.stats, crawler.settings.getint("URLLENGTH_LIMIT", URL_LIMIT) or URL_LIMIT)

    def _drop(self, reason, adapter, why=""):
        self.stats.inc_value(f"dropped/{reason}")
        raise DropItem(f"{reason}: {adapter.get('url')!r}{f' ({why})' if why else ''}")

    def process_item(self, item):
        adapter = ItemAdapter(item)
        try:  # types first: a numeric url is invalid, not missing
            changed, flags = check_article(adapter, url_limit=self.url_limit)
        except InvalidField as error:
            self._drop(error.reason, adapter, str(error))
        missing = [name for name in REQUIRED if not adapter.get(name)]
        if missing:
            self._drop(f"missing_{missing[0]}", adapter)
        for name, value in changed.items():
            adapter[name] = value
        if flags:
            for flag in flags:
                if flag.endswith("_truncated"):
                    self.stats.inc_value(f"validation/truncated/{flag[:-len('_truncated')]}")
            adapter["flags"] = unique([*(adapter.get("flags") or []), *flags])
        # Dates the extractor refused or re-read (date_future_dropped, date_order_swapped…) are
        # counted, so a site printing impossible dates shows in the crawl's stats.
        for flag in adapter.get("flags") or ():
            if flag.startswith("date_"):
                self.stats.inc_value(f"dates/{flag[len('date_'):]}")
        return item
