"""`make eval`: extraction quality on the shared corpus, newscrawl beside trafilatura and htmldate.

One run reads every page of every set in ../shared/corpus three ways: newscrawl through
`newscrawl.cli.extract_page` (the `newscrawl extract` path, profile picked from the URL),
trafilatura through `bare_extraction` (with metadata, as the project pins it), and htmldate's
`find_date` (extensive search, original date) on the pages whose truth has a publication time.
Per set and field it prints one row (body shingle F1; body starts with, contains and ends with
the asserted text; authors F1, tags F1, title exact, day accuracy) with the winner; then the exact per-field checks of the
hand-written truths (bench/eval_fields.py) and pages per second of newscrawl and trafilatura.
Scores are defined in bench/eval_scores.py.

It measures and never asserts: the exit status is 0. Figures go to data/eval.json (with, per
set and field, the pages where newscrawl lost to a peer).
Run: .venv/bin/python -m bench.eval [--out data/eval.json] [--sets a,b] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .eval_fields import (FIELD_NOTES, FIELD_RULES, PROVENANCE, SKIPPED, _agency_credit, _collapse,  # noqa: F401
                          field_checks, field_summary, same_time, trafilatura_document)
from .eval_scores import (CORPUS, _tokens, body_scores, corpus_sets, day_scores, load_set,  # noqa: F401
                          newscrawl_article, page_bytes, same_day, set_counts, set_scores, shingle_match)

WARM_UP = 10
EXACT_SETS = ("wire-fixtures", "urdupoint")  # hand-written truths of many fields: checked one by one
PEERS = ("newscrawl", "trafilatura", "htmldate")


def _their_authors(document):
    return [n.strip() for n in (document.get("author") or "").split(";") if n.strip()]


def _htmldate_day(html, url):
    from htmldate import find_date

    try:
        return find_date(html, url=url, extensive_search=True, original_date=True)
    except Exception:  # htmldate raises on odd trees: no answer
        return None


def read_page(record, path):
    """Every peer's values for one page, only for the fields its truth gives."""
    html = page_bytes(path)
    article = newscrawl_article(path, record["url"])
    document = trafilatura_document(html, record["url"])
    values = {"newscrawl": {"body": article.get("body") or "", "title": article.get("title"),
                            "authors": article.get("authors") or [], "tags": article.get("tags") or [],
                            "day": article.get("published_at"), "day_source": article.get("published_source")},
              "trafilatura": {"body": document.get("text") or "", "title": document.get("title"),
                              "authors": _their_authors(document), "tags": document.get("tags") or [],
                              "day": document.get("date")}}
    if record.get("published"):
        values["htmldate"] = {"day": _htmldate_day(html, record["url"])}
    return values


def _page_score(field, truth, value):
    """One page's score of one field, in [0, 1], to name the pages a peer lost."""
    if field == "body":
        tp, fp, fn = shingle_match(truth, value)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    if field in ("authors", "tags"):
        tp, fp, fn = set_counts(truth, value)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    if field == "title":
        return float(_collapse(value) == _collapse(truth))
    if field == "day":
        return float(same_day(truth, value))
    # Prefix and end: word tokens, so bullets, quotes and paragraph marks do not count; the
    # truth may cut its edge word short.
    want, got = _tokens(truth), _tokens(value)
    if not want or len(got) < len(want):
        return 0.0
    if field == "body_prefix_found":  # anywhere in the body, after whatever furniture
        found = " ".join(want[:-1])
        return float(f" {found} " in f" {' '.join(got)} ")
    if field == "body_starts_with":
        edge = got[len(want) - 1].startswith(want[-1])
        return float(edge and got[:len(want) - 1] == want[:-1])
    tail = got[len(got) - len(want):]  # body_ends_with
    return float(tail[0].endswith(want[0]) and tail[1:] == want[1:])


def _truths(record):
    """field -> truth for the scored fields this record annotates."""
    truths = {"body": record.get("body"), "body_starts_with": record.get("body_starts_with"),
              "body_prefix_found": record.get("body_starts_with"), "body_ends_with": record.get("body_ends_with"), "title": record.get("title"),
              "tags": record.get("tags"), "day": record.get("published")}
    if record.get("authors") is not None:
        # Persons only: a truth that credits only an agency expects no author.
        truths["authors"] = [] if _agency_credit(record["authors"]) else record["authors"]
    return {field: truth for field, truth in truths.items() if truth is not None}


ROWS = (("body", "body F1"), ("body_starts_with", "body starts with"),
        ("body_prefix_found", "body prefix found"), ("body_ends_with", "body end found"),
        ("authors", "authors F1"), ("tags", "tags F1"), ("title", "title exact"), ("day", "day accuracy"))


def score_set(name, limit=None):
    """Per field: each peer's figure, the winner, and the pages where newscrawl scored below a peer."""
    pages = []
    for record, path in load_set(name, limit):
        pages.append((record["id"], _truths(record), read_page(record, path)))
    rows = {}
    for field, _ in ROWS:
        key = "body" if field.startswith("body") else field  # prefix and end checks read the body
        scored = [(page_id, truths[field], {peer: v[key] for peer, v in values.items() if key in v})
                  for page_id, truths, values in pages if field in truths]
        if not scored:
            continue
        row = {"pages": len(scored)}
        for peer in PEERS:
            answers = [(truth, values[peer]) for _, truth, values in scored if peer in values]
            if len(answers) == len(scored):
                row[peer] = _figure(field, answers)
        row["lost"] = sorted({page_id for page_id, truth, values in scored for peer in PEERS[1:]
                              if peer in values and _page_score(field, truth, values[peer])
                              > _page_score(field, truth, values["newscrawl"])})
        if field == "day":
            row["newscrawl_sources"] = _count(values["newscrawl"]["day_source"] for _, truths, values in pages
                                              if field in truths)
        rows[field] = row
    return rows


def _figure(field, answers):
    if field == "body":
        return body_scores(answers)
    if field in ("authors", "tags"):
        return set_scores([set_counts(truth, value) for truth, value in answers])
    if field == "day":
        return day_scores(answers)
    right = sum(_page_score(field, truth, value) for truth, value in answers)
    return {"pages": len(answers), "accuracy": round(right / len(answers), 4)}


def _count(values):
    counts = {}
    for value in values:
        counts[value or "none"] = counts.get(value or "none", 0) + 1
    return counts


def headline(field, figure):
    """The one number a row shows for a peer."""
    return figure["f1"] if field in ("body", "authors", "tags") else figure["accuracy"]


# --- speed ----------------------------------------------------------------------------------

def speed(limit=None):
    """Pages per second over the zyte pages held in memory: newscrawl's generic extraction (all
    fields, profile None) and its body alone, trafilatura's extract() and bare_extraction()."""
    import trafilatura
    from scrapy.http import HtmlResponse

    from newscrawl.extract.article import extract_article
    from newscrawl.extract.generic import GenericPage

    pages = [(record["url"], page_bytes(path)) for record, path in load_set("zyte-aeb", limit)]
    runners = {
        "newscrawl extract_article (all fields)": lambda u, h: extract_article(HtmlResponse(u, body=h)),
        "newscrawl generic body only": lambda u, h: GenericPage(HtmlResponse(u, body=h)).body,
        "trafilatura extract (body)": lambda u, h: trafilatura.extract(h),
        "trafilatura bare_extraction (all fields)": lambda u, h: trafilatura.bare_extraction(
            h, url=u, with_metadata=True),
    }
    figures = {}
    for label, run in runners.items():
        for url, html in pages[:WARM_UP]:
            run(url, html)
        started = time.perf_counter()
        for url, html in pages:
            run(url, html)
        figures[label] = round(len(pages) / (time.perf_counter() - started), 1)
    return figures


# --- report ---------------------------------------------------------------------------------

def _winner(field, row):
    figures = {peer: headline(field, row[peer]) for peer in PEERS if peer in row}
    best = max(figures.values())
    winners = [peer for peer, value in figures.items() if value == best]
    return "tie" if len(winners) > 1 else winners[0]


def print_table(sets):
    print(f"{'set':<18} {'field':<18} {'pages':>5} {'newscrawl':>9} {'trafilatura':>11} {'htmldate':>8}  wins")
    for name, rows in sets.items():
        for field, label in ROWS:
            if field not in rows:
                continue
            row = rows[field]
            cells = [f"{headline(field, row[peer]):.3f}" if peer in row else "-" for peer in PEERS]
            print(f"{name:<18} {label:<18} {row['pages']:>5} {cells[0]:>9} {cells[1]:>11} {cells[2]:>8}  "
                  f"{_winner(field, row)}")
    print("(F1: body over word 4-gram shingles, mean precision and recall as the Zyte benchmark; authors and "
          "tags micro over names. day: right day / pages with a truth; day precision in data/eval.json)")


def print_report(results):
    print_table(results["sets"])
    for name in EXACT_SETS:
        if name not in results:
            continue
        print(f"\n{name}: exact matches per truth field (newscrawl / trafilatura where comparable)")
        for key, row in results[name]["fields"].items():
            theirs = (f"{row['trafilatura']}/{row['trafilatura_comparable']}" if row["trafilatura_comparable"]
                      else "n/a")
            missed = f"  missed: {', '.join(row['missed'])}" if row["missed"] else ""
            print(f"  {key:<18} {row['newscrawl']:>2}/{row['pages']:<2} {theirs:>7}{missed}")
    print("\nhow truths are read:")
    for note in FIELD_NOTES:
        print(f"  {note}")
    print("not scored: " + "; ".join(f"{k} ({v})" for k, v in SKIPPED.items() if k != "more_stories_links"))
    if "speed" in results:
        print(f"\nspeed over the zyte pages (pages/s, after {WARM_UP} warm-up pages)")
        for label, value in results["speed"].items():
            print(f"  {label:<42} {value:>7.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="data/eval.json")
    parser.add_argument("--sets", help="comma-separated set names (default: every set in the corpus)")
    parser.add_argument("--limit", type=int, help="score only the first N pages of each set (quick runs)")
    parser.add_argument("--no-speed", action="store_true", help="skip the pages/s measurement")
    args = parser.parse_args(argv)
    names = args.sets.split(",") if args.sets else corpus_sets()
    if not names:
        print(f"bench.eval: {CORPUS} not found: the shared corpus sits beside the repo as ../shared; "
              "nothing measured.")
        return 0
    import htmldate
    import trafilatura

    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "trafilatura_version": trafilatura.__version__,
        "htmldate_version": htmldate.__version__,
        "sets": {name: score_set(name, args.limit) for name in names},
    }
    for name in EXACT_SETS:
        if name in names:
            pages = field_checks(name)
            results[name] = {"fields": field_summary(pages),
                             "pages": [{"id": p["id"], "checks": p["checks"]} for p in pages]}
    results["field_notes"] = FIELD_NOTES
    if not args.no_speed and "zyte-aeb" in corpus_sets():
        results["speed"] = speed(args.limit)
    print_report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
