"""Field-by-field fallback: a profile's value is kept only when it passes its field's check;
otherwise the generic extractor fills the field, and `field_sources` says which did.

Pure functions over the values a profile's selectors found (strings, lists of strings).
"""

from collections.abc import Callable

from .base import Fields

PROFILE, GENERIC, NONE = "profile", "generic", "none"

# Article fields each profile selector fills (Fields.byline gives the byline and the authors).
SELECTOR_FIELDS = {
    "title": ("title",),
    "subtitle": ("subtitle",),
    "byline": ("byline_raw", "authors"),
    "body": ("body",),
    "tags": ("tags",),
}

MIN_TITLE = 8        # characters: "Home", a section name or a lone date is not a headline
MIN_SUBTITLE = 10
MIN_BODY = 80        # characters over all paragraphs: a caption or "Read more" is not a story
MAX_TAG = 80         # characters: a longer "tag" is a sentence caught by the selector


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def title_ok(value) -> bool:
    return len(_text(value)) >= MIN_TITLE


def subtitle_ok(value) -> bool:
    return len(_text(value)) >= MIN_SUBTITLE


def byline_ok(value) -> bool:
    return bool(_text(value))


def body_ok(paragraphs) -> bool:
    return sum(len(_text(p)) for p in paragraphs or ()) >= MIN_BODY


def tags_ok(tags) -> bool:
    tags = [t for t in (_text(t) for t in tags or ()) if t]
    return bool(tags) and all(len(t) <= MAX_TAG for t in tags)


CHECKS: dict[str, Callable] = {
    "title": title_ok, "subtitle": subtitle_ok, "byline": byline_ok, "body": body_ok, "tags": tags_ok,
}


def checked(selector: str, value):
    """value when it passes the check of the selector's field, else None (the generic value is used)."""
    return value if CHECKS[selector](value) else None


def declared(fields: Fields) -> tuple[str, ...]:
    """The article fields a layout's selectors are meant to fill."""
    return tuple(name for selector, names in SELECTOR_FIELDS.items() if getattr(fields, selector)
                 for name in names)


def field_sources(fields: Fields, from_profile: set, article) -> dict:
    """{"title": "profile", "authors": "generic", …} for the fields the layout declares: "none"
    when neither the profile nor the generic reading found a value."""
    sources = {}
    for name in declared(fields):
        if name in from_profile:
            sources[name] = PROFILE
        else:
            value = article.get(name)
            sources[name] = GENERIC if value not in (None, "", [], ()) else NONE
    return sources
