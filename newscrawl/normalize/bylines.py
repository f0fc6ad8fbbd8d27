"""Byline text split into people, agency, outlet, desk, handles and date parts.

Only what is left once agencies, outlets, desks, dates, relative times and page
chrome ("Email the author") are taken out can become an author: other crawlers
store "UrduPoint News / Sputnik" as two people and "Email The Author" as a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .agencies import (
    canonical_agency, canonical_outlet, find_outlet, is_desk_credit, is_place, split_trailing_agency,
)
from .dates import MONTH_PATTERN, RELATIVE_AGO, WEEKDAY_PATTERN
from .script_dates import SCRIPT_DATE_IN_TEXT, SCRIPT_RELATIVE_AGO, fold_script, strip_marks


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...] = ()
    agency: str | None = None
    outlet: str | None = None
    handles: tuple[str, ...] = ()
    desk: str | None = None
    date_text: str | None = None
    relative_text: str | None = None


_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_IN_TEXT = re.compile(
    rf"\b(?:{WEEKDAY_PATTERN}\.?,?\s+)?"
    rf"(?:{_DAY}\s+(?:of\s+)?{MONTH_PATTERN}\.?,?\s+\d{{4}}"
    rf"|{MONTH_PATTERN}\.?\s+{_DAY},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|(?<![\d/.-])\d{{1,2}}([/.-])\d{{1,2}}\1\d{{4}}(?![\d/.-])|(?<![\d/])\d{{4}}/\d{{1,2}}/\d{{1,2}}(?![\d/]))"
    rf"(?:\s*(?:\||,|-|\bat\b)?\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\b\.?)?"
    rf"(?:\s*\(?(?:PKT|GST|UTC|GMT)\b\)?)?)?",
    re.IGNORECASE,
)
_OTHER_RELATIVE = re.compile(r"\b(?:yesterday|just\s+now)\b", re.IGNORECASE)
# Sidebar leaks such as "Minutes Ago Jon Russell": a unit with no count is no time.
_COUNTLESS_AGO = re.compile(r"\b(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?)\s+ago\b",
                            re.IGNORECASE)
_HANDLE = re.compile(r"\(?\s*(?<![\w.@])@(\w{1,30})\s*\)?")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_CHROME = re.compile(
    r"\b(?:e-?mail\s+(?:the|this)\s+author|e-?mail|follow\s+on\s+twitter|follow|view\s+all\s+posts(?:\s+by)?"
    r"|more\s+(?:articles|stories)\s+by|read\s+more|\d+\s+min(?:ute)?s?\s+read"
    r"|about\s+the\s+authors?|(?:first\s+|last\s+)?(?:published|updated|posted)(?:\s+(?:on|at))?)\b:?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:[|/;,&•·()\[\]،۔]|\s-{1,2}\s|[–—]|\band\b)\s*", re.IGNORECASE)
_CREDIT_PREFIX = re.compile(
    r"^(?:(?:written|reported|compiled|story|text|words|posted)\s+)?by\b\s*:?\s*"
    r"|^(?:author|reporter|source)\s*:\s*"
    r"|^(?:كتب|كتبت|بقلم|إعداد|اعداد|تحرير|تحریر)\s*:\s*",  # Arabic and Urdu "by:"
    re.IGNORECASE,
)
# Wire credit lines name each contributor's role: "Reporting by X and Y in Dubai; Additional
# reporting by Z; Writing by W; Editing by V". Reporters and writers are the authors; editors,
# photographers, graphics and translators are not.
_ROLE = re.compile(
    r"(?<![\w-])(?P<role>(?:additional\s+)?(?:reporting|writing|editing|edited|compiled|written|reported"
    r"|fact[-\s]?check(?:ing|ed)|graphics?|photos?|photography|video|design|production|produced|translation"
    r"|translated)(?:\s+and\s+(?:reporting|writing|editing))?)\s+by\b\s*:?",
    re.IGNORECASE,
)
_NOT_AUTHOR_ROLES = re.compile(
    r"^(?:edit|fact|graphic|photo|video|design|produc|translat)", re.IGNORECASE
)
# "Sara Lee in Dubai", "Phil Stewart aboard a U.S. military aircraft": where a reporter was.
_WHERE = re.compile(r"\s+(?:in|from|aboard|at)\s+[^;|,]*?(?=\s+and\s+|\s*[;|,]|$)")
_EDGE = " :;-–—|\"“”'‘’*،۔"
_TRAILING_DOT = re.compile(r"(?<!\b[A-Z])(?<!\bJr)(?<!\bSr)\.+$")  # keep "F.H." and "Jr."
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
# Last words that mark a publication, not a person ("Gulf News", "CNN Wire").
_PUBLICATION_WORDS = frozenset({
    "news", "times", "tribune", "herald", "gazette", "journal", "chronicle", "telegraph",
    "wire", "agency", "network", "tv", "television", "radio", "magazine", "media",
})
_NOT_NAMES = frozenset({
    "by", "author", "the author", "share", "comments", "comment", "print", "ago", "photo",
    "file photo", "video", "advertisement", "sponsored", "opinion", "analysis", "report",
    "twitter", "facebook", "linkedin", "whatsapp", "more", "home", "news", "updated", "published",
})
_MAX_NAME_WORDS = 5
# Lower-case words that join a phrase ("Ad Operations at IAB", "Head of News"), never a name;
# name particles ("de", "van", "bin", "del") are not among them.
_PHRASE_WORDS = frozenset({"at", "of", "the", "for", "with", "to", "from", "about", "on", "is", "our"})
# A name glued to a date by the page's markup: "Lucas Nolan22 Dec 2016".
_GLUED_DIGITS = re.compile(r"(?<![@\w])([A-Z][a-z]+)(?=\d)")  # a capitalised word, not a handle


MAX_BYLINE_LENGTH = 300


def parse_byline(text: str | None) -> Byline:
    """Split a printed byline into its parts; nothing that is not a person lands in authors."""
    if not isinstance(text, str):
        return Byline()
    # A real byline is a line; more is page text that leaked in, and it would only feed the
    # regexes pathological input.
    return _parse_line(text[:MAX_BYLINE_LENGTH])


# Author names, agency and outlet credits come back on every page of a site; a Byline is immutable.
@lru_cache(maxsize=2048)
def _parse_line(line: str) -> Byline:
    rest = _GLUED_DIGITS.sub(r"\1 ", " ".join(line.split()))
    if not rest:
        return Byline()
    if not rest.isascii():
        rest = " ".join(strip_marks(rest).split())

    dates = list(_DATE_IN_TEXT.finditer(rest))
    date_text = dates[0].group(0).strip() if dates else None
    rest = _DATE_IN_TEXT.sub(" | ", rest)
    if not rest.isascii():  # "مقبول احمد ہفتہ 29 جولائی 2023 20:20"
        script_date, rest = _take_out_script(SCRIPT_DATE_IN_TEXT, rest)
        date_text = date_text or script_date

    relative = RELATIVE_AGO.search(rest) or _OTHER_RELATIVE.search(rest)
    relative_text = relative.group(0).strip() if relative else None
    rest = _OTHER_RELATIVE.sub(" | ", RELATIVE_AGO.sub(" | ", rest))
    rest = _COUNTLESS_AGO.sub(" | ", rest)
    if not rest.isascii():  # "2 گھنٹے پہلے", "منذ ساعتين"
        script_relative, rest = _take_out_script(SCRIPT_RELATIVE_AGO, rest)
        relative_text = relative_text or script_relative

    rest = _EMAIL.sub(" | ", rest)
    if _ROLE.search(rest):
        rest = _authors_of_roles(rest)
    handles = tuple(dict.fromkeys("@" + name for name in _HANDLE.findall(rest)))
    rest = _HANDLE.sub(" | ", rest)
    rest = _CHROME.sub(" | ", rest)

    # Outlet names may contain "/" ("UrduPoint / Pakistan Point News"): take them out
    # before splitting on separators.
    outlet = None
    while match := find_outlet(rest):
        outlet = outlet or canonical_outlet(match.group(0))
        rest = rest[: match.start()] + " | " + rest[match.end():]

    authors: list[str] = []
    agency = desk = None
    whole = _clean_piece(rest)
    if is_desk_credit(whole):  # "Staff and agencies" is one credit, not two
        return Byline((), None, outlet, handles, _tidy_case(whole), date_text, relative_text)
    for piece in _SEPARATORS.split(rest):
        piece = _clean_piece(piece)
        if not piece:
            continue
        if not canonical_agency(piece) and (split := split_trailing_agency(piece)):
            piece, agency = split[0], agency or split[1]  # "KAREEM CHEHAYEB Associated Press"
        if known := canonical_agency(piece):
            agency = agency or known
        elif is_place(piece):  # "أبوظبي - وام": where the copy was filed, not who wrote it
            continue
        elif known := canonical_outlet(piece):
            outlet = outlet or known
        elif is_desk_credit(piece):
            desk = desk or _tidy_case(piece)
        elif _looks_like_publication(piece):
            if piece.lower().endswith(("agency", "wire")):
                agency = agency or piece
            else:
                outlet = outlet or _tidy_case(piece)
        elif _looks_like_name(piece) and piece not in authors:
            authors.append(piece)
    return Byline(tuple(authors), agency, outlet, handles, desk, date_text, relative_text)


def _authors_of_roles(text: str) -> str:
    """`text` with each role clause ("Editing by Jane Doe") cut out unless it names authors,
    and the role words and reporters' whereabouts taken off those that do."""
    pieces, end = [], 0
    roles = list(_ROLE.finditer(text))
    for role, following in zip(roles, roles[1:] + [None]):
        pieces.append(text[end:role.start()])
        end = following.start() if following else len(text)
        role_word = role["role"].lower().removeprefix("additional").strip()
        if not _NOT_AUTHOR_ROLES.match(role_word):
            pieces.append(" | " + _WHERE.sub("", text[role.end():end]))
        pieces.append(" | ")
    return "".join(pieces) + text[end:]


def _take_out_script(pattern: re.Pattern, text: str) -> tuple[str | None, str]:
    """The first match of an Urdu/Arabic `pattern` (written for folded text) as printed,
    and `text` with every match replaced by a separator."""
    folded = fold_script(text)  # same length as text: its offsets hold in text
    first, pieces, end = None, [], 0
    for match in pattern.finditer(folded):
        first = first or text[match.start():match.end()].strip()
        pieces += [text[end:match.start()], " | "]
        end = match.end()
    return first, "".join(pieces) + text[end:]


def _clean_piece(piece: str) -> str:
    piece = _CREDIT_PREFIX.sub("", piece.strip(_EDGE).lstrip(".")).strip(_EDGE)
    return _TRAILING_DOT.sub("", piece).strip(_EDGE)


def _looks_like_publication(piece: str) -> bool:
    words = piece.split()
    return len(words) <= _MAX_NAME_WORDS and (
        words[-1].lower() in _PUBLICATION_WORDS or (len(words) > 1 and words[0].lower() == "the")
    )


def _looks_like_name(piece: str) -> bool:
    words = piece.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or any(ch.isdigit() for ch in piece):
        return False
    lowered = piece.lower().rstrip(".")
    if lowered in _NOT_NAMES or lowered in _NAME_SUFFIXES or not piece[0].isalpha():
        return False
    if any(marker in lowered for marker in ("http", "www.", "@")):
        return False
    latin = any(ch.isascii() and ch.isalpha() for ch in piece)
    # A person credited in Latin script has a given name and a family name: one word is a
    # section, desk or column ("Food", "Opinion"); initials alone ("J J") are page debris.
    if latin and (len(words) < 2 or all(len(w.strip(".")) <= 1 for w in words)):
        return False
    if any(w in _PHRASE_WORDS for w in words):
        return False
    # Names are capitalised; caseless scripts (Urdu, Arabic) have no upper case at all.
    return any(ch.isupper() for ch in piece) or not latin


def _tidy_case(piece: str) -> str:
    return piece.title() if piece.isupper() or piece.islower() else piece
