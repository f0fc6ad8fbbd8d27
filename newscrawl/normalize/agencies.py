"""Names that appear in bylines and datelines but are not people: wire agencies,
republishing outlets and desk credits.

Crawlers commonly store "UrduPoint News / Sputnik" as two authors or "Web Desk"
as a person; these lookups let the byline and dateline parsers tell them apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .script_dates import fold_script, strip_marks

# canonical spelling -> other spellings seen in copy (matched case-insensitively,
# ignoring dots, hyphens, a leading "The" and Arabic/Urdu spelling variants). Urdu
# and Arabic aliases are the names in the parentheses of those editions' datelines.
_AGENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "Sputnik": ("Sputnik News", "Sputnik News Agency", "RIA Sputnik", "سپوتنک", "سپتنک", "سبوتنيك"),
    "APP": ("Associated Press of Pakistan", "APP News", "اے پی پی"),
    "PPI": ("Pakistan Press International", "پی پی آئی"),
    "WAM": ("Emirates News Agency", "Emirates News Agency WAM", "Emirates News Agency (WAM)", "وام",
            "وكالة أنباء الإمارات"),
    # Breakingviews is Reuters' commentary service: "LONDON (Reuters Breakingviews) -".
    "Reuters": ("Thomson Reuters", "Reuters News", "Reuters Breakingviews", "Breakingviews", "رائٹرز", "رائٹر", "رویٹرز", "رويترز"),
    "AP": ("Associated Press", "Associated Press News", "AP News", "اے پی", "أسوشيتد برس", "ا ب"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "France-Presse", "اے ایف پی", "أ ف ب", "أفب",
            "فرانس برس", "وكالة الصحافة الفرنسية"),
    "Xinhua": ("Xinhua News Agency", "Xinhua News", "Xinhuanet", "شنہوا", "شن ہوا", "ژنہوا", "شينخوا"),
    "ANI": ("Asian News International",),
    "PTI": ("Press Trust of India",),  # no Urdu alias: "پی ٹی آئی" is the political party
    "IANS": ("Indo-Asian News Service",),
    "Anadolu": ("AA", "Anadolu Agency", "Anadolu Ajansi", "Anadolu Ajansı", "الأناضول", "انادولو"),
    "TASS": ("ITAR-TASS", "TASS News Agency", "تاس"),
    "RIA Novosti": ("RIA", "RIA-Novosti", "ريا نوفوستي"),
    "Yonhap": ("Yonhap News Agency", "Yonhap News", "يونهاب"),
    "CNA": ("Central News Agency", "Channel NewsAsia"),
    "SPA": ("Saudi Press Agency", "واس", "وكالة الأنباء السعودية"),
    "KUNA": ("Kuwait News Agency", "كونا"),
    "QNA": ("Qatar News Agency", "قنا"),
    "BNA": ("Bahrain News Agency", "بنا"),
    "ONA": ("Oman News Agency", "العمانية", "وكالة الأنباء العمانية"),
    "MENA": ("Middle East News Agency", "أ ش أ"),
    "SANA": ("Syrian Arab News Agency", "سانا"),
    "IRNA": ("Islamic Republic News Agency", "إرنا"),
    "dpa": ("Deutsche Presse-Agentur", "Deutsche Presse Agentur", "د ب أ"),
    "EFE": ("Agencia EFE",),
    "Kyodo": ("Kyodo News", "Kyodo News Agency", "كيودو"),
    "Bernama": ("Malaysian National News Agency",),
    "UNI": ("United News of India",),
    "NNI": ("News Network International", "این این آئی"),
    "INP": ("Independent News Pakistan", "آئی این پی"),
    "Online": ("Online News", "Online International News Network", "آن لائن"),
    "Sana News": ("Sana News Agency", "ثنا نیوز"),  # Pakistani; not Syria's SANA
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
    "اردوپوائنٹ اخبارتازہ ترین",  # UrduPoint's Urdu edition, in its own datelines
)
# Outlet names are matched ignoring spaces too: Urdu copy spaces compounds freely
# ("اردو پوائنٹ اخبار تازہ ترین").
_OUTLET_ALIASES: dict[str, tuple[str, ...]] = {
    "اردوپوائنٹ اخبارتازہ ترین": ("اردو پوائنٹ",),
}

_DESK_CREDITS = frozenset({
    "staff reporter", "our staff reporter", "staff correspondent", "our correspondent",
    "special correspondent", "our special correspondent", "correspondent", "reporter",
    "our reporter", "staff", "staff writer", "staff report", "news agencies", "agencies",
    "agency", "newsroom", "editorial", "editorial board", "editor", "admin",
    "staff and agencies", "agencies and staff",
    # Urdu and Arabic
    "نمائندہ خصوصی", "خصوصی نمائندہ", "نمائندہ", "سٹاف رپورٹر", "اسٹاف رپورٹر", "نامہ نگار", "خبر نگار",
    "خبر ایجنسیاں", "ایجنسیاں", "المحرر", "محرر", "هيئة التحرير", "فريق التحرير", "مراسلنا", "المراسل",
    "وكالات", "الوكالات", "متابعات",
})
# Any "<up to two words> Desk" is a desk: Web Desk, News Desk, Monitoring Desk, Sports Desk...
_DESK_SUFFIX = re.compile(r"^(?:[a-z]+\s+){0,2}desk$|^(?:\S+\s+){0,2}ڈیسک$")
# "By Reuters Staff": the agency's own staff is the agency, not a person.
_STAFF_SUFFIX = re.compile(r"\s+(?:staff(?:\s+(?:writers?|reporters?))?|newsroom|correspondents?)$")

# Places that open Arabic and Urdu bylines ("أبوظبي - وام") and datelines; capitals
# and the cities those wires file from most.
_PLACE_NAMES = frozenset({
    "أبوظبي", "أبو ظبي", "دبي", "الشارقة", "عجمان", "أم القيوين", "رأس الخيمة", "الفجيرة", "العين",
    "الرياض", "جدة", "مكة المكرمة", "المدينة المنورة", "الدمام", "الكويت", "الدوحة", "المنامة", "مسقط",
    "القاهرة", "الإسكندرية", "عمان", "بيروت", "دمشق", "بغداد", "القدس", "غزة", "رام الله", "صنعاء",
    "عدن", "طرابلس", "تونس", "الجزائر", "الرباط", "الخرطوم", "أنقرة", "إسطنبول", "طهران", "موسكو",
    "واشنطن", "نيويورك", "لندن", "باريس", "برلين", "بكين", "طوكيو", "جنيف", "بروكسل", "كابول",
    "إسلام آباد", "نيودلهي", "الأمم المتحدة",
    "اسلام آباد", "راولپنڈی", "لاہور", "کراچی", "پشاور", "کوئٹہ", "ملتان", "فیصل آباد", "حیدرآباد",
    "سکھر", "گوجرانوالہ", "سیالکوٹ", "سرگودھا", "بہاولپور", "مظفرآباد", "گلگت", "ایبٹ آباد", "مردان",
    "ڈیرہ اسماعیل خان", "لاڑکانہ", "نواب شاہ", "گوادر", "چترال", "سوات", "نیویارک", "واشنگٹن",
    "ماسکو", "بیجنگ", "کابل", "نئی دہلی", "سری نگر", "تہران", "ریاض", "دبئی", "ابوظہبی", "جدہ",
    "مکہ مکرمہ", "انقرہ", "استنبول", "پیرس", "برلن", "ٹوکیو", "جنیوا", "اقوام متحدہ", "دوحہ",
})

_EDGE_JUNK = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_BY_PREFIX = re.compile(r"^(?:by|from|source)\s*:?\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the same credits and byline pieces come back on every page of a site
def _key(name: str) -> str:
    """A lookup key: case, dots, hyphens, spacing, "By ", a leading "The" and
    Arabic-script spelling variants ignored."""
    text = name.replace("\xa0", " ")
    if not text.isascii():
        text = fold_script(strip_marks(text))
    text = " ".join(text.split())
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
_OUTLET_BY_KEY = {_key(name).replace(" ", ""): name for name in OUTLETS}
for _canonical, _aliases in _OUTLET_ALIASES.items():
    _OUTLET_BY_KEY.update((_key(alias).replace(" ", ""), _canonical) for alias in _aliases)
_DESK_KEYS = frozenset(_key(name) for name in _DESK_CREDITS)
_PLACE_KEYS = frozenset(_key(name) for name in _PLACE_NAMES)


def canonical_agency(name: str | None) -> str | None:
    """The canonical name of a wire agency ("Emirates News Agency" -> "WAM"), else None."""
    if not name:
        return None
    key = _key(name)
    return _AGENCY_BY_KEY.get(key) or _AGENCY_BY_KEY.get(_STAFF_SUFFIX.sub("", key))


def canonical_outlet(name: str | None) -> str | None:
    """The canonical spelling of a known republishing outlet, a domain name as printed
    ("Dawn.com", "www.thenews.com.pk"), else None."""
    if not name:
        return None
    return _OUTLET_BY_KEY.get(_key(name).replace(" ", "")) or domain_name(name)


_DOMAIN_SHAPE = re.compile(r"(?:https?://)?(?P<host>(?:[\w-]+\.)+[\w-]+)/?", re.IGNORECASE)


@lru_cache(maxsize=4096)
def domain_name(text: str) -> str | None:
    """`text` when it is a domain name under a public suffix ("Dawn.com", "geo.tv"), else None:
    a site credited in a byline is an outlet, never a person. Initials ("F.H.", "A.Z") are no
    domain: the registrable label must have two characters or more."""
    text = text.strip()
    match = _DOMAIN_SHAPE.fullmatch(text)
    if not match:
        return None
    parts = _suffix_list()(match["host"])
    return match["host"] if parts.suffix and len(parts.domain) >= 2 else None


@lru_cache(maxsize=1)
def _suffix_list():
    import tldextract  # Scrapy's own dependency; loaded on the first dotted credit

    # The snapshot shipped with tldextract: a byline never makes the crawler fetch the list.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def is_outlet(name: str | None) -> bool:
    return canonical_outlet(name) is not None


def is_desk_credit(name: str | None) -> bool:
    """True for credits that name a desk or a role rather than a person."""
    if not name:
        return False
    key = _key(name)
    return key in _DESK_KEYS or bool(_DESK_SUFFIX.match(key))


def is_place(name: str | None) -> bool:
    """True for a well-known place written in Arabic or Urdu script ("أبوظبي", "لاہور")."""
    return bool(name) and _key(name) in _PLACE_KEYS


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


# AP pages print "By NAME" over "Associated Press": after whitespace is collapsed the
# agency ends the name's piece. Only names of two or more words are split off, so a
# surname is never mistaken for an agency.
_MULTI_WORD_AGENCY_NAMES = sorted(
    (alias for canonical, aliases in _AGENCY_ALIASES.items() for alias in (canonical, *aliases)
     if alias.isascii() and len(re.split(r"[\s-]+", alias)) > 1 and "(" not in alias),
    key=len, reverse=True,
)
_TRAILING_AGENCY = re.compile(
    r"^(?P<rest>.+?)\s+(?P<agency>"
    + "|".join(r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", name))) for name in _MULTI_WORD_AGENCY_NAMES)
    + r")$",
    re.IGNORECASE,
)


def split_trailing_agency(text: str) -> tuple[str, str] | None:
    """("KAREEM CHEHAYEB", "AP") for "KAREEM CHEHAYEB Associated Press", else None."""
    match = _TRAILING_AGENCY.match(text)
    return (match["rest"], canonical_agency(match["agency"])) if match else None


def find_outlet(text: str) -> re.Match[str] | None:
    """The first known outlet printed inside `text` (outlet names may contain "/",
    so they must be found before a credit line is split on "/")."""
    return _OUTLET_IN_TEXT.search(text)
