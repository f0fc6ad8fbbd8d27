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

structured.py reads the structured data, body.py the body; this module puts the readings
together for one page. Everything is computed on first use: a profiled page pays only for the fields its profile
leaves out. Trafilatura (15-35 ms a page) runs only when the generic body is needed and our
reading is unsure of itself (a short story, or linked lines dropped inside the container);
on the zyte-aeb pages that is one page in ten, and running it everywhere scores the same.
"""

from __future__ import annotations

import copy
import html
import re
from functools import cached_property
from urllib.parse import urlsplit

from ..normalize.agencies import canonical_agency, is_desk_credit, is_outlet
from ..normalize.bylines import Byline, parse_byline
from ..normalize.date_checks import date_order_for_locales
from ..normalize.text import clean_text, unique
from .body import normal_text, read_body
from .html import element_text, meta_index, remove_element
from .structured import StructuredData, as_list, first_value_text, strip_site_name, title_key

# --- people ---------------------------------------------------------------------------------

_BYLINE_CSS = ("[itemprop=author], [rel=author], .byline, .by-line, .article-byline, .author-name, .author, "
               ".byline-name, .story-byline, .writer, .contributor")
_AUTHOR_META = ("article:author", "og:article:author", "sailthru.author", "parsely-author", "dc.creator",
                "DC.creator")


def _merge_bylines(bylines, printed=None):
    """Persons from the first source that names any, and the first agency any source names.
    printed: the page's byline element; its other persons join the declared ones when it names
    one of them too (it is then the story's byline: "By Jane Doe and John Roe" beside a JSON-LD
    author Jane Doe). A byline element that names none of them is not trusted beside them
    (author boxes, outlets, commenters sit in such elements)."""
    authors = list(next((b.authors for b in bylines if b.authors), ()))
    if printed is not None and printed.authors:
        if not authors:
            authors = list(printed.authors)
        elif any(_same_person(name, kept) for name in printed.authors for kept in authors):
            authors += [name for name in printed.authors if _plain_name(name)
                        and not any(_same_person(name, kept) for kept in authors)]
    agency = next((b.agency for b in (*bylines, printed) if b is not None and b.agency), None)
    return Byline(tuple(authors), agency)


# A co-author read beside a declared one: two to four capitalized words, no role noun.
_PLAIN_NAME = re.compile(r"^[A-Z][a-z'’-]+(?: (?:[A-Z]\.|[A-Z][a-z'’-]+)){1,3}$")
_ROLE_WORDS = frozenset("contributor contributors staff correspondent writer reporter editor columnist desk "
                        "team bureau".split())


def _plain_name(name):
    """True for a name shaped like a person's ("Mike Wall"), not a role or page debris
    ("Live Science Contributor", "IGN StaffUpdated", "Topic: Hardware")."""
    return bool(_PLAIN_NAME.match(name)) and not _ROLE_WORDS & set(name.casefold().split())


def _same_person(first, second):
    """Two spellings of one credit: one's words a run of the other's ("Lucy Akins" in "Lucy
    Akins eHow Contributor", "por César Salza"), or all among them with the same first and last
    word ("Jane Doe" / "Jane M. Doe")."""
    a, b = normal_text(first).split(), normal_text(second).split()
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return True
    return short[0] == long[0] and short[-1] == long[-1] and set(short) <= set(long)


def _credit_byline(credit):
    """A structured-data credit as a Byline: an organization can only be an agency."""
    parsed = parse_byline(credit.name)
    if credit.is_person:
        return parsed
    return Byline((), canonical_agency(credit.name) or parsed.agency)


def _names_organization(name, organizations):
    """True when a would-be person is an organization the page credits, or part of its name:
    meta author "中央通訊社" beside a JSON-LD Organization "中央通訊社 Central News Agency"."""
    words = normal_text(name).split()
    for organization in organizations:
        org_words = normal_text(organization).split()
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


# A topic page's address: /tag/<slug>, /tags/<slug>, /topic/<slug>, /topics/<slug>.
_TAG_HREF = re.compile(r"/(?:tags?|topics?)/[^/?#]+/?(?:[?#]|$)", re.IGNORECASE)
_NOT_UNDER_ARTICLE = frozenset({"nav", "header", "footer", "aside"})
_MAX_TAG_WORDS = 5


def _one_list(values):
    """Tags as declared; a single value holding a list ("US,USA,FED") is that list."""
    return re.split(r"\s*[,;]\s*", values[0]) if len(values) == 1 else list(values)


def _tag_cloud(root):
    """The topic links printed under the headline: rel=tag (the microformat) or a link to a
    /tag/ or /topic/ page, outside navigation, header, footer and sidebars (site-wide topic
    menus), with a short text (a topic, not a headline)."""
    headline = next(root.iter("h1"), None)
    after_headline = headline is None
    tags = []
    for element in root.iter("h1", "a"):
        if element is headline:
            after_headline = True
        if element.tag != "a" or not after_headline:
            continue
        href, rel = element.get("href") or "", (element.get("rel") or "").split()
        if "tag" not in rel and not _TAG_HREF.search(href):
            continue
        if any(ancestor.tag in _NOT_UNDER_ARTICLE for ancestor in element.iterancestors()):
            continue
        text = clean_text(element.text_content())
        if text and len(text.split()) <= _MAX_TAG_WORDS:
            tags.append(text.lstrip("#"))
    return tags


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
        return meta_index(self.root)

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
            if len(heading) >= 10 and heading != title and title_key(title).startswith(title_key(heading)):
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
        key = normal_text(self.description)
        return bool(key) and any(normal_text(element_text(h)) == key
                                 for h in self.response.xpath("//h2 | //h3 | //h4 | //h5 | //h6")[:30])

    def subtitle(self, first_paragraph=None):
        """The description when the page prints it as a standfirst, or when it is more than
        the headline or the lead paragraph again (often cut short with "...")."""
        text = self.description
        if not text or self.printed_standfirst:
            return text
        key, title_key = normal_text(text.rstrip(".… ")), normal_text(self.title)
        if title_key and key.startswith(title_key):  # "Headline --- lead paragraph…"
            key = key[len(title_key):].strip()
        lead = normal_text(first_paragraph)
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
        """The first short text of a byline-like element (itemprop=author, .byline, ...) that
        names a person, else the first short one (an agency credit, a date)."""
        texts = [t for t in (element_text(e) for e in self.response.css(_BYLINE_CSS)[:5]) if t and len(t) <= 200]
        return next((t for t in texts if parse_byline(t).authors), texts[0] if texts else None)

    @cached_property
    def byline(self):
        """Persons and agency from structured data, meta, the page's byline element and, last,
        a byline line printed above the story."""
        # All the structured credits are one source: an author array names every writer.
        credits = [_credit_byline(c) for c in self.structured.credits()]
        sources = [Byline(tuple(unique(a for b in credits for a in b.authors)),
                          next((b.agency for b in credits if b.agency), None))]
        for name in (self.meta("author"), self.meta(*_AUTHOR_META)):
            if name and not _looks_like_url(name):
                sources.append(parse_byline(name))
        printed = parse_byline(self.byline_text) if self.profile_byline is None else None
        if self.profile_body is None and not any(source.authors for source in (*sources, printed) if source):
            sources.extend(parse_byline(line) for line in self.reading.credit_lines)
        merged = _merge_bylines(sources, printed)
        persons = {c.name for c in self.structured.credits() if c.is_person}
        # A personal blog publishes under its author's name: a typed Person stays a person.
        organizations = [c.name for c in self.structured.credits() + self.structured.credits("publisher")
                         if not c.is_person and c.name not in persons] + [self.meta("og:site_name") or ""]
        authors = tuple(a for a in merged.authors
                        if not (canonical_agency(a) or is_outlet(a) or is_desk_credit(a)
                                or _names_organization(a, organizations) or self._names_page_part(a)))
        return Byline(authors, merged.agency)

    def _names_page_part(self, name):
        """True when a credit is the page's section or a step of its URL path: a programme
        ("Inside Story" under /program/inside-story/) or a column, not a person."""
        key = re.sub(r"[\W_]+", "", normal_text(name))
        section = re.sub(r"[\W_]+", "", normal_text(self.section or ""))
        steps = {re.sub(r"[\W_]+", "", step.lower()) for step in urlsplit(self.response.url).path.split("/")}
        return bool(key) and (key == section or key in steps)

    # dates -----------------------------------------------------------------------------------

    def published_candidates(self):
        """(source, text) pairs beyond those the article extractor reads itself, computed as
        they are asked for."""
        yield "meta", first_value_text(self.structured.microdata.get("datePublished"))
        yield "meta", self.meta(*_PUBLISHED_META)
        yield "meta", self.response.xpath(_PUBLISHED_MARKUP).get()

    def modified_candidates(self):
        return [first_value_text(self.structured.microdata.get("dateModified")),
                self.meta("og:article:modified_time", "og:updated_time", "dateModified", "dcterms.modified")]

    def fallback_date(self):
        """htmldate's reading of the page without its story lists (extensive search: dates
        printed in free text too; the original date, not the update): a day, or a time when
        the page states one. The last witness, after structured data, byline and URL."""
        from htmldate import find_date  # only pages without any other date pay the import

        try:
            found = find_date(_without_teasers(self.root), url=self.response.url, extensive_search=True,
                              original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
        except Exception:  # htmldate raises on odd trees; a missing date is the honest answer
            return None
        # htmldate pads a bare day with midnight; a day must stay a day.
        return found[:10] if found and found.endswith("T00:00:00") else found

    # the rest --------------------------------------------------------------------------------

    @cached_property
    def tags(self):
        """Declared tags (article:tag, JSON-LD keywords as a string or a list), else the news
        keywords meta, else the topic links the page prints (tag-list containers, rel=tag and
        /tag/ or /topic/ links under the headline). Plain SEO keywords are not tags."""
        declared = self.metas.get("article:tag", []) + self.metas.get("og:article:tag", [])
        keywords = [v for v in as_list(self.structured.get("keywords")) if isinstance(v, str)]
        tags = _one_list(declared) + _one_list(keywords)
        if not tags:
            tags = _one_list(self.metas.get("news_keywords", []))
        if not tags:
            tags = [element_text(a) for a in self.response.css(_TAG_LINKS_CSS)] or _tag_cloud(self.root)
        return unique([clean_text(t) for t in tags if clean_text(t)])

    @cached_property
    def section(self):
        return (self.meta("article:section", "og:article:section") or self.structured.text("articleSection")
                or self.structured.breadcrumb_section(self.response.url))

    @cached_property
    def image(self):
        image = self.structured.get("image") or self.structured.get("thumbnailUrl")
        return self.meta("og:image", "twitter:image") or first_value_text(image)

    @cached_property
    def date_order(self):
        """How the page writes numeric dates, from its language tags ("en-PK": day first)."""
        return date_order_for_locales(self.response.xpath("/html/@lang").get(), self.meta("og:locale"),
                                      self.meta("content-language", "language", "dc.language"))

    @cached_property
    def language(self):
        for value in (self.meta("og:locale"), self.structured.text("inLanguage"),
                      self.meta("content-language", "language", "dc.language")):
            code = re.split(r"[-_]", value or "")[0].lower()
            if re.fullmatch(r"[a-z]{2}", code):
                return code
        return None

