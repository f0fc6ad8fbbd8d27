import datetime as dt
import sqlite3

import pytest

from conftest import make_article
from newscrawl.items import ARTICLE_FIELDS, Article
from newscrawl.storage import SCHEMA_VERSION, Archive, ArchiveError

NASTY = '\'"; DROP TABLE articles; --'


@pytest.fixture
def db_path(tmp_path):
    (tmp_path / "nested").mkdir()  # an archive's directory must exist (Archive creates only the file)
    return tmp_path / "nested" / "archive.sqlite"


def connect(path):
    return sqlite3.connect(path)


def test_migrates_new_file_and_reopens(db_path):
    with Archive(db_path) as archive:
        assert archive.schema_version() == SCHEMA_VERSION
    with Archive(db_path) as archive:  # reopening runs nothing twice
        assert archive.schema_version() == SCHEMA_VERSION
    conn = connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "article_changes", "crawls", "articles_fts"} <= names
    conn.close()


def test_refuses_newer_schema(db_path):
    Archive(db_path).close()
    conn = connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveError, match="newer"):
        Archive(db_path)
    with pytest.raises(ArchiveError, match="newer"):
        Archive.open_readonly(db_path)


def test_open_readonly_missing_file(tmp_path):
    missing = tmp_path / "nope.sqlite"
    with pytest.raises(ArchiveError, match="not found"):
        Archive.open_readonly(missing)
    assert not missing.exists()


def test_open_readonly_rejects_non_archives(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all" * 100)
    with pytest.raises(ArchiveError, match="not a newscrawl archive"):
        Archive.open_readonly(junk)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"")
    with pytest.raises(ArchiveError, match="not a newscrawl archive"):
        Archive.open_readonly(empty)


def test_open_readonly_reads_but_cannot_write(db_path):
    with Archive(db_path) as archive:
        archive.upsert(make_article())
    reader = Archive.open_readonly(db_path)
    assert reader.get(make_article()["canonical_url"])["title"] == make_article()["title"]
    with pytest.raises(ArchiveError, match="read-only"):
        reader.upsert(make_article(canonical_url="https://www.example.com/2", article_id="2"))
    with pytest.raises(ArchiveError, match="read-only"):
        reader.start_crawl("example", {})
    assert reader.summary()["articles"] == 1
    reader.close()


def test_upsert_new_unchanged_updated(db_path):
    with Archive(db_path) as archive:
        assert archive.upsert(make_article()) == "new"
        stored = archive.get(make_article()["canonical_url"])
        assert {k: stored[k] for k in ARTICLE_FIELDS} == make_article()
        assert stored["first_seen_at"] == stored["updated_at"]

        # A refetch with only url/fetched_at different is not a change.
        refetch = make_article(url="https://amp.example.com/1001",
                               fetched_at="2023-07-31T00:00:00+00:00")
        assert archive.upsert(refetch) == "unchanged"
        assert archive.get(make_article()["canonical_url"]) == stored

        edited = make_article(title="Floods hit coastal towns, 12 dead", tags=["Pakistan"],
                              fetched_at="2023-08-01T00:00:00+00:00")
        assert archive.upsert(edited) == "updated"
        after = archive.get(make_article()["canonical_url"])
        assert after["id"] == stored["id"]
        assert after["title"] == edited["title"] and after["tags"] == ["Pakistan"]
        assert after["fetched_at"] == edited["fetched_at"]
        assert after["first_seen_at"] == stored["first_seen_at"]

        (change,) = archive.changes(stored["id"])
        assert change["fields"] == ["title", "tags"]
        assert change["previous"] == {"title": "Floods hit the coastal towns",
                                      "tags": ["Pakistan", "Weather"]}
        assert archive.upsert(edited) == "unchanged"
        assert len(archive.changes(stored["id"])) == 1


def test_upsert_accepts_scrapy_item_with_missing_fields(db_path):
    item = Article(canonical_url="https://www.example.com/a", site="example", title="Hi")
    with Archive(db_path) as archive:
        assert archive.upsert(item) == "new"
        stored = archive.get("https://www.example.com/a")
        assert stored["title"] == "Hi" and stored["authors"] is None and stored["body"] is None
        with pytest.raises(ValueError):
            archive.upsert({"title": "no key"})


def test_same_site_article_id_under_new_canonical_url(db_path):
    with Archive(db_path) as archive:
        archive.upsert(make_article())
        moved = make_article(canonical_url="https://www.example.com/news/story-renamed-1001.html")
        assert archive.upsert(moved) == "unchanged"
        assert archive.summary()["articles"] == 1
        assert archive.known(site="example", article_id="1001")
        assert archive.known("https://www.example.com/news/story-1001.html")
        assert not archive.known("https://www.example.com/news/story-renamed-1001.html")

        moved["body"] = "Corrected body."
        assert archive.upsert(moved) == "updated"
        assert archive.summary()["articles"] == 1
        stored = archive.get(site="example", article_id="1001")
        assert stored["canonical_url"] == moved["canonical_url"]
        (change,) = archive.changes(stored["id"])
        assert change["fields"] == ["canonical_url", "body"]
        assert not archive.known(site="other", article_id="1001")
        assert archive.get("https://nowhere.example/") is None


def test_fts_search_and_hostile_queries(db_path):
    with Archive(db_path) as archive:
        archive.upsert(make_article())
        archive.upsert(make_article(canonical_url="https://www.example.com/2", article_id="2",
                                    title="Budget passed", body="The assembly approved it."))
        hits = archive.search("monsoon")
        assert [hit["article_id"] for hit in hits] == ["1001"]
        assert "[monsoon]" in hits[0]["snippet"]
        assert archive.search("BUDGET")[0]["article_id"] == "2"
        assert archive.search("monsoon streets")  # all terms must match
        assert archive.search("monsoon assembly") == []
        for hostile in (NASTY, '"', "title:monsoon OR", "NEAR(a b)", "*", "", "   "):
            assert isinstance(archive.search(hostile), list)
        assert archive.summary()["articles"] == 2

        # FTS follows updates.
        archive.upsert(make_article(body="Dry weather today."))
        assert archive.search("monsoon") == []
        assert archive.search("dry")[0]["article_id"] == "1001"


def test_batched_commits_visible_after_commit(db_path):
    archive = Archive(db_path, batch_size=3)
    other = connect(db_path)
    count = lambda: other.execute("SELECT count(*) FROM articles").fetchone()[0]  # noqa: E731
    for n in range(2):
        archive.upsert(make_article(canonical_url=f"https://e.com/{n}", article_id=str(n)))
    assert count() == 0
    archive.upsert(make_article(canonical_url="https://e.com/2", article_id="2"))
    assert count() == 3  # batch full: committed
    archive.upsert(make_article(canonical_url="https://e.com/3", article_id="3"))
    assert count() == 3
    archive.commit()
    assert count() == 4
    archive.upsert(make_article(canonical_url="https://e.com/4", article_id="4"))
    archive.close()
    assert count() == 5
    other.close()


def test_failed_upsert_leaves_no_partial_row(db_path):
    with Archive(db_path) as archive:
        archive.upsert(make_article())
        archive.upsert(make_article(canonical_url="https://e.com/x", article_id="x"))
        # canonical_url of one row, site/article_id of the other: the UPDATE must fail whole.
        clash = make_article(canonical_url="https://e.com/x", article_id="1001", title="Clash")
        with pytest.raises(sqlite3.IntegrityError):
            archive.upsert(clash)
        assert archive.get("https://e.com/x")["title"] == make_article()["title"]
        assert archive.summary()["changes"] == 0
        fresh = make_article(canonical_url="https://e.com/y", article_id="y")
        assert archive.upsert(fresh) == "new"
    with Archive(db_path) as archive:
        assert archive.summary()["articles"] == 3


def test_crawl_round_trip(db_path):
    started = dt.datetime(2023, 7, 30, 10, 0, tzinfo=dt.timezone.utc)
    stats = {"start_time": started, "item_scraped_count": 3, "elapsed_time_seconds": 1.5,
             "finish_reason": "finished", "nested": {"when": dt.date(2023, 7, 30)}}
    counts = {"requests": 10, "pages": 4, "new": 2, "updated": 1, "unchanged": 0,
              "dropped": {"no_body": 1}, "errors": 0}
    with Archive(db_path) as archive:
        crawl_id = archive.start_crawl("urdupoint", {"max_pages": 2, "since": "2023-07-01"},
                                       job_id="job-1")
        # committed at once: visible to another connection while the archive is open
        other = connect(db_path)
        assert other.execute("SELECT status FROM crawls").fetchone() == ("running",)
        archive.finish_crawl(crawl_id, status="finished", finish_reason="finished",
                             counts=counts, stats=stats)
        assert other.execute("SELECT status, new FROM crawls").fetchone() == ("finished", 2)
        other.close()
        crawl = archive.get_crawl(crawl_id)
        with pytest.raises(ValueError):
            archive.finish_crawl(crawl_id, status="exploded", counts=counts, stats={})
        summary = archive.summary()
    assert crawl["spider"] == "urdupoint" and crawl["job_id"] == "job-1"
    assert crawl["args"] == {"max_pages": 2, "since": "2023-07-01"}
    assert crawl["status"] == "finished" and crawl["finish_reason"] == "finished"
    assert (crawl["requests"], crawl["pages"], crawl["new"], crawl["updated"],
            crawl["unchanged"], crawl["errors"]) == (10, 4, 2, 1, 0, 0)
    assert crawl["dropped"] == {"no_body": 1}
    assert crawl["stats"]["start_time"] == "2023-07-30T10:00:00+00:00"
    assert crawl["stats"]["nested"] == {"when": "2023-07-30"}
    assert crawl["started_at"] and crawl["finished_at"]
    assert summary["crawls"] == 1 and summary["last_crawl"]["id"] == crawl_id


def test_hostile_text_round_trips_exactly(db_path):
    nasty = make_article(
        title=NASTY, subtitle="Robert'); DROP TABLE crawls;-- \"quoted\" \\ back",
        body="Line 1 with 'single' and \"double\" quotes;\n\n-- comment\n"
             "/* c */ 0x00 \u2019 اردو",
        authors=["O'Brien", 'Said "The Hawk"'], tags=["a|b", "c, d", NASTY],
        dateline={"location": "D'ARCY", "agency": NASTY, "outlet": None, "date": None},
    )
    with Archive(db_path) as archive:
        assert archive.upsert(nasty) == "new"
        assert archive.upsert(nasty) == "unchanged"
        stored = archive.get(nasty["canonical_url"])
        assert {k: stored[k] for k in ARTICLE_FIELDS} == nasty
        assert archive.search(NASTY)  # the words are findable, the SQL is inert
    conn = connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    conn.close()


def test_iter_articles_order_and_filters(db_path):
    with Archive(db_path) as archive:
        for n, (site, published) in enumerate([("a", "2023-07-02T09:00:00+05:00"),
                                                ("b", "2023-06-30"),
                                                ("a", "2023-07-01T23:00:00+05:00"),
                                                ("a", None)]):
            archive.upsert(make_article(canonical_url=f"https://e.com/{n}", site=site,
                                        article_id=str(n), published_at=published))
        everything = [row["article_id"] for row in archive.iter_articles()]
        assert everything == ["3", "1", "2", "0"]  # NULL dates first, then by date
        assert [r["article_id"] for r in archive.iter_articles(site="a")] == ["3", "2", "0"]
        assert [r["article_id"] for r in archive.iter_articles(since="2023-07-01")] == ["2", "0"]
        assert [r["article_id"] for r in archive.iter_articles(site="b", since="2023-07-01")] == []
        with pytest.raises(ValueError):
            archive.iter_articles(since="July 1")  # raises at the call, before iterating
        summary = archive.summary()
    assert summary["articles"] == 4 and summary["schema_version"] == SCHEMA_VERSION
    assert summary["sites"] == {"a": {"articles": 3, "sections": {"world": 3}, "crawls": []},
                                "b": {"articles": 1, "sections": {"world": 1}, "crawls": []}}
    assert summary["last_crawl"] is None


def test_failed_migration_rolls_back_whole_step(db_path, monkeypatch):
    from newscrawl import storage

    Archive(db_path).close()
    broken_step = ["CREATE TABLE half_done (x)", "THIS IS NOT SQL"]
    monkeypatch.setattr(storage, "MIGRATIONS", [*storage.MIGRATIONS, broken_step])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        Archive(db_path)
    conn = connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchall()
    conn.close()


def test_dateline_key_order_does_not_count_as_a_change(db_path):
    reordered = dict(reversed(list(make_article()["dateline"].items())))
    with Archive(db_path) as archive:
        archive.upsert(make_article())
        same = make_article(dateline=reordered, authors=("Ayesha Khan",))
        assert archive.upsert(same) == "unchanged"


def test_version_1_archive_is_migrated_keeping_its_rows(db_path):
    from newscrawl import storage

    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path)
    for statement in storage.MIGRATIONS[0]:
        conn.execute(statement)
    v1 = {name: make_article()[name] for name in storage.V1_FIELDS}
    v1.update(authors='["Ayesha Khan"]', tags='["Pakistan"]', dateline=None)
    columns = [*v1, "content_hash", "first_seen_at", "updated_at"]
    conn.execute(f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                 [*v1.values(), "old", "2023-07-30T00:00:00+00:00", "2023-07-30T00:00:00+00:00"])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    with Archive(db_path) as archive:
        assert archive.schema_version() == SCHEMA_VERSION
        stored = archive.get(v1["canonical_url"])
        assert stored["title"] == v1["title"] and stored["authors"] == ["Ayesha Khan"]
        assert stored["published_source"] is None and stored["flags"] is None
        assert archive.upsert(make_article(published_source="json-ld", flags=[])) == "updated"


def test_previous_crawl_of_a_spider(db_path):
    with Archive(db_path) as archive:
        first = archive.start_crawl("urdupoint", {})
        archive.start_crawl("news", {})
        archive.finish_crawl(first, status="interrupted", counts={})
        third = archive.start_crawl("urdupoint", {})
        assert archive.previous_crawl("urdupoint", before=third)["status"] == "interrupted"
        assert archive.previous_crawl("urdupoint")["id"] == third
        assert archive.previous_crawl("urdupoint", before=first) is None


def test_frontier_lasts_until_a_crawl_of_the_spider_finishes(db_path):
    with Archive(db_path) as archive:
        killed = archive.start_crawl("urdupoint")
        archive.add_to_frontier(killed, "https://example.com/a-1.html", 1, "world")
        archive.add_to_frontier(killed, "https://example.com/b-2.html", 2, "world")
        archive.add_to_frontier(killed, "https://example.com/b-2.html", 1, "world")   # once per crawl
        archive.upsert(make_article(canonical_url="https://example.com/a-1.html", article_id="1"))
        other = archive.start_crawl("app")
        archive.add_to_frontier(other, "https://example.com/c-3.html", 1, None)
        resumed = archive.start_crawl("urdupoint")
        # What the dead run queued and nobody stored; another spider's frontier is its own.
        assert archive.left_frontier("urdupoint", before=resumed) == [
            {"url": "https://example.com/b-2.html", "depth": 2, "section": "world"}]
        archive.finish_crawl(resumed, status="interrupted")
        assert archive.left_frontier("urdupoint", before=resumed + 100) != []
        again = archive.start_crawl("urdupoint")
        archive.finish_crawl(again, status="finished")
        assert archive.left_frontier("urdupoint", before=again + 1) == []
        assert archive.left_frontier("app", before=again + 1) == [
            {"url": "https://example.com/c-3.html", "depth": 1, "section": None}]
