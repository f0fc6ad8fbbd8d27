"""Generic extraction: what any news page says about itself when no site profile says it.

Structured data comes first (JSON-LD with @graph and @id references, microdata through
extruct, OpenGraph and article:* meta). The body is read twice and reconciled: our block
scoring picks the container with the most article-like text (widened when the story is split
by ads or columns), trafilatura gives an independent reading, and trafilatura's paragraphs
join ours only where they touch our story. The union, in page order, loses the headline, the
standfirst and byline above the story, captions, share and "read more" lines, and everything
after a heading that starts a list of other stories; a dateline printed on its own line is
joined to the first paragraph, as wire copy prints it. Dates fall back to htmldate (on a copy
without story lists) only when structured data and the profile give nothing. Names go
through the byline parser, so agencies, outlets and desks never become authors.

Everything is computed on first use: a profiled page pays only for the fields its profile
leaves out. Trafilatura (15-35 ms a page) runs only when the generic body is needed and our
reading is unsure of itself (a short story, or linked lines dropped inside the container);
on the zyte-aeb pages that is one page in ten, and running it everywhere scores the same.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from ..normalize.agencies import canonical_agency, is_desk_credit, is_outlet
from ..normalize.bylines import Byline, parse_byline
from ..normalize.datelines import parse_dateline
from ..normalize.dates import parse_datetime
from ..normalize.text import clean_text, unique
from .html import (cleaned_body, element_text, json_ld_article, json_ld_objects, meta_index, remove_element,
                   text_blocks)

# --- structured data ------------------------------------------------------------------------

_ARTICLE_TYPE = re.compile(r"(?:^|/)(?:\w*NewsArticle|Article|BlogPosting|LiveBlogPosting|Report)$")


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_text(value):
    """The first non-empty string in a JSON-LD/microdata value (string, list or {"name"/"url"})."""
    for item in _as_list(value):
        if isinstance(item, dict):
            item = _first_text(item.get("name") or item.get("url") or item.get("@value"))
        if isinstance(item, (str, int, float)) and clean_text(str(item)):
            return clean_text(str(item))
    return None


@dataclass(frozen=True)
class Credit:
    """A name structured data credits: a person, or an organization (never an author)."""

    name: str
    is_person: bool


class StructuredData:
    """The page's article as JSON-LD and microdata declare it, @id references resolved."""

    def __init__(self, response):
        self.response = response
        self.objects = json_ld_objects(response)
        self._by_id = {obj["@id"]: obj for obj in self.objects if isinstance(obj.get("@id"), str)}
        self.json_ld = json_ld_article(response, self.objects)

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
        return _first_text(self.get(key))

    def credits(self, key="author"):
        found = []
        for item in _as_list(self.get(key)):
            item = self._resolve(item)
            if isinstance(item, str) and clean_text(item):
                found.append(Credit(clean_text(item), True))
            elif isinstance(item, dict) and _first_text(item.get("name")):
                kind = " ".join(map(str, _as_list(item.get("@type") or "Person")))
                found.append(Credit(_first_text(item.get("name")), not re.search("Organi[sz]ation", kind)))
        return found

    def breadcrumb_section(self, page_url):
        """The first BreadcrumbList step after home that is not the page itself: the section
        (deeper steps are subsections)."""
        page = page_url.split("#")[0].rstrip("/")
        for crumbs in (obj for obj in self.objects if obj.get("@type") == "BreadcrumbList"):
            steps = sorted((s for s in _as_list(crumbs.get("itemListElement")) if isinstance(s, dict)),
                           key=_position)
            for step in steps[1:]:
                item = step.get("item") if isinstance(step.get("item"), dict) else {}
                name = _first_text(step.get("name")) or _first_text(item.get("name"))
                url = str(item.get("@id") or item.get("url") or step.get("item") or step.get("url") or "")
                if name and url.rstrip("/") != page:
                    return name
        return None

    def _resolve(self, value):
        if isinstance(value, list):
            return [self._resolve(item) for item in value]
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self._by_id:
            return self._by_id[value["@id"]]
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
        if any(_ARTICLE_TYPE.search(kind) for kind in map(str, _as_list(item.get("type")))):
            return {key: _flatten_item(value) for key, value in item.get("properties", {}).items()}
    return {}


def _flatten_item(value):
    """Nested microdata items as {"@type", "name", ...}, so they read like JSON-LD."""
    if isinstance(value, list):
        return [_flatten_item(v) for v in value]
    if isinstance(value, dict) and "properties" in value:
        properties = {k: v if isinstance(v, str) else _first_text(v) for k, v in value["properties"].items()}
        return {"@type": " ".join(map(str, _as_list(value.get("type")))), **properties}
    return value


# --- title ----------------------------------------------------------------------------------

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+|\s*[|｜]\s*|\s+::\s+")


def _key(text):
    return re.sub(r"\W+", "", (text or "").casefold())


def strip_site_name(title, site_names):
    """The title without a leading or trailing part that names the site ("… | Reuters")."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators:
        return title
    names = {_key(name) for name in site_names if _key(name)}

    def is_site(part):
        key = _key(part)
        return bool(key) and any(key == name or (len(name) >= 4 and name in key) or (len(key) >= 4 and key in name)
                                 for name in names)

    if is_site(title[separators[-1].end():]):
        return clean_text(title[:separators[-1].start()]) or title
    if is_site(title[:separators[0].start()]):
        return clean_text(title[separators[0].end():]) or title
    return title


# --- body -----------------------------------------------------------------------------------

_MIN_TEXT = 25           # shorter blocks carry no weight when choosing the container
_MAX_LINK_DENSITY = 0.5  # blocks more linked than this are navigation
_MIN_GAIN = 200          # characters of story a wider container must add to be preferred
_MAX_CLIMB = 1           # how far above our container a trafilatura-only paragraph may sit
_MAX_GAP = 1             # blocks between our story and a trafilatura-only paragraph that joins it
_MAX_CHROME = 120        # furniture lines are short
_SURE_LENGTH = 500       # a story shorter than this gets trafilatura's second reading...
_UNSURE_DROPPED = 0.1    # ...and so does one whose container had this share of text dropped as links
_PARAGRAPH_OWNERS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre td th dd dt caption address summary".split())
_SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_LIST_PENALTY = {"ul": 0.5, "ol": 0.5}  # a list of items is more often other stories than a story
_SENTENCE_MARKS = re.compile(r"[.,;:!?、。，；！？]")
_SENTENCE_END = (".", "!", "?", '"', "”", "。")
_SHARE_LINE = re.compile(
    r"^(?:(?:share(?: this)?(?: on)?|tweet|email|e-mail|mail|print|whatsapp|facebook|twitter|x|pinterest|pin|"
    r"linkedin|reddit|telegram|messenger|copy(?: the)? link|flipboard|pocket|comments?|save)\W*)+$",
    re.IGNORECASE,
)
_AGAIN_LINE = re.compile(
    r"^(?:read more|read also|also read|see also|related|more|watch|listen|click here|advertisement|sponsored|"
    r"subscribe|sign up|follow us|recommended)\b",
    re.IGNORECASE,
)
# Headings after which a page lists other stories or comments, not this story.
_END_HEADING = re.compile(
    r"^(?:recent|more|latest|related|top|other|popular|trending|recommended|similar|most (?:read|popular|viewed))"
    r"(?: \w+){0,3} (?:stories|news|articles|posts|topics|reads|videos|headlines|coverage|content)\b.{0,40}$"
    r"|^(?:you (?:may|might) (?:also )?(?:like|enjoy)|recommended for you|read next|up next|more from\b.{0,40}"
    r"|comments?|leave a (?:comment|reply)|share this(?: article| story| post)?|tags|related topics|related"
    # the same headings on news sites in other languages
    r"|延伸閱讀|延伸阅读|相關新聞|相关新闻|相關文章|相关文章|相关阅读|相關閱讀|推荐阅读|推薦閱讀|関連記事|関連ニュース"
    r"|관련 ?기사|lesen sie auch|mehr zum thema|leia também|leia mais|veja também|você pode gostar\w*"
    r"|lea también|noticias relacionadas|te puede interesar|à lire aussi|lire aussi|sur le même sujet"
    r"|читайте также|похожие новости|смотрите также|اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|متعلقہ خبریں)\W*$",
    re.IGNORECASE,
)
# Lines that close wire copy but are not story: "(END)", a contact address, bracketed editor
# credits ("【责任编辑:…】"). Copyright lines stay: annotated bodies keep them.
_TRAILER = re.compile(
    r"^(?:\(?end\)?|-30-|###)$|^[\w.+-]+@[\w-]+\.[\w.]+(?:\s*\(end\))?$|^(?:[【\[][^】\]]{0,40}[】\]]\s*)+$",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^(?:(?:photo|image|picture|file photo|video|graphic|illustration)s?(?: credit)?\s*[:|/©]"
    r"|\(?(?:photo|image)s?:)|(?:getty images|shutterstock|ap photo|afp photo|reuters|epa|file photo)\)?$",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^(?:by|written by|reported by|posted by|published|updated|last updated)\b",
                           re.IGNORECASE)


@dataclass(frozen=True)
class BodyReading:
    paragraphs: list    # the story, in page order
    credit_lines: list  # byline and date lines printed above it: not body, but they name people


def body_paragraphs(root, *, title=None, description=None, trafilatura_text=None):
    """The article text of a page (an lxml tree) as paragraphs, in page order."""
    return read_body(root, title=title, description=description, trafilatura_text=trafilatura_text).paragraphs


def read_body(root, *, title=None, description=None, trafilatura_text=None):
    """Our container reading, united with trafilatura's where it touches ours when ours is
    unsure. title and description (the page's own) are not body when they reappear above the
    story. trafilatura_text: its reading, when the caller has it already (then always used)."""
    blocks = text_blocks(cleaned_body(root))
    containers = set(_best_containers(blocks))
    ours = {b.index for b in blocks if b.link_density <= _MAX_LINK_DENSITY and _inside(b.owner, containers)}
    if trafilatura_text is None:
        trafilatura_text = _trafilatura_text(root) if _unsure(blocks, containers, ours) else ""
    theirs = _kept_by(trafilatura_text, blocks)
    if not ours and not theirs:
        return BodyReading([p for p in (clean_text(line) for line in trafilatura_text.splitlines()) if p], [])
    if ours & theirs:
        theirs = _near(theirs, ours, _MAX_GAP)
        theirs = {i for i in theirs if i in ours or _within(blocks[i].owner, containers, _MAX_CLIMB)}
    elif ours and theirs:  # the readings disagree entirely: trust the more article-like one
        ours, theirs = (ours, set()) if _mass(blocks, ours) >= _mass(blocks, theirs) else (set(), theirs)
    kept = [b for b in blocks if b.index in ours or b.index in theirs]
    story, credit_lines = _without_chrome(kept, title, description)
    return BodyReading(_with_dateline(story, blocks), credit_lines)


def _unsure(blocks, containers, ours):
    """True when our reading deserves a second opinion: a short story (or none), or a container
    whose linked lines we dropped may be story too (lists of links in a listicle, "Get it on
    Amazon" lines). Elsewhere trafilatura changes nothing measurable and costs 15-30 ms."""
    kept = sum(len(blocks[i].text) for i in ours)
    inside = [b for b in blocks if _inside(b.owner, containers)]
    dropped = sum(len(b.text) for b in inside if b.index not in ours)
    return kept < _SURE_LENGTH or dropped >= _UNSURE_DROPPED * (kept + dropped)


def _normal(text):
    """Words only, lower case: how texts from different extractors are compared."""
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def _weight(block):
    """How article-like a block is: long, punctuated, little linked text."""
    length = len(block.text)
    if length < _MIN_TEXT or block.link_density > _MAX_LINK_DENSITY or block.tag == "h1":
        return 0.0  # short lines, navigation and the headline are not the story
    marks = len(_SENTENCE_MARKS.findall(block.text))
    return (length + 10 * marks) * (1 - block.link_density)


def _mass(blocks, indices):
    return sum(_weight(blocks[i]) for i in indices)


def _ancestors(element, levels=10_000):
    while element is not None and levels:
        yield element
        element = element.getparent()
        levels -= 1


def _inside(element, containers):
    return any(ancestor in containers for ancestor in _ancestors(element))


def _container_scores(blocks):
    """Readability-style: each block scores its container, half for the one above, a quarter next."""
    scores = {}
    for block in blocks:
        weight = _weight(block)
        if not weight:
            continue
        start = block.owner.getparent() if block.tag in _PARAGRAPH_OWNERS else block.owner
        for element, share in zip(_ancestors(start, 3), (1, 0.5, 0.25)):
            scores[element] = scores.get(element, 0.0) + weight * share * _LIST_PENALTY.get(element.tag, 1)
    return scores


def _masses(blocks):
    """Characters of article-like (good) and other (noise) text under each element."""
    good, noise = {}, {}
    for block in blocks:
        # List items count half: teaser lists look like text but are not the story.
        share = (0.5 if block.tag == "li" else 1.0) if _weight(block) else 0.0
        for element in _ancestors(block.owner):
            good[element] = good.get(element, 0) + share * len(block.text)
            noise[element] = noise.get(element, 0) + (1 - share) * len(block.text)
    return good, noise


def _best_containers(blocks):
    """The elements holding the story: the best-scored container, widened to an ancestor
    when that adds mostly article-like text (a story split by ads or into columns), plus
    siblings that score well or share its class."""
    scores = _container_scores(blocks)
    if not scores:
        return []
    top = max(scores, key=scores.get)
    good, noise = _masses(blocks)
    best, best_gain = top, 0
    for ancestor in _ancestors(top.getparent(), 5):
        if ancestor.tag in ("body", "html"):
            break
        gain = good.get(ancestor, 0) - good.get(top, 0)
        added_noise = noise.get(ancestor, 0) - noise.get(top, 0)
        # Climb only for new text, and only when the climb adds mostly article-like text.
        if gain > max(0.2 * good.get(top, 0), _MIN_GAIN, best_gain) and gain > 1.5 * added_noise:
            best, best_gain = ancestor, gain
    chosen = [best]
    parent = best.getparent()
    for sibling in parent if parent is not None else ():
        score = scores.get(sibling, 0)
        same_kind = sibling.tag == best.tag and sibling.get("class") and sibling.get("class") == best.get("class")
        if sibling is not best and (score >= max(200, 0.2 * scores[top]) or (same_kind and score > 0)):
            chosen.append(sibling)
    return chosen


def _trafilatura_text(root):
    """Trafilatura's reading of the body (precision mode), or "" when it finds none."""
    import trafilatura  # heavy import: only pages that need a generic body pay for it

    document = trafilatura.bare_extraction(root, favor_precision=True, include_comments=False,
                                           with_metadata=False)
    return (document.text if document is not None else "") or ""


def _kept_by(text, blocks):
    """Indices of the blocks whose text another extractor kept (compared word by word)."""
    joined = f" {_normal(text)} "
    lines = {_normal(line) for line in text.splitlines()}
    kept = set()
    for block in blocks:
        words = _normal(block.text)
        if words and (f" {words} " in joined if words.count(" ") >= 2 else words in lines):
            kept.add(block.index)
    return kept


def _within(element, containers, levels):
    """True when element sits under a container or under one of its `levels` nearest ancestors."""
    zones = {zone for container in containers for zone in _ancestors(container, levels + 1)}
    return any(ancestor in zones for ancestor in _ancestors(element))


def _near(extra, anchor, gap):
    """The indices of extra that connect to anchor through runs of at most `gap` other blocks:
    trafilatura's lead or continuation paragraphs, not its picks from another column."""
    connected = set(anchor)
    for direction in (1, -1):
        edge = max(anchor) if direction == 1 else min(anchor)
        for index in sorted((i for i in extra if (i - edge) * direction > 0), key=lambda i: i * direction):
            if abs(index - edge) > gap + 1:
                break
            connected.add(index)
            edge = index
    return {i for i in extra if i in connected or min(anchor) <= i <= max(anchor)}


def _without_chrome(blocks, title, description=None):
    """(story blocks, credit lines): the headline, the standfirst and byline above the story,
    captions, share and "read more" lines dropped, and everything after a heading that starts
    a list of other stories."""
    title_key, description_key = _normal(title), _normal(description)
    story, credit_lines = [], []
    for position, block in enumerate(blocks):
        text = block.text
        short = len(text) <= _MAX_CHROME
        if short and _END_HEADING.match(text) and story:
            if not _story_goes_on(story[-1], blocks[position + 1:position + 2]):
                break
            continue
        if block.tag == "h1" or (title_key and _normal(text) == title_key):
            continue
        if short and _is_furniture_line(block):
            continue
        if not story and _above_story(block, description_key):
            credit_lines.append(text)
            continue
        story.append(block)
    while story and len(story[-1].text) <= _MAX_CHROME and _TRAILER.search(story[-1].text):
        story.pop()
    return story, credit_lines


def _is_furniture_line(block):
    """Share buttons, "Read more: <link>", photo credits."""
    text = block.text
    if _SHARE_LINE.match(text):
        return True
    if text.endswith(_SENTENCE_END):
        return False  # a sentence that happens to start with "More" or name a photo agency
    return bool(_AGAIN_LINE.match(text) and block.link_density > 0 or _CREDIT_LINE.search(text))


def _above_story(block, description_key):
    """A standfirst, byline or date line printed between the headline and the story."""
    if description_key and _normal(block.text) == description_key and block.tag in _SUBHEADINGS:
        return True
    return len(block.text) <= _MAX_CHROME and _is_byline_or_date(block.text)


def _story_goes_on(before, after):
    """True when the text after a "Related" heading continues the same run of paragraphs
    (an inline box of links), False when it sits elsewhere (the list of other stories)."""
    return bool(after) and after[0].owner.getparent() is before.owner.getparent()


def _is_byline_or_date(text):
    """A line that credits or dates the story ("By Jane Doe", "Updated 3 hours ago",
    "Jane Doe (@jane) 12 minutes ago Wed 29th April 2020 | 03:32 PM")."""
    if _BYLINE_START.match(text) or parse_datetime(text) is not None:
        return True
    if text.rstrip().endswith(_SENTENCE_END) or parse_dateline(text):
        return False  # a sentence, or a short wire story
    byline = parse_byline(text)
    return bool(byline.date_text or byline.relative_text) and bool(byline.authors or byline.handles)


def _with_dateline(kept, blocks):
    """Paragraph texts; a dateline printed on its own line just above the first paragraph is
    joined to it ("ISLAMABAD, Jan 01 (APP): ...")."""
    paragraphs = [b.text for b in kept]
    if not kept:
        return paragraphs
    first = kept[0]
    if _standalone_dateline(first.text):
        if len(paragraphs) > 1:
            paragraphs[:2] = [f"{paragraphs[0]} {paragraphs[1]}"]
    elif first.index > 0 and _standalone_dateline(blocks[first.index - 1].text):
        paragraphs[0] = f"{blocks[first.index - 1].text} {first.text}"
    return paragraphs


def _standalone_dateline(text):
    dateline = parse_dateline(text)
    return dateline is not None and len(text) - dateline.rest_offset <= 2


# --- people ---------------------------------------------------------------------------------

_BYLINE_CSS = ("[itemprop=author], [rel=author], .byline, .by-line, .article-byline, .author-name, .author, "
               ".byline-name, .story-byline, .writer, .contributor")
_AUTHOR_META = ("article:author", "og:article:author", "sailthru.author", "parsely-author", "dc.creator",
                "DC.creator")


def _merge_bylines(bylines):
    """Persons from the first source that names any; the first agency any source names."""
    authors = next((b.authors for b in bylines if b.authors), ())
    agency = next((b.agency for b in bylines if b.agency), None)
    return Byline(tuple(authors), agency)


def _credit_byline(credit):
    """A structured-data credit as a Byline: an organization can only be an agency."""
    parsed = parse_byline(credit.name)
    if credit.is_person:
        return parsed
    return Byline((), canonical_agency(credit.name) or parsed.agency)


def _names_organization(name, organizations):
    """True when a would-be person is an organization the page credits, or part of its name:
    meta author "中央通訊社" beside a JSON-LD Organization "中央通訊社 Central News Agency"."""
    words = _normal(name).split()
    for organization in organizations:
        org_words = _normal(organization).split()
        if words and any(org_words[i:i + len(words)] == words for i in range(len(org_words))):
            return True
    return False


def _looks_like_url(text):
    return bool(re.match(r"^(?:https?:)?//|^www\.", text or ""))


# --- dates ----------------------------------------------------------------------------------

_PUBLISHED_META = ("og:article:published_time", "publish-date", "publishdate", "pubdate", "publication_date",
                   "article.published", "sailthru.date", "parsely-pub-date", "dc.date.issued", "DC.date.issued",
                   "dcterms.issued", "DCTERMS.issued", "date")
_PUBLISHED_MARKUP = ("//*[@itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']/@content"
                     " | //time[@pubdate]/@datetime")
# Where pages list other stories with their dates: a date found there is not this page's.
_TEASER_ZONES = re.compile(r"related|recent|popular|trending|more-?stories|widget|sidebar|most-?read|recommend|teaser",
                           re.IGNORECASE)


def _without_teasers(root):
    """A copy of the page without links, navigation and story lists, for date guessing."""
    tree = copy.deepcopy(root)
    for element in list(tree.iter("a", "aside", "nav", "footer")):
        remove_element(element)
    for element in list(tree.iter()):
        if isinstance(element.tag, str) and element.getparent() is not None and _TEASER_ZONES.search(
                f"{element.get('class') or ''} {element.get('id') or ''}"):
            remove_element(element)
    return tree


# --- tags -----------------------------------------------------------------------------------

# Where pages print their topic links: rel=tag (the microformat) and tag-list containers.
_TAG_LINKS_CSS = ("a[rel~=tag], .tags a, .tagcloud a, .tag-list a, .tags-list a, .article-tags a, "
                  ".post-tags a, .entry-tags a, .topics a, .related-topics a")


def _one_list(values):
    """Tags as declared; a single value holding a list ("US,USA,FED") is that list."""
    return re.split(r"\s*[,;]\s*", values[0]) if len(values) == 1 else list(values)


# --- the page -------------------------------------------------------------------------------

class GenericPage:
    """Lazy generic readings of one response; each is computed on first use."""

    def __init__(self, response):
        self.response = response
        self.root = response.selector.root
        # Set by the caller when a site profile read the body or the byline: the generic body is
        # then never computed (it may cost a trafilatura run), nor a second byline element read.
        self.profile_body = None
        self.profile_byline = None

    @cached_property
    def structured(self):
        return StructuredData(self.response)

    @cached_property
    def metas(self):
        return meta_index(self.response)

    def meta(self, *names):
        """The first value among the <meta> tags named names."""
        return next((self.metas[name][0] for name in names if name in self.metas), None)

    # title, subtitle -------------------------------------------------------------------------

    @cached_property
    def site_names(self):
        host = urlsplit(self.response.url).hostname or ""
        labels = [label for label in host.split(".") if label not in ("www", "com", "co", "org", "net", "en", "m")]
        return [name for name in (self.meta("og:site_name", "application-name", "twitter:site"),
                                  *(c.name for c in self.structured.credits("publisher")), *labels) if name]

    @cached_property
    def title(self):
        candidates = [self.structured.text("headline"), self.meta("og:title"), self.structured.text("name"),
                      self.meta("twitter:title"), clean_text(self.response.xpath("string(//title)").get())]
        headings = [t for t in (element_text(h) for h in self.response.xpath("//h1")) if t]
        title = next((c for c in candidates if c), None)
        if title is None:
            return headings[0] if headings else None
        # An <h1> that the title merely decorates is the clean headline ("Headline-Site").
        for heading in headings:
            if len(heading) >= 10 and heading != title and _key(title).startswith(_key(heading)):
                return heading
        return strip_site_name(title, self.site_names)

    @cached_property
    def description(self):
        text = self.structured.text("description") or self.meta("og:description", "description",
                                                                  "twitter:description")
        return clean_text(html.unescape(text or ""))

    @cached_property
    def printed_standfirst(self):
        """True when the page prints its description as a subheading."""
        key = _normal(self.description)
        return bool(key) and any(_normal(element_text(h)) == key
                                 for h in self.response.xpath("//h2 | //h3 | //h4 | //h5 | //h6")[:30])

    def subtitle(self, first_paragraph=None):
        """The description when the page prints it as a standfirst, or when it is more than
        the headline or the lead paragraph again (often cut short with "...")."""
        text = self.description
        if not text or self.printed_standfirst:
            return text
        key, title_key = _normal(text.rstrip(".… ")), _normal(self.title)
        if title_key and key.startswith(title_key):  # "Headline --- lead paragraph…"
            key = key[len(title_key):].strip()
        lead = _normal(first_paragraph)
        if not key or key == title_key or lead.startswith(key) or (lead and key[:60] in lead):
            return None
        return text

    # body ------------------------------------------------------------------------------------

    @cached_property
    def reading(self):
        return read_body(self.root, title=self.title, description=self.description)

    @property
    def body(self):
        return self.reading.paragraphs

    # people ----------------------------------------------------------------------------------

    @cached_property
    def byline_text(self):
        """The first short text of a byline-like element (itemprop=author, .byline, ...)."""
        for element in self.response.css(_BYLINE_CSS)[:5]:
            text = element_text(element)
            if text and len(text) <= 200:
                return text
        return None

    @cached_property
    def byline(self):
        """Persons and agency from structured data, meta, the page's byline element and, last,
        a byline line printed above the story."""
        sources = [_credit_byline(c) for c in self.structured.credits()]
        for name in (self.meta("author"), self.meta(*_AUTHOR_META)):
            if name and not _looks_like_url(name):
                sources.append(parse_byline(name))
        if self.profile_byline is None:
            sources.append(parse_byline(self.byline_text))
        if self.profile_body is None and not any(source.authors for source in sources):
            sources.extend(parse_byline(line) for line in self.reading.credit_lines)
        merged = _merge_bylines(sources)
        organizations = [c.name for c in self.structured.credits() + self.structured.credits("publisher")
                         if not c.is_person] + [self.meta("og:site_name") or ""]
        authors = tuple(a for a in merged.authors
                        if not (canonical_agency(a) or is_outlet(a) or is_desk_credit(a)
                                or _names_organization(a, organizations)))
        return Byline(authors, merged.agency)

    # dates -----------------------------------------------------------------------------------

    def published_candidates(self):
        """(source, text) pairs beyond those the article extractor reads itself, computed as
        they are asked for."""
        yield "meta", _first_text(self.structured.microdata.get("datePublished"))
        yield "meta", self.meta(*_PUBLISHED_META)
        yield "meta", self.response.xpath(_PUBLISHED_MARKUP).get()

    def modified_candidates(self):
        return [_first_text(self.structured.microdata.get("dateModified")),
                self.meta("og:article:modified_time", "og:updated_time", "dateModified", "dcterms.modified")]

    def fallback_date(self):
        """htmldate's reading of the page without its story lists: a day, or a time when the
        page states one."""
        from htmldate import find_date  # only pages without any other date pay the import

        try:
            found = find_date(_without_teasers(self.root), url=self.response.url, extensive_search=False,
                              original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
        except Exception:  # htmldate raises on odd trees; a missing date is the honest answer
            return None
        # htmldate pads a bare day with midnight; a day must stay a day.
        return found[:10] if found and found.endswith("T00:00:00") else found

    # the rest --------------------------------------------------------------------------------

    @cached_property
    def tags(self):
        declared = self.metas.get("article:tag", []) + self.metas.get("og:article:tag", [])
        keywords = [v for v in _as_list(self.structured.get("keywords")) if isinstance(v, str)]
        tags = _one_list(declared) + _one_list(keywords)
        if not tags:  # the topic links the page prints
            tags = [element_text(a) for a in self.response.css(_TAG_LINKS_CSS)]
        return unique([clean_text(t) for t in tags if clean_text(t)])

    @cached_property
    def section(self):
        return (self.meta("article:section", "og:article:section") or self.structured.text("articleSection")
                or self.structured.breadcrumb_section(self.response.url))

    @cached_property
    def image(self):
        image = self.structured.get("image") or self.structured.get("thumbnailUrl")
        return self.meta("og:image", "twitter:image") or _first_text(image)

    @cached_property
    def language(self):
        for value in (self.meta("og:locale"), self.structured.text("inLanguage"),
                      self.meta("content-language", "language", "dc.language")):
            code = re.split(r"[-_]", value or "")[0].lower()
            if re.fullmatch(r"[a-z]{2}", code):
                return code
        return None
