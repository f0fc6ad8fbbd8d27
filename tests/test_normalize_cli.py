"""`newscrawl normalize` gives users the loaders' view of a site's strings, one JSON per line."""

import json
import subprocess
import sys

from conftest import REPO, shared_path


def normalize(kind, lines, *options):
    result = subprocess.run([sys.executable, "-m", "newscrawl", "normalize", kind, *options],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_corpus_dateline():
    cases = [json.loads(line) for line in
             shared_path("corpus", "datelines", "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    parsed = normalize("dateline", [c["text"] for c in cases])
    assert len(parsed) == len(cases)
    for case, got in zip(cases, parsed):
        expected = {k: case[k] for k in ("location", "agency", "outlet", "date", "month_day")}
        assert {k: got[k] for k in expected} == expected, case["text"]
        assert got["rest"].startswith(case["rest_starts_with"])


def test_no_dateline_is_null():
    assert normalize("dateline", ["The Senate on Wednesday passed the bill."]) == [None]


def test_bylines_split_people_from_agencies():
    got = normalize("byline", ["Sumaira FH Published July 29, 2023 | 08:20 PM", "By WAM",
                               "Mohammad Ali (@ChaudhryMAli88) 1 hour ago Fri 15th January 2021 | 04:29 PM"],
                    "--site", "urdupoint")
    assert [(g["authors"], g["agency"]) for g in got] == [(["Sumaira FH"], None), ([], "WAM"), (["Mohammad Ali"], None)]
    assert got[0]["published_at"] == "2023-07-29T20:20:00+05:00"
    assert got[2]["handles"] == ["@ChaudhryMAli88"]


def test_dates_in_the_sites_zone_relative_to_base():
    got = normalize("date", ["41 minutes ago", "2020-04-29T15:32:37+0500", "29th July, 2023", "no date here"],
                    "--site", "urdupoint", "--base", "2023-07-29T16:00:00Z")
    assert got == [
        {"value": "2023-07-29T20:19:00+05:00", "precision": "second", "relative": True},
        {"value": "2020-04-29T15:32:37+05:00", "precision": "second", "relative": False},
        {"value": "2023-07-29", "precision": "day", "relative": False},
        None,
    ]


def test_relative_date_without_base_is_null_and_bad_options_fail():
    assert normalize("date", ["41 minutes ago"], "--tz", "Asia/Dubai") == [None]
    result = subprocess.run([sys.executable, "-m", "newscrawl", "normalize", "date", "--base", "2023-07-29"],
                            input="x\n", capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and "give its UTC offset" in result.stderr
