"""`newscrawl import` trusts nothing in its file: every item is validated on its own like a crawled
one, bad ones are dropped and counted by reason, and the good ones around them are stored with
their stories."""

import csv
import io
import json

from conftest import make_article, newscrawl
from newscrawl.storage import Archive


def article(n, **overrides):
    """A valid article with a text of its own (no two are copies of one story)."""
    url = f"https://www.app.com.pk/national/story-{n}/"
    words = " ".join(f"w{n}x{i}" for i in range(60))
    return make_article(**{"url": url, "canonical_url": url, "site": "app", "article_id": str(n),
                           "title": f"Senate passes bill number {n}",
                           "body": f"ISLAMABAD, Jul 29 (APP): {words}.\n\nThe session ran late.", **overrides})


def write_lines(path, lines):
    with open(path, "wb") as out:
        for line in lines:
            out.write((json.dumps(line, ensure_ascii=False) if isinstance(line, dict) else line).encode("utf-8")
                      if not isinstance(line, bytes) else line)
            out.write(b"\n")
    return path


def stored(db):
    with Archive.open_readonly(db) as archive:
        return {row["article_id"]: row for row in archive.iter_articles()}


def test_each_item_is_judged_alone_and_the_rest_is_imported(tmp_path):
    items = write_lines(tmp_path / "items.jsonl", [
        article(1),
        article(2, title=["Senate passes", "bill number 2"]),        # a list title
        article(3, url=1731046, canonical_url=None),                 # a numeric url
        article(4, published_at="not a date"),
        b'{"title": "caf\xe9 in Latin-1"}',                           # not UTF-8
        "[" * 100_000,                                                # nested 100,000 deep
        "not json",
        article(8, dateline={"location": "ISLAMABAD", "city": "Islamabad"}),
        article(9, authors="Ayesha Khan"),
        article(10),
    ])
    db = tmp_path / "archive.db"
    result = newscrawl("import", "--db", str(db), str(items))
    assert ": 7 items; articles 2 new, 0 updated, 0 unchanged;" in result.stdout
    assert ("dropped: invalid_authors 1, invalid_dateline 1, invalid_published_at 1, invalid_title 1, "
            "invalid_url 1, not_utf8 1, unreadable 2;") in result.stdout
    assert "stories: 2 new, 0 copies linked to a story" in result.stdout
    warnings = result.stderr.splitlines()
    assert warnings[0] == f"newscrawl import: created new archive {db}"
    assert [line.split(": item ", 1)[1].split()[0] for line in warnings[1:]] == \
        ["2", "3", "4", "5", "6", "7", "8", "9"]  # every bad item, by its line number
    assert "item 4 dropped: invalid_published_at" in result.stderr and "'not a date'" in result.stderr
    assert "item 5 is not UTF-8 text" in result.stderr and "item 6 is not a JSON object (nested too deeply)" \
        in result.stderr

    rows = stored(db)
    assert set(rows) == {"1", "10"}  # the item after every bad one is stored
    assert all(row["story_id"] is not None for row in rows.values())  # with its story
    with Archive.open_readonly(db) as archive:
        assert archive.get_crawl(1)["status"] == "finished"
        assert archive.get_crawl(1)["dropped"]["invalid_title"] == 1


def test_an_invalid_date_is_not_stored_so_since_never_sees_it(tmp_path):
    items = write_lines(tmp_path / "items.jsonl", [article(1, published_at="not a date"),
                                                   article(2, published_at="2023-08-01T09:00:00+05:00")])
    db = tmp_path / "a.db"
    newscrawl("import", "--db", str(db), str(items))
    exported = newscrawl("export", "--db", str(db), "--since", "2023-07-01").stdout.splitlines()
    assert [json.loads(line)["article_id"] for line in exported] == ["2"]


def test_runaway_fields_are_capped_and_the_csv_export_reads_back(tmp_path):
    long_title = "Senate passes the seed certification bill " * 5000           # ~200 KB
    long_body = "ISLAMABAD, Jul 29 (APP): The Senate passed the bill. " * 40000  # ~2 MB
    items = write_lines(tmp_path / "items.jsonl", [
        article(1, title=long_title, body=long_body),
        article(2, canonical_url="https://www.app.com.pk/national/story-2/?" + "x=1&" * 2500),  # 10 KB
    ])
    db = tmp_path / "a.db"
    result = newscrawl("import", "--db", str(db), str(items))
    assert "dropped: invalid_canonical_url 1; truncated: body 1, title 1;" in result.stdout
    rows = list(csv.DictReader(io.StringIO(newscrawl("export", "--db", str(db), "--format", "csv").stdout)))
    assert [row["article_id"] for row in rows] == ["1"]
    assert rows[0]["title"] == long_title[:1000].rstrip() and rows[0]["body"] == long_body[:100_000].rstrip()
    assert rows[0]["flags"] == "title_truncated | body_truncated"


def test_a_json_array_is_validated_item_by_item_too(tmp_path):
    items = tmp_path / "items.json"
    items.write_text(json.dumps([article(1), article(2, tags="Senate"), [1, 2], article(4)]), encoding="utf-8")
    result = newscrawl("import", "--db", str(tmp_path / "a.db"), str(items))
    assert ": 3 items; articles 2 new" in result.stdout and "dropped: invalid_tags 1, unreadable 1;" in result.stdout
    assert set(stored(tmp_path / "a.db")) == {"1", "4"}


def one_line_failure(result, text):
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_files_that_cannot_be_read_at_all_end_before_the_archive_is_made(tmp_path):
    db = tmp_path / "a.db"
    binary = tmp_path / "items.jsonl.gz"
    binary.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)))
    one_line_failure(newscrawl("import", "--db", str(db), str(binary), check=False), "a binary file")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'[{"title": "caf\xe9"}]')
    one_line_failure(newscrawl("import", "--db", str(db), str(latin1), check=False),
                     "not UTF-8 text (at byte 15); nothing imported")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    one_line_failure(newscrawl("import", "--db", str(db), str(deep), check=False),
                     "is not a JSON array of items: nested too deeply")
    one_line_failure(newscrawl("import", "--db", str(db), str(tmp_path), check=False), "is a directory")
    assert not db.exists()


def test_a_line_too_large_for_any_article_is_skipped(tmp_path):
    items = tmp_path / "items.jsonl"
    with open(items, "wb") as out:
        out.write(b'{"title": "' + b"x" * (17 * 1024 * 1024) + b'"}\n')
        out.write(json.dumps(article(2)).encode() + b"\n")
    result = newscrawl("import", "--db", str(tmp_path / "a.db"), str(items))
    assert "item 1 is longer than 16,777,216 bytes" in result.stderr
    assert "dropped: unreadable 1;" in result.stdout and set(stored(tmp_path / "a.db")) == {"2"}


def test_db_in_a_missing_directory_is_an_error_not_a_new_tree(tmp_path):
    items = write_lines(tmp_path / "items.jsonl", [article(1)])
    db = tmp_path / "typo" / "deeper" / "a.db"
    one_line_failure(newscrawl("import", "--db", str(db), str(items), check=False),
                     f"no such directory '{db.parent}'")
    assert not (tmp_path / "typo").exists()

    existing = tmp_path / "a.db"
    assert "created new archive" in newscrawl("import", "--db", str(existing), str(items)).stderr
    assert "created new archive" not in newscrawl("import", "--db", str(existing), str(items)).stderr
