"""Cost of date normalization over the strings a crawl really meets.

The mix is harvested from the bundled demo site (JSON-LD values, bylines of both generations,
listing and widget times, dateline days) plus the other wire forms newscrawl reads (RFC 2822
feed dates, APP listing times, WAM datelines, Urdu and Arabic dates), each parsed with its
site's timezone and languages, relative times against a fixed Date header.
"""

import statistics
import time
from datetime import datetime, timezone

from parsel import Selector

from newscrawl.demo import urdupoint as demo
from newscrawl.normalize import dates
from newscrawl.normalize.bylines import parse_byline
from newscrawl.normalize.datelines import parse_dateline

DATE_HEADER = datetime(2023, 7, 29, 16, 0, tzinfo=timezone.utc)
KARACHI = {"tz": "Asia/Karachi", "languages": ("en",)}

OTHER_FORMS = [
    ("Sat, 29 Jul 2023 15:20:00 +0000", KARACHI),                 # RSS pubDate
    ("2023-07-29T15:20:00Z", KARACHI),
    ("Fri, 1 Aug 2025, 11:43 PM", KARACHI),                       # APP listing time
    ("2023-07-29T20:20:00+05:00", KARACHI),                       # APP time[datetime]
    ("29th November, 2015", {"tz": "Asia/Dubai", "languages": ("en",)}),   # WAM dateline
    ("30th June 2020", {"tz": "Asia/Dubai", "languages": ("en",)}),
    ("ہفتہ 29 جولائی 2023 20:20", {"tz": "Asia/Karachi", "languages": ("ur",)}),  # UrduPoint Urdu byline
    ("۲۹ جولائی ۲۰۲۳", {"tz": "Asia/Karachi", "languages": ("ur",)}),
    ("41 منٹ پہلے", {"tz": "Asia/Karachi", "languages": ("ur",)}),
    ("السبت 29 يوليو 2023 - 08:20 م", {"tz": "Asia/Dubai", "languages": ("ar",)}),
    ("منذ 3 ساعات", {"tz": "Asia/Dubai", "languages": ("ar",)}),
    ("yesterday", KARACHI),
]


def demo_strings():
    """Every date string a crawl of the demo site hands to the normalizer."""
    strings = []
    host = "127.0.0.1:8765"
    for article in demo.articles():
        page = Selector(text=demo.render(article.path, host)[1])
        for ld in page.xpath('//script[@type="application/ld+json"]/text()').re(r'"date(?:Published|Modified)":\s*"([^"]+)"'):
            strings.append(ld)
        byline = parse_byline(" ".join(page.css("p.art_info_bar *::text").getall()))
        strings += [t for t in (byline.date_text, byline.relative_text) if t]
        strings += page.css("ul.widget_list div.date_line::text").getall()
        first = " ".join(page.css("div.detail_txt > p")[:1].css("*::text").getall())
        line = parse_dateline(first)
        if line and line.date:
            strings.append(line.date)  # the extractor hands on the dateline's day, already read
    for section in demo.SECTIONS:
        for number in range(1, demo.PAGES + 1):
            page = Selector(text=demo.render(demo.listing_path(section, number), host)[1])
            strings += page.css("div.date_line::text").getall()
    return [(s.strip(), KARACHI) for s in strings if s.strip()]


def run(repeat=20):
    mix = demo_strings() + OTHER_FORMS * 10
    fallbacks = {"n": 0}
    for name in ("_dateparser_absolute", "_dateparser_relative"):
        original = getattr(dates, name)

        def counted(*args, _original=original, **kwargs):
            fallbacks["n"] += 1
            return _original(*args, **kwargs)

        setattr(dates, name, counted)

    started = time.perf_counter()
    parsed = sum(1 for text, options in mix
                 if dates.parse_datetime(text, relative_base=DATE_HEADER, **options))
    first_pass_s = time.perf_counter() - started  # includes dateparser's one-off start-up
    fallback_share = fallbacks["n"] / len(mix)

    per_string = []
    for text, options in mix:
        started = time.perf_counter_ns()
        for _ in range(repeat):
            dates.parse_datetime(text, relative_base=DATE_HEADER, **options)
        per_string.append((time.perf_counter_ns() - started) / repeat / 1e6)
    return {
        "strings": len(mix),
        "parsed": parsed,
        "dateparser_fallback_share": round(fallback_share, 4),
        "mean_ms": round(statistics.fmean(per_string), 4),
        "p50_ms": round(statistics.median(per_string), 4),
        "p95_ms": round(sorted(per_string)[int(len(per_string) * 0.95)], 4),
        "max_ms": round(max(per_string), 4),
        "first_pass_s": round(first_pass_s, 3),
        "goal_mean_ms": 0.2,
    }
