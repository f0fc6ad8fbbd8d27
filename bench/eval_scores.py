"""Scores and corpus access for `make eval` (bench/eval.py).

Body: precision / recall / F1 over word 4-gram shingles, as the Zyte benchmark's evaluate.py
defines them: tokens are `\\w+`, shingles keep their counts, each page's TP/FP/FN are scaled to
sum to 1, precision is averaged over pages with a prediction, recall over pages with a truth,
F1 is their harmonic mean. Names and tags: micro precision / recall / F1 over the normalized
values of every page that has a truth. Days: the first ten characters of the time, as given.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SHINGLE = 4

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
    """The Article `newscrawl extract` prints for a saved page (profile picked from the URL)."""
    from newscrawl.cli import extract_page

    return extract_page(str(path), url)


def corpus_sets():
    """Every set folder in the shared corpus that has a truth file, in name order."""
    return sorted(p.name for p in CORPUS.iterdir() if (p / "truth.jsonl").is_file()) if CORPUS.is_dir() else []


# --- names and tags -------------------------------------------------------------------------

def name_key(text):
    """A credit or tag compared loosely: case, accents' composition, spacing and edge punctuation."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(text.split()).strip(" .,;:#")


def set_counts(truth, prediction):
    """(tp, fp, fn) of one page's predicted values against its truth, as sets of name keys."""
    true = {name_key(t) for t in truth if name_key(t)}
    predicted = {name_key(p) for p in prediction or () if name_key(p)}
    return len(true & predicted), len(predicted - true), len(true - predicted)


def set_scores(counts):
    """Micro precision / recall / F1 over (tp, fp, fn) triples."""
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"pages": len(counts), "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4)}


# --- days -----------------------------------------------------------------------------------

def day_scores(pairs):
    """Accuracy (right day over pages with a truth) and precision (right over dated answers)."""
    answered = [(t, p) for t, p in pairs if p]
    right = sum(same_day(t, p) for t, p in answered)
    return {"pages": len(pairs), "answered": len(answered),
            "accuracy": round(right / len(pairs), 4) if pairs else 0.0,
            "precision": round(right / len(answered), 4) if answered else 0.0}


def _parsed(text):
    from datetime import datetime

    text = text.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # "+0100" -> "+01:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def same_day(truth, ours):
    """The same calendar day; when both times carry an offset, ours is read in the truth's zone
    (a page's "2015-07-24T00:30+01:00" is the 24th even when stored as UTC)."""
    if not ours:
        return False
    expected, got = _parsed(truth), _parsed(ours)
    if expected and got and expected.tzinfo and got.tzinfo and len(ours) > 10:
        return got.astimezone(expected.tzinfo).date() == expected.date()
    return truth.strip()[:10] == ours.strip()[:10]
