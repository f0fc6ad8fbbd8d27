"""The scores `make eval` prints (bench/eval.py, bench/eval_scores.py), on hand-written values."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench: not installed
from bench.eval import _page_score  # noqa: E402
from bench.eval_scores import same_day, set_counts, set_scores  # noqa: E402


@pytest.mark.parametrize("truth, ours, same", [
    ("2015-07-24T05:36:09+01:00", "2015-07-24T04:36:09+00:00", True),
    ("2015-07-24T00:30:00+01:00", "2015-07-23T23:30:00+00:00", True),   # same instant, other UTC day
    ("2021-11-01T10:52:50+0100", "2021-11-01", True),
    ("2017-11-03 03:01:00.000000", "2017-11-03T03:01:00", True),
    ("2013-08-03T00:00:00", "2013-08-04", False),
    ("2024-06-25", None, False),
])
def test_same_day(truth, ours, same):
    assert same_day(truth, ours) is same


@pytest.mark.parametrize("field, truth, body, score", [
    ("body_starts_with", "PJ Morton – Only One Lyrics\n\nI’m pretty sure I do", "PJ Morton - Only One Lyrics\n"
     "I’m pretty sure I don’t need", 1.0),                                  # cut word, other dash
    ("body_starts_with", "Washington (CNN) -- Democrats", "Tim Kaine says\n\nWashington (CNN) -- Democrats", 0.0),
    ("body_prefix_found", "Washington (CNN) -- Democrats pledged", "Tim Kaine says\n\nWashington (CNN) -- "
     "Democrats pledged to", 1.0),
    ("body_ends_with", "ends the story.", "A story that ends the story.", 1.0),
    ("body_ends_with", "ends the story.", "A story that ends the story. Share this", 0.0),
])
def test_body_edges(field, truth, body, score):
    assert _page_score(field, truth, body) == score


def test_names_score_micro_over_pages_case_and_spacing_aside():
    counts = [set_counts(["Taylor Hatmaker"], ["taylor  hatmaker", "Food"]), set_counts(["A B", "C D"], [])]
    assert counts == [(1, 1, 0), (0, 0, 2)]
    assert set_scores(counts) == {"pages": 2, "precision": 0.5, "recall": 0.3333, "f1": 0.4}
