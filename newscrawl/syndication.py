"""Syndicated wire copy: recognise one story across sites and runs, keep different stories apart.

What copies share is the story's own text, so the dateline, outlet credits ("UrduPoint /
Pakistan Point News"), closing credits ("Source: Emirates News Agency") and page furniture
(ads, scripts, "Also Read" links) are taken off first. Candidates come from MinHash LSH over
word 3-grams of that text (datasketch); a candidate is the same story only when

1. the texts overlap: most 3-grams of the shorter text are in the longer one, so a copy with
   its last paragraphs trimmed is still a copy, and the same event written up independently
   (other words, same facts) is not;
2. the facts of the headline and lead agree: every number in the headline and first sentences
   of each text, and the names (capitalised words) of those sentences, appear in the other.
   Template stories ("Fujairah Ruler condoles …" / "Ajman Ruler condoles …", each day's gold
   price) share nearly every word but these; an update with new facts (a new toll, the names
   of the arrested) brings lead facts the earlier text lacks, and is a story of its own;
3. they do not credit two different wire agencies: two agencies' reports of one event are two
   stories even where one borrowed the other's wording.

Copies are looked for among articles published in the same month or the months either side
(the index is kept per month), and the earliest published copy is the story's first source.
An article re-fetched with changed text keeps its story when the story has other copies (the
site corrected its copy); its fingerprint is computed again either way.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .normalize.agencies import canonical_agency, find_outlet
from .normalize.datelines import parse_dateline, parse_trailer

# The fingerprint recipe; stored with each fingerprint so a change here recomputes them all.
METHOD = "w3-minhash128-v1"
NUM_PERM = 128
SEED = 20230729
SHINGLE_WORDS = 3
# 42 bands of 3 rows: a pair sharing 40% of its 3-grams is a candidate with probability 0.94,
# one sharing 5% (common phrases of unrelated stories) with 0.005.
LSH_BANDS, LSH_ROWS = 42, 3
# Candidates checked with the rules, most overlapping first; a bound on the cost per article.
MAX_VERIFIED = 40
# Copies of a story come out within days of each other: an article is compared with those
# published in its month and the months either side.
NEARBY_MONTHS = 1
MIN_CONTAINMENT = 0.5  # share of the shorter text's 3-grams found in the longer one
# The lead is the first sentence: a brief that keeps only the first paragraph must still hold
# every fact of the lead it is compared on.
LEAD_SENTENCES = 1
MIN_LEAD_WORDS = 8
# One name of a lead may be missing from the other copy (a leftover dateline word, a reworded
# sentence); two are new facts.
NAMES_TOLERATED = 1

_PROTOTYPE = MinHash(num_perm=NUM_PERM, seed=SEED)

# Page furniture that lands in scraped bodies: whole paragraphs dropped.
_FURNITURE = re.compile(
    r"^\W*(?:(?:advertisement|sponsored(?: content)?)\W*$"
    r"|(?:also read|read also|read more|related(?: stories| topics| news)?|more news|see also)\s*[:|–—-]"
    r"|(?:click here|follow us|subscribe to|download (?:the|our) app|join our)\b)",
    re.IGNORECASE,
)
_SCRIPT = re.compile(
    r"googletag|adsbygoogle|window\.\w|document\.\w|function\s*\(|=>|<\s*/?\s*script|"
    r"\bvar\s+\w+\s*=|[{}]\s*\)?;?\s*$",
    re.IGNORECASE,
)
_SCRIPT_MARKS = frozenset("{}=<;")
_AD_WORD = re.compile(r"\b(?:advertisement|sponsored content)\b", re.IGNORECASE)
# What is left of a dateline parse_dateline does not read: "ABU DHABI, …", "Abu Dhabi: …",
# "(UrduPoint / APP - 29th Jul, 2023) :" after the place was rewritten.
_CAPS_PLACE = re.compile(r"^[A-Z][A-Z'’.-]*(?:\s+[A-Z][A-Z'’.-]*){0,3}\s*(?:,|:|--|[–—])\s*")
_PLACE_COLON = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*:\s+")
_LEADING_CREDIT = re.compile(r"^\(([^()]{0,120})\)\s*(?:--|[-–—:])?\s*")
_DATE_WORDS = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\b|\b\d{4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
    r"dec)[a-z]*\b|[\s,.:/-]+", re.IGNORECASE)
# "…said. (APP)", "…said --AFP", "…said. – Emirates News Agency, WAM –"
_TRAILING_CREDIT = re.compile(
    r"\s*(?:[(\[]\s*(?P<paren>[^()\[\]]{1,60}?)\s*[)\]]|(?:--|[–—-])\s*(?P<dash>[^–—\n]{1,60}?)"
    r"\s*(?:--|[–—-])?)\s*\.?\s*$")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "\xa0": " "})
_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}
_WORD = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|Gen|Lt|Col|Maj|Capt|Sgt|Sen|Rep|Gov|Jr|Sr|No|Inc|Co|Ltd|Corp|vs|"
    r"etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|(?<![^\W\d_])[A-Z])\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
# Capitalised words that name nobody: function words and the usual sentence openers.
_NOT_NAMES = frozenset("""
a an the and or but nor so yet if as at by for from in into of off on onto out over per to up
via with within without about above after against along among around before behind below
beside between beyond during except inside near since through throughout toward towards under
until upon while when where whereas which who whom whose what why how
he she it they we you i me him her his hers its their theirs them our ours us your yours my
this that these those there here then thus also however meanwhile moreover furthermore
besides otherwise nevertheless accordingly earlier later today yesterday tomorrow
mr mrs ms dr said says say according all both each every some many most more other another
such no not only just even still
""".split())


@dataclass(frozen=True, eq=False)
class Fingerprint:
    signature: np.ndarray  # uint32 MinHash values
    shingles: int          # size of the 3-gram set
    agency: str | None     # canonical wire agency credited, when known
    lead: frozenset[str]   # numbers of the headline, numbers and names of the first sentences
    facts: frozenset[str]  # every number and name of headline and body

    def key_tokens(self) -> dict:
        return {"lead": sorted(self.lead), "facts": sorted(self.facts)}


@dataclass(frozen=True)
class StoryLink:
    article: int
    story: int
    first_article: int | None
    outcome: str  # new_story, linked, kept, unchanged


# -- the story's own text ------------------------------------------------------------------

def story_paragraphs(body: str | None) -> list[str]:
    """The body's paragraphs without dateline, outlet credits, closing credit and page
    furniture."""
    paragraphs = [" ".join(_normal(p).split()) for p in (body or "").split("\n")]
    paragraphs = [p for p in paragraphs if p and not _is_furniture(p)]
    if paragraphs:
        paragraphs[0] = _strip_dateline(paragraphs[0])
    if paragraphs and len(paragraphs[-1]) <= 80 and parse_trailer(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs:
        paragraphs[-1] = _strip_trailing_credit(paragraphs[-1])
    cleaned = (_remove_outlets(_AD_WORD.sub(" ", p)) for p in paragraphs)
    return [p for p in (" ".join(p.split()) for p in cleaned) if p]


def _is_furniture(paragraph: str) -> bool:
    if _FURNITURE.match(paragraph):
        return True
    # The script pattern is slow on prose: only paragraphs with a script's marks are tried.
    return bool(_SCRIPT_MARKS.intersection(paragraph)) and bool(_SCRIPT.search(paragraph))


def _strip_dateline(text: str) -> str:
    dateline = parse_dateline(text)
    if dateline is not None:
        text = text[dateline.rest_offset:]
    else:
        for pattern in (_CAPS_PLACE, _PLACE_COLON):
            if match := pattern.match(text):
                text = text[match.end():]
                break
    # A credit left alone at the start: "(UrduPoint / Pakistan Point News - 29th Jul, 2023) :"
    if (match := _LEADING_CREDIT.match(text)) and _is_credit(match[1]):
        text = text[match.end():]
    return text


def _is_credit(text: str) -> bool:
    """Only outlets, agencies and dates: the parentheses of a dateline."""
    rest = _remove_outlets(text)
    parts = [part for part in re.split(r"\s*[/,–—-]\s*", _DATE_WORDS.sub(" ", rest).strip()) if part]
    return all(canonical_agency(part) for part in parts)


def _strip_trailing_credit(text: str) -> str:
    match = _TRAILING_CREDIT.search(text)
    if match and canonical_agency((match["paren"] or match["dash"] or "").strip(" ,.")):
        return text[:match.start()].rstrip()
    return text


def _remove_outlets(text: str) -> str:
    while found := find_outlet(text):
        text = text[:found.start()] + " " + text[found.end():]
    return text


# -- fingerprints -----------------------------------------------------------------------------

def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DIGITS).translate(_QUOTES)


def shingles(paragraphs: list[str]) -> set[str]:
    """Word 3-grams of normalized text (story_paragraphs gives it), case folded."""
    words = [word.replace(",", "") for word in _WORD.findall(" ".join(paragraphs).casefold())]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def numbers(text: str) -> set[str]:
    return {number.replace(",", "") for number in _NUMBER.findall(text)}


def names(text: str) -> set[str]:
    """Capitalised words, case folded: the who and where of a sentence."""
    found = set()
    for word in _WORD.findall(text):
        if word[:1].isupper() and len(word) > 1:
            key = word.removesuffix("'s").casefold()
            if key not in _NOT_NAMES and not _is_agency(key):
                found.add(key)
    return found


@lru_cache(maxsize=8192)
def _is_agency(word: str) -> bool:
    return canonical_agency(word) is not None


def lead_sentences(paragraphs: list[str], count: int | None = None) -> str:
    """The first sentences. A sentence does not end at an abbreviation ("Sheikh Dr. Sultan")
    and holds a few words at least, so a label or a stray fragment is never the whole lead."""
    count = count or LEAD_SENTENCES
    sentences, current = [], ""
    for paragraph in paragraphs:
        for piece in _SENTENCE_END.split(paragraph):
            current = f"{current} {piece}".strip()
            if _ABBREVIATION.search(current) or len(current.split()) < MIN_LEAD_WORDS:
                continue
            sentences.append(current)
            current = ""
            if len(sentences) == count:
                return " ".join(sentences)
    return " ".join([*sentences, current]).strip()


def credited_agency(article: Mapping) -> str | None:
    """The wire agency a copy credits: its agency field, else its dateline or closing line."""
    stored = article.get("dateline")
    stored_agency = stored.get("agency") if isinstance(stored, Mapping) else None
    for candidate in (article.get("agency"), stored_agency):
        if agency := canonical_agency(candidate):
            return agency
    body = article.get("body") or ""
    dateline = parse_dateline(body.split("\n", 1)[0])
    return (dateline and canonical_agency(dateline.agency)) or parse_trailer(body)


def fingerprint(article: Mapping) -> Fingerprint:
    title = _normal(article.get("title") or "")
    paragraphs = story_paragraphs(article.get("body"))
    grams = shingles(paragraphs) or shingles([title])
    minhash = _PROTOTYPE.copy()
    minhash.update_batch(gram.encode("utf-8") for gram in grams)
    lead = lead_sentences(paragraphs)
    body, title_numbers = " ".join(paragraphs), numbers(title)
    return Fingerprint(
        signature=minhash.hashvalues.astype("<u4"),
        shingles=len(grams),
        agency=credited_agency(article),
        lead=frozenset(title_numbers | numbers(lead) | names(lead)),
        facts=frozenset(title_numbers | numbers(body) | names(title) | names(body)),
    )


# -- the rules --------------------------------------------------------------------------------

def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger, from their Jaccard similarity and sizes."""
    if not size_a or not size_b:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * min(size_a, size_b)))


def difference(a: Fingerprint, b: Fingerprint, jaccard: float) -> str | None:
    """Why two texts are different stories, or None when they are copies of one."""
    if containment(jaccard, a.shingles, b.shingles) < MIN_CONTAINMENT:
        return "different text"
    if a.agency and b.agency and a.agency != b.agency:
        return "different agencies"
    missing_a, missing_b = a.lead - b.facts, b.lead - a.facts
    if any(token[0].isdigit() for token in missing_a | missing_b):
        return "different numbers"
    if missing_a and missing_b:
        return "different names"
    if max(len(missing_a), len(missing_b)) > NAMES_TOLERATED:
        return "new names"
    return None


def stored_fingerprint(signature: np.ndarray, stored: Mapping) -> Fingerprint:
    tokens = stored["key_tokens"]
    return Fingerprint(signature, stored["shingles"], stored["agency"],
                       frozenset(tokens["lead"]), frozenset(tokens["facts"]))


# -- the index --------------------------------------------------------------------------------

def month_of(published_at) -> str:
    """The "YYYY-MM" of a publication date, "" when there is none: the index's shard key."""
    value = published_at if isinstance(published_at, str) else ""
    return value[:7] if _MONTH.match(value) else ""


def nearby_months(month: str) -> list[str]:
    if not month:
        return [""]
    year, number = int(month[:4]), int(month[5:7])
    months = []
    for step in range(-NEARBY_MONTHS, NEARBY_MONTHS + 1):
        years, index = divmod(number - 1 + step, 12)
        months.append(f"{year + years:04d}-{index + 1:02d}")
    return months


@contextmanager
def _collector_paused():
    """Loading makes millions of small sets that hold no cycles. The cycle collector would scan
    them again and again as they are made, then in its first passes after: it is paused while
    they are made, and one full pass afterwards files them with the long-lived objects, which
    it scans rarely."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


class StoryIndex:
    """MinHash LSH over the fingerprinted articles of an archive, one LSH per month of
    publication. A month is loaded from the stored signatures (no text is read again) when an
    article of that month or a month beside it arrives, and kept current as articles are added:
    memory and loading time follow the months a run touches, not the archive's size."""

    def __init__(self, archive):
        self.archive = archive
        self.shards: dict[str, MinHashLSH] = {}
        self.signatures: dict[int, np.ndarray] = {}
        self.sizes: dict[int, int] = {}  # 3-gram set sizes, for containment
        self.months: dict[int, str] = {}
        self.seen_up_to = archive.last_fingerprinted()  # other writers' articles come after

    def __len__(self) -> int:
        return len(self.signatures)

    def load(self, *months: str) -> None:
        """Load the months not loaded yet from the archive's stored signatures."""
        missing = [month for month in months if month not in self.shards]
        if not missing:
            return
        with _collector_paused():
            for month in missing:
                self.shards[month] = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
                for article, blob, size, _ in self.archive.iter_signatures(METHOD, month=month):
                    self._insert(article, np.frombuffer(blob, dtype="<u4"), size, month)

    def sync(self) -> None:
        """Index what other writers (a concurrent crawl, an import) stored since the last look,
        in the months loaded. SQLite gives new rows higher ids, so a watermark finds them all."""
        for article, blob, size, month in self.archive.iter_signatures(METHOD, after=self.seen_up_to):
            if month in self.shards and article not in self.signatures:
                self._insert(article, np.frombuffer(blob, dtype="<u4"), size, month)
            self.seen_up_to = article

    def _insert(self, article: int, signature: np.ndarray, size: int, month: str) -> None:
        self.shards[month].insert(article, _lean(signature), check_duplication=False)
        self.signatures[article], self.sizes[article], self.months[article] = signature, size, month

    def _remove(self, article: int) -> None:
        month = self.months.pop(article, None)
        if month is not None:
            del self.signatures[article], self.sizes[article]
            self.shards[month].remove(article)

    def add(self, article: Mapping) -> StoryLink | None:
        """Link a just-stored article to its story; None when the archive does not hold it."""
        ref = self.archive.article_ref(article)
        if ref is None:
            return None
        if ref["story_id"] is not None and ref["fingerprint"] == {
                "method": METHOD, "content_hash": ref["content_hash"]}:
            story = self.archive.story_head(ref["story_id"])
            return StoryLink(ref["id"], story["id"], story["first_article"], "unchanged")
        self.sync()
        return self._link(ref, article)

    def catch_up(self) -> int:
        """Fingerprint and link every stored article that has no current fingerprint (stored
        before the story index existed, imported without it, or by another recipe)."""
        pending = self.archive.articles_to_fingerprint(METHOD)
        for article in pending:
            content = self.archive.article_by_id(article)
            self._link(self.archive.article_ref(content), content)
        return len(pending)

    def _link(self, ref: Mapping, content: Mapping) -> StoryLink:
        article, current = ref["id"], ref["story_id"]
        month = month_of(content.get("published_at"))
        months = nearby_months(month)
        self.load(*months)
        print_ = fingerprint(content)
        self._remove(article)  # an updated text is matched afresh, never against itself
        match = self.match(print_, months, exclude=article)
        # The fingerprint first: the story's agency is read from it.
        self.archive.save_fingerprint(
            article, method=METHOD, content_hash=ref["content_hash"],
            signature=print_.signature.tobytes(), shingles=print_.shingles,
            agency=print_.agency, key_tokens=print_.key_tokens())
        self._insert(article, print_.signature, print_.shingles, month)
        if current is not None and (match in (None, current)
                                    or self.archive.story_head(current)["copies"] > 1):
            story, outcome = current, "kept"
            self.archive.refresh_story(story)  # its date or agency may have changed
        else:
            story = self.archive.assign_story(article, match)
            outcome = "new_story" if match is None else "linked"
        return StoryLink(article, story, self.archive.story_head(story)["first_article"], outcome)

    def match(self, print_: Fingerprint, months: list[str], exclude: int | None = None) -> int | None:
        """The story of the first candidate, by overlap, that the rules call the same story."""
        for story, stored, jaccard in self.candidates(print_, months, exclude):
            if story is not None and difference(print_, stored, jaccard) is None:
                return story
        return None

    def candidates(self, print_: Fingerprint, months: list[str], exclude: int | None = None
                   ) -> Iterator[tuple[int | None, Fingerprint, float]]:
        """(story, stored fingerprint, Jaccard estimate) of the LSH candidates of those months
        that overlap enough, most contained first: a trimmed copy's original (contained whole)
        is tried before a month of daily notes from one template (more alike by Jaccard)."""
        query = _lean(print_.signature)
        self.load(*months)
        keys = [key for month in months for key in self.shards[month].query(query) if key != exclude]
        if not keys:
            return
        jaccard = (np.stack([self.signatures[key] for key in keys]) == print_.signature).mean(axis=1)
        overlap = [(containment(j, print_.shingles, self.sizes[key]), j, key)
                   for key, j in zip(keys, jaccard.tolist())]
        best = sorted((o for o in overlap if o[0] >= MIN_CONTAINMENT), reverse=True)[:MAX_VERIFIED]
        stored = self.archive.fingerprints([key for _, _, key in best])
        for _, j, key in best:
            if key in stored:
                yield stored[key]["story_id"], stored_fingerprint(self.signatures[key], stored[key]), j


def _lean(signature: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=signature, scheme=_PROTOTYPE.scheme)
