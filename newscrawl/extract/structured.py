"""Structured data a page declares about itself: JSON-LD (with @graph and @id references),
microdata through extruct, and the title with the site's name taken off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..normalize.text import clean_text
from .html import json_ld_texts
from .jsonld import article_object, clean_object, new_problems, objects_in

# --- structured data ------------------------------------------------------------------------

_ARTICLE_TYPE = re.compile(r"(?:^|/)(?:\w*NewsArticle|Article|BlogPosting|LiveBlogPosting|Report)$")


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first_value_text(value):
    """The first non-empty string in a JSON-LD/microdata value (string, list or {"name"/"url"})."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = first_value_text(item.get("name") or item.get("url") or item.get("@value"))
        text = clean_text(str(item)) if isinstance(item, (str, int, float)) else None
        if text:
            return text
    return None


@dataclass(frozen=True)
class Credit:
    """A name structured data credits: a person, or an organization (never an author)."""

    name: str
    is_person: bool


class StructuredData:
    """The page's article as JSON-LD and microdata declare it, @id references resolved.

    problems counts what was ignored (jsonld.py's reasons): scripts too deep, too large or
    unreadable, and values of a shape the extractor does not read."""

    def __init__(self, response):
        self.response = response
        self.problems = new_problems()
        self.objects = objects_in(json_ld_texts(response.selector.root), self.problems)
        self._by_id = {obj["@id"]: obj for obj in self.objects if isinstance(obj.get("@id"), str)}
        self.json_ld = clean_object(article_object(self.objects), self.problems)

    @cached_property
    def microdata(self):
        return _microdata_article(self.response)

    def get(self, key):
        """JSON-LD's value for key, else microdata's."""
        value = self.json_ld.get(key)
        if value in (None, "", []):
            value = self.microdata.get(key)
        return self._resolve(value)

    def text(self, key):
        return first_value_text(self.get(key))

    def credits(self, key="author"):
        found = []
        for item in as_list(self.get(key)):
            item = self._resolve(item)
            if isinstance(item, str) and clean_text(item):
                found.append(Credit(clean_text(item), True))
            elif isinstance(item, dict) and first_value_text(item.get("name")):
                kind = " ".join(map(str, as_list(item.get("@type") or "Person")))
                # ["Person", "Organization"] (some CMS plugins type every author so) is a person.
                person = "Person" in kind or not re.search("Organi[sz]ation", kind)
                found.append(Credit(first_value_text(item.get("name")), person))
        return found

    def breadcrumb_section(self, page_url):
        """The first BreadcrumbList step after home that is not the page itself: the section
        (deeper steps are subsections)."""
        page = page_url.split("#")[0].rstrip("/")
        for crumbs in (obj for obj in self.objects if obj.get("@type") == "BreadcrumbList"):
            steps = sorted((s for s in as_list(crumbs.get("itemListElement")) if isinstance(s, dict)),
                           key=_position)
            for step in steps[1:]:
                item = step.get("item") if isinstance(step.get("item"), dict) else {}
                name = first_value_text(step.get("name")) or first_value_text(item.get("name"))
                url = str(item.get("@id") or item.get("url") or step.get("item") or step.get("url") or "")
                if name and url.rstrip("/") != page:
                    return name
        return None

    def _resolve(self, value):
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str) \
                and value["@id"] in self._by_id:
            return clean_object(self._by_id[value["@id"]], self.problems)
        return value


def _position(step):
    position = str(step.get("position") or 0)
    return int(position) if position.isdigit() else 0


def _microdata_article(response):
    """Properties of the page's schema.org Article microdata item ({} when it has none)."""
    if not response.xpath("//*[@itemscope and @itemtype]"):
        return {}
    from extruct.w3cmicrodata import LxmlMicrodataExtractor  # only pages with microdata pay the import

    try:  # the parsed tree is reused; extruct copies what it cleans
        items = LxmlMicrodataExtractor().extract_items(response.selector.root, response.url)
    except Exception:  # malformed microdata must not cost the page
        return {}
    for item in items:
        if any(_ARTICLE_TYPE.search(kind) for kind in map(str, as_list(item.get("type")))):
            return {key: _flatten_item(value) for key, value in item.get("properties", {}).items()}
    return {}


def _flatten_item(value):
    """Nested microdata items as {"@type", "name", ...}, so they read like JSON-LD."""
    if isinstance(value, list):
        return [_flatten_item(v) for v in value]
    if isinstance(value, dict) and "properties" in value:
        properties = {k: v if isinstance(v, str) else first_value_text(v) for k, v in value["properties"].items()}
        return {"@type": " ".join(map(str, as_list(value.get("type")))), **properties}
    return value


# --- title ----------------------------------------------------------------------------------

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+|\s*[|｜_]\s*|\s+::\s+")
_LABEL_WORDS = 2  # an edition or section label beside the site's name: "English", "World News"


def title_key(text):
    return re.sub(r"\W+", "", (text or "").casefold().replace("_", " "))


def strip_site_name(title, site_names):
    """The title without a leading or trailing run of parts that names the site: "… | Reuters",
    "…sliding sales_English_Xinhua" (the site's name and a short edition label beside it)."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    names = {title_key(name): len(name.split()) for name in site_names if title_key(name)}

    def is_site(part):
        """The site's name, maybe with one word more ("Reuters.com", "Al Jazeera English")."""
        key, words = title_key(part), len(part.split())
        return bool(key) and any(key == name or (len(name) >= 4 and name in key and words <= size + 1)
                                 or (len(key) >= 4 and key in name) for name, size in names.items())

    def site_run(parts):
        """True when parts are the site's name and at most short labels."""
        if len(parts) == 1:
            return is_site(parts[0])
        return any(is_site(p) for p in parts) and all(
            len(p.split()) <= _LABEL_WORDS or is_site(p) and len(p.split()) <= 4 for p in parts)

    bounds = [0] + [i for m in separators for i in (m.start(), m.end())] + [len(title)]
    parts = [title[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    for cut in range(1, len(parts)):  # the longest trailing run first
        if site_run(parts[cut:]):
            return clean_text(title[:separators[cut - 1].start()]) or title
    for cut in range(len(parts) - 1, 0, -1):  # then the longest leading run
        if site_run(parts[:cut]):
            return clean_text(title[separators[cut - 1].end():]) or title
    return title
    names = {title_key(name): len(name.split()) for name in site_names if title_key(name)}

    def is_site(part):
        """The site's name, maybe with one word more ("Reuters.com", "Al Jazeera English")."""
        key, words = title_key(part), len(part.split())
        return bool(key) and any(key == name or (len(name) >= 4 and name in key and words <= size + 1)
                                 or (len(key) >= 4 and key in name) for name, size in names.items())

    if is_site(title[separators[-1].end():]):
        return clean_text(title[:separators[-1].start()]) or title
    if is_site(title[:separators[0].start()]):
        return clean_text(title[separators[0].end():]) or title
    return title


