"""Wire datelines at the start of a story: "MOSCOW (UrduPoint News / Sputnik - 29th July, 2023)",
"ISLAMABAD, Jan 01 (APP):", "KYIV, Ukraine (AP) —", "RIYADH:", "DUBAI //", and the Urdu
and Arabic ones: "اسلام آباد(پی پی آئی)", "لاہور (اردوپوائنٹ اخبارتازہ ترین۔ 29 جولائی 2023ء)",
"الرياض (واس) -", "أبوظبي في 29 يوليو / وام /".

Only credits that are known agencies, outlets or dates (or an all-capitals acronym)
may stand in the parentheses, so a sentence such as "In 2023 (the year of…)" is
not taken for a dateline. Urdu and Arabic have no capitals to tell a place from a
sentence: there the credit must be a known agency or outlet, and the head may not
hold the words of a sentence ("ذكرت وكالة أنباء الإمارات (وام) أن …").

`parse_trailer` reads the closing credit of a story ("– Emirates News Agency, WAM –").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .agencies import canonical_agency, canonical_outlet, find_outlet, is_place
from .dates import MONTH_PATTERN, WEEKDAY_PATTERN, month_number
from .script_dates import (
    ARABIC_SCRIPT, SCRIPT_MONTH_PATTERN, SCRIPT_WEEKDAY_PATTERN, fold_script, script_month_number, strip_marks,
)

# (year or None, month, day) of a dateline's date
DateParts = tuple[int | None, int, int]
# (agency, outlet, date) read from a dateline's parentheses
Credits = tuple[str | None, str | None, DateParts | None]


@dataclass(frozen=True)
class Dateline:
    location: str
    agency: str | None
    outlet: str | None
    date: str | None  # "YYYY-MM-DD" when the dateline prints a year
    month_day: str | None  # "MM-DD" when it prints a day but no year
    rest_offset: int  # where the story's own text begins in the parsed text

    def as_dict(self, published: str | None = None) -> dict:
        """The stored form; a year-less date takes the year that puts it closest
        to `published` (a "Dec 31" dateline on a story of 2024-01-01 is 2023-12-31)."""
        day = self.date
        if day is None and self.month_day and published:
            day = _complete_year(self.month_day, published)
        return {"location": self.location, "agency": self.agency, "outlet": self.outlet, "date": day}


def _date_fragment(suffix: str) -> str:
    return (
        rf"(?:{WEEKDAY_PATTERN}\.?,?\s+)?"
        rf"(?:(?P<day_a{suffix}>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_a{suffix}>{MONTH_PATTERN})\b\.?"
        rf"|(?P<month_b{suffix}>{MONTH_PATTERN})\b\.?\s*(?P<day_b{suffix}>\d{{1,2}})(?:st|nd|rd|th)?)"
        rf"(?:,?\s+(?P<year{suffix}>\d{{4}}))?"
    )


_DATE = re.compile(_date_fragment(""), re.IGNORECASE)
# What precedes "(": a location, optionally followed by a date ("Dubai, 29th November, 2015").
_HEAD = re.compile(rf"(?P<location>.+?)(?:,?\s+{_date_fragment('')})?\s*,?", re.IGNORECASE)
# "CITY, Jan 1 (AGENCY) -"; Arabic also "القاهرة - (أ ف ب) -"; Urdu ends with "۔" or nothing.
_PAREN_FORM = re.compile(
    r"\s*(?P<head>[^():\n]{1,80}?)\s*(?:[-–—]\s*)?\((?P<credits>[^()\n]{1,120})\)\s*(?P<sep>--|[-–—:۔])?\s*"
)
# "CITY:", "CITY, July 29 —", The National's "DUBAI //"
_BARE_FORM = re.compile(r"\s*(?P<head>[^():\n–—]{1,80}?)\s*(?P<sep>//|--|[–—:])\s*")
# WAM Arabic: "أبوظبي في 29 يوليو / وام / …"
_SLASH_FORM = re.compile(r"\s*(?P<head>[^/()\n]{1,80}?)\s*/\s*(?P<credits>[^/()\n]{1,40}?)\s*/\s*")
_CREDIT_SEPARATOR = re.compile(r"\s*/\s*|\s+-+\s*|\s*-+\s+|\s*[–—۔،]\s*")
# Patterns below run on text folded by fold_script.
_SCRIPT_DATE = re.compile(
    rf"(?:{SCRIPT_WEEKDAY_PATTERN}\s*,?\s*)?(?P<day>\d{{1,2}})\s*(?P<month>{SCRIPT_MONTH_PATTERN})"
    rf"(?:\s*[/(]\s*{SCRIPT_MONTH_PATTERN}\s*\)?)?(?:\s*,?\s*(?P<year>\d{{4}})(?:\s*(?:ء|م))?)?",
    re.IGNORECASE,
)
# "أبوظبي في 29 يوليو" ("Abu Dhabi on 29 July")
_SCRIPT_HEAD = re.compile(
    rf"(?P<location>.+?)(?:\s*(?:,|\s+{fold_script('في')})\s*{_SCRIPT_DATE.pattern})?\s*,?", re.IGNORECASE
)
_SCRIPT_WORD = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+")
# Words of a sentence, never of a place: verbs of reporting, particles, "agency", "news".
_SCRIPT_SENTENCE_WORDS = frozenset(fold_script(word) for word in (
    "نے", "کے", "کی", "کا", "کہ", "میں", "سے", "پر", "کو", "ہے", "ہیں", "تھا", "تھی", "تھے", "کہا", "بتایا",
    "مطابق", "ایجنسی", "خبر", "رساں", "ادارے", "ادارہ", "اور", "بھی", "یہ", "وہ", "نیوز",
    "قال", "قالت", "ذكر", "ذكرت", "أفاد", "أفادت", "أعلن", "أعلنت", "أكد", "أكدت", "نقل", "نقلت", "أوضح",
    "أوضحت", "أشار", "أشارت", "بحسب", "حسب", "وفق", "وفقا", "طبقا", "نقلا", "وكالة", "وكالات", "أنباء",
    "الأنباء", "مصدر", "مصادر", "صحيفة", "في", "من", "عن", "على", "إلى", "إن", "أن", "التي", "الذي", "و",
))
# An Urdu paragraph that goes on "(اے پی پی) کے مطابق …" ("according to APP") is a sentence.
_SCRIPT_CONTINUATION = re.compile(
    "(?:" + "|".join(map(fold_script, ("کے", "کی", "کا", "نے", "کو", "سے", "میں", "پر", "أن", "إن", "أنه")))
    + r")(?!\w)"
)
_MAX_SCRIPT_PLACE_WORDS = 3
_ACRONYM = re.compile(r"[A-Z]{2,8}")
_CONNECTORS = frozenset({"of", "de", "del", "da", "do", "du", "la", "le", "el", "al", "es", "upon", "on", "the"})
# All-capitals words that open a paragraph with a colon without being places.
_LABELS = frozenset({
    "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "WATCH", "VIDEO", "PHOTOS", "PHOTO", "EXCLUSIVE",
    "OPINION", "ANALYSIS", "EDITORIAL", "NOTE", "EDITOR'S NOTE", "CORRECTION", "READ", "ALSO READ",
    "READ MORE", "LIVE", "FILE", "NEW", "FACTBOX", "EXPLAINER", "REVIEW", "INTERVIEW", "COMMENT",
    "WARNING", "ALERT", "FLASH", "URGENT", "SOURCE", "REPORT", "TIMELINE", "QUOTES", "FULL TEXT",
    "RELATED", "Q", "A", "FAQ", "SUMMARY", "TLDR",
})
_MAX_CITY_WORDS = 4
_MAX_REGION_WORDS = 3


def parse_dateline(text: str | None) -> Dateline | None:
    """The dateline opening `text`, or None when the paragraph has none."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _parse_opening(text)


# The syndication stage reads the opening of the article just extracted once more.
@lru_cache(maxsize=256)
def _parse_opening(text: str) -> Dateline | None:
    return _parse_paren_form(text) or _parse_bare_form(text) or _parse_slash_form(text)


def _parse_paren_form(text: str) -> Dateline | None:
    match = _PAREN_FORM.match(text)
    if not match:
        return None
    script = bool(ARABIC_SCRIPT.search(match["head"]))
    head = _split_script_head(match["head"]) if script else _split_head(match["head"])
    credits = _parse_credits(match["credits"], script=script)
    if head is None or credits is None:
        return None
    location, head_date = head
    agency, outlet, credit_date = credits
    when = credit_date or head_date
    if script:
        # Urdu datelines often run straight into the story: "کراچی(آن لائن)وزیراعظم …".
        if not match["sep"] and _SCRIPT_CONTINUATION.match(fold_script(text[match.end():])):
            return None
        return _build(location, agency, outlet, when, match.end())
    # "Imran Khan (PTI) said…": an agency alone needs a separator to be a dateline.
    if not match["sep"] and not (when or outlet):
        return None
    if not _is_location(location, all_caps=False):
        return None
    return _build(location, agency, outlet, when, match.end())


def _parse_bare_form(text: str) -> Dateline | None:
    match = _BARE_FORM.match(text)
    if not match:
        return None
    head = _split_head(match["head"])
    if head is None:
        return None
    location, when = head
    # "LONDON — " could as well be "US — China talks"; only a colon or "//" stands alone.
    if match["sep"] not in (":", "//") and not when:
        return None
    if location.upper() in _LABELS or canonical_agency(location) or not _is_location(location, all_caps=True):
        return None
    return _build(location, None, None, when, match.end())


def _parse_slash_form(text: str) -> Dateline | None:
    match = _SLASH_FORM.match(text)
    if not match or not ARABIC_SCRIPT.search(match["head"]):
        return None
    head = _split_script_head(match["head"])
    agency = canonical_agency(match["credits"])
    if head is None or agency is None:
        return None
    location, when = head
    return _build(location, agency, None, when, match.end())


def _split_head(head: str) -> tuple[str, DateParts | None] | None:
    match = _HEAD.fullmatch(head.strip())
    if not match:
        return None
    location = match["location"].strip(" ,")
    has_date = match["day_a"] or match["day_b"]
    return location, (_english_date(match) if has_date else None)


def _split_script_head(head: str) -> tuple[str, DateParts | None] | None:
    """Location and date of an Urdu or Arabic head ("أبوظبي في 29 يوليو"), or None
    when the head is not a place."""
    head = " ".join(strip_marks(head).split()).strip(" ,،-–—")
    match = _SCRIPT_HEAD.fullmatch(fold_script(head))  # same length: offsets hold in head
    if not match:
        return None
    location = head[: match.end("location")].strip(" ,،")
    if not _is_script_location(location):
        return None
    return location, (_script_date(match) if match["day"] else None)


def _is_script_location(location: str) -> bool:
    if is_place(location):
        return True
    words = location.split()
    return (
        1 <= len(words) <= _MAX_SCRIPT_PLACE_WORDS
        and all(_SCRIPT_WORD.fullmatch(word) for word in words)
        and not any(fold_script(word) in _SCRIPT_SENTENCE_WORDS for word in words)
    )


def _parse_credits(credits: str, *, script: bool = False) -> Credits | None:
    agency = outlet = when = None
    if script:
        credits = strip_marks(credits)
    # Outlet names contain "/" themselves: take them out before splitting.
    if found := find_outlet(credits):
        outlet = canonical_outlet(found.group(0))
        credits = credits[: found.start()] + " / " + credits[found.end():]
    for part in _CREDIT_SEPARATOR.split(credits):
        part = part.strip(" ,;")
        if not part:
            continue
        if date_match := _DATE.fullmatch(part):
            when = _english_date(date_match)
        elif script and (date_match := _SCRIPT_DATE.fullmatch(fold_script(part))):
            when = _script_date(date_match)
        elif known := canonical_agency(part):
            agency = agency or known
        elif known := canonical_outlet(part):
            outlet = outlet or known
        elif _ACRONYM.fullmatch(part):  # an agency not in the table ("SANA")
            agency = agency or part
        else:
            return None
    if not (agency or outlet):
        return None
    return agency, outlet, when


def _english_date(match: re.Match) -> DateParts:
    year = int(match["year"]) if match["year"] else None
    return year, month_number(match["month_a"] or match["month_b"]), int(match["day_a"] or match["day_b"])


def _script_date(match: re.Match) -> DateParts:
    year = int(match["year"]) if match["year"] else None
    return year, script_month_number(match["month"]), int(match["day"])


def _is_location(location: str, *, all_caps: bool) -> bool:
    if not location or len(location) > 60 or any(ch.isdigit() for ch in location):
        return False
    segments = [segment.strip() for segment in location.split(",")]
    if len(segments) > 3 or not all(segments):
        return False
    city, *regions = segments
    if len(city.split()) > _MAX_CITY_WORDS or any(len(r.split()) > _MAX_REGION_WORDS for r in regions):
        return False
    if all_caps and (city.upper() != city or sum(ch.isalpha() for ch in city) < 2):
        return False
    return all(_is_place_word(word) for segment in segments for word in segment.split())


def _is_place_word(word: str) -> bool:
    word = word.strip("'’.")
    if not word:
        return False
    if word.lower() in _CONNECTORS:
        return True
    core = word[3:] if word.lower().startswith(("al-", "el-")) else word
    return core[:1].isupper() and all(ch.isalpha() or ch in "-.'’" for ch in core)


def _build(location: str, agency, outlet, when: DateParts | None, rest_offset: int) -> Dateline | None:
    full_date = month_day = None
    if when is not None:
        year, month, day = when
        try:
            if year:
                full_date = date(year, month, day).isoformat()
            else:
                month_day = date(2000, month, day).strftime("%m-%d")  # 2000: Feb 29 exists
        except ValueError:
            return None
    return Dateline(location, agency, outlet, full_date, month_day, rest_offset)


def _complete_year(month_day: str, published: str) -> str | None:
    try:
        published_day = date.fromisoformat(published[:10])
        month, day = (int(part) for part in month_day.split("-"))
    except (TypeError, ValueError):
        return None
    candidates = []
    for year in (published_day.year - 1, published_day.year, published_day.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # Feb 29 outside leap years
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda day_: abs((day_ - published_day).days)).isoformat()


# --- closing credits -------------------------------------------------------------

_TRAILER_LEAD = re.compile(
    r"^(?:source|sources|courtesy|credit|via|(?:with\s+)?(?:additional\s+)?(?:inputs?|reporting)\s+(?:from|by)"
    r"|(?:compiled|written)\s+(?:from|by))\s*:?\s*",
    re.IGNORECASE,
)
_TRAILER_EDGE = " \t-–—()[]*_.:/|"
_TRAILER_SPLIT = re.compile(r"\s*(?:,|/|;|&|\band\b)\s*", re.IGNORECASE)
# Credits that name no agency in particular: "(With input from agencies)".
_GENERIC_CREDITS = frozenset({"agencies", "agency", "news agencies", "agency reports", "wires", "wire services",
                              "staff", "agencies and staff", "staff and agencies"})
_SENTENCE_END = ".!?\"”’'۔"
# "…said. (APP)", "…said.— Reuters", "…said --AFP", "…said. – Emirates News Agency, WAM –"
_TRAILING_PAREN = re.compile(r"[(\[]\s*(?P<name>[^()\[\]\n]{1,60}?)\s*[)\]]\s*\.?\s*$")
_TRAILING_DASH = re.compile(
    r"(?:--|[–—-])\s*(?P<name>(?:[^–—\-\n]|(?<=\w)-(?=\w)){1,60}?)\s*(?:--|[–—-])?\s*\.?\s*$"
)
_MAX_CREDIT_LINE = 80


def parse_trailer(text: str | None) -> str | None:
    """The canonical agency credited by the closing line of a story ("Source: Emirates
    News Agency" -> "WAM", "…said.(APP)" -> "APP"); None for generic credits
    ("With input from agencies"), non-agencies ("Courtesy: Dawn") and ordinary prose."""
    if not isinstance(text, str):
        return None
    lines = [line.strip() for line in text.replace("\xa0", " ").splitlines() if line.strip()]
    if not lines:
        return None
    return _credit_of_line(" ".join(lines[-1].split()))


# The syndication stage reads the closing line of the article just extracted once more.
@lru_cache(maxsize=256)
def _credit_of_line(last: str) -> str | None:
    if len(last) <= _MAX_CREDIT_LINE and (agency := _credited_agency(last)):
        return agency
    return _trailing_credit(last)


def _trailing_credit(line: str) -> str | None:
    """A credit closing a paragraph of prose; it must follow the end of a sentence
    ("…the party (PTI)." names a party, not a source)."""
    for pattern, needs_sentence_end in ((_TRAILING_PAREN, True), (_TRAILING_DASH, False)):
        match = pattern.search(line)
        if not match:
            continue
        before = line[: match.start()].rstrip()
        ends_sentence = not before or before[-1] in _SENTENCE_END
        if ends_sentence or not needs_sentence_end and line[match.start() - 1: match.start()].isspace():
            if agency := _credited_agency(match["name"]):
                return agency
    return None


def _credited_agency(credit: str) -> str | None:
    """The agency a whole credit names: every part must be an agency or a generic
    credit, so "He worked for Reuters" names none."""
    credit = _TRAILER_LEAD.sub("", credit.strip(_TRAILER_EDGE)).strip(_TRAILER_EDGE)
    if not credit:
        return None
    if agency := canonical_agency(credit):
        return agency
    found = None
    for part in _TRAILER_SPLIT.split(credit):
        part = part.strip(_TRAILER_EDGE)
        if not part:
            continue
        agency = canonical_agency(part)
        if agency is None and part.lower() not in _GENERIC_CREDITS:
            return None
        found = found or agency
    return found
