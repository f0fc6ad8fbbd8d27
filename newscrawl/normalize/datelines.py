"""Wire datelines at the start of a story: "MOSCOW (UrduPoint News / Sputnik - 29th July, 2023)",
"ISLAMABAD, Jan 01 (APP):", "KYIV, Ukraine (AP) —", "RIYADH:".

Only credits that are known agencies, outlets or dates (or an all-capitals acronym)
may stand in the parentheses, so a sentence such as "In 2023 (the year of…)" is
not taken for a dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .agencies import canonical_agency, canonical_outlet, find_outlet
from .dates import MONTH_PATTERN, WEEKDAY_PATTERN, month_number


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
_PAREN_FORM = re.compile(
    r"\s*(?P<head>[^():\n]{1,80}?)\s*\((?P<credits>[^()\n]{1,120})\)\s*(?P<sep>--|[-–—:])?\s*"
)
_BARE_FORM = re.compile(r"\s*(?P<head>[^():\n–—]{1,80}?)\s*(?P<sep>--|[–—:])\s*")
_CREDIT_SEPARATOR = re.compile(r"\s*/\s*|\s+-+\s*|\s*-+\s+|\s*[–—]\s*")
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
    return _parse_paren_form(text) or _parse_bare_form(text)


def _parse_paren_form(text: str) -> Dateline | None:
    match = _PAREN_FORM.match(text)
    if not match:
        return None
    head = _split_head(match["head"])
    credits = _parse_credits(match["credits"])
    if head is None or credits is None:
        return None
    location, head_date = head
    agency, outlet, credit_date = credits
    when = credit_date or head_date
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
    # "LONDON — " could as well be "US — China talks"; only a colon stands alone.
    if match["sep"] != ":" and not when:
        return None
    if location.upper() in _LABELS or canonical_agency(location) or not _is_location(location, all_caps=True):
        return None
    return _build(location, None, None, when, match.end())


def _split_head(head: str) -> tuple[str, re.Match | None] | None:
    match = _HEAD.fullmatch(head.strip())
    if not match:
        return None
    location = match["location"].strip(" ,")
    has_date = match["day_a"] or match["day_b"]
    return location, (match if has_date else None)


def _parse_credits(credits: str) -> tuple[str | None, str | None, re.Match | None] | None:
    agency = outlet = when = None
    # Outlet names contain "/" themselves: take them out before splitting.
    if found := find_outlet(credits):
        outlet = canonical_outlet(found.group(0))
        credits = credits[: found.start()] + " / " + credits[found.end():]
    for part in _CREDIT_SEPARATOR.split(credits):
        part = part.strip(" ,;")
        if not part:
            continue
        if date_match := _DATE.fullmatch(part):
            when = date_match
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


def _build(location: str, agency, outlet, when: re.Match | None, rest_offset: int) -> Dateline | None:
    full_date = month_day = None
    if when is not None:
        month = month_number(when["month_a"] or when["month_b"])
        day = int(when["day_a"] or when["day_b"])
        try:
            if when["year"]:
                full_date = date(int(when["year"]), month, day).isoformat()
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
