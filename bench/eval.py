"""`make eval`: extraction quality on the shared corpus, newscrawl beside trafilatura, one run.

  zyte-aeb       body precision / recall / F1 over word 4-gram shingles, as the benchmark's
                 evaluate.py defines them: tokens are `\\w+`, shingles keep their counts, each
                 page's TP/FP/FN are scaled to sum to 1, precision is averaged over pages with a
                 prediction, recall over pages with a truth, F1 is their harmonic mean. Also the
                 mean of per-page F1 and the share of pages whose token sequence is exact.
  wire-fixtures  every non-null truth field, exact match, page by page (see FIELD_RULES);
  urdupoint      newscrawl through `newscrawl.cli.extract_page` (the `newscrawl extract` path,
                 profile picked from the URL), trafilatura through `bare_extraction`.
  speed          pages/s over the zyte pages, same process, after a warm-up.

It measures and never asserts: the exit status is 0. Figures go to data/eval.json.
Run: .venv/bin/python -m bench.eval [--out data/eval.json] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SHINGLE = 4
WARM_UP = 10

# --- zyte-aeb: shingle scores ---------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _tokens(text):
    return _TOKEN.findall(text or "")


def _shingles(tokens):
    """Word 4-grams with counts; a text shorter than that is one shingle of all its words."""
    count = max(1, len(tokens) - SHINGLE + 1)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(count) if tokens[i:i + SHINGLE])


def shingle_match(truth, prediction):
    """(tp, fp, fn) over shingles, scaled to sum to 1 so long pages weigh like short ones."""
    true, predicted = _shingles(_tokens(truth)), _shingles(_tokens(prediction))
    tp = sum((true & predicted).values())
    fp = sum((predicted - true).values())
    fn = sum((true - predicted).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp, fp, fn):
    return 1.0 if fp == fn == 0 else tp / (tp + fp) if tp + fp else 0.0


def _recall(tp, fp, fn):
    return 1.0 if fp == fn == 0 else tp / (tp + fn) if tp + fn else 0.0


def _mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def body_scores(pairs):
    """Benchmark figures for (truth, prediction) pairs."""
    matches = [shingle_match(truth, prediction) for truth, prediction in pairs]
    precision = _mean(_precision(*m) for m in matches if m[0] + m[1] > 0)
    recall = _mean(_recall(*m) for m in matches if m[0] + m[2] > 0)
    per_page_f1 = [_f1(_precision(*m), _recall(*m)) for m in matches]
    return {
        "pages": len(matches),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(_f1(precision, recall), 4),
        "mean_page_f1": round(_mean(per_page_f1), 4),
        "exact": round(_mean(_tokens(t) == _tokens(p) for t, p in pairs), 4),
    }


def _f1(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# --- corpus access --------------------------------------------------------------------------

def load_set(name, limit=None):
    """(truth record, page path) pairs of one corpus set, in truth-file order."""
    folder = CORPUS / name
    records = [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    return [(record, folder / record["page"]) for record in records[:limit]]


def page_bytes(path):
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def newscrawl_article(path, url):
    from newscrawl.cli import extract_page

    return extract_page(str(path), url)


def trafilatura_body(html):
    import trafilatura

    return trafilatura.extract(html) or ""


def zyte(limit=None):
    """Body scores of newscrawl and of plain trafilatura on the zyte-aeb pages, and on how many
    pages newscrawl asked trafilatura for a second reading."""
    from newscrawl.extract import body

    pages = load_set("zyte-aeb", limit)
    ours, theirs = [], []
    with _counting(body, "_trafilatura_text") as second_readings:
        for record, path in pages:
            ours.append((record["body"], newscrawl_article(path, record["url"])["body"] or ""))
    for record, path in pages:
        theirs.append((record["body"], trafilatura_body(page_bytes(path))))
    return {"newscrawl": {**body_scores(ours), "trafilatura_second_readings": second_readings[0]},
            "trafilatura": body_scores(theirs)}


@contextmanager
def _counting(module, name):
    """Count calls of module.name while the block runs; yields a one-item list."""
    original, calls = getattr(module, name), [0]

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    setattr(module, name, counted)
    try:
        yield calls
    finally:
        setattr(module, name, original)


# --- field truth ----------------------------------------------------------------------------

def _collapse(text):
    return " ".join((text or "").split())


def _aware(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def same_time(truth, ours):
    """Equal at the precision the truth gives: a day compares days, a zone-less time compares
    the wall clock (to the minute or second it states), an offset compares instants. A
    zone-less midnight is a day (newspaper4k's form for a date without a time)."""
    if not ours:
        return False
    if len(truth) == 10 or re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00(?::00)?", truth):
        return ours[:10] == truth[:10]
    if len(ours) == 10:
        return False  # the page gave us only a day
    expected, got = _aware(truth), _aware(ours)
    if expected.tzinfo is None:
        width = len(truth)  # "2023-02-21T21:20" or "...:00"
        return got.replace(tzinfo=None).isoformat()[:width] == truth[:width]
    return expected == got


def _agency_credit(names):
    """The agency when every credited name is an organization such as "Central News Agency"."""
    from newscrawl.normalize.agencies import canonical_agency
    from newscrawl.normalize.bylines import parse_byline

    agencies = []
    for name in names:
        # A bilingual credit ("中央通訊社 Central News Agency") is the agency its Latin part names.
        latin = " ".join(re.findall(r"[A-Za-z][\w.&'-]*", name))
        agencies.append(canonical_agency(name) or canonical_agency(latin) or
                        (parse_byline(name).agency if not parse_byline(name).authors else None))
    return agencies[0] if agencies and all(agencies) else None


def _authors(truth, article):
    """Persons only: a truth that credits an agency expects no author and that agency."""
    agency = _agency_credit(truth)
    if agency:
        return article.get("authors") in ([], None) and article.get("agency") == agency
    return (article.get("authors") or []) == truth


# truth key -> (newscrawl check(truth value, article), trafilatura check(truth value, document dict) or None)
FIELD_RULES = {
    "title": (lambda t, a: a.get("title") == t, lambda t, d: d.get("title") == t),
    "subtitle": (lambda t, a: a.get("subtitle") == t, lambda t, d: d.get("description") == t),
    "authors": (_authors, lambda t, d: [n.strip() for n in (d.get("author") or "").split(";") if n.strip()] == t),
    "published": (lambda t, a: same_time(t, a.get("published_at")), lambda t, d: same_time(t, d.get("date"))),
    "modified_raw": (lambda t, a: same_time(t.replace("/", "-").replace(" ", "T"), a.get("modified_at")), None),
    "section": (lambda t, a: a.get("section") == t,
                lambda t, d: (d.get("categories") or [None])[0] == t),
    "tags": (lambda t, a: (a.get("tags") or []) == t, lambda t, d: (d.get("tags") or []) == t),
    "dateline": (lambda t, a: a.get("dateline") == t, None),
    "site": (lambda t, a: a.get("site") == t, None),
    "canonical_url": (lambda t, a: a.get("canonical_url") == t, lambda t, d: d.get("url") == t),
    "body": (lambda t, a: _collapse(a.get("body")) == _collapse(t),
             lambda t, d: _collapse(d.get("text")) == _collapse(t)),
    "body_starts_with": (lambda t, a: _collapse(a.get("body")).startswith(_collapse(t)),
                         lambda t, d: _collapse(d.get("text")).startswith(_collapse(t))),
    "body_ends_with": (lambda t, a: _collapse(a.get("body")).endswith(_collapse(t)),
                       lambda t, d: _collapse(d.get("text")).endswith(_collapse(t))),
}
SKIPPED = {
    "published_raw": "raw form of `published`",
    "author_raw": "raw form of `authors`",
    "meta_keywords": "the page's SEO keywords; the set's README says they are not tag truth",
    "amp_url": "not an Article field: newscrawl folds AMP URLs into the canonical one",
    "summary": "the JSON-LD description; newscrawl stores no description (its subtitle is a printed "
               "standfirst, and this one repeats the lead paragraph)",
    "more_stories_links": "a crawl-policy list (profile.more_stories), scored on its own",
}
PROVENANCE = {"id", "url", "page", "source", "truth_source", "notes", "truth_kind", "truth_notes", "body_source"}
# How a truth is read where the project's conventions differ from the set's; printed with the table.
FIELD_NOTES = [
    "authors: a truth that credits only an organization (goose3's JSON-LD Organization \"中央通訊社 Central "
    "News Agency\") matches no author plus that agency: newscrawl never stores an agency as an author.",
    "published: an offset compares instants (without a profile newscrawl keeps the page's own offset, else "
    "UTC); a zone-less time compares the wall clock; a zone-less midnight (newspaper4k's day-only form) "
    "compares the day.",
    "modified_raw: CNA's \"2023/02/21 22:08\" (Taiwan wall clock) against modified_at's wall clock.",
]
# Keys a set's README lists as provenance although other sets use the name for a field.
SET_PROVENANCE = {"wire-fixtures": {"site"}}


def trafilatura_document(html, url):
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    return document.as_dict() if document is not None else {}


def more_stories(path, url):
    """The "More Stories" links the spider would follow, read with the site profile's selector."""
    from scrapy.http import HtmlResponse

    from newscrawl.profiles import profile_for_url

    profile = profile_for_url(url)
    if profile is None or not profile.more_stories:
        return None
    response = HtmlResponse(url, body=page_bytes(path), encoding=profile.encoding)
    # Each story is linked twice (picture and headline); the spider requests it once.
    return list(dict.fromkeys(response.urljoin(href) for href in response.css(profile.more_stories).getall()))


def field_checks(name):
    """Per page, per truth field: (newscrawl correct, trafilatura correct or None)."""
    results = []
    for record, path in load_set(name):
        article = newscrawl_article(path, record["url"])
        document = trafilatura_document(page_bytes(path), record["url"])
        checks = {}
        for key, truth in record.items():
            if truth is None or key in PROVENANCE | SET_PROVENANCE.get(name, set()) \
                    or key in SKIPPED and key != "more_stories_links":
                continue
            if key == "more_stories_links":
                checks[key] = (more_stories(path, record["url"]) == truth, None)
                continue
            ours, theirs = FIELD_RULES[key]
            checks[key] = (bool(ours(truth, article)), bool(theirs(truth, document)) if theirs else None)
        results.append({"id": record["id"], "checks": checks, "article": article})
    return results


def field_summary(results):
    """field -> {"pages", "newscrawl", "trafilatura", "missed": [ids]} exact-match counts."""
    summary = {}
    for page in results:
        for key, (ours, theirs) in page["checks"].items():
            row = summary.setdefault(key, {"pages": 0, "newscrawl": 0, "trafilatura": 0,
                                           "trafilatura_comparable": 0, "missed": []})
            row["pages"] += 1
            row["newscrawl"] += ours
            if theirs is not None:
                row["trafilatura_comparable"] += 1
                row["trafilatura"] += theirs
            if not ours:
                row["missed"].append(page["id"])
    return summary


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

def print_report(results):
    z = results["zyte-aeb"]
    print(f"zyte-aeb body ({z['newscrawl']['pages']} pages; F1 from mean P and mean R, as upstream)")
    print(f"  {'':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'page-F1':>8} {'exact':>6}")
    for who in ("newscrawl", "trafilatura"):
        s = z[who]
        print(f"  {who:<12} {s['precision']:>9.4f} {s['recall']:>7.4f} {s['f1']:>7.4f} "
              f"{s['mean_page_f1']:>8.4f} {s['exact']:>6.3f}")
    print(f"  (newscrawl asked trafilatura for a second reading on "
          f"{z['newscrawl']['trafilatura_second_readings']} of {z['newscrawl']['pages']} pages)")
    for name in ("wire-fixtures", "urdupoint"):
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
    print(f"\nspeed over the zyte pages (pages/s, after {WARM_UP} warm-up pages)")
    for label, value in results["speed"].items():
        print(f"  {label:<42} {value:>7.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="data/eval.json")
    parser.add_argument("--limit", type=int, help="score only the first N zyte pages (quick runs)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"bench.eval: {CORPUS} not found: the shared corpus sits beside the repo as ../shared; "
              "nothing measured.")
        return 0
    import trafilatura

    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "trafilatura_version": trafilatura.__version__,
        "zyte-aeb": zyte(args.limit),
    }
    for name in ("wire-fixtures", "urdupoint"):
        pages = field_checks(name)
        results[name] = {"fields": field_summary(pages),
                         "pages": [{"id": p["id"], "checks": p["checks"]} for p in pages]}
    results["field_notes"] = FIELD_NOTES
    results["speed"] = speed(args.limit)
    print_report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
