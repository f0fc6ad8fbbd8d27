"""`newscrawl search` on an archive built by a real crawl of the demo site (plus two copies of
one WAM story imported from other sites): exact hits, ranking, filters, hostile input."""

import csv
import io
import json
import shutil
import sqlite3

import pytest

from conftest import newscrawl, scrapy_crawl
from newscrawl.search import plain_words

FUJAIRAH = "Fujairah Port Handles Record Container Volume in May"


def build_demo_archive(base_url, folder):
    """Crawl the demo site into folder/demo.db, then import two copies of its Fujairah story
    (WAM's text on two other sites) so that one story has three copies."""
    db = folder / "demo.db"
    scrapy_crawl("urdupoint", "-a", f"base_url={base_url}", "-a", "sections=world,pakistan,business",
                 "-s", f"NEWSCRAWL_DB={db}")
    exported = newscrawl("export", "--db", str(db), "--format", "jsonl").stdout.splitlines()
    original = next(item for item in map(json.loads, exported) if item["title"] == FUJAIRAH)
    copies = []
    for number, site in enumerate(("gulfwire", "wam")):
        url = f"https://{site}.example/news/fujairah-port-{number}"
        copies.append({**original, "site": site, "url": url, "canonical_url": url,
                       "article_id": f"copy-{number}", "story_id": None,
                       "published_at": original["published_at"][:11] + f"2{number}:00:00+05:00"})
    items = folder / "copies.jsonl"
    items.write_text("".join(json.dumps(copy) + "\n" for copy in copies), encoding="utf-8")
    newscrawl("import", "--db", str(db), str(items))
    return db


@pytest.fixture(scope="module")
def archive(demo_server, tmp_path_factory):
    return build_demo_archive(demo_server, tmp_path_factory.mktemp("search"))


def search(db, *args, check=True):
    return newscrawl("search", *args, "--db", str(db), check=check)


def hits(db, *args):
    return json.loads(search(db, *args, "--format", "json").stdout)


def titles(db, *args):
    return [hit["title"] for hit in hits(db, *args)]


@pytest.mark.parametrize("text, expected", [
    ("flood", '"flood"'),
    ("'; DROP TABLE articles; --", '"\';" "DROP" "TABLE" "articles;" "--"'),
    ('say "hi', '"say" """hi"'),
    ("  two   words ", '"two" "words"'),
    ("", ""),
])
def test_plain_words_quote_every_word(text, expected):
    assert plain_words(text) == expected


def test_exact_hits_best_first(archive):
    # "flood" in the title weighs more than "flood" in a body.
    assert titles(archive, "flood") == ["Sialkot Rescue 1122 Trains Volunteers in Flood Response",
                                        "Sukkur Barrage Officials Monitor Rising Indus Flows"]
    assert titles(archive, "gold") == ["Gold Price Falls by Rs 500 per Tola in Local Market"]
    assert titles(archive, "flood OR rain", "--limit", "3") == [
        "Sialkot Rescue 1122 Trains Volunteers in Flood Response",
        "Sukkur Barrage Officials Monitor Rising Indus Flows",
        "Kenyan Authorities Evacuate 3,000 Residents as Tana River Breaks Its Banks"]
    scores = [hit["score"] for hit in hits(archive, "flood OR rain")]
    assert scores == sorted(scores)  # bm25: lower is better


def test_fts_syntax_is_used_when_valid(archive):
    assert set(titles(archive, "flood*")) == {
        "Sialkot Rescue 1122 Trains Volunteers in Flood Response",
        "Sukkur Barrage Officials Monitor Rising Indus Flows",
        "Cotton Arrivals at Ginneries Rise Sharply on Early Picking",
        "Rawalpindi Development Authority Clears Encroachments Along Nullah Banks"}
    assert titles(archive, "title: flood") == ["Sialkot Rescue 1122 Trains Volunteers in Flood Response"]
    assert titles(archive, '"Indus flows"') == ["Sukkur Barrage Officials Monitor Rising Indus Flows"]


def test_snippet_highlights_the_match(archive):
    [hit] = hits(archive, "gold")
    assert "[gold]" in hit["snippet"]
    result = search(archive, "gold")
    assert result.stdout.splitlines() == [
        f"2023-07-28  urdupoint  Gold Price Falls by Rs 500 per Tola in Local Market  {hit['url']}",
        "    KARACHI, (UrduPoint / Pakistan Point News - 28th Jul, 2023 ) :The price of [gold] fell by Rs 500…"]
    assert result.stderr == "1 hit\n"


def test_copies_of_a_story_and_the_site_and_since_filters(archive):
    every = hits(archive, "Fujairah")
    assert sorted(hit["site"] for hit in every) == ["gulfwire", "urdupoint", "wam"]
    assert len({hit["story_id"] for hit in every}) == 1  # the import linked the copies
    assert [hit["site"] for hit in hits(archive, "Fujairah", "--site", "wam")] == ["wam"]
    assert hits(archive, "Fujairah", "--since", "2023-06-09") == []
    assert len(hits(archive, "Fujairah", "--since", "2023-06-08")) == 3
    assert titles(archive, "flood", "--since", "2023-07-27") == [
        "Sukkur Barrage Officials Monitor Rising Indus Flows"]
    assert len(hits(archive, "the", "--limit", "5")) == 5


def test_csv_output(archive):
    rows = list(csv.DictReader(io.StringIO(search(archive, "gold", "--format", "csv").stdout)))
    assert [row["title"] for row in rows] == ["Gold Price Falls by Rs 500 per Tola in Local Market"]
    assert list(rows[0]) == ["id", "published_at", "site", "section", "agency", "title", "url",
                             "story_id", "score", "snippet"]


@pytest.mark.parametrize("query", ["'; DROP TABLE articles; --", '"unbalanced', "AND", "NOT",
                                   "title:", "(((", "nosuchcolumn: flood", "*"])
def test_hostile_or_broken_queries_are_plain_words(archive, query):
    result = search(archive, query, "--format", "json", check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    found = json.loads(result.stdout)
    if query.startswith("'"):
        assert found == []
    with sqlite3.connect(archive) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 77


def test_nosuchcolumn_is_searched_as_words(archive):
    # Not FTS syntax (no such column): the words themselves, which no article has together.
    assert hits(archive, "nosuchcolumn: flood") == []
    assert titles(archive, "Sukkur: barrage") == ["Sukkur Barrage Officials Monitor Rising Indus Flows"]


def test_search_never_writes_and_takes_no_lock(archive, tmp_path):
    copy = tmp_path / "locked.db"
    shutil.copy(archive, copy)
    holder = sqlite3.connect(copy, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # a writer holds the file: a search that wanted to write would fail
    try:
        before = copy.read_bytes()
        result = search(copy, "gold", "--format", "json", check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert copy.read_bytes() == before
    # EXCLUSIVE blocks readers of a rollback-journal file; the archive is WAL, where readers pass.
    assert result.returncode == 0, result.stderr


def test_empty_archive(tmp_path):
    db = tmp_path / "empty.db"
    newscrawl("import", "--db", str(db), str(_empty_items(tmp_path)))
    result = search(db, "flood")
    assert (result.stdout, result.stderr) == ("", "0 hits\n")
    assert json.loads(search(db, "flood", "--format", "json").stdout) == []


def _empty_items(folder):
    items = folder / "none.jsonl"
    items.write_text("", encoding="utf-8")
    return items


def test_missing_archive_and_bad_arguments(tmp_path):
    missing = search(tmp_path / "missing.db", "flood", check=False)
    assert missing.returncode == 1  # like every command given a missing archive (README, exit codes)
    assert missing.stderr == f"newscrawl search: archive not found: {tmp_path / 'missing.db'}\n"
    assert not (tmp_path / "missing.db").exists()
    for args in (["flood", "--since", "July"], ["flood", "--limit", "0"], ["flood", "--format", "xml"]):
        result = search(tmp_path / "missing.db", *args, check=False)
        assert result.returncode == 2 and "Traceback" not in result.stderr
    blank = search(tmp_path / "missing.db", "   ", check=False)
    assert (blank.returncode, blank.stderr) == (2, "newscrawl search: give the words to search for\n")
