"""ArticleLoader: every field's normalization, as processors over pure functions.

Per-site knobs (timezone, languages, date formats and order, the response's Date header as the
anchor for relative times, the latest plausible publication time) travel in the loader context,
not in code branches. Every text field loses control and bidi-override characters (clean_text);
every URL field keeps only http(s) URLs.
"""

from functools import cache

from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from .items import Article
from .normalize.agencies import canonical_agency, is_desk_credit, is_outlet
from .normalize.dates import parse_datetime
from .normalize.text import clean_text, join_paragraphs, unique
from .normalize.urls import canonical_url, http_url


def to_datetime(value, loader_context):
    return parse_datetime(
        value,
        tz=loader_context.get("timezone", "UTC"),
        languages=loader_context.get("languages", ("en",)),
        relative_base=loader_context.get("relative_base"),
        formats=loader_context.get("date_formats", ()),
        date_order=loader_context.get("date_order"),
        not_after=loader_context.get("not_after"),
    )


def to_canonical_url(value, loader_context):
    return canonical_url(value, loader_context.get("amp_rules", ()))


def to_page_url(value, loader_context):
    """An http(s) URL, a relative one resolved against the page's own URL; else None."""
    response = loader_context.get("response")
    return http_url(value, base=response.url if response is not None else None)


def clean_parts(value):
    """A dict's string values cleaned like any text field (a dateline's location and credits)."""
    if not isinstance(value, dict):
        return drop_none(value)
    return drop_none({key: clean_text(part) if isinstance(part, str) else part for key, part in value.items()})


def person_name(value):
    """A person's name, or None for an agency, outlet, desk credit or non-name."""
    name = clean_text(value)
    if not name or canonical_agency(name) or is_outlet(name) or is_desk_credit(name):
        return None
    if len(name) > 60 or not any(c.isalpha() for c in name):
        return None
    return name


def drop_none(value):
    return value if value not in (None, "", [], {}) else None


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    url_in = MapCompose(http_url)
    canonical_url_in = MapCompose(to_canonical_url)
    # One value per paragraph in, one plain-text body out; join_paragraphs cleans each paragraph
    # (and drops the empty ones), so cleaning them on the way in too would only repeat it.
    body_in = Identity()
    body_out = Compose(join_paragraphs)
    authors_in = MapCompose(person_name)
    authors_out = Compose(unique)
    agency_in = MapCompose(canonical_agency)  # a table's canonical name: never text from the page
    tags_in = MapCompose(clean_text)
    tags_out = Compose(unique)
    # Candidates are added best source first; the first that parses wins.
    published_at_in = MapCompose(to_datetime)
    modified_at_in = MapCompose(to_datetime)
    dateline_in = MapCompose(clean_parts)
    flags_out = Compose(unique)
    image_url_in = MapCompose(to_page_url)
    fetched_at_in = Identity()

    # A field's processors are fixed once the class exists; itemloaders looks them up again for
    # every value (an attribute, then the item's field metadata), a few µs each time.
    def get_input_processor(self, field_name):
        return _processors(type(self), field_name)[0]

    def get_output_processor(self, field_name):
        return _processors(type(self), field_name)[1]


@cache
def _processors(loader_class, field_name):
    """(input, output) processor of a field, as itemloaders itself finds them."""
    looked_up = super(ArticleLoader, loader_class())  # itemloaders' lookup, on this class's attributes
    return looked_up.get_input_processor(field_name), looked_up.get_output_processor(field_name)
