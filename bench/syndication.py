"""Syndication: how well copies are linked and stories kept apart, and what linking costs.

quality  every article of the labelled set (tests/data/syndication/eval.jsonl, built by
         scripts/build_syndication_eval.py) is stored and linked as a crawl would, in three
         shuffled orders; pairwise precision and recall of "same story" over all pairs (the
         worst of the orders), hard negatives kept apart by kind, recall per kind of edit, and
         whether each story's first source is its earliest copy.
cost     a synthetic archive of N articles over six months (fingerprints computed once, rows
         bulk-inserted), the index's months that the labelled articles need loaded from it
         (timed; its memory as the process's RSS growth and as tracemalloc counts it, with the
         peak while loading), then the ms to store and link each labelled article, at 10k and
         100k.
crawl    100k synthetic articles spread over 24 months stored and linked in publication order,
         as a crawl would: the index's memory (its arrays, the process's RSS growth) after 10k,
         25k, 50k, 75k and 100k. It grows with the months kept until the index's budget, then
         stays there however long the crawl.

It measures and never asserts. Run: .venv/bin/python -m bench.syndication [--quick]
"""

from __future__ import annotations

import ctypes
import gc
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.storage import Archive
from newscrawl.syndication import METHOD, StoryIndex, fingerprint, month_of, nearby_months

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "syndication" / "eval.jsonl"
ORDERS = (1, 2, 3)
SIZES = (10_000, 100_000)
CRAWL_MONTHS = 24
CRAWL_CHECKPOINTS = (10_000, 25_000, 50_000, 75_000, 100_000)


def load_set(path: Path = EVAL_SET) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def as_article(row: dict) -> dict:
    return {name: row.get(name) for name in ARTICLE_FIELDS if name != "story_id"}


# -- quality --------------------------------------------------------------------------------

def link_all(rows: list[dict], db_path: Path, order: int | None = None) -> dict[str, int]:
    """Store and link the rows (shuffled by `order`); canonical URL -> story id."""
    rows = list(rows)
    if order is not None:
        random.Random(order).shuffle(rows)
    with Archive(db_path) as archive:
        index = StoryIndex(archive)
        for row in rows:
            archive.upsert(as_article(row))
            index.add(row)
        return {row["canonical_url"]: archive.get(row["canonical_url"])["story_id"] for row in rows}


def pairwise(rows: list[dict], stories: dict[str, int]) -> dict:
    true_pairs = predicted_pairs = both = 0
    for a, b in combinations(rows, 2):
        same = a["eval"]["story"] == b["eval"]["story"]
        linked = stories[a["canonical_url"]] == stories[b["canonical_url"]]
        true_pairs += same
        predicted_pairs += linked
        both += same and linked
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "true_pairs": true_pairs, "linked_pairs": predicted_pairs}


def hard_negative_pairs(rows: list[dict]) -> list[tuple[str, dict, dict]]:
    """(kind, a, b): template stories of one family, and each update or independent report
    with every copy of the story it must not join."""
    by_story = defaultdict(list)
    for row in rows:
        by_story[row["eval"]["story"]].append(row)
    pairs = []
    families = defaultdict(set)
    for row in rows:
        if row["eval"].get("family"):
            families[row["eval"]["family"]].add(row["eval"]["story"])
    for stories in families.values():
        for x, y in combinations(sorted(stories), 2):
            pairs += [("template", a, b) for a in by_story[x] for b in by_story[y]]
    for row in rows:
        if other := row["eval"].get("negative_of"):
            pairs += [(row["eval"]["kind"], row, b) for b in by_story[other]]
    return pairs


def edit_recall(rows: list[dict], stories: dict[str, int]) -> dict[str, float]:
    """Per kind of edit: the share of copies with it that joined their original's story."""
    originals = {row["eval"]["story"]: row for row in rows
                 if row["eval"]["kind"] in ("original", "template")}
    found, total = Counter(), Counter()
    for row in rows:
        if row["eval"]["kind"] != "copy":
            continue
        joined = stories[row["canonical_url"]] == stories[originals[row["eval"]["story"]]["canonical_url"]]
        for edit in row["eval"]["edits"] or ["exact"]:
            total[edit] += 1
            found[edit] += joined
    return {edit: round(found[edit] / total[edit], 3) for edit in sorted(total)}


def first_sources(rows: list[dict], db_path: Path) -> float:
    """Share of fully linked stories whose first source is their earliest copy."""
    with Archive.open_readonly(db_path) as archive:
        right = total = 0
        by_story = defaultdict(list)
        for row in rows:
            by_story[row["eval"]["story"]].append(row)
        for copies in by_story.values():
            stored = [archive.get(row["canonical_url"]) for row in copies]
            if len(copies) < 2 or len({s["story_id"] for s in stored}) != 1:
                continue
            total += 1
            first = archive.story_head(stored[0]["story_id"])["first_url"]
            earliest = min(copies, key=lambda row: (_utc(row["published_at"]), row["canonical_url"]))
            right += first == earliest["canonical_url"] or \
                _utc(archive.get(first)["published_at"]) == _utc(earliest["published_at"])
    return round(right / total, 4) if total else 1.0


def _utc(value: str):
    from datetime import datetime, timezone

    moment = datetime.fromisoformat(value)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def quality(rows: list[dict] | None = None, orders=ORDERS) -> dict:
    rows = rows if rows is not None else load_set()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for order in orders:
            db = Path(folder) / f"order{order}.db"
            stories = link_all(rows, db, order)
            negatives = hard_negative_pairs(rows)
            merged = Counter(kind for kind, a, b in negatives
                             if stories[a["canonical_url"]] == stories[b["canonical_url"]])
            results.append({**pairwise(rows, stories),
                            "hard_negatives": dict(Counter(kind for kind, _, _ in negatives)),
                            "hard_negatives_merged": dict(merged),
                            "recall_by_edit": edit_recall(rows, stories),
                            "first_source_right": first_sources(rows, db)})
    worst = min(results, key=lambda result: min(result["precision"], result["recall"]))
    return {"articles": len(rows), "stories": len({row["eval"]["story"] for row in rows}),
            "orders": len(results),
            "precision_min": min(r["precision"] for r in results),
            "recall_min": min(r["recall"] for r in results),
            "hard_negatives_merged_max": max(sum(r["hard_negatives_merged"].values()) for r in results),
            "worst_order": worst}


# -- cost -----------------------------------------------------------------------------------

def synthetic_articles(count: int, seed: int = 0, months: int | None = None) -> list[dict]:
    """Unrelated wire-like stories: sentences drawn from the labelled set's words, with their
    own names and numbers, so common phrases collide in the index the way real copy does.
    Published February to July 2023 in turn, or with `months`, over that many months from
    January 2022 in publication order."""
    rng = random.Random(seed)
    words = [word for row in load_set() for word in row["body"].split() if word.isalpha()]
    names = sorted({word for word in words if word[:1].isupper()})
    plain = [word for word in words if word.islower()]
    articles = []
    for number in range(count):
        sentences = []
        for _ in range(rng.randint(4, 7)):
            length = rng.randint(12, 24)
            sentence = [rng.choice(names if rng.random() < 0.15 else plain) for _ in range(length)]
            sentence[rng.randrange(length)] = str(rng.randint(2, 50_000))
            sentences.append(rng.choice(names) + " " + " ".join(sentence) + ".")
        url = f"https://synthetic.example/{number}"
        articles.append({"canonical_url": url, "url": url, "site": "synthetic", "article_id": str(number),
                         "title": " ".join(rng.choice(names) for _ in range(6)),
                         "body": "\n\n".join(" ".join(sentences[i:i + 2])
                                               for i in range(0, len(sentences), 2)),
                         "published_at": _published(number, count, months)})
    return articles


def _published(number: int, count: int, months: int | None) -> str:
    if months is None:  # February to July 2023: the months of the labelled set and before
        return f"2023-0{2 + number % 6}-{1 + number % 28:02d}T10:00:00+00:00"
    month, share = divmod(number * months, count)
    year, month = divmod(month, 12)
    return f"{2022 + year}-{month + 1:02d}-{1 + share * 28 // count:02d}T10:00:00+00:00"


def bulk_archive(path: Path, articles: list[dict], prints: list) -> None:
    """Rows straight into SQLite: the schema is Archive's, the speed executemany's."""
    Archive(path).close()  # creates the schema
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DROP TRIGGER articles_fts_insert")  # a bench archive needs no search
        connection.executemany(
            "INSERT INTO articles (id, canonical_url, url, site, article_id, title, published_at, "
            "story_id, content_hash, first_seen_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'x', '', '')",
            [(i, a["canonical_url"], a["url"], a["site"], a["article_id"], a["title"], a["published_at"], i)
             for i, a in enumerate(articles, 1)])
        connection.executemany(
            "INSERT INTO stories (id, first_article, first_site, first_url, first_published_at, copies, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, '', '')",
            [(i, i, a["site"], a["canonical_url"], a["published_at"]) for i, a in enumerate(articles, 1)])
        connection.executemany(
            "INSERT INTO fingerprints (article, method, content_hash, signature, shingles, agency, "
            "key_tokens) VALUES (?, ?, 'x', ?, ?, ?, ?)",
            [(i, METHOD, p.signature.tobytes(), p.shingles, p.agency, json.dumps(p.key_tokens()))
             for i, p in enumerate(prints, 1)])
    connection.close()


try:
    _LIBC = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc: the readings include freed memory kept by the allocator
    _LIBC = None


def _rss_mb() -> float:
    """Resident memory after freed heap memory is handed back to the system (glibc), so that
    the growth between two readings is what was allocated in between, not freed memory reused."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def _traced_load(archive: Archive, months: list[str]) -> tuple[float, float]:
    """MB a freshly loaded index holds, and the most held while loading, as tracemalloc
    counts Python's and numpy's allocations (SQLite's own are not traced)."""
    tracemalloc.start()
    try:
        index = StoryIndex(archive)
        index.load(*months)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del index
    return held / 2**20, peak / 2**20


def _arrays_mb(index: StoryIndex) -> float:
    return sum(shard.nbytes for shard in index.shards.values()) / 2**20


def cost(sizes=SIZES) -> dict:
    articles = synthetic_articles(max(sizes))
    started = time.perf_counter()
    prints = [fingerprint(article) for article in articles]
    figures = {"fingerprint_ms": round((time.perf_counter() - started) / len(articles) * 1000, 3)}
    added = load_set()
    months = sorted({month for row in added for month in nearby_months(month_of(row["published_at"]))})
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = Path(folder) / f"archive{size}.db"
            bulk_archive(db, articles[:size], prints[:size])
            with Archive(db) as archive:
                index = StoryIndex(archive)
                # The months the added articles need, loaded up front so that the per-article
                # figures are the steady state of a crawl.
                memory, started = _rss_mb(), time.perf_counter()
                index.load(*months)
                loading, memory, loaded = time.perf_counter() - started, _rss_mb() - memory, len(index)
                traced, traced_peak = _traced_load(archive, months)
                timings, cpu = [], time.process_time()
                for row in added:
                    started = time.perf_counter()
                    archive.upsert(as_article(row))
                    index.add(row)
                    timings.append((time.perf_counter() - started) * 1000)
                cpu = time.process_time() - cpu
            del index
            gc.collect()
            # Wall-clock figures suffer from whatever else the machine runs; CPU time less so.
            figures[f"{size}"] = {
                "index_loaded": loaded, "index_load_s": round(loading, 2),
                "index_memory_mb": round(memory),
                "index_memory_traced_mb": round(traced),
                "index_load_peak_traced_mb": round(traced_peak),
                "add_ms_mean": round(statistics.fmean(timings), 2),
                "add_ms_median": round(statistics.median(timings), 2),
                "add_ms_p95": round(sorted(timings)[int(len(timings) * 0.95)], 2),
                "add_cpu_ms_mean": round(cpu / len(added) * 1000, 2),
            }
    return figures


def crawl(checkpoints=CRAWL_CHECKPOINTS, months: int = CRAWL_MONTHS) -> dict:
    """The index's memory along a crawl over many months, at each checkpoint (articles
    stored and linked so far)."""
    articles = synthetic_articles(max(checkpoints), seed=1, months=months)
    figures, cpu = {}, 0.0
    with tempfile.TemporaryDirectory() as folder, Archive(Path(folder) / "crawl.db") as archive:
        index = StoryIndex(archive)
        memory = _rss_mb()
        for stored, article in enumerate(articles, 1):
            started = time.process_time()
            archive.upsert(article)
            index.add(article)
            cpu += time.process_time() - started
            if stored % 1000 == 0:
                archive.commit()  # as the pipeline's batches do
            if stored in checkpoints:
                figures[f"{stored}"] = {
                    "published_up_to": article["published_at"][:7],
                    "months_loaded": sum(1 for shard in index.shards.values() if len(shard)),
                    "index_loaded": len(index),
                    "index_arrays_mb": round(_arrays_mb(index), 1),
                    "rss_growth_mb": round(_rss_mb() - memory),
                    "add_cpu_ms_mean": round(cpu / stored * 1000, 2),
                }
    return {"months": months, "index_budget_mb": index.budget // 2**20, "checkpoints": figures}


def run(sizes=SIZES, details: dict | None = None, checkpoints=CRAWL_CHECKPOINTS) -> dict:
    """The headline figures, flat (the `make bench` table); `details` gets the full results."""
    found = {"quality": quality(), "cost": cost(sizes), "crawl": crawl(checkpoints)}
    if details is not None:
        details.update(found)
    quality_, cost_ = found["quality"], found["cost"]
    figures = {
        "pairwise_precision": quality_["precision_min"], "pairwise_recall": quality_["recall_min"],
        "hard_negatives_merged": quality_["hard_negatives_merged_max"],
        "first_source_right": quality_["worst_order"]["first_source_right"],
        "fingerprint_ms": cost_["fingerprint_ms"],
    }
    for size in sizes:
        label = f"{size // 1000}k"
        for name, value in cost_[str(size)].items():
            figures[f"{name}_{label}"] = value
    for stored, checkpoint in found["crawl"]["checkpoints"].items():
        label = f"{int(stored) // 1000}k"
        for name in ("index_loaded", "index_arrays_mb", "rss_growth_mb"):
            figures[f"crawl{CRAWL_MONTHS}m_{name}_{label}"] = checkpoint[name]
    return figures


if __name__ == "__main__":
    found = {}
    quick = "--quick" in sys.argv[1:]
    figures = run(sizes=(10_000,) if quick else SIZES, details=found,
                  checkpoints=(5_000, 10_000, 20_000) if quick else CRAWL_CHECKPOINTS)
    print(json.dumps({"figures": figures, **found}, indent=2))
