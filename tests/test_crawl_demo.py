"""Real `scrapy crawl urdupoint` runs against the bundled demo site on a loopback server."""

import csv
import json
import sqlite3
from urllib.parse import urlsplit

import pytest

from conftest import newscrawl, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.items import ARTICLE_FIELDS

SECTIONS = "world,pakistan,business"


def crawl(base_url, db, *extra):
    return scrapy_crawl("urdupoint", "-a", f"base_url={base_url}", "-a", f"sections={SECTIONS}",
                        "-s", f"NEWSCRAWL_DB={db}", *extra)


def stored(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM articles ORDER BY id")]


def last_crawl(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM crawls ORDER BY id DESC LIMIT 1").fetchone())
    row["dropped"] = json.loads(row["dropped"])
    row["stats"] = json.loads(row["stats"])
    return row


@pytest.fixture(scope="module")
def first_crawl(demo_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    db = folder / "archive.db"
    result = crawl(demo_server, db, "-O", str(folder / "articles.csv"), "-O", str(folder / "articles.json"))
    return folder, db, result


def test_stores_exactly_the_expected_articles_once(first_crawl):
    _, db, _ = first_crawl
    rows = stored(db)
    paths = [urlsplit(r["canonical_url"]).path for r in rows]
    assert sorted(paths) == sorted(a.path for a in demo.expected_stored())
    assert len(set(paths)) == len(paths)
    assert len({r["article_id"] for r in rows}) == len(rows) >= 60


def test_counts_of_the_run(first_crawl):
    _, db, _ = first_crawl
    run = last_crawl(db)
    expected = len(demo.expected_stored())
    assert run["status"] == "finished"
    assert (run["new"], run["updated"], run["unchanged"]) == (expected, 0, 0)
    assert run["dropped"] == {"missing_published_at": 1}
    assert run["errors"] == 0
    stats = run["stats"]
    assert stats["fetch_errors/http_404"] == 1               # the broken listing link
    assert stats["retry/count"] >= 1                           # the article that fails once with 500
    assert stats["article/parsed"] == expected + 1             # every page fetched once (+ the dateless one)
    assert stats["listing/pages"] == 9                         # 3 sections x 3 pages


def test_variants_of_one_article_are_fetched_once(first_crawl):
    _, db, _ = first_crawl
    stats = last_crawl(db)["stats"]
    # Tracking-parameter, AMP and second-section links fold into one request before fetching.
    assert stats["dupefilter/filtered"] >= 3
    listings, feed, robots = 3 * 3, 1, 1
    articles = len(demo.expected_stored()) + 1 + 1  # + the dateless one + the broken link
    assert stats["downloader/request_count"] - stats["retry/count"] == listings + feed + robots + articles
    assert stats["feed/pages"] == 1 and stats["feed/article_links"] == 20


def test_special_articles(first_crawl):
    _, db, _ = first_crawl
    by_id = {r["article_id"]: r for r in stored(db)}
    assert demo.NO_DATE_ID not in by_id
    assert by_id[demo.RELATIVE_ONLY_ID]["published_at"] == "2023-07-29T20:19:00+05:00"
    assert by_id[demo.RELATIVE_ONLY_ID]["published_source"] == "byline"
    others = {r["published_source"] for i, r in by_id.items() if i != demo.RELATIVE_ONLY_ID}
    assert others == {"json-ld"}
    assert demo.FLAKY_ID in by_id and demo.TRACKING_LINK_ID in by_id and demo.TWO_SECTION_ID in by_id
    assert all(i in by_id for i in demo.WIDGET_ONLY_IDS)
    assert "?" not in by_id[demo.TRACKING_LINK_ID]["canonical_url"]


def test_fields_match_the_demo_truth(first_crawl):
    _, db, _ = first_crawl
    by_id = {r["article_id"]: r for r in stored(db)}
    for truth in demo.expected_stored():
        row = by_id[truth.id]
        assert row["title"] == truth.title
        assert row["subtitle"] == truth.subtitle
        assert row["section"] == truth.section
        assert json.loads(row["authors"]) == [truth.author]
        assert json.loads(row["tags"]) == truth.tags
        assert json.loads(row["dateline"]) == truth.dateline
        assert row["published_at"] == truth.published_at
        assert row["body"] == "\n\n".join(truth.body)
        assert row["fetched_at"].endswith("+00:00")


def test_feeds_have_the_stable_columns(first_crawl):
    folder, db, _ = first_crawl
    with open(folder / "articles.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ARTICLE_FIELDS
        rows = list(reader)
    expected = len(demo.expected_stored())
    assert len(rows) == expected
    assert all(r["tags"] and not r["tags"].startswith("[") for r in rows)  # lists readable, not JSON
    items = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    assert len(items) == expected
    assert all(list(item) == ARTICLE_FIELDS for item in items)
    assert all(isinstance(item["authors"], list) for item in items)


def test_second_crawl_of_the_unchanged_site_fetches_only_listings(first_crawl, demo_server):
    _, db, _ = first_crawl
    before = stored(db)
    crawl(demo_server, db)
    run = last_crawl(db)
    stats = run["stats"]
    assert run["status"] == "finished"
    assert (run["new"], run["updated"], run["unchanged"]) == (0, 0, 0)
    # A section stops paging once 10 listed articles in a row are archived: business after page 2.
    # The only articles fetched are the two the archive never took (the broken link on the world
    # listing, the dateless story on pakistan's page 2); each breaks its section's run of known
    # articles, so world and pakistan page on to their last page 3.
    assert stats["listing/pages"] == 3 + 3 + 2
    assert stats["incremental/sections_caught_up"] == 1
    assert stats["downloader/request_count"] == 8 + 1 + 1 + 2   # listings, feed, robots.txt, 2 articles
    assert stats["article/parsed"] == 1
    assert stats["incremental/known_skipped"] >= len(demo.expected_stored()) - len(demo.WIDGET_ONLY_IDS)
    after = stored(db)
    assert [(r["canonical_url"], r["content_hash"], r["updated_at"]) for r in after] == \
           [(r["canonical_url"], r["content_hash"], r["updated_at"]) for r in before]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article_changes").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_refresh_fetches_everything_again_and_finds_it_unchanged(first_crawl, demo_server):
    _, db, _ = first_crawl
    crawl(demo_server, db, "-a", "refresh=1")
    run = last_crawl(db)
    assert (run["new"], run["updated"], run["unchanged"]) == (0, 0, len(demo.expected_stored()))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM article_changes").fetchone()[0] == 0


def test_export_and_stats_read_the_archive(first_crawl, tmp_path):
    _, db, _ = first_crawl
    out = tmp_path / "export.jsonl"
    newscrawl("export", "--db", str(db), "--format", "jsonl", "--site", "urdupoint",
              "--since", "2023-07-01", "--output", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["published_at"] >= "2023-07-01" for line in lines)
    assert len(lines) == sum(1 for a in demo.expected_stored() if a.published_at >= "2023-07-01")
    report = newscrawl("stats", "--db", str(db)).stdout
    assert f"{len(stored(db))} articles" in report


def test_since_stops_paging_at_older_listings(demo_server, tmp_path):
    db = tmp_path / "since.db"
    crawl(demo_server, db, "-a", "since=2023-07-01")
    run = last_crawl(db)
    assert run["status"] == "finished"
    assert run["stats"]["since/sections_stopped"] == 3
    published = [r["published_at"] for r in stored(db)]
    assert published and min(published) >= "2023-07-01"


def test_max_pages_limits_listing_pages(demo_server, tmp_path):
    db = tmp_path / "max.db"
    crawl(demo_server, db, "-a", "max_pages=1")
    stats = last_crawl(db)["stats"]
    assert stats["listing/pages"] == 3
    assert stats["max_pages/sections_stopped"] == 3


def test_a_first_crawl_is_never_caught_up_by_its_own_articles(demo_server, tmp_path):
    # The feed and other sections list articles this run already stored; only earlier runs'
    # articles say a section is caught up, so even a threshold of 1 pages every section fully.
    db = tmp_path / "fresh.db"
    crawl(demo_server, db, "-a", "caught_up_after=1")
    run = last_crawl(db)
    assert "incremental/sections_caught_up" not in run["stats"]
    assert run["stats"]["listing/pages"] == 3 + 3 + 3
    assert sorted(urlsplit(r["canonical_url"]).path for r in stored(db)) == \
           sorted(a.path for a in demo.expected_stored())
