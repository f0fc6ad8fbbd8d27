"""`newscrawl export` as a user runs it: the target is replaced only by a complete export (a write
that fails midway leaves the old file), `-o -` is standard output, and CSV cells are whole unless
--max-cell / --excel asks for spreadsheet-sized ones."""

import csv
import io
import json
import resource
import signal
import subprocess
import sys

import pytest

from conftest import REPO, make_article, newscrawl
from newscrawl.errors import EXIT_FAILED, EXIT_USAGE
from newscrawl.export import EXCEL_MAX_CELL, FIELDS
from newscrawl.storage import Archive

LONG_BODY = "KARACHI, July 29 (APP) - " + "word " * 40_000  # 200,025 characters


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "a.db"
    with Archive(path) as db:
        for n in range(300):
            url = f"https://www.example.com/news/story-{n}.html"
            db.upsert(make_article(url=url, canonical_url=url, article_id=str(n), title=f"Story {n}",
                                   body=LONG_BODY if n == 0 else f"Body of story {n}. " * 20))
    return path


def limited_export(archive, output, max_bytes):
    """`newscrawl export` whose writes fail once a file reaches max_bytes (RLIMIT_FSIZE: EFBIG),
    a real write error midway through the export."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return subprocess.run([sys.executable, "-m", "newscrawl", "export", "--db", str(archive), "--output", str(output)],
                          cwd=REPO, preexec_fn=limit, capture_output=True, text=True, timeout=120)


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(archive, tmp_path):
    target = tmp_path / "articles.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    result = limited_export(archive, target, 100_000)
    assert result.returncode == EXIT_FAILED
    assert result.stderr == f"newscrawl export: {target}: File too large\n"
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]

    missing = tmp_path / "new.jsonl"
    assert limited_export(archive, missing, 100_000).returncode == EXIT_FAILED
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]  # none rather than half a file


def test_a_complete_export_replaces_the_file_keeping_its_mode(archive, tmp_path):
    target = tmp_path / "articles.jsonl"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    result = newscrawl("export", "--db", str(archive), "--output", str(target))
    assert result.stderr == f"Exported 300 articles to {target}\n"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300 and json.loads(lines[0])["body"] == LONG_BODY
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["articles.jsonl"]


def test_dash_is_standard_output(archive, tmp_path):
    result = subprocess.run([sys.executable, "-m", "newscrawl", "export", "--db", str(archive), "-o", "-",
                             "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 300
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def csv_rows(text):
    csv.field_size_limit(2**31 - 1)  # what the README tells users reading long cells
    return [dict(zip(FIELDS, row)) for row in list(csv.reader(io.StringIO(text, newline="")))[1:]]


def test_csv_cells_are_whole_unless_asked(archive):
    whole = newscrawl("export", "--db", str(archive), "--format", "csv").stdout
    assert csv_rows(whole)[0]["body"] == LONG_BODY
    excel = csv_rows(newscrawl("export", "--db", str(archive), "--format", "csv", "--excel").stdout)
    assert len(excel[0]["body"]) == EXCEL_MAX_CELL == 32_767
    assert excel[0]["body"] == LONG_BODY[:32_766] + "…"
    assert excel[1]["body"] == "Body of story 1. " * 20  # short cells untouched
    cut = csv_rows(newscrawl("export", "--db", str(archive), "--format", "csv", "--max-cell", "12").stdout)
    assert cut[0]["title"] == "Story 0" and cut[0]["body"] == "KARACHI, Ju…"
    assert cut[0]["canonical_url"] == "https://www…"


def test_the_default_csv_reader_limit_is_why_the_note_exists(archive):
    text = newscrawl("export", "--db", str(archive), "--format", "csv").stdout
    script = "import csv, sys; csv.field_size_limit(131072); list(csv.reader(sys.stdin))"
    result = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True)
    assert "field larger than field limit (131072)" in result.stderr
    assert "csv.field_size_limit" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["--excel"], ["--max-cell", "100"]])
def test_cutting_cells_is_for_csv_only(archive, args):
    result = newscrawl("export", "--db", str(archive), *args, check=False)
    assert result.returncode == EXIT_USAGE and result.stderr.count("\n") == 1
    assert "cuts CSV cells: use it with --format csv" in result.stderr
