"""Build the labelled syndication set: tests/data/syndication/eval.jsonl.

    python scripts/build_syndication_eval.py

Every text is the project's own: the demo sites' articles (newscrawl/demo/data) and the site
profile fixtures (tests/fixtures/profiles) are the originals. From them the script makes

- copies with the edits republishers make, one to four at a time: the same text at another
  URL, the dateline rewritten or dropped, an outlet credit inserted, a closing credit added,
  the last paragraphs trimmed, the headline recased or reworded, ads and scripts left in;
- hard negatives, which must stay other stories: template stories that differ in a few words
  (rulers' condolences, daily gold, rupee, stock and weather notes, match results), updates
  of an original with new facts, and the same event written up independently by another
  agency.

Each line is an Article plus "eval": {"story": label, "kind", "edits", "family", "negative_of"}.
The output is deterministic (seeded), so rebuilding gives the same file.
"""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newscrawl.normalize.datelines import parse_dateline  # noqa: E402

OUT = REPO / "tests" / "data" / "syndication" / "eval.jsonl"
SEED = 7
# Republishers: (site, URL prefix). Invented; they only give copies somewhere else to live.
REPUBLISHERS = [
    ("gulfwire", "https://www.gulfwire.example/news/"),
    ("dailyledger", "https://dailyledger.example/story/"),
    ("pakobserver", "https://pakobserver.example/"),
    ("newsdesk24", "https://www.newsdesk24.example/article/"),
    ("urdupoint", "https://www.urdupoint.com/en/world/"),
    ("tradewire", "https://tradewire.example/a/"),
]
AGENCY_NAMES = {"WAM": "Emirates News Agency", "APP": "Associated Press of Pakistan",
                "Sputnik": "Sputnik News Agency", "Reuters": "Reuters", "AFP": "AFP", "PPI": "PPI"}
FURNITURE = [
    "Advertisement",
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1690000000-0'); });",
    "Also Read: {other}",
    "Click here to subscribe to our newsletter for the day's top stories.",
    "Read more: {other}",
]
SYNONYMS = {"announce": "unveil", "announces": "unveils", "says": "reports", "rise": "increase",
            "rises": "climbs", "gains": "rises", "grows": "expands", "opens": "launches",
            "approves": "clears", "reports": "records", "receive": "get", "receives": "gets",
            "extends": "prolongs", "signs": "inks", "launch": "start", "begins": "starts"}


# -- originals ------------------------------------------------------------------------------

def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def originals() -> list[dict]:
    found = []
    demo = REPO / "newscrawl" / "demo" / "data"
    for row in json.loads((demo / "urdupoint.json").read_text(encoding="utf-8"))["articles"]:
        url = f"https://www.urdupoint.com/en/{row['section']}/{slug(row['title'])}-{row['id']}.html"
        # The demo's one undated article (a page without a date) gets the demo's day.
        found.append(article(url, "urdupoint", row["id"], row["title"], row["body"],
                             row["published_at"] or "2023-07-29T12:00:00+05:00",
                             (row.get("dateline") or {}).get("agency"),
                             row.get("dateline")))
    for row in json.loads((demo / "generic.json").read_text(encoding="utf-8"))["articles"]:
        url = f"https://www.gulfnews-demo.example/{row['section']}/{slug(row['title'])}-{row['id']}"
        found.append(article(url, "gulfwire_demo", row["id"], row["title"], row["body"],
                             row["published_at"], row.get("agency"), row.get("dateline")))
    for path in sorted((REPO / "tests" / "fixtures" / "profiles").glob("*/*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        if {"canonical_url", "site", "title", "body", "published_at"} <= row.keys():  # Article fixtures
            found.append(article(row["canonical_url"], row["site"], row["article_id"], row["title"],
                                 row["body"].split("\n\n"), row["published_at"], row.get("agency"),
                                 row.get("dateline"), language=row.get("language") or "en"))
    return found


def article(url, site, article_id, title, paragraphs, published_at, agency, dateline, language="en"):
    return {"url": url, "canonical_url": url, "site": site, "article_id": str(article_id),
            "language": language, "title": title, "body": "\n\n".join(paragraphs), "agency": agency,
            "published_at": published_at, "dateline": dateline,
            "fetched_at": "2023-07-30T00:00:00+00:00"}


# -- edits ----------------------------------------------------------------------------------

def paragraphs_of(item: dict) -> list[str]:
    return item["body"].split("\n\n")


def lead_text(paragraph: str) -> str:
    dateline = parse_dateline(paragraph)
    return paragraph[dateline.rest_offset:].lstrip() if dateline else paragraph


def place_of(item: dict) -> str | None:
    return (item.get("dateline") or {}).get("location")


def rewrite_dateline(item, rng, _):
    place, agency = place_of(item), item.get("agency") or "APP"
    if not place or not place.isascii():
        return None
    day = datetime.fromisoformat(item["published_at"])
    forms = [
        f"{place.upper()}, {day:%B} {day.day} ({agency}) -- ",
        f"{place.upper()} ({agency}) - ",
        f"{place.title()}: ",
        f"{place.upper()}, ",  # "ABU DHABI, Deposits at UAE banks grew…"
        f"{place.upper()}, {day.day}th {day:%B} {day.year} ({AGENCY_NAMES.get(agency, agency)}) – ",
    ]
    paragraphs = paragraphs_of(item)
    paragraphs[0] = rng.choice(forms) + lead_text(paragraphs[0])
    return {**item, "body": "\n\n".join(paragraphs)}


def drop_dateline(item, rng, _):
    paragraphs = paragraphs_of(item)
    rest = lead_text(paragraphs[0])
    if rest == paragraphs[0]:
        return None
    paragraphs[0] = rest
    return {**item, "body": "\n\n".join(paragraphs)}


def insert_outlet(item, rng, _):
    place, agency = place_of(item), item.get("agency")
    if not place or not place.isascii():
        return None
    day = datetime.fromisoformat(item["published_at"])
    credit = rng.choice([f"UrduPoint / Pakistan Point News{f' / {agency}' if agency else ''}",
                         f"{agency + ' - ' if agency else ''}UrduPoint / Pakistan Point News",
                         f"UrduPoint News{f' / {agency}' if agency else ''}"])
    paragraphs = paragraphs_of(item)
    dateline = f"{place.upper()}, ({credit} - {day.day}th {day:%b}, {day.year} ) :"
    paragraphs[0] = dateline + lead_text(paragraphs[0])
    return {**item, "body": "\n\n".join(paragraphs)}


def add_trailer(item, rng, _):
    agency = item.get("agency") or "APP"
    name = AGENCY_NAMES.get(agency, agency)
    paragraphs = paragraphs_of(item)
    choice = rng.randrange(4)
    if choice == 0:
        paragraphs.append(f"Source: {name}")
    elif choice == 1:
        paragraphs.append(f"– {name}, {agency} –")
    elif choice == 2:
        paragraphs[-1] += f" ({agency})"
    else:
        paragraphs[-1] += f" --{agency}"
    return {**item, "body": "\n\n".join(paragraphs)}


def trim(item, rng, _):
    """The last paragraph or two cut, or only the lead kept (a brief)."""
    paragraphs = paragraphs_of(item)
    if len(paragraphs) < 3:
        return None
    keep = rng.choice([len(paragraphs) - 1, len(paragraphs) - 1, len(paragraphs) - 2, 1])
    return {**item, "body": "\n\n".join(paragraphs[:keep])}


def recase_headline(item, rng, _):
    title = item["title"]
    if not title.isascii():
        return None
    recased = rng.choice([title.upper(), title.lower(), title.title(), title[:1] + title[1:].lower()])
    return {**item, "title": recased}


def reword_headline(item, rng, _):
    words = item["title"].split()
    if not item["title"].isascii() or len(words) < 5:
        return None
    swapped = [SYNONYMS.get(word.lower(), word) if SYNONYMS.get(word.lower()) else word for word in words]
    choice = rng.randrange(3)
    if choice == 0 and swapped != words:
        title = " ".join(swapped)
    elif choice == 1:
        title = " ".join(words[: max(4, len(words) - 3)])
    else:
        title = " ".join(words) + rng.choice([" - report", ": officials", " (update)"])
    return {**item, "title": title}


def leave_furniture(item, rng, pool):
    paragraphs = paragraphs_of(item)
    other = rng.choice(pool)["title"]
    for _ in range(rng.choice([1, 2])):
        furniture = rng.choice(FURNITURE).replace("{other}", other)
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), furniture)
    return {**item, "body": "\n\n".join(paragraphs)}


def requote(item, rng, _):
    body = item["body"].replace('"', "\u201c", 1).replace('"', "\u201d", 1).replace("'", "\u2019")
    return {**item, "body": body.replace(". ", ".\u00a0", 1)}


EDITS = {
    "dateline_rewritten": rewrite_dateline, "dateline_dropped": drop_dateline,
    "outlet_inserted": insert_outlet, "trailer_added": add_trailer, "trimmed": trim,
    "headline_recased": recase_headline, "headline_reworded": reword_headline,
    "furniture_left": leave_furniture, "quotes_changed": requote,
}


def make_copy(item: dict, number: int, rng: random.Random, pool: list[dict]) -> dict:
    """A republished copy with 0 (an exact copy) to 4 edits, at another site and URL."""
    edits = [] if rng.random() < 0.15 else rng.sample(sorted(EDITS), rng.randint(1, 4))
    # The dateline edits exclude one another: apply at most one.
    datelines = [e for e in edits if e.startswith(("dateline", "outlet"))]
    edits = [e for e in edits if e not in datelines[1:]]
    applied = []
    for name in edits:
        changed = EDITS[name](item, rng, pool)
        if changed is not None:
            item, applied = changed, [*applied, name]
    site, prefix = rng.choice([r for r in REPUBLISHERS if r[0] != item["site"]])
    url = f"{prefix}{slug(item['title'])}-{number}"
    published = datetime.fromisoformat(item["published_at"])
    # Most copies follow the original by minutes to hours; some were out first.
    shift = timedelta(minutes=rng.choice([-45, 12, 30, 75, 140, 360]))
    return {**item, "url": url, "canonical_url": url, "site": site, "article_id": str(number),
            "published_at": (published + shift).isoformat(), "eval": {"edits": applied}}


# -- hard negatives: templates --------------------------------------------------------------

RULERS = [
    ("Fujairah", "Sheikh Hamad bin Mohammed Al Sharqi"), ("Ajman", "Sheikh Humaid bin Rashid Al Nuaimi"),
    ("Sharjah", "Sheikh Dr. Sultan bin Muhammad Al Qasimi"),
    ("Ras Al Khaimah", "Sheikh Saud bin Saqr Al Qasimi"), ("Umm Al Quwain", "Sheikh Saud bin Rashid Al Mualla"),
]
BEREAVED = [
    ("King Salman", "King Salman bin Abdulaziz Al Saud of Saudi Arabia",
     "Prince Turki bin Mohammed bin Saud Al Kabeer"),
    ("Emir of Kuwait", "Sheikh Nawaf Al Ahmad Al Jaber Al Sabah, Emir of Kuwait",
     "Sheikha Fadia Saad Al Abdullah Al Sabah"),
]
# UrduPoint's datelines; {date} is filled in with each note's day.
UP_DATELINE = "(UrduPoint / Pakistan Point News - {date} ) : "
APP_DATELINE = "(APP - UrduPoint / Pakistan Point News - {date} ) : "


def condolences():
    for place, ruler in RULERS:
        for short, bereaved, deceased in BEREAVED:
            if short == "Emir of Kuwait" and place in ("Ras Al Khaimah", "Umm Al Quwain"):
                continue
            yield (f"{place} Ruler condoles {short} over passing of {deceased.split(' bin ')[0]}",
                   [f"{place.upper()}, 29th July, 2023 (WAM) -- His Highness {ruler}, Supreme Council "
                    f"Member and Ruler of {place}, has sent a cable of condolences to {bereaved} over "
                    f"the passing of {deceased}.",
                    "In his cable, His Highness expressed his sincere condolences and sympathy to the "
                    "bereaved family, praying to Allah Almighty to rest the soul of the deceased in eternal "
                    "peace and grant the family patience and solace.",
                    "The cable also conveyed the condolences of the people of the emirate."], "WAM")


def gold_notes():
    days = [("Monday", "rose", 500, 218500, 429, 187329, 2650),
            ("Tuesday", "fell", 300, 218200, 257, 187072, 2650),
            ("Wednesday", "rose", 1200, 219400, 1029, 188101, 2700),
            ("Thursday", "fell", 800, 218600, 686, 187415, 2700),
            ("Friday", "rose", 500, 219100, 429, 187844, 2680)]
    for day, move, change, tola, change10, grams10, silver in days:
        yield (f"Gold price {move} by Rs {change} per tola",
               ["KARACHI, " + UP_DATELINE + f"The price of 24 karat gold {move} by Rs {change} per tola "
                f"and was sold at Rs {tola:,} in the local market on {day}, the All Sindh Sarafa "
                "Jewellers Association reported.",
                f"The price of 10 grams of 24 karat gold also {move} by Rs {change10} to Rs {grams10:,}, "
                "the association said in a statement.",
                f"The price of silver per tola was quoted at Rs {silver:,}, and the price of 10 grams of "
                "silver at Rs 2,271."], None)
    # No change from one day to the next: only the day tells the two notes apart.
    for day in ("Saturday", "Sunday"):
        yield ("Gold price remains unchanged",
               ["KARACHI, " + UP_DATELINE + "The price of 24 karat gold remained unchanged at Rs 219,100 "
                f"per tola in the local market on {day}, the All Sindh Sarafa Jewellers Association "
                "reported.",
                "The price of 10 grams of 24 karat gold also remained unchanged at Rs 187,844, the "
                "association said in a statement.",
                "The price of silver per tola was quoted at Rs 2,680, and the price of 10 grams of silver "
                "at Rs 2,271."], None)


def rupee_notes():
    days = [("Monday", "gained", 35, 286.54, 286.89, 287.20, 289.50),
            ("Tuesday", "lost", 12, 286.66, 286.54, 287.40, 289.70),
            ("Wednesday", "gained", 41, 286.25, 286.66, 287.00, 289.30),
            ("Thursday", "lost", 8, 286.33, 286.25, 287.10, 289.40)]
    for day, move, paisa, close, previous, buy, sell in days:
        yield (f"Rupee {move} {paisa} paisa against dollar",
               ["ISLAMABAD, " + APP_DATELINE + f"The Pakistani rupee {move} {paisa} paisa against the US "
                f"dollar in the interbank market on {day} and closed at Rs {close} against the previous "
                f"day's closing of Rs {previous}, the State Bank of Pakistan reported.",
                f"In the open market, the dollar was bought and sold at Rs {buy} and Rs {sell}, the Forex "
                "Association of Pakistan said.",
                "Dealers said demand from importers for month-end payments set the tone of trading."], "APP")


def stock_notes():
    days = [("Monday", "gained", 320.14, 0.67, 48011.27, 251.6),
            ("Tuesday", "lost", 112.53, 0.23, 47898.74, 198.2),
            ("Wednesday", "gained", 455.90, 0.95, 48354.64, 302.9),
            ("Thursday", "lost", 61.07, 0.13, 48293.57, 176.4)]
    for day, move, points, percent, close, volume in days:
        yield (f"PSX {move} {points} points",
               ["KARACHI, " + APP_DATELINE + "The benchmark KSE-100 index of the Pakistan Stock Exchange "
                f"{move} {points} points, a change of {percent} percent, to close at {close:,} points on "
                f"{day}.",
                f"A total of {volume} million shares were traded during the day, the exchange said.",
                "Banking, cement and fertiliser shares were the most actively traded."], "APP")


def weather_notes():
    cities = [("Monday", "Jacobabad", 46, "Sibi", 45), ("Tuesday", "Dadu", 45, "Turbat", 44),
              ("Wednesday", "Bhakkar", 44, "Jacobabad", 43), ("Thursday", "Sibi", 47, "Dadu", 46)]
    for day, hottest, high, second, next_high in cities:
        yield (f"Hot and humid weather forecast; {hottest} hottest at {high}°C",
               ["ISLAMABAD, " + APP_DATELINE + f"The Met Office on {day} forecast hot and humid weather "
                f"for most parts of the country, with the highest temperature recorded at {hottest}, "
                f"where the mercury rose to {high}°C, followed by {second} at {next_high}°C.",
                "Rain-wind and thunderstorms are expected at isolated places in the upper parts of the "
                "country, the Met Office said.",
                "Citizens were advised to avoid direct sunlight during the afternoon and to drink plenty "
                "of water."], "APP")


def match_results():
    games = [("Lahore Qalandars", "Karachi Kings", 24, "runs", 7, "Gaddafi Stadium", 188, 5),
             ("Islamabad United", "Peshawar Zalmi", 6, "wickets", 8, "Rawalpindi Cricket Stadium", 171, 7),
             ("Multan Sultans", "Quetta Gladiators", 31, "runs", 9, "Multan Cricket Stadium", 205, 3),
             ("Karachi Kings", "Islamabad United", 4, "wickets", 10, "National Stadium", 160, 9)]
    for winner, loser, margin, unit, match, venue, total, down in games:
        yield (f"{winner} beat {loser} by {margin} {unit}",
               ["LAHORE, " + APP_DATELINE + f"{winner} beat {loser} by {margin} {unit} in match {match} "
                f"of the tournament at the {venue} on Saturday.",
                f"Batting first, the side put up {total} for {down} in their 20 overs, and the bowlers did "
                "the rest under lights in front of a full house.",
                "The tournament continues on Sunday with a double-header."], "APP")


TEMPLATE_FAMILIES = {"condolences": condolences, "gold": gold_notes, "rupee": rupee_notes,
                     "stocks": stock_notes, "weather": weather_notes, "match": match_results}


# -- hard negatives: updates and independent reports ----------------------------------------

# (original's demo id, new headline, new first paragraph, a paragraph added)
UPDATES = [
    ("1730801", "Japanese Coast Guard Finds Two Crew Members Missing After Cargo Ship Fire Off Kyushu",
     "TOKYO (UrduPoint News / Sputnik - 30th July, 2023) The Japanese coast guard said on Sunday that two of "
     "the 16 crew members of a burning cargo ship off Kyushu were still missing, after rescuing 14 of them on "
     "Saturday.", "A patrol boat and two helicopters resumed the search for the missing sailors at dawn."),
    ("1730726", "Kenyan Authorities Evacuate 7,500 Residents as Tana River Floods Spread",
     "NAIROBI, (UrduPoint / Pakistan Point News - 30th Jul, 2023 ) : Kenyan authorities have moved 7,500 "
     "residents to higher ground as the Tana River flooded four more villages overnight, the Kenya Red Cross "
     "said on Sunday.", "Two people drowned when their boat capsized near Garsen, police said."),
    ("1730778", "Norway Ferry Collision: Injured Rise to Eleven, Captain Questioned",
     "OSLO (UrduPoint News / Sputnik - 30th July, 2023) Eleven passengers were injured in the collision of a "
     "fjord ferry, Norwegian police said on Sunday, raising the figure from nine, and the ferry's captain "
     "Lars Eriksen was questioned by investigators.", "Two of the injured remain in hospital in Bergen."),
    ("1730621", "Faisalabad Police Recover 31 Stolen Motorcycles, Arrest Six Suspects",
     "FAISALABAD, (APP - UrduPoint / Pakistan Point News - 30th Jul, 2023 ) : Faisalabad police have recovered "
     "31 stolen motorcycles and arrested six suspects, including gang leader Asif Mehmood, a spokesman said on "
     "Sunday.", "Two more suspects were arrested in a raid in Jaranwala late on Saturday."),
    ("1730524", "Typhoon Makes Landfall in Northern Luzon, 20,000 Flee Homes",
     "MANILA, (UrduPoint / Pakistan Point News - 29th Jul, 2023 ) : The typhoon made landfall in Cagayan "
     "province on Saturday evening, forcing more than 20,000 people from their homes, Philippine disaster "
     "officials said.", "Power was cut to 12 towns, the National Grid Corporation said."),
    ("1730595", "Greek Firefighters Battle New Blaze on Island After Winds Pick Up",
     "ATHENS (UrduPoint News / Sputnik - 30th July, 2023) Greek firefighters were battling a new blaze near "
     "the village of Lindos on Sunday after strong winds fanned embers from the fire they had contained, the "
     "fire service said.", "Four water-dropping aircraft joined 120 firefighters on the ground."),
]
# (original's demo id, site, agency, headline, paragraphs): the same event in other words.
INDEPENDENT = [
    ("1730635", "antara_demo", "Antara", "Indonesia and UAE sign renewable energy deal",
     ["JAKARTA (Antara) - Indonesia signed an agreement with the United Arab Emirates on Saturday to work "
      "together on renewable energy and green hydrogen, the energy ministry in Jakarta said.",
      "Officials said the deal covered solar parks, grid storage and a study on producing hydrogen for "
      "export, without giving its value.",
      "Indonesia wants a larger share of its power from renewable sources by the end of the decade."]),
    ("1730524", "afp_demo", "AFP", "Philippines prepares evacuation centres as typhoon nears Luzon",
     ["MANILA, July 28 (AFP) - Thousands of people in the northern Philippines were told to prepare to leave "
      "their homes on Friday as a typhoon churned towards Luzon, disaster agencies said.",
      "Schools were turned into shelters and fishing boats were ordered to stay in port.",
      "The storm is expected to bring heavy rain and strong winds over the weekend."]),
    ("1730726", "xinhua_demo", "Xinhua", "Floods force thousands from homes along Kenya's Tana River",
     ["NAIROBI, July 29 (Xinhua) -- About 3,000 people have left their homes along the Tana River in "
      "southeastern Kenya after the river broke its banks following heavy rains upstream, officials said.",
      "Families were moved to schools and churches on higher ground while the Red Cross distributed food.",
      "The Kenya Meteorological Department warned of more rain in the coming days."]),
    ("41027415", "afp_demo", "AFP", "Crude holds steady as market eyes supply",
     ["LONDON, July 28 (AFP) - Crude held steady on Friday as dealers weighed the outlook for supply against "
      "signs of softer demand, with both main contracts barely moving in afternoon trade.",
      "Analysts said the market was waiting for next week's meeting of major producers.",
      "Brent and WTI are on course for a weekly gain."]),
    ("1730335", "reuters_demo", "Reuters", "Dubai weekly property deals top 9 billion dirhams",
     ["DUBAI, July 24 (Reuters) - Property deals in Dubai topped 9 billion dirhams in the week, land "
      "department figures showed on Monday, as buyers kept snapping up villas and off-plan flats.",
      "Brokers said demand from overseas investors had stayed strong through the summer.",
      "Prices in some prime districts have risen by a fifth over the past year."]),
]


def replaced_lead(item: dict, headline: str, first: str, added: str) -> dict:
    paragraphs = paragraphs_of(item)
    return {**item, "title": headline, "body": "\n\n".join([first, *paragraphs[1:], added])}


# -- assembly -------------------------------------------------------------------------------

def build() -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    numbers = iter(range(5_000_000, 6_000_000))
    sources = originals()
    by_id = {item["article_id"]: item for item in sources}

    def add(item, story, kind, **extra):
        rows.append({**item, "eval": {"story": story, "kind": kind, "edits": [],
                                      **item.get("eval", {}), **extra}})

    for item in sources:
        story = f"{item['site']}:{item['article_id']}"
        add(item, story, "original")
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            add(make_copy(item, next(numbers), rng, sources), story, "copy")

    for family, make in TEMPLATE_FAMILIES.items():
        for number, (title, paragraphs, agency) in enumerate(make()):
            site, prefix = rng.choice(REPUBLISHERS)
            url = f"{prefix}{slug(title)}-{next(numbers)}"
            # One note a day from Monday 24 July; the rulers' cables all on the 29th.
            day = datetime(2023, 7, 29 if family == "condolences" else 24 + number % 7, 9)
            day += timedelta(minutes=rng.randrange(600))
            paragraphs = [p.replace("{date}", f"{day.day}th {day:%b}, {day.year}") for p in paragraphs]
            item = article(url, site, url.rsplit("-", 1)[1], title, paragraphs,
                           day.isoformat() + "+05:00", agency, None)
            story = f"template:{family}:{number}"
            add(item, story, "template", family=family)
            if number % 2 == 0:  # copies of template stories must still find their own story
                add(make_copy(item, next(numbers), rng, sources), story, "copy", family=family)

    for original_id, headline, first, added in UPDATES:
        original = by_id[original_id]
        item = replaced_lead(original, headline, first, added)
        published = datetime.fromisoformat(original["published_at"]) + timedelta(hours=14)
        url = f"{original['url'].rsplit('.', 1)[0]}-update"
        item = {**item, "url": url, "canonical_url": url, "article_id": f"{original_id}u",
                "published_at": published.isoformat()}
        add(item, f"update:{original_id}", "update", negative_of=f"{original['site']}:{original_id}")

    for original_id, site, agency, headline, paragraphs in INDEPENDENT:
        original = by_id[original_id]
        url = f"https://{site.replace('_', '-')}.example/{slug(headline)}"
        item = article(url, site, str(next(numbers)), headline, paragraphs, original["published_at"],
                       agency, None)
        add(item, f"independent:{original_id}", "independent",
            negative_of=f"{original['site']}:{original_id}")
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = {}
    for row in rows:
        kinds[row["eval"]["kind"]] = kinds.get(row["eval"]["kind"], 0) + 1
    print(f"{len(rows)} articles in {len({r['eval']['story'] for r in rows})} stories "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}) -> {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
