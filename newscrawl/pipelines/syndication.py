"""Store each article, then link it to its story (the same text syndicated across sites).

It extends the storage stage rather than following it: linking needs the stored row, and
shares its connection and batch, and an article, its fingerprint and its story link are one
transaction (a batch never ends between them), so a crash leaves each either linked or unstored.

Copies are never dropped from the archive. With NEWSCRAWL_FIRST_COPY_ONLY, feeds (-o FILE)
get only the first copy of each story: later copies are stored and linked, then dropped
from the rest of the pipeline, which is all a feed sees.
"""

import logging
import sys
import time
from contextlib import contextmanager

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..syndication import StoryIndex
from ..syndication.fingerprints import METHOD
from .store import StoragePipeline

logger = logging.getLogger(__name__)


class SyndicationPipeline(StoragePipeline):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.first_copy_only = crawler.settings.getbool("NEWSCRAWL_FIRST_COPY_ONLY")
        self.index = None
        self.items_in_batch = 0  # items whose writes wait in the open transaction

    def open_spider(self):
        super().open_spider()
        started = time.monotonic()
        self.index = StoryIndex(self.archive)
        caught_up = self.catch_up()
        self.archive.commit()
        if caught_up:
            logger.info("Story index: %d stored articles fingerprinted and linked in %.1fs",
                        caught_up, time.monotonic() - started)

    def catch_up(self):
        """Fingerprint and link the articles stored without the story index (imported, or by an
        older recipe), each with its story in one transaction."""
        pending = self.archive.articles_to_fingerprint(METHOD)
        for article in pending:
            with self.one_transaction():
                self.index.add(self.archive.article_by_id(article))
        return len(pending)

    @contextmanager
    def one_transaction(self):
        """The writes inside are committed together: no batch boundary falls between an article,
        its fingerprint and its story, so a crash (SIGKILL) never leaves a stored article whose
        fingerprint is current but which belongs to no story (catch-up would not see it)."""
        archive = self.archive
        batch_size, max_transaction_s = archive.batch_size, archive.max_transaction_s
        archive.batch_size, archive.max_transaction_s = sys.maxsize, float("inf")
        try:
            yield
        finally:
            archive.batch_size, archive.max_transaction_s = batch_size, max_transaction_s
            self.items_in_batch += 1
            if self.items_in_batch >= batch_size or archive.transaction_age() >= max_transaction_s:
                archive.commit()
                self.items_in_batch = 0

    def process_item(self, item):
        with self.one_transaction():
            return self._store_and_link(item)

    def _store_and_link(self, item):
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
