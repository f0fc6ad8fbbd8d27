"""What makes two texts copies of one story: the story's own text (dateline, credits and page
furniture taken off), its fingerprint (MinHash of word 3-grams, the facts of its headline and
lead, the agency it credits), and the rules that compare two fingerprints."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..normalize.agencies import canonical_agency, find_outlet
from ..normalize.datelines import parse_dateline, parse_trailer
from .minhash import minhash

# The fingerprint recipe, with the MinHash of minhash.py (NUM_PERM, SEED); stored with each
# fingerprint so a change here or there recomputes them all.
METHOD = "w3-minhash128-v1"
SHINGLE_WORDS = 3
MIN_CONTAINMENT = 0.5  # share of the shorter text's 3-grams found in the longer one
# The lead is the first sentence: a brief that keeps only the first paragraph must still hold
# every fact of the lead it is compared on.
LEAD_SENTENCES = 1
MIN_LEAD_WORDS = 8
# One name of a lead may be missing from the other copy (a leftover dateline word, a reworded
# sentence); two are new facts.
NAMES_TOLERATED = 1

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
    lead = lead_sentences(paragraphs)
    body, title_numbers = " ".join(paragraphs), numbers(title)
    return Fingerprint(
        signature=minhash(gram.encode("utf-8") for gram in grams),
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
