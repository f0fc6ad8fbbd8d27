"""JSON-LD read defensively: a page's scripts are untrusted input of any shape.

A script is parsed only when it is of a sane size and nesting depth (json.loads recurses: a
200,000-level array raises RecursionError, and so would any recursive walk of what it gives).
The article object is then reduced to the keys the extractor reads, each in the shape it
expects: text as a string (or a list of strings), credits as names or {"@type", "name"}
objects, images as URLs or {"url"} objects. A value of another shape (a number for a headline,
an object for a date) is ignored and counted in `problems` under `jsonld/...` reasons, which
the crawl adds to its stats as `extract/jsonld/...`.
"""

from __future__ import annotations

import json
import re
from collections import Counter

MAX_SCRIPT_CHARS = 1_000_000   # real JSON-LD is a few KB; a larger script is not metadata
MAX_DEPTH = 32                 # real JSON-LD nests 3-6 levels

# What CMSs wrap around or leave inside JSON-LD scripts: comments, CDATA, trailing commas.
_JSON_WRAPPING = re.compile(r"^\s*(?://[^\n]*\n|<!--|<!\[CDATA\[)\s*|\s*(?:-->|\]\]>|;)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")

# The keys the extractor reads, by the shape it expects of their values.
TEXT_KEYS = ("headline", "name", "alternativeHeadline", "description", "articleSection", "inLanguage",
             "datePublished", "dateModified", "dateCreated", "url")
CREDIT_KEYS = ("author", "creator", "publisher")
IMAGE_KEYS = ("image", "thumbnailUrl")
LIST_KEYS = ("keywords",)

ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                           "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting",
                           "BlogPosting", "SocialMediaPosting", "Report", "TechArticle", "WebPage"})


def nesting_depth(text, limit=MAX_DEPTH):
    """How deep text's brackets nest outside JSON strings; counting stops once past limit."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def load_json(raw, problems):
    """A script's data, or None (counted) when it is too large, too deep or not JSON."""
    if len(raw) > MAX_SCRIPT_CHARS:
        problems["jsonld/too_large"] += 1
        return None
    if nesting_depth(raw) > MAX_DEPTH:
        problems["jsonld/too_deep"] += 1
        return None
    for text in _json_readings(raw):
        try:
            return json.loads(text, strict=False)
        except (ValueError, RecursionError):
            pass
        try:  # "Extra data": two objects in one script
            return json.JSONDecoder(strict=False).raw_decode(text.strip())[0]
        except (ValueError, RecursionError):
            continue
    problems["jsonld/unreadable"] += 1
    return None


def _json_readings(raw):
    yield raw
    # Repaired only when the script as written does not parse: the regexes cost more than json.loads.
    yield _TRAILING_COMMA.sub(r"\1", _JSON_WRAPPING.sub("", raw))


def objects_in(texts, problems):
    """Every JSON-LD object in the scripts' texts, @graph lists flattened (iteratively)."""
    found = []
    for raw in texts:
        data = load_json(raw, problems)
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                found.append(obj)
                graph = obj.get("@graph") or []
                stack.extend(graph if isinstance(graph, list) else [graph])
            elif isinstance(obj, list):
                stack.extend(obj)
    return found


def types_of(obj):
    """The @type names of an object (strings only: anything else names no type)."""
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def article_object(objects):
    """The NewsArticle-like object among a page's objects (empty dict when there is none)."""
    for preferred in (ARTICLE_TYPES - {"WebPage"}, {"WebPage"}):
        for obj in objects:
            if types_of(obj) & preferred and (obj.get("headline") or obj.get("datePublished")):
                return obj
    return {}


# --- values in the shapes the extractor reads ---------------------------------------------

def _text(value):
    """A string, from a string or {"@value"/"name": string}; None for anything else."""
    if isinstance(value, dict):
        value = value.get("@value") if "@value" in value else value.get("name")
    return value if isinstance(value, str) else None


def _credit(value):
    """A name, or {"@type", "name"} / {"@id"}, from a credit value; None for anything else."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    name = next((n for n in _many(value.get("name"), _text) if n), None)
    kinds = sorted(types_of(value))
    if name:
        return {"@type": kinds or "Person", "name": name}
    if isinstance(value.get("@id"), str):
        return {"@id": value["@id"], "@type": kinds} if kinds else {"@id": value["@id"]}
    return None


def _image(value):
    if isinstance(value, dict):
        value = next((value[k] for k in ("url", "contentUrl", "@id") if isinstance(value.get(k), str)), None)
    return value if isinstance(value, str) else None


def _many(value, read):
    """read() of a value, or of each item of a list value; items it cannot read are None."""
    return [read(item) for item in value] if isinstance(value, list) else [read(value)]


_READERS = {**{k: _text for k in TEXT_KEYS}, **{k: _credit for k in CREDIT_KEYS},
            **{k: _image for k in IMAGE_KEYS}, **{k: _text for k in LIST_KEYS}}


def clean_object(obj, problems):
    """obj's readable keys in the shapes the extractor expects; every value of another shape is
    left out and counted as `jsonld/wrong_type/<key>`."""
    cleaned = {}
    kinds = sorted(types_of(obj))
    if kinds:
        cleaned["@type"] = kinds if len(kinds) > 1 else kinds[0]
    if isinstance(obj.get("@id"), str):
        cleaned["@id"] = obj["@id"]
    for key, read in _READERS.items():
        value = obj.get(key)
        if value in (None, "", [], {}):
            continue
        values = _many(value, read)
        kept = [v for v in values if v not in (None, "")]
        if len(kept) < len(values):
            problems[f"jsonld/wrong_type/{key}"] += 1
        if kept:
            # One value where the extractor reads one (the first a list gives); all for the rest.
            cleaned[key] = kept if key in CREDIT_KEYS + LIST_KEYS and isinstance(value, list) else kept[0]
    return cleaned


def new_problems():
    return Counter()
