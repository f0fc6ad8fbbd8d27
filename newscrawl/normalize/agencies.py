"""Names that appear in bylines and datelines but are not people: wire agencies,
republishing outlets and desk credits.

Crawlers commonly store "UrduPoint News / Sputnik" as two authors or "Web Desk"
as a person; these lookups let the byline and dateline parsers tell them apart.
"""

from __future__ import annotations

import re

# canonical spelling -> other spellings seen in copy (matched case-insensitively,
# ignoring dots, hyphens and a leading "The").
_AGENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "Sputnik": ("Sputnik News", "Sputnik News Agency", "RIA Sputnik"),
    "APP": ("Associated Press of Pakistan", "APP News"),
    "WAM": ("Emirates News Agency", "Emirates News Agency WAM", "Emirates News Agency (WAM)"),
    "Reuters": ("Thomson Reuters", "Reuters News"),
    "AP": ("Associated Press", "Associated Press News", "AP News"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "France-Presse"),
    "Xinhua": ("Xinhua News Agency", "Xinhua News", "Xinhuanet"),
    "ANI": ("Asian News International",),
    "PTI": ("Press Trust of India",),
    "IANS": ("Indo-Asian News Service",),
    "Anadolu": ("AA", "Anadolu Agency", "Anadolu Ajansi", "Anadolu Ajansı"),
    "TASS": ("ITAR-TASS", "TASS News Agency"),
    "RIA Novosti": ("RIA", "RIA-Novosti"),
    "Yonhap": ("Yonhap News Agency", "Yonhap News"),
    "CNA": ("Central News Agency", "Channel NewsAsia"),
    "SPA": ("Saudi Press Agency",),
    "KUNA": ("Kuwait News Agency",),
    "QNA": ("Qatar News Agency",),
    "BNA": ("Bahrain News Agency",),
    "ONA": ("Oman News Agency",),
    "dpa": ("Deutsche Presse-Agentur", "Deutsche Presse Agentur"),
    "EFE": ("Agencia EFE",),
    "Kyodo": ("Kyodo News", "Kyodo News Agency"),
    "Bernama": ("Malaysian National News Agency",),
    "IRNA": ("Islamic Republic News Agency",),
    "UNI": ("United News of India",),
    "NNI": ("News Network International",),
    "INP": ("Independent News Pakistan",),
    "Online": ("Online News", "Online International News Network"),
    "CNN Wire": ("CNN Newsource",),
}

OUTLETS: tuple[str, ...] = (
    "UrduPoint / Pakistan Point News",
    "UrduPoint News",
    "Pakistan Point News",
    "UrduPoint",
    "Arab News",
    "Gulf News",
    "Khaleej Times",
    "Business Recorder",
    "Emirates 24/7",
)

_DESK_CREDITS = frozenset({
    "staff reporter", "our staff reporter", "staff correspondent", "our correspondent",
    "special correspondent", "our special correspondent", "correspondent", "reporter",
    "our reporter", "staff", "staff writer", "staff report", "news agencies", "agencies",
    "agency", "newsroom", "editorial", "editorial board", "editor", "admin",
    "staff and agencies", "agencies and staff",
})
# Any "<up to two words> Desk" is a desk: Web Desk, News Desk, Monitoring Desk, Sports Desk...
_DESK_SUFFIX = re.compile(r"^(?:[a-z]+\s+){0,2}desk$")

_EDGE_JUNK = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_BY_PREFIX = re.compile(r"^(?:by|from|source)\s*:?\s+", re.IGNORECASE)


def _key(name: str) -> str:
    """A lookup key: case, dots, hyphens, spacing, "By " and a leading "The" ignored."""
    text = " ".join(name.replace("\xa0", " ").split())
    text = _EDGE_JUNK.sub("", text)
    text = _BY_PREFIX.sub("", text)
    text = text.lower().replace(".", "").replace("-", " ")
    text = re.sub(r"\s*/\s*", " / ", text)
    text = re.sub(r"[(),]", " ", text)
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text


_AGENCY_BY_KEY: dict[str, str] = {}
for _canonical, _aliases in _AGENCY_ALIASES.items():
    for _alias in (_canonical, *_aliases):
        _AGENCY_BY_KEY[_key(_alias)] = _canonical
_OUTLET_BY_KEY = {_key(name): name for name in OUTLETS}


def canonical_agency(name: str | None) -> str | None:
    """The canonical name of a wire agency ("Emirates News Agency" -> "WAM"), else None."""
    if not name:
        return None
    return _AGENCY_BY_KEY.get(_key(name))


def canonical_outlet(name: str | None) -> str | None:
    """The canonical spelling of a known republishing outlet, else None."""
    if not name:
        return None
    return _OUTLET_BY_KEY.get(_key(name))


def is_outlet(name: str | None) -> bool:
    return canonical_outlet(name) is not None


def is_desk_credit(name: str | None) -> bool:
    """True for credits that name a desk or a role rather than a person."""
    if not name:
        return False
    key = _key(name)
    return key in _DESK_CREDITS or bool(_DESK_SUFFIX.match(key))


# Longest first, so "UrduPoint / Pakistan Point News" wins over "UrduPoint".
_OUTLET_IN_TEXT = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        r"\s*/\s*".join(r"\s+".join(map(re.escape, part.split())) for part in name.split("/"))
        for name in sorted(OUTLETS, key=len, reverse=True)
    )
    + r")(?!\w)",
    re.IGNORECASE,
)


def find_outlet(text: str) -> re.Match[str] | None:
    """The first known outlet printed inside `text` (outlet names may contain "/",
    so they must be found before a credit line is split on "/")."""
    return _OUTLET_IN_TEXT.search(text)
