"""The page body when no profile names it: block scoring picks the container with the most
article-like text, trafilatura gives a second reading when ours is unsure, and furniture
(headline, byline, captions, share lines, lists of other stories) is trimmed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize.bylines import parse_byline
from ..normalize.datelines import parse_dateline
from ..normalize.dates import parse_datetime
from ..normalize.text import clean_text
from .html import cleaned_body, text_blocks

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
# Lists and tables score their container at half: they are more often other stories or data
# (rows of sentence-like cells) than a story.
_LIST_PENALTY = {"ul": 0.5, "ol": 0.5, "tr": 0.5, "tbody": 0.5, "table": 0.5}
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


def normal_text(text):
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
    joined = f" {normal_text(text)} "
    lines = {normal_text(line) for line in text.splitlines()}
    kept = set()
    for block in blocks:
        words = normal_text(block.text)
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
    title_key, description_key = normal_text(title), normal_text(description)
    story, credit_lines = [], []
    for position, block in enumerate(blocks):
        text = block.text
        short = len(text) <= _MAX_CHROME
        if short and _END_HEADING.match(text) and story:
            if not _story_goes_on(story[-1], blocks[position + 1:position + 2]):
                break
            continue
        if block.tag == "h1" or (title_key and normal_text(text) == title_key):
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
    if description_key and normal_text(block.text) == description_key and block.tag in _SUBHEADINGS:
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


