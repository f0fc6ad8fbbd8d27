"""Small helpers over lxml trees (and parsel selectors): text of an element, body paragraphs,
JSON-LD scripts (read by jsonld.py), <meta> values, and the text blocks of a page that the
generic extractor scores."""

import copy
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator

from ..normalize.text import clean_text

_PARAGRAPH_TAGS = ("p", "blockquote", "pre")
_NEVER_TEXT = ("script", "style", "noscript", "template")
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style)]"
_visible_texts = etree.XPath(_VISIBLE_TEXT, smart_strings=False)


@lru_cache(maxsize=256)
def _css_xpath(css):
    return HTMLTranslator().css_to_xpath(css, prefix="descendant-or-self::")


@lru_cache(maxsize=256)
def _compiled_css(css):
    # parsel's own translation, compiled once: a profile asks the same few selectors of every
    # page, and plain lxml results skip the Selector parsel wraps around each one.
    return etree.XPath(_css_xpath(css), smart_strings=False)


def select(element, css):
    """The lxml elements under element (itself included) that css matches, in page order."""
    return _compiled_css(css)(element)


def remove_element(element):
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
    """All visible text of one element (a parsel selector), whitespace collapsed."""
    if selector is None:
        return None
    return clean_text("".join(selector.xpath(_VISIBLE_TEXT).getall()))


def node_text(element):
    """element_text of an lxml element."""
    return clean_text("".join(_visible_texts(element)))


def first_text(root, css):
    """The first non-empty text among the elements css selects in an lxml tree."""
    if not css:
        return None
    for element in select(root, css):
        text = node_text(element)
        if text:
            return text
    return None


def all_texts(root, css):
    if not css:
        return []
    return [t for t in (node_text(e) for e in select(root, css)) if t]


def body_paragraphs(container, drop=()):
    """Text paragraphs of a body container (an lxml element) after removing the elements named by drop."""
    root = copy.deepcopy(container)
    # A tag the profile drops already is gone: selecting it again would find nothing.
    for css in tuple(drop) + tuple(tag for tag in _NEVER_TEXT if tag not in drop):
        for element in select(root, css):
            if element is not root:
                remove_element(element)
    blocks = [e for e in root.iter(*_PARAGRAPH_TAGS)]
    if not blocks:
        return [t for t in [clean_text("".join(root.itertext()))] if t]
    return [t for t in (clean_text("".join(b.itertext())) for b in blocks) if t]


def canonical_href(root):
    """The href of the page's first <link rel="canonical">, as //link[@rel="canonical"]/@href reads it."""
    return next((link.get("href") for link in root.iter("link")
                 if link.get("rel") == "canonical" and link.get("href") is not None), None)


_own_texts = etree.XPath("text()", smart_strings=False)


def json_ld_texts(root):
    """The texts of a page's JSON-LD scripts, as //script[@type="application/ld+json"]/text() reads them."""
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json":
            yield from _own_texts(script)


def meta_index(root):
    """Every <meta> value of a page (an lxml tree) under each of its property/name/itemprop
    names, in page order: one pass for all the names a page is asked for. Some saved pages
    carry the value in @value instead of @content."""
    index = {}
    for element in root.iter("meta"):
        attributes = element.attrib
        value = (attributes.get("content") or attributes.get("value") or "").strip()
        if not value:
            continue
        for key in ("property", "name", "itemprop"):
            if attributes.get(key):
                index.setdefault(attributes[key], []).append(value)
    return index


# --- the page as text blocks, for the generic body extractor ------------------------------

_JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "button", "select",
              "input", "textarea", "label", "nav", "aside", "footer", "figure", "figcaption", "picture",
              "video", "audio", "canvas", "object", "embed", "map", "head", "header", "dialog", "menu")
_BLOCK_TAGS = frozenset(
    "p div section article main blockquote pre ul ol li dl dt dd table thead tbody tfoot tr td th "
    "h1 h2 h3 h4 h5 h6 header footer figure address center hr form fieldset details summary body "
    "html aside nav caption".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# class/id words of page furniture: sharing, related links, ads, bylines, captions, comments...
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|shares|sharing|sharebar|social|socials|related|recommend\w*|newsletter|subscribe|"
    r"subscription|signup|promo|promos|promotion|advert\w*|ad|ads|adv|advertisement|sponsor\w*|comment|"
    r"comments|disqus|sidebar|breadcrumbs?|byline|bylines|author|authors|caption|captions|credit|credits|"
    r"tags|tag|tagcloud|popular|trending|mostread|morestories|recent|readmore|alsoread|outbrain|taboola|"
    r"cookie|cookies|modal|popup|menu|nav|navbar|navigation|footer|toolbar|pagination|pager|print|widget|"
    r"banner|masthead|header|meta|hidden|sr-only|visually-hidden|screen-reader-text|skip|rating|ratings|sns|"
    r"actions|tools)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_EMBEDDED_POST = etree.XPath(
    "descendant-or-self::blockquote[contains(@class, 'tweet') or contains(@class, 'instagram')"
    " or contains(@class, 'tiktok') or contains(@class, 'fb-') or contains(@class, 'facebook')]")
_CAMEL_HUMP = re.compile(r"([a-z])([A-Z])")
# A furniture-named element holding this share of the page's text is a wrapper ("page has-sidebar").
_WRAPPER_SHARE = 0.5
# The largest <article> with this share of the page's paragraph text is the story, not furniture.
_MAIN_ARTICLE_SHARE = 0.25


@dataclass
class TextBlock:
    """One paragraph of page text and the block element that holds it."""

    text: str
    link_chars: int   # characters of the text inside links
    owner: object     # the nearest block-level lxml element
    index: int = 0    # position in document order

    @property
    def tag(self):
        return self.owner.tag

    @property
    def link_density(self):
        return self.link_chars / len(self.text)


def cleaned_body(root):
    """A copy of the page's <body> without scripts, media, hidden elements and page furniture."""
    body = copy.deepcopy(root.find(".//body") if root.find(".//body") is not None else root)
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in list(body.iter(*_JUNK_TAGS)):
        remove_element(element)
    sizes = _text_sizes(body)
    total_p, total_free = sizes.get(body, (0, 0))
    story = _main_article(body, sizes, total_p)
    for element in list(body.iter()):
        if element is body or element is story or element.getparent() is None or not isinstance(element.tag, str):
            continue
        if element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style") or ""):
            remove_element(element)
        elif _is_furniture(element):
            p_text, free_text = sizes.get(element, (0, 0))
            if p_text < _WRAPPER_SHARE * total_p and free_text < _WRAPPER_SHARE * total_free \
                    or _is_byline_leaf(element):
                remove_element(element)
    return body


def _main_article(body, sizes, total_p):
    """The <article> holding the most paragraph text, when it holds a good share of the page's:
    the story, whatever its classes say (CMSs name posts by their author and tags, "entry
    author-jane tag-jobs"), even when the comments under it hold more text than it does."""
    articles = [e for e in body.iter("article") if e is not body]
    best = max(articles, key=lambda e: sizes.get(e, (0, 0))[0], default=None)
    if best is None or sizes.get(best, (0, 0))[0] < _MAIN_ARTICLE_SHARE * total_p:
        return None
    return best


_BYLINE_NAMES = re.compile(r"(?:^|[\s_-])(?:by-?lines?|authors?|writer|contributor)(?:$|[\s_-])", re.IGNORECASE)


def _is_byline_leaf(element):
    """A byline element with no blocks inside: never a wrapper of the story, however much text
    it holds (a 100 KB byline would otherwise pass for one and be read as the body)."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    credits = _BYLINE_NAMES.search(_CAMEL_HUMP.sub(r"\1 \2", names)) or element.get("itemprop") == "author" \
        or element.get("rel") == "author"
    return bool(credits) and not any(isinstance(e.tag, str) and e.tag in _BLOCK_TAGS
                                     for e in element.iterdescendants())


def _is_furniture(element):
    if element.tag in ("a", "body", "html") or element.getparent().tag == "p":
        return False  # inline parts of a paragraph (a dateline span) are text
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    # camelCase names are words too: "relatedRail", "articleComments"
    if not names.strip() or not _FURNITURE.search(_CAMEL_HUMP.sub(r"\1 \2", names)):
        return False
    # An embedded post ("social-media-embed", a quoted tweet) is part of the story. Asked last, of
    # furniture-named elements only: it searches the element's whole subtree.
    return not _EMBEDDED_POST(element)


def _text_sizes(body):
    """(characters in <p>, characters outside links) under each element, in one pass."""
    sizes, in_link = {}, 0
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element.tag == "a":
            in_link += 1 if event == "start" else 0
        if event == "start":
            continue
        own_link = element.tag == "a"
        free = len((element.text or "").strip()) if not in_link else 0
        p_text = 0
        for child in element:
            child_p, child_free = sizes.get(child, (0, 0))
            p_text, free = p_text + child_p, free + child_free
            if not in_link and child.tail:
                free += len(child.tail.strip())
        if element.tag == "p":
            p_text = sum(len(text) for text in element.itertext())
        sizes[element] = (p_text, free)
        in_link -= 1 if own_link else 0
    return sizes


_BR = object()  # marks a <br> among text pieces


def text_blocks(body):
    """The text of a (cleaned) tree as blocks: one per run of inline content between block tags."""
    blocks, pieces, open_blocks, in_link = [], [], [], 0

    def flush():
        owner = open_blocks[-1] if open_blocks else body
        for text, link_chars in _split_pieces(pieces):
            blocks.append(TextBlock(text, link_chars, owner, len(blocks)))
        pieces.clear()

    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in _BLOCK_TAGS:
                flush()
                open_blocks.append(element)
            in_link += tag == "a"
            if tag == "br":
                pieces.append((_BR, False))
            if tag and element.text:
                pieces.append((element.text, in_link > 0))
            continue
        in_link -= tag == "a"
        if tag in _BLOCK_TAGS:
            flush()
            open_blocks.pop()
        if element is not body and element.tail:
            pieces.append((element.tail, in_link > 0))
    flush()
    return blocks


def _split_pieces(pieces):
    """(text, link characters) of each paragraph in a run of (text, is_link) pieces;
    two <br> in a row (whitespace between them aside) end a paragraph, one is a space."""
    paragraphs, current, breaks = [], [], 0
    for piece, is_link in pieces:
        if piece is _BR:
            breaks += 1
            current.append((" ", False))
            continue
        if piece.strip():
            if breaks >= 2:
                paragraphs.append(current)
                current = []
            breaks = 0
        current.append((piece, is_link))
    paragraphs.append(current)
    out = []
    for paragraph in paragraphs:
        text = clean_text("".join(piece for piece, _ in paragraph))
        if text:
            linked = len(clean_text("".join(piece for piece, link in paragraph if link)) or "")
            out.append((text, min(linked, len(text))))
    return out
