"""The storage contract, one suite run on both backends: SQLite (a file of the test's own) and
PostgreSQL (a database of the test's own on 127.0.0.1:5432). What the pipelines, the
seen-store, the story index and the CLI call must answer the same on either."""

import json
import sys

import pytest

from conftest import make_article, run_cli
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.storage import ArchiveError, is_postgres_url, open_archive
from pg_support import archive_target  # noqa: F401 (fixture)
from test_syndication import wam

NASTY = '\'"; DROP TABLE articles; --'


@pytest.fixture
def target(archive_target):
    """Where an archive of the test's own is, on each backend in turn (pg_support.archive_target)."""
    return archive_target


def article(number, **overrides):
    url = f"https://www.example.com/news/{number}.html"
    return make_article(**{"url": url, "canonical_url": url, "article_id": str(number), **overrides})


def test_opening_twice_migrates_once_and_reads_back(target):
    with open_archive(target) as archive:
        version = archive.schema_version()
        assert version >= 1 and archive.summary()["articles"] == 0
    with open_archive(target) as archive:
        assert archive.schema_version() == version
    with open_archive(target, readonly=True) as reader:
        assert reader.summary()["schema_version"] == version


def test_upsert_new_unchanged_updated_with_its_change(target):
    with open_archive(target) as archive:
        assert archive.upsert(make_article()) == "new"
        stored = archive.get(make_article()["canonical_url"])
        assert {name: stored[name] for name in ARTICLE_FIELDS} == make_article()
        refetch = make_article(url="https://amp.example.com/1001", fetched_at="2023-07-31T00:00:00+00:00",
                               dateline=dict(reversed(list(make_article()["dateline"].items()))))
        assert archive.upsert(refetch) == "unchanged"
        edited = make_article(title="Floods hit coastal towns, 12 dead", tags=["Pakistan"])
        assert archive.upsert(edited) == "updated"
        assert archive.upsert(edited) == "unchanged"
        (change,) = archive.changes(stored["id"])
        assert change["fields"] == ["title", "tags"]
        assert change["previous"] == {"title": "Floods hit the coastal towns", "tags": ["Pakistan", "Weather"]}
        assert archive.get(site="example", article_id="1001")["title"] == edited["title"]
        assert archive.known(make_article()["canonical_url"]) and not archive.known("https://nope.example/")
        assert archive.row_id(site="example", article_id="1001") == stored["id"] == archive.last_row_id()
        with pytest.raises(ValueError):
            archive.upsert({"title": "no key"})


def test_both_keys_identify_an_article_and_a_conflict_changes_nothing(target):
    with open_archive(target) as archive:
        archive.upsert(article(1))
        archive.upsert(article(2))
        moved = article(1, canonical_url="https://www.example.com/moved/1.html", title="Moved")
        assert archive.upsert(moved) == "updated"  # same site id under a new canonical URL
        assert archive.get("https://www.example.com/moved/1.html")["title"] == "Moved"
        # URL of article 2 with the site id of article 1: two stored rows, so neither changes.
        clash = article(2, article_id="1", title="Clash")
        with pytest.raises(archive.conflict_errors):
            archive.upsert(clash)
        assert archive.upsert(article(3)) == "new"  # the batch goes on after the refusal
        archive.commit()
        assert [row["title"] for row in archive.iter_articles()] == ["Moved", article(2)["title"],
                                                                     article(3)["title"]]
        assert archive.summary()["articles"] == 3


def test_first_row_id_of_a_links_spellings_in_order_then_by_site_id(target):
    with open_archive(target) as archive:
        archive.upsert(article(1))
        archive.upsert(article(2))
        one, two = (archive.row_id(article(n)["canonical_url"]) for n in (1, 2))
        url = article(1)["canonical_url"]
        assert archive.first_row_id(["https://nope.example/a", url]) == one
        assert archive.first_row_id([article(2)["canonical_url"], url]) == two   # the first spelling wins
        assert archive.first_row_id(["https://nope.example/a"], site="example", article_id="2") == two
        assert archive.first_row_id([url], site="example", article_id="2") == one  # a URL before the id
        assert archive.first_row_id(["https://nope.example/a"], site="other", article_id="2") is None
        assert archive.first_row_id(["https://nope.example/a", "https://nope.example/a"]) is None


def test_articles_in_publication_order_undated_first_and_since(target):
    with open_archive(target) as archive:
        for number, published in [(1, "2023-07-29"), (2, None), (3, "2023-06-01T10:00:00+05:00"),
                                  (4, "2023-07-29T08:00:00+04:00")]:
            archive.upsert(article(number, published_at=published, site="b" if number == 4 else "a"))
        archive.commit()
        assert [a["article_id"] for a in archive.iter_articles()] == ["2", "3", "1", "4"]
        assert [a["article_id"] for a in archive.iter_articles(since="2023-07-01")] == ["1", "4"]
        assert [a["article_id"] for a in archive.iter_articles(site="b")] == ["4"]
        with pytest.raises(ValueError):
            archive.iter_articles(since="29/07/2023")


SEARCHABLE = [
    (1, "وزیر اعظم نے سیلاب زدہ علاقوں کا دورہ کیا", "کراچی میں بارش کے بعد وزیر اعظم پہنچے"),
    (2, "رئيس الوزراء يزور المناطق المنكوبة", "زار رئيس الوزراء المناطق التي غمرتها المياه"),
    (3, "Prime minister visits flooded towns", "The prime minister toured Karachi after the rains"),
]


@pytest.mark.parametrize("query, found", [
    ("وزیر", ["1"]), ("الوزراء", ["2"]), ("prime minister", ["3"]), ("Karachi rains", ["3"]),
    ("karachi", ["3"]), ("minister tsunami", []), ('وزیر "prime minister" -foo OR ) (\'', []),
    (NASTY, []), ("", []),
])
def test_search_in_urdu_arabic_and_english(target, query, found):
    with open_archive(target) as archive:
        for number, title, body in SEARCHABLE:
            archive.upsert(article(number, title=title, body=body))
        archive.commit()
        hits = archive.search(query)
        assert [hit["article_id"] for hit in hits] == found
        assert archive.summary()["articles"] == 3  # the nasty input was only text


def test_the_search_command_takes_either_archive(target):
    with open_archive(target) as archive:
        for number, title, body in SEARCHABLE:
            archive.upsert(article(number, title=title, body=body, site=f"site{number % 2}",
                                   published_at=f"2023-07-2{number}T10:00:00+00:00"))
    search = [sys.executable, "-m", "newscrawl", "search", "--db", target, "--format", "json"]
    hits = json.loads(run_cli(*search, "prime minister").stdout)
    assert [(hit["url"], hit["site"]) for hit in hits] == [("https://www.example.com/news/3.html", "site1")]
    assert "[" in hits[0]["snippet"]
    assert json.loads(run_cli(*search, "وزیر", "--site", "site0").stdout) == []
    assert [hit["url"][-6:] for hit in json.loads(run_cli(*search, "وزیر", "--since", "2023-07-21").stdout)] == \
        ["1.html"]
    assert json.loads(run_cli(*search, "وزیر", "--since", "2023-07-22").stdout) == []
    assert json.loads(run_cli(*search, NASTY).stdout) == []


def test_search_snippet_marks_the_word(target):
    with open_archive(target) as archive:
        archive.upsert(article(3, title="Prime minister visits", body="The prime minister toured Karachi"))
        archive.commit()
        (hit,) = archive.search("Karachi")
        assert "[Karachi]" in hit["snippet"]


def test_crawls_and_the_frontier(target):
    with open_archive(target) as archive:
        first = archive.start_crawl("urdupoint", {"sections": "world", "_pid": "1", "_host": "h"}, job_id="j1")
        archive.add_to_frontier(first, "https://www.example.com/news/9.html", 1, "world")
        archive.add_to_frontier(first, "https://www.example.com/news/9.html", 2, "world")
        archive.commit()
        with open_archive(target, readonly=True) as other_worker:   # queued excursions are durable at commit
            assert [row["url"] for row in other_worker.left_frontier("urdupoint", first + 1)] == [
                "https://www.example.com/news/9.html"]
        archive.finish_crawl(first, status="failed", finish_reason="shutdown",
                             counts={"pages": 3, "new": 2, "dropped": {"duplicate": 1}}, stats={"x": 1})
        second = archive.start_crawl("urdupoint", {})
        assert second > first
        assert archive.left_frontier("urdupoint", second) == [
            {"url": "https://www.example.com/news/9.html", "depth": 1, "section": "world"}]
        crawl = archive.get_crawl(first)
        assert (crawl["status"], crawl["finish_reason"], crawl["pages"], crawl["new"], crawl["job_id"]) == (
            "failed", "shutdown", 3, 2, "j1")
        assert crawl["dropped"] == {"duplicate": 1} and crawl["args"]["sections"] == "world"
        assert archive.previous_crawl("urdupoint", second)["id"] == first
        assert archive.previous_crawl("urdupoint", first) is None
        archive.add_to_frontier(second, "https://www.example.com/news/10.html", 1, None)
        archive.finish_crawl(second, status="finished")   # its queued excursions go with it
        assert archive.left_frontier("urdupoint", second + 1) == []
        with pytest.raises(ValueError):
            archive.finish_crawl(second, status="great")
        summary = archive.summary(crawls_per_site=5)
        assert [run["id"] for run in summary["sites"]["urdupoint"]["crawls"]] == [second, first]
        assert summary["crawls"] == 2 and summary["last_crawl"]["id"] == second


def test_sql_beside_the_archive_is_one_write_all_or_nothing(target):
    """read_sql / write_sql: what crawl health keeps its tables through (newscrawl/health/store.py)."""
    import sqlite3

    import psycopg

    with open_archive(target) as archive:
        assert archive.dialect == ("postgresql" if is_postgres_url(target) else "sqlite")
        mark = "%s" if archive.dialect == "postgresql" else "?"
        update = f"UPDATE crawls SET finish_reason = {mark} WHERE id = {mark}"
        crawl = archive.start_crawl("urdupoint", {})
        with pytest.raises((sqlite3.Error, psycopg.Error), match="nowhere"):
            archive.write_sql([(update, ("lost", crawl)), ("INSERT INTO nowhere VALUES (1)", ())])
        archive.write_sql([(update, ("kept", crawl))])
    with open_archive(target, readonly=True) as reader:
        assert reader.read_sql(f"SELECT id, finish_reason FROM crawls WHERE id = {mark}", (crawl,)) == [
            {"id": crawl, "finish_reason": "kept"}]
        with pytest.raises(ArchiveError, match="read-only"):
            reader.write_sql([(update, ("again", crawl))])


def test_a_gone_crawl_is_marked_only_while_it_runs(target):
    with open_archive(target) as archive:
        killed, finished = (archive.start_crawl("urdupoint", {}) for _ in range(2))
        archive.finish_crawl(finished, status="finished")   # its process finished it meanwhile
        assert archive.mark_gone(killed) and not archive.mark_gone(killed)
        assert not archive.mark_gone(finished)
        assert [(archive.get_crawl(c)["status"], archive.get_crawl(c)["finish_reason"]) for c in (killed, finished)] == [
            ("interrupted", "process_gone"), ("finished", None)]


def test_stories_and_fingerprints(target):
    from newscrawl.syndication import StoryIndex
    from newscrawl.syndication.fingerprints import METHOD

    copies = [wam(1), wam(2, published_at="2023-07-29T09:00:00+04:00"),
              wam(3, body=["Another story altogether about the weather in the mountains today.",
                           "It rained a lot and then the sun came out again over the valley."])]
    with open_archive(target) as archive:
        index = StoryIndex(archive)
        links = []
        for copy in copies:
            archive.upsert(copy)
            links.append(index.add(copy))
        archive.commit()
        assert links[0].story == links[1].story != links[2].story
        assert [link.outcome for link in links] == ["new_story", "linked", "new_story"]
        story = archive.story(links[0].story)
        assert story["copies"] == 2 and story["first_site"] == "site2" and story["agency"] == "WAM"
        assert [copy["site"] for copy in story["articles"]] == ["site2", "site1"]
        assert [s["copies"] for s in archive.iter_stories()] == [2, 1]
        assert [s["id"] for s in archive.iter_stories(min_copies=2, site="site1")] == [links[0].story]
        assert archive.articles_to_fingerprint(METHOD) == []
        assert index.add(copies[0]).outcome == "unchanged"
        assert archive.summary()["stories"] == 2


def test_read_only_refuses_writes(target):
    open_archive(target).close()
    with open_archive(target, readonly=True) as reader:
        with pytest.raises(ArchiveError, match="read-only"):
            reader.upsert(make_article())
        with pytest.raises(ArchiveError, match="read-only"):
            reader.start_crawl("example", {})


def test_a_password_in_the_url_is_refused_and_never_shown():
    with pytest.raises(ArchiveError) as refused:
        open_archive("postgresql://newscrawl:s3cret-pw@127.0.0.1:5432/archive")
    assert "s3cret-pw" not in str(refused.value) and "PGPASSWORD" in str(refused.value)
    assert is_postgres_url("postgres://h/db") and not is_postgres_url("data/x.db")


def test_an_unreachable_server_is_one_line():
    from newscrawl.storage import ArchiveUnavailable

    with pytest.raises(ArchiveUnavailable) as failed:
        open_archive("postgresql://postgres@127.0.0.1:9/none", connect_timeout=2)
    assert "\n" not in str(failed.value) and "127.0.0.1:9" in str(failed.value)

