"""Small helpers over parsel selectors: text of an element, body paragraphs, JSON-LD."""

import copy
import json
from functools import lru_cache

from parsel.csstranslator import HTMLTranslator

from ..normalize.text import clean_text

_PARAGRAPH_TAGS = ("p", "blockquote", "pre")
_NEVER_TEXT = ("script", "style", "noscript", "template")


@lru_cache(maxsize=256)
def _css_xpath(css):
    return HTMLTranslator().css_to_xpath(css, prefix="descendant-or-self::")


def _remove(element):
    """Remove element but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def element_text(selector):
    """All visible text of one element, whitespace collapsed."""
    if selector is None:
        return None
    texts = selector.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
    return clean_text("".join(texts))


def first_text(response_or_selector, css):
    if not css:
        return None
    for sel in response_or_selector.css(css):
        text = element_text(sel)
        if text:
            return text
    return None


def all_texts(response_or_selector, css):
    if not css:
        return []
    return [t for t in (element_text(s) for s in response_or_selector.css(css)) if t]


def body_paragraphs(container, drop=()):
    """Text paragraphs of a body container after removing the elements named by drop."""
    root = copy.deepcopy(container.root)
    for css in tuple(drop) + _NEVER_TEXT:
        for element in root.xpath(_css_xpath(css)):
            if element is not root:
                _remove(element)
    blocks = [e for e in root.iter(*_PARAGRAPH_TAGS)]
    if not blocks:
        return [t for t in [clean_text("".join(root.itertext()))] if t]
    return [t for t in (clean_text("".join(b.itertext())) for b in blocks) if t]


def json_ld_objects(response):
    """Every JSON-LD object of the page, @graph lists flattened; broken scripts skipped."""
    found = []
    for raw in response.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, dict):
                found.append(obj)
                stack.extend(obj.get("@graph") or [])
            elif isinstance(obj, list):
                stack.extend(obj)
    return found


_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "BlogPosting", "WebPage"}


def json_ld_article(response):
    """The page's NewsArticle-like JSON-LD object (empty dict when there is none)."""
    objects = json_ld_objects(response)

    def types(obj):
        kind = obj.get("@type")
        return set(kind) if isinstance(kind, list) else {kind}

    for preferred in (_ARTICLE_TYPES - {"WebPage"}, {"WebPage"}):
        for obj in objects:
            if types(obj) & preferred and (obj.get("headline") or obj.get("datePublished")):
                return obj
    return {}


def json_ld_names(value):
    """Names in a JSON-LD author/publisher value (a string, an object or a list of either)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(clean_text(item))
        elif isinstance(item, dict) and item.get("@type", "Person") == "Person":
            names.append(clean_text(item.get("name")))
    return [n for n in names if n]


def meta(response, *names):
    """The first non-empty <meta> content among property/name/itemprop names."""
    for name in names:
        value = response.xpath(
            f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]/@content'
        ).get()
        if value and value.strip():
            return value.strip()
    return None
