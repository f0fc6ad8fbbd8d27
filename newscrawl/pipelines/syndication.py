"""Store each article, then link it to its story (the same text syndicated across sites).

It extends the storage stage rather than following it: linking needs the stored row, and
shares its connection and batch, so an article and its story link are committed together
(a crash in between leaves an article without fingerprint, which the next open links).

Copies are never dropped from the archive. With NEWSCRAWL_FIRST_COPY_ONLY, feeds (-o FILE)
get only the first copy of each story: later copies are stored and linked, then dropped
from the rest of the pipeline, which is all a feed sees.
"""

import logging
import time

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..syndication import StoryIndex
from .store import StoragePipeline

logger = logging.getLogger(__name__)


class SyndicationPipeline(StoragePipeline):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.first_copy_only = crawler.settings.getbool("NEWSCRAWL_FIRST_COPY_ONLY")
        self.index = None

    def open_spider(self):
        super().open_spider()
        started = time.monotonic()
        self.index = StoryIndex(self.archive)
        caught_up = self.index.catch_up()  # articles stored without the story index
        self.archive.commit()
        if caught_up:
            logger.info("Story index: %d stored articles fingerprinted and linked in %.1fs",
                        caught_up, time.monotonic() - started)

    def process_item(self, item):
        item = super().process_item(item)
        adapter = ItemAdapter(item)
        # A shallow copy: asdict() walks every list and dict of the item looking for nested items.
        link = self.index.add(dict(adapter.items()))
        if link is None:  # not in the archive: nothing to link
            return item
        adapter["story_id"] = link.story
        self.stats.inc_value(f"syndication/{link.outcome}")
        if self.first_copy_only and link.first_article != link.article:
            self.stats.inc_value("syndication/later_copies_not_fed")
            raise DropItem(f"later copy of story {link.story} (archived, not fed): {adapter.get('url')}")
        return item
