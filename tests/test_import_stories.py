"""`newscrawl import` runs items from a file through the pipelines; `newscrawl stories` lists
what they became; exports carry story_id."""

import csv
import io
import json

import pytest

from conftest import newscrawl
from newscrawl.storage import Archive
from test_syndication import RULERS, STORY_TEXT, condolence, edited, wam


def write_items(path, rows, garbage=()):
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        for line in garbage:
            out.write(line + "\n")
    return path


@pytest.fixture
def items(tmp_path):
    rows = [
        wam(1, published_at="2023-07-29T12:00:00+04:00"),
        edited(first="ABU DHABI, " + STORY_TEXT[0], extra=["Source: Emirates News Agency"],
               published_at="2023-07-29T10:00:00+04:00"),  # an earlier copy, read second
        condolence(3, *RULERS[0]),
        condolence(4, *RULERS[1]),
        {**wam(1), "url": "https://site1.example/amp/uae-bank-deposits-1"},  # the same article again
        {**wam(5), "body": None},  # cannot be archived
        {**wam(6, published_at="2023-07-30T08:00:00+04:00"), "story_id": 999, "first_seen_at": "x"},
    ]
    return write_items(tmp_path / "items.jsonl", rows, garbage=["not json", "[1, 2]"])


def test_import_runs_items_through_the_pipelines(tmp_path, items):
    db = tmp_path / "merged.db"
    result = newscrawl("import", "--db", str(db), str(items))
    assert ": 7 items; articles 5 new, 0 updated, 0 unchanged" in result.stdout
    assert "dropped: duplicate 1, missing_body 1, unreadable 2" in result.stdout
    assert "stories: 3 new, 2 copies linked to a story" in result.stdout
    assert "item 8 is not a JSON object" in result.stderr

    with Archive.open_readonly(db) as archive:
        story = archive.get(wam(1)["canonical_url"])["story_id"]
        assert archive.get(wam(6)["canonical_url"])["story_id"] == story  # not the file's 999
        head = archive.story_head(story)
        assert head["copies"] == 3 and head["first_site"] == "site2"  # the earliest copy
        assert archive.get_crawl(1)["spider"] == "import" and archive.get_crawl(1)["status"] == "finished"

    again = newscrawl("import", "--db", str(db), str(items))
    assert "articles 0 new, 0 updated, 5 unchanged" in again.stdout
    assert "stories: 0 new, 0 copies linked" in again.stdout


def test_an_export_imported_elsewhere_gives_the_same_stories(tmp_path, items):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    newscrawl("import", "--db", str(first), str(items))
    exported = tmp_path / "export.json"
    newscrawl("export", "--db", str(first), "--format", "json", "--output", str(exported))
    result = newscrawl("import", "--db", str(second), str(exported))
    assert "articles 5 new" in result.stdout and "stories: 3 new, 2 copies linked" in result.stdout

    def groups(db):
        with Archive.open_readonly(db) as archive:
            return sorted(sorted(copy["canonical_url"] for copy in story["articles"])
                          for story in archive.iter_stories())
    assert groups(first) == groups(second)


def test_an_item_without_archive_key_gets_its_urls(tmp_path):
    rows = [wam(1), {**wam(2), "canonical_url": None,
                     "url": "https://site2.example/news/deposits?utm_source=feed#top"}]
    db = tmp_path / "archive.db"
    newscrawl("import", "--db", str(db), str(write_items(tmp_path / "items.jsonl", rows)))
    with Archive.open_readonly(db) as archive:
        stored = archive.get("https://site2.example/news/deposits")
        assert stored["story_id"] == archive.get(wam(1)["canonical_url"])["story_id"]


def test_import_of_a_missing_or_broken_file_is_a_usage_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"url": "x"},', encoding="utf-8")
    result = newscrawl("import", "--db", str(tmp_path / "a.db"), str(broken), check=False)
    assert result.returncode != 0 and "not a JSON array" in result.stderr

    missing = newscrawl("import", "--db", str(tmp_path / "a.db"), str(tmp_path / "nope.jsonl"), check=False)
    assert missing.returncode != 0 and "no such file" in missing.stderr


def test_stories_lists_copies_first_source_first(tmp_path, items):
    db = tmp_path / "archive.db"
    newscrawl("import", "--db", str(db), str(items))
    lines = newscrawl("stories", "--db", str(db)).stdout.splitlines()
    heads = [line for line in lines if line.startswith("story ")]
    assert len(heads) == 3
    deposits = lines.index(next(line for line in heads if "3 copies" in line))
    assert "WAM" in lines[deposits] and "UAE bank deposits" in lines[deposits]
    assert lines[deposits + 1].split()[:3] == ["first", "2023-07-29T10:00:00+04:00", "site2"]
    assert [line.split()[0] for line in lines[deposits + 1:deposits + 4]] == ["first", "copy", "copy"]

    syndicated = json.loads(newscrawl("stories", "--db", str(db), "--json", "--min-copies", "2").stdout)
    assert [story["copies"] for story in syndicated] == [3]
    assert [copy["site"] for copy in syndicated[0]["articles"]] == ["site2", "site1", "site6"]
    assert syndicated[0]["first_url"] == syndicated[0]["articles"][0]["canonical_url"]

    on_site3 = json.loads(newscrawl("stories", "--db", str(db), "--json", "--site", "site3").stdout)
    assert [story["articles"][0]["site"] for story in on_site3] == ["site3"]
    assert json.loads(newscrawl("stories", "--db", str(db), "--json", "--since", "2023-07-30").stdout) == []
    bad = newscrawl("stories", "--db", str(db), "--since", "July", check=False)
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr


def test_exports_carry_story_id(tmp_path, items):
    db = tmp_path / "archive.db"
    newscrawl("import", "--db", str(db), str(items))
    rows = list(csv.DictReader(io.StringIO(newscrawl("export", "--db", str(db), "--format", "csv").stdout)))
    assert list(rows[0])[-1] == "story_id"
    by_site = {row["site"]: row["story_id"] for row in rows}
    assert by_site["site1"] == by_site["site2"] == by_site["site6"] != by_site["site3"]
    assert all(row["story_id"] for row in rows)
