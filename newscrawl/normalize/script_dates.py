"""Urdu and Arabic script dates: "ہفتہ 29 جولائی 2023 20:20", "السبت 29 يوليو 2023 - 08:20 م",
"2 گھنٹے پہلے", "منذ ساعتين".

It holds the script folding (fold_script, strip_marks, Eastern digits), the month, weekday,
half-day, zone, unit and count word tables, the SCRIPT_* patterns that the byline and
dateline parsers search with, and the exact and relative readers for folded text. It is
its own module because it is a self-contained vocabulary that English text never reaches:
dates.py calls in only when the text has Arabic script, and agencies.py needs its folding
without the date readers.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Iterable

from .clock import calendar_day, go_back, iso_in_zone, make_time, zone_from_token

# Typists interchange Arabic and Urdu letters (ي/ی, ك/ک, ه/ہ/ة), hamza forms of alef
# and digit sets. Tables and text are folded to one spelling so each table stays
# short; the fold maps one character to one, so an offset in folded text is valid in
# the original (bylines and datelines slice the original by it).
_ASCII_DIGIT_OF = {digit: str(value % 10) for value, digit in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}
ASCII_DIGITS = str.maketrans(_ASCII_DIGIT_OF)
_FOLD = str.maketrans({
    **_ASCII_DIGIT_OF,
    **dict.fromkeys("أإآٱ", "ا"), **dict.fromkeys("يى", "ی"), "ك": "ک",
    **dict.fromkeys("هةۃۂۀھ", "ہ"), "،": ",", **dict.fromkeys("\u200e\u200f\u061c", " "),
})
# Vowel marks, tatweel and joiners carry no meaning for matching but break words apart.
_MARKS = dict.fromkeys([0x0640, 0x0670, 0x200C, 0x200D, *range(0x064B, 0x0660)])
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def fold_script(text: str) -> str:
    """Arabic-script text in one spelling (digits ASCII); same length as `text`."""
    return text.translate(_FOLD)


def strip_marks(text: str) -> str:
    """`text` without vowel marks, tatweel and zero-width joiners."""
    return text.translate(_MARKS)


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of folded `words`, longest first, any spacing between words."""
    folded = sorted({fold_script(word) for word in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, word.split())) for word in folded) + ")"


_SCRIPT_MONTH_NAMES = {
    # Urdu; Arabic (Gulf, Egypt); Levantine; Maghreb
    1: ("جنوری", "يناير", "كانون الثاني", "جانفي"),
    2: ("فروری", "فبراير", "شباط", "فيفري"),
    3: ("مارچ", "مارس", "آذار"),
    4: ("اپریل", "أبريل", "إبريل", "نيسان", "أفريل"),
    5: ("مئی", "مایو", "مايو", "أيار", "ماي"),
    6: ("جون", "يونيو", "يونيه", "حزيران", "جوان"),
    7: ("جولائی", "يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("اگست", "أغسطس", "آب", "أوت", "غشت"),
    9: ("ستمبر", "سبتمبر", "أيلول", "شتنبر"),
    10: ("اکتوبر", "أكتوبر", "تشرين الأول"),
    11: ("نومبر", "نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("دسمبر", "ديسمبر", "كانون الأول", "دجنبر"),
}
_SCRIPT_MONTHS = {" ".join(fold_script(name).split()): number
                  for number, names in _SCRIPT_MONTH_NAMES.items() for name in names}
SCRIPT_MONTH_PATTERN = _alternation(_SCRIPT_MONTHS)
SCRIPT_WEEKDAY_PATTERN = (
    _alternation(("یوم", "بروز")) + r"?\s*"  # Arabic "يوم السبت", Urdu "بروز ہفتہ"
    + _alternation(("پیر", "سوموار", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "ہفتے", "سنیچر",
                    "اتوار", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"))
)


def script_month_number(name: str) -> int:
    """1-12 for a (folded or not) Urdu or Arabic month name."""
    return _SCRIPT_MONTHS[" ".join(fold_script(name).split())]


_SCRIPT_HALVES = {"ص": "a", "صباحا": "a", "قبل الظهر": "a", "am": "a", "a.m.": "a",
                  "م": "p", "مساء": "p", "مساءا": "p", "بعد الظهر": "p", "pm": "p", "p.m.": "p"}
_SCRIPT_HALF_BY_WORD = {fold_script(word): half for word, half in _SCRIPT_HALVES.items()}
_SCRIPT_ZONES = {"بتوقيت غرينتش": "GMT", "بتوقيت جرينتش": "GMT", "بتوقيت الإمارات": "GST",
                 "gmt": "GMT", "utc": "UTC", "pkt": "PKT", "gst": "GST"}
_SCRIPT_ZONE_BY_WORD = {" ".join(fold_script(word).split()): token for word, token in _SCRIPT_ZONES.items()}
# "2023ء" (Urdu) and "2023م" (Arabic, "of the Christian era") mark the year, not a time.
_ERA = r"(?:\s*(?:ء|م)(?!\w))?"
_SCRIPT_TIME = (
    rf"(?:\s*(?:[-–—|,:]|{_alternation(('الساعة', 'بوقت', 'في'))})?\s*"
    rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?"
    rf"(?:\s*(?P<half>{_alternation(_SCRIPT_HALVES)})(?!\w))?"
    rf"(?:\s*\(?(?P<zone>{_alternation(_SCRIPT_ZONES)})\)?)?)?"
)
# "ہفتہ 29 جولائی 2023 20:20", "السبت، 29 يوليو 2023 - 08:20 م", "29 تموز/يوليو 2023"
_SCRIPT_DAY_MONTH_YEAR = re.compile(
    rf"(?:{SCRIPT_WEEKDAY_PATTERN}\s*,?\s*)?(?P<day>\d{{1,2}})\s*(?P<month>{SCRIPT_MONTH_PATTERN})"
    rf"(?:\s*[/(]\s*{SCRIPT_MONTH_PATTERN}\s*\)?)?\s*,?\s*(?P<year>\d{{4}}){_ERA}{_SCRIPT_TIME}",
    re.IGNORECASE,
)
# "يوليو 29, 2023" (English-template Arabic sites)
_SCRIPT_MONTH_DAY_YEAR = re.compile(
    rf"(?:{SCRIPT_WEEKDAY_PATTERN}\s*,?\s*)?(?P<month>{SCRIPT_MONTH_PATTERN})\s+(?P<day>\d{{1,2}})\s*,\s*"
    rf"(?P<year>\d{{4}}){_ERA}{_SCRIPT_TIME}",
    re.IGNORECASE,
)
# The same form inside a byline ("مقبول احمد ہفتہ 29 جولائی 2023 20:20"), on folded text.
SCRIPT_DATE_IN_TEXT = re.compile(r"(?<!\w)" + _SCRIPT_DAY_MONTH_YEAR.pattern, re.IGNORECASE)
SCRIPT_LABEL = re.compile(
    _alternation(("نشر في", "نشر بتاريخ", "تاريخ النشر", "تم النشر", "آخر تحديث", "تحديث", "تاريخ",
                  "شائع شدہ", "شائع", "تاریخ اشاعت", "اپ ڈیٹ", "آخری اپ ڈیٹ")) + r"\s*:?\s*"
)

_SCRIPT_UNITS = {
    "second": ("سیکنڈ", "ثانية", "ثوان", "ثواني"), "minute": ("منٹ", "دقيقة", "دقائق"),
    "hour": ("گھنٹہ", "گھنٹے", "گھنٹا", "ساعة", "ساعات"), "day": ("دن", "روز", "يوم", "أيام"),
    "week": ("ہفتہ", "ہفتے", "ہفتوں", "أسبوع", "أسابيع"),
    "month": ("مہینہ", "مہینے", "ماہ", "شهر", "أشهر", "شهور"),
    "year": ("سال", "برس", "سنة", "سنوات", "عام", "أعوام"),
}
# Arabic duals carry their count: "ساعتين" is two hours.
_SCRIPT_DUALS = {
    "second": ("ثانيتين", "ثانيتان"), "minute": ("دقيقتين", "دقيقتان"), "hour": ("ساعتين", "ساعتان"),
    "day": ("يومين", "يومان"), "week": ("أسبوعين", "أسبوعان"), "month": ("شهرين", "شهران"),
    "year": ("سنتين", "عامين", "سنتان", "عامان"),
}
_SCRIPT_UNIT_BY_WORD = {
    fold_script(word): (unit, count)
    for table, count in ((_SCRIPT_UNITS, 0), (_SCRIPT_DUALS, 2))
    for unit, words in table.items() for word in words
}
_SCRIPT_COUNT_WORDS = {
    1: ("ایک", "واحد", "واحدة"), 2: ("دو",), 3: ("تین", "ثلاث", "ثلاثة"), 4: ("چار", "أربع", "أربعة"),
    5: ("پانچ", "خمس", "خمسة"), 6: ("چھ", "ست", "ستة"), 7: ("سات", "سبع", "سبعة"),
    8: ("آٹھ", "ثماني", "ثمانية"), 9: ("نو", "تسع", "تسعة"), 10: ("دس", "عشر", "عشرة"),
}
_SCRIPT_COUNT_BY_WORD = {fold_script(word): n for n, words in _SCRIPT_COUNT_WORDS.items() for word in words}
_SCRIPT_COUNT = rf"(?:{_alternation(_SCRIPT_COUNT_BY_WORD)}|\d+)"
_SCRIPT_UNIT = rf"{_alternation(_SCRIPT_UNIT_BY_WORD)}(?!\w)"
_SCRIPT_RELATIVE_PART = re.compile(rf"(?:(?P<count>{_SCRIPT_COUNT})\s*)?(?P<unit>{_SCRIPT_UNIT})")


def _script_parts(group: str) -> str:
    """One to four "<count> <unit>" parts joined by "و" / "اور", captured as `group`."""
    part = rf"(?:{_SCRIPT_COUNT}\s*)?{_SCRIPT_UNIT}"
    # One space run per joint and at most four parts, so that a long run of unit words
    # cannot make the regex backtrack for ages.
    return rf"(?P<{group}>{part}(?:\s*(?:(?:و|اور)\s*)?{part}){{0,3}})"


# Urdu "2 گھنٹے پہلے" / "3 دن قبل"; Arabic "منذ 41 دقيقة" / "قبل ساعتين".
SCRIPT_RELATIVE_AGO = re.compile(
    rf"(?:{_script_parts('parts')}\s*{_alternation(('پہلے', 'قبل'))}"
    rf"|{_alternation(('منذ', 'قبل'))}\s*{_script_parts('parts_ar')})(?!\w)"
)
_SCRIPT_DAYS_BACK = {"کل": 1, "گزشتہ روز": 1, "گذشتہ روز": 1, "آج": 0,
                     "أمس": 1, "الأمس": 1, "البارحة": 1, "اليوم": 0}
_SCRIPT_DAYS_BACK_BY_WORD = {fold_script(word): back for word, back in _SCRIPT_DAYS_BACK.items()}
_SCRIPT_DAY_WORD = re.compile(rf"(?P<word>{_alternation(_SCRIPT_DAYS_BACK)}){_SCRIPT_TIME}")
_SCRIPT_NOW = re.compile(_alternation(("ابھی", "ابھی ابھی", "الآن", "منذ لحظات", "قبل لحظات")))
# Relative phrasing outside the exact forms; dateparser (given "ur" or "ar") reads these.
# "قبل" also opens "قبل الظهر" (a.m.), which is no relative time.
SCRIPT_RELATIVE_HINT = re.compile(
    r"(?<!\w)(?:" + _alternation(("پہلے", "منذ", "کل", "آج", "ابھی", "گزشتہ", "گذشتہ", "پچھلے", "اگلے",
                                  "آئندہ", "أمس", "البارحة", "اليوم", "الآن", "الماضي", "الماضية",
                                  "الفائت", "المقبل", "القادم", "غدا"))
    + rf"|قبل(?!\s+{fold_script('الظهر')}))(?!\w)"
)


def script_text(text: str) -> str | None:
    """`text` folded for the Urdu/Arabic forms, or None when it has no Arabic script."""
    if text.isascii() or not ARABIC_SCRIPT.search(text):
        return None
    return fold_script(text)


def parse_script_exact(folded: str, zone: tzinfo) -> str | None:
    for pattern in (_SCRIPT_DAY_MONTH_YEAR, _SCRIPT_MONTH_DAY_YEAR):
        match = pattern.fullmatch(folded)
        if match:
            day = calendar_day(int(match["year"]), script_month_number(match["month"]), int(match["day"]))
            return _script_on_day(day, match, zone)
    return None


def _script_on_day(day: date, match: re.Match, zone: tzinfo) -> str | None:
    if match["hour"] is None:
        return day.isoformat()
    half = _SCRIPT_HALF_BY_WORD[" ".join(match["half"].lower().split())] if match["half"] else None
    clock = make_time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0), half)
    if clock is None:
        return None
    zone_token = match["zone"] and _SCRIPT_ZONE_BY_WORD[" ".join(match["zone"].lower().split())]
    source_zone = zone_from_token(zone_token) if zone_token else zone
    return iso_in_zone(datetime.combine(day, clock, tzinfo=source_zone), zone)


def is_script_relative(folded: str) -> bool:
    return bool(SCRIPT_RELATIVE_AGO.fullmatch(folded) or _SCRIPT_NOW.fullmatch(folded)
                or _SCRIPT_DAY_WORD.fullmatch(folded))


def parse_script_relative(folded: str, base: datetime, zone: tzinfo) -> str | None:
    local_base = base.astimezone(zone)
    if _SCRIPT_NOW.fullmatch(folded):
        return iso_in_zone(local_base, zone)
    word = _SCRIPT_DAY_WORD.fullmatch(folded)
    if word:
        back = _SCRIPT_DAYS_BACK_BY_WORD[" ".join(word["word"].split())]
        return _script_on_day(local_base.date() - timedelta(days=back), word, zone)
    ago = SCRIPT_RELATIVE_AGO.fullmatch(folded)
    parts = []
    for part in _SCRIPT_RELATIVE_PART.finditer(ago["parts"] or ago["parts_ar"]):
        unit, implied = _SCRIPT_UNIT_BY_WORD[part["unit"]]
        count = part["count"]
        number = int(count) if count and count.isdigit() else _SCRIPT_COUNT_BY_WORD.get(count, 0)
        parts.append((number or implied or 1, unit))
    return go_back(local_base, parts, zone)
