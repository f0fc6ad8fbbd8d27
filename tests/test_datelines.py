import json
from pathlib import Path

import pytest

from newscrawl.normalize.datelines import Dateline, parse_dateline

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "datelines"
FIELDS = ("location", "agency", "outlet", "date", "month_day")

# (text, location, agency, outlet, date, month_day, rest starts with)
CASES = [
    # Reuters' commentary service credits Reuters
    ("LONDON (Reuters Breakingviews) - Banks are", "LONDON", "Reuters", None, None, None, "Banks"),
    ("NEW YORK, July 12 (Reuters Breakingviews) - Private equity", "NEW YORK", "Reuters", None, None, "07-12",
     "Private"),
    # Families of dev.jsonl, as printed
    ("MOSCOW (UrduPoint News / Sputnik - 29th July, 2023) US Secretary of State Antony Blinken said",
     "MOSCOW", "Sputnik", "UrduPoint News", "2023-07-29", None, "US Secretary"),
    ("Brisbane, Australia, (UrduPoint / Pakistan Point News - 29th Jul, 2023 ) :Secretary of State",
     "Brisbane, Australia", None, "UrduPoint / Pakistan Point News", "2023-07-29", None, "Secretary"),
    ("PESHAWAR, (APP - UrduPoint / Pakistan Point News - 4th Jan, 2023 ) :Spirited Mardan",
     "PESHAWAR", "APP", "UrduPoint / Pakistan Point News", "2023-01-04", None, "Spirited"),
    ("ISLAMABAD, Jan 01 (APP):The Senate on Wednesday", "ISLAMABAD", "APP", None, None, "01-01", "The Senate"),
    ("Dubai, 29th November, 2015 (WAM) - His Highness", "Dubai", "WAM", None, "2015-11-29", None, "His"),
    ("KYIV, Ukraine (AP) — Poland said early Wednesday", "KYIV, Ukraine", "AP", None, None, None, "Poland"),
    ("RIYADH, June 29 (Xinhua) -- Saudi Arabian", "RIYADH", "Xinhua", None, None, "06-29", "Saudi"),
    ("RIYADH: Saudi Arabia's King Salman", "RIYADH", None, None, None, None, "Saudi"),
    # The real 2020 page's dateline
    ("MOSCOW (UrduPoint News / Sputnik - 29th April, 2020) It is impossible to give the exact date",
     "MOSCOW", "Sputnik", "UrduPoint News", "2020-04-29", None, "It is impossible"),
    # Separators
    ("HOUSTON, Jan 27 (Reuters) - The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    ("HOUSTON, Jan 27 (Reuters) -- The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    ("HOUSTON, Jan 27 (Reuters) – The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    ("HOUSTON, Jan 27 (Reuters) — The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    ("HOUSTON, Jan 27 (Reuters): The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    ("HOUSTON, Jan 27 (Reuters)—The new Chief", "HOUSTON", "Reuters", None, None, "01-27", "The new"),
    # Days padded or not, months full or short, a year or not
    ("LAHORE, Aug 3 (APP): Police", "LAHORE", "APP", None, None, "08-03", "Police"),
    ("LAHORE, August 03 (APP): Police", "LAHORE", "APP", None, None, "08-03", "Police"),
    ("LAHORE, Sept. 5 (APP): Police", "LAHORE", "APP", None, None, "09-05", "Police"),
    ("LONDON, July 29, 2023 (Reuters) - Britain", "LONDON", "Reuters", None, "2023-07-29", None, "Britain"),
    ("DUBAI, 30th June 2020 (WAM) – The UAE", "DUBAI", "WAM", None, "2020-06-30", None, "The UAE"),
    ("DUBAI, 2nd Jan, 2021 (WAM) - The UAE", "DUBAI", "WAM", None, "2021-01-02", None, "The UAE"),
    ("KARACHI, Feb 29 (APP): Prices", "KARACHI", "APP", None, None, "02-29", "Prices"),
    # Spacing
    ("ISLAMABAD, Jan 01(APP):The Senate", "ISLAMABAD", "APP", None, None, "01-01", "The Senate"),
    ("ABU DHABI (WAM ) - The", "ABU DHABI", "WAM", None, None, None, "The"),
    ("ABU DHABI, ( WAM ) -The", "ABU DHABI", "WAM", None, None, None, "The"),
    ("  MOSCOW (UrduPoint News / Sputnik - 29th July, 2023)\xa0US officials",
     "MOSCOW", "Sputnik", "UrduPoint News", "2023-07-29", None, "US officials"),
    ("ABU DHABI, (UrduPoint/Pakistan Point News/WAM - 02nd May, 2021) His",
     "ABU DHABI", "WAM", "UrduPoint / Pakistan Point News", "2021-05-02", None, "His"),
    # City with a country or state; agency aliases
    ("Washington, D.C. (AP) — Lawmakers", "Washington, D.C.", "AP", None, None, None, "Lawmakers"),
    ("Rio de Janeiro, Brazil (Reuters) - Police", "Rio de Janeiro, Brazil", "Reuters", None, None, None, "Police"),
    ("The Hague, Netherlands (AFP) - Judges", "The Hague, Netherlands", "AFP", None, None, None, "Judges"),
    ("BEIJING, March 3 (Xinhua News Agency) -- China", "BEIJING", "Xinhua", None, None, "03-03", "China"),
    ("DAMASCUS, May 2 (SANA) - Syria", "DAMASCUS", "SANA", None, None, "05-02", "Syria"),
    # Bare all-capitals forms
    ("KARACHI: The provincial government", "KARACHI", None, None, None, None, "The provincial"),
    ("RAS AL KHAIMAH:The ruler", "RAS AL KHAIMAH", None, None, None, None, "The ruler"),
    ("NEW DELHI, July 29 — The government", "NEW DELHI", None, None, None, "07-29", "The government"),
]


@pytest.mark.parametrize(("text", "location", "agency", "outlet", "date", "month_day", "rest"), CASES)
def test_parse_dateline(text, location, agency, outlet, date, month_day, rest):
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.location, dateline.agency, dateline.outlet, dateline.date, dateline.month_day) == (
        location, agency, outlet, date, month_day)
    assert text[dateline.rest_offset:].startswith(rest)


@pytest.mark.parametrize("text", [
    "The Senate on Wednesday passed the finance bill.",
    "He said: the talks would continue next week.",
    "US Secretary of State Antony Blinken said on Saturday",
    "In 2023 (the year of the rabbit) prices rose",
    "Imran Khan (PTI) said on Monday that",  # an agency-like party name with no separator
    "Prime Minister Shehbaz Sharif (PML-N) said",
    "Karachi: the city woke up",  # bare form needs capitals
    "UPDATE: The story has been corrected",
    "BREAKING: Explosion heard",
    "US — China talks resumed",  # a bare dash with no date
    "THE MINISTER OF STATE FOR INFORMATION AND BROADCASTING: x",  # too long for a place
    "Reuters: The company said",
    "Sources (who asked not to be named) said",
    "",
    "   ",
    None,
])
def test_no_dateline(text):
    assert parse_dateline(text) is None


@pytest.mark.parametrize(("month_day", "published", "expected"), [
    ("12-31", "2024-01-01T08:00:00+05:00", "2023-12-31"),
    ("01-01", "2023-12-31", "2024-01-01"),
    ("01-01", "2020-01-01T09:00:00+05:00", "2020-01-01"),
    ("07-28", "2023-07-29T20:20:00+05:00", "2023-07-28"),
    ("02-29", "2024-03-01", "2024-02-29"),
    ("08-03", None, None),
    ("08-03", "garbage", None),
])
def test_as_dict_completes_the_year(month_day, published, expected):
    dateline = Dateline("LODHRAN", "APP", None, None, month_day, 0)
    assert dateline.as_dict(published) == {
        "location": "LODHRAN", "agency": "APP", "outlet": None, "date": expected}


def test_as_dict_keeps_a_printed_year():
    dateline = parse_dateline("MOSCOW (UrduPoint News / Sputnik - 29th July, 2023) US officials")
    assert dateline.as_dict("2024-01-01") == {
        "location": "MOSCOW", "agency": "Sputnik", "outlet": "UrduPoint News", "date": "2023-07-29"}


def _corpus_lines():
    path = CORPUS / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"../shared/corpus/datelines not found: expected {path.name} in {CORPUS}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dev_corpus():
    cases = _corpus_lines()
    assert cases, "dev.jsonl is empty"
    failures = []
    for case in cases:
        dateline = parse_dateline(case["text"])
        expected = {field: case[field] for field in FIELDS}
        got = dateline and {field: getattr(dateline, field) for field in FIELDS}
        if got != expected or not case["text"][dateline.rest_offset:].startswith(case["rest_starts_with"]):
            failures.append((case["text"], got))
    assert not failures, "\n".join(f"{text!r}: got {got}" for text, got in failures)
