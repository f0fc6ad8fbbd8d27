"""`newscrawl stats`: per site its articles, its sections (a section name counted within its
site, never added up across sites) and its last N crawls (`--crawls N`)."""

import json

import pytest

from conftest import make_article, newscrawl
from newscrawl.storage import SCHEMA_VERSION, Archive, crawl_site


def finish(db, crawl, new):
    db.finish_crawl(crawl, status="finished", finish_reason="finished",
                    counts={"requests": new + 1, "pages": new + 1, "new": new, "dropped": {"missing_date": 1}})


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("stats") / "a.db"
    with Archive(path) as db:
        for n, (site, section) in enumerate([("urdupoint", "world")] * 3 + [("urdupoint", "pakistan")] +
                                            [("app", "world")] * 2 + [("gulfnews.com", "world")]):
            url = f"https://{site}.example/news/story-{n}.html"
            db.upsert(make_article(url=url, canonical_url=url, site=site, article_id=str(n), section=section))
        for new in (1, 2, 3, 4):
            finish(db, db.start_crawl("urdupoint", {"sections": "world"}), new)
        finish(db, db.start_crawl("app", {}), 2)
        finish(db, db.start_crawl("news", {"url": "https://www.gulfnews.com/world/"}), 1)
        db.start_crawl("news", {"url": "https://gulfnews.com/business/"})  # still running
    return path


def test_crawl_site():
    assert crawl_site("urdupoint", {"sections": "world"}) == "urdupoint"
    assert crawl_site("news", {"url": "https://www.gulfnews.com/world/"}) == "gulfnews.com"
    assert crawl_site("news", {"url": "http://127.0.0.1:8765/"}) == "127.0.0.1"
    assert crawl_site("import", {"file": "/tmp/items.jsonl"}) == "import"
    assert crawl_site("news", {}) == "news"


def test_stats_per_site_with_their_sections_and_last_crawls(archive):
    text = newscrawl("stats", "--db", str(archive), "--crawls", "2").stdout
    lines = text.splitlines()
    assert lines[0] == (f"Archive {archive}: 7 articles from 3 sites, 0 stories, 0 recorded changes, 7 crawls "
                        f"(schema v{SCHEMA_VERSION})")
    assert lines[1:3] == ["Site app: 2 articles", "  sections: world 2"]
    assert lines[3].startswith("  crawl #5 (app, finished, ")
    assert lines[3].endswith(": 3 pages fetched; articles 2 new, 0 updated, 0 unchanged; "
                             "dropped: missing_date 1; errors: 0")
    assert lines[4:6] == ["Site gulfnews.com: 1 article", "  sections: world 1"]
    assert lines[6].startswith("  crawl #7 (news, running, ") and " to -): 0 pages fetched" in lines[6]
    assert lines[7].startswith("  crawl #6 (news, finished, ")
    assert lines[8:10] == ["Site urdupoint: 4 articles", "  sections: world 3, pakistan 1"]
    assert [line.split(" (")[0] for line in lines[10:]] == ["  crawl #4", "  crawl #3"]  # the last 2 of 4
    assert "section world: 6" not in text and "world 6" not in text  # never added up across sites


def test_stats_json_and_crawls_zero(archive):
    summary = json.loads(newscrawl("stats", "--db", str(archive), "--json", "--crawls", "1").stdout)
    assert {site: entry["sections"] for site, entry in summary["sites"].items()} == {
        "app": {"world": 2}, "gulfnews.com": {"world": 1}, "urdupoint": {"world": 3, "pakistan": 1}}
    assert [crawl["id"] for crawl in summary["sites"]["urdupoint"]["crawls"]] == [4]
    assert summary["sites"]["urdupoint"]["crawls"][0]["new"] == 4
    assert "stats" not in summary["sites"]["urdupoint"]["crawls"][0]
    assert summary["last_crawl"]["id"] == 7 and summary["crawls"] == 7
    lines = newscrawl("stats", "--db", str(archive), "--crawls", "0").stdout.splitlines()
    assert not any("crawl #" in line for line in lines) and len(lines) == 7


def test_default_is_the_last_three_crawls(archive):
    lines = newscrawl("stats", "--db", str(archive)).stdout.splitlines()
    urdupoint = lines[lines.index("Site urdupoint: 4 articles") + 2:]
    assert [line.split(" (")[0] for line in urdupoint] == ["  crawl #4", "  crawl #3", "  crawl #2"]
    result = newscrawl("stats", "--db", str(archive), "--crawls", "lots", check=False)
    assert result.returncode == 2 and "argument --crawls: 'lots': expected a whole number" in result.stderr
