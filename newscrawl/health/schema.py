"""The Article as a JSON schema, checked by spidermon's item validation on every stored item.

newscrawl/validation.py already refuses values the archive cannot take; the schema is the
published contract of an Article (exports, other consumers), and catches the forms that module
does not look at (a language that is no ISO 639 code, a field source nobody knows).
ArticleSchemaPipeline is spidermon's ItemValidationPipeline with the drop counted by reason
(`dropped/schema_<field>`, like every other drop) instead of a bare "Validation failed!".
"""

import logging

from scrapy.exceptions import DropItem
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

from ..normalize.provenance import SOURCES
from ..profiles.fallback import GENERIC, NONE, PROFILE

logger = logging.getLogger(__name__)

_TEXT = {"type": ["string", "null"]}
_TEXTS = {"type": ["array", "null"], "items": {"type": "string"}}
_URL = {"type": "string", "pattern": "^https?://"}

ARTICLE_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "newscrawl Article",
    "type": "object",
    "required": ["url", "canonical_url", "title", "body", "published_at"],
    "properties": {
        "url": _URL,
        "canonical_url": _URL,
        "site": _TEXT,
        "article_id": _TEXT,
        "section": _TEXT,
        "section_label": _TEXT,
        "language": {"type": ["string", "null"], "pattern": "^[a-z]{2,3}$"},
        "title": {"type": "string", "minLength": 1},
        "subtitle": _TEXT,
        "body": {"type": "string", "minLength": 1},
        "authors": _TEXTS,
        "agency": _TEXT,
        "byline_raw": _TEXT,
        "published_at": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"},
        "published_source": {"enum": [*SOURCES, None]},
        "modified_at": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}"},
        "dateline": {"type": ["object", "null"], "additionalProperties": False,
                     "properties": {key: _TEXT for key in ("location", "agency", "outlet", "date")}},
        "tags": _TEXTS,
        "image_url": {"type": ["string", "null"]},
        "flags": _TEXTS,
        "field_sources": {"type": ["object", "null"],
                          "additionalProperties": {"enum": [PROFILE, GENERIC, NONE]}},
        "fetched_at": _TEXT,
        "story_id": {"type": ["integer", "null"]},
    },
}


class ArticleSchemaPipeline(ItemValidationPipeline):
    """spidermon's validation (stats under spidermon/validation/…), each drop counted by reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.crawl_stats = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = super().from_crawler(crawler)
        pipeline.crawl_stats = crawler.stats
        return pipeline

    def process_item(self, item, spider=None):
        try:
            return super().process_item(item)
        except DropItem:
            raise
        except Exception as error:  # a value the validator cannot read: dropped, never a crash
            self.crawl_stats.inc_value("dropped/schema_unreadable")
            raise DropItem(f"schema_unreadable: {type(error).__name__}: {error}") from None

    def _drop_item(self, item, errors):
        self.stats.add_dropped_item()
        field = sorted(errors)[0] if errors else "item"
        reason = f"schema_{field.split('.')[0]}"   # errors name nested values "field_sources.title"
        self.crawl_stats.inc_value(f"dropped/{reason}")
        raise DropItem(f"{reason}: {'; '.join(errors.get(field, []))} ({item.get('url')!r})")
