"""Crawl health end to end, in a SQLite and in a PostgreSQL archive: the demo site changes layout,
the crawler falls back field by field, raises alerts against its own history, `newscrawl health`
names them, a profile fix clears them."""

import json

import pytest

from conftest import newscrawl, scrapy_crawl
from newscrawl.demo import urdupoint as demo
from newscrawl.demo.server import running_server
from newscrawl.storage import open_archive
from pg_support import archive_target, module_archive_target  # noqa: F401 (fixtures: both backends)

SECTIONS = "world,pakistan,business"
LAYOUT_B = "newscrawl.demo.layouts.URDUPOINT_B"


def crawl(server, db, *extra):
    return scrapy_crawl("urdupoint", "-a", f"base_url={server.base_url}", "-a", f"sections={SECTIONS}",
                        "-a", "refresh=1", "-s", f"NEWSCRAWL_DB={db}", *extra)


def alerts(db, order="id"):
    with open_archive(db, readonly=True) as archive:
        return archive.read_sql(f"SELECT * FROM health_alerts ORDER BY {order}")


def crawls(db):
    """Every crawl row, its JSON columns (coverage too) decoded, oldest first."""
    with open_archive(db, readonly=True) as archive:
        return [archive.get_crawl(row["id"]) for row in archive.read_sql("SELECT id FROM crawls ORDER BY id")]


def articles(db):
    with open_archive(db, readonly=True) as archive:
        return [{name: a[name] for name in ("canonical_url", "authors", "tags", "field_sources")}
                for a in archive.iter_articles()]


def health(db, *extra):
    return newscrawl("health", "--db", str(db), *extra, check=False)


@pytest.fixture(scope="module")
def layout_change(module_archive_target):  # noqa: F811
    """Five crawls: layout A three times, layout B, layout B with the profile's layout-B version."""
    db = module_archive_target
    seen = {}
    with running_server("urdupoint") as server:
        for _ in range(3):
            crawl(server, db)
        seen["before"] = articles(db)
        server.options = {"layout": "B"}
        crawl(server, db)
        seen["after_change"] = articles(db)
        seen["health_after_change"] = health(db)
        seen["health_json"] = health(db, "--format", "json")
        crawl(server, db, "-s", f"NEWSCRAWL_PROFILE_LAYOUTS={LAYOUT_B}")
        seen["after_fix"] = articles(db)
        seen["health_after_fix"] = health(db)
    return db, seen


def test_layout_a_crawls_are_read_by_the_profile(layout_change):
    db, seen = layout_change
    assert [c["status"] for c in crawls(db)[:3]] == ["finished"] * 3
    assert all(set(a["field_sources"].values()) == {"profile"} for a in seen["before"])


def test_layout_b_loses_no_article_and_says_where_fields_came_from(layout_change):
    db, seen = layout_change
    runs = crawls(db)
    fourth = runs[3]
    assert fourth["status"] == "finished_with_alerts"
    assert fourth["dropped"] == runs[2]["dropped"] == {"missing_published_at": 1}
    assert fourth["new"] + fourth["updated"] + fourth["unchanged"] == len(demo.expected_stored())
    before = {a["canonical_url"]: a for a in seen["before"]}
    for article in seen["after_change"]:
        assert article["field_sources"] == {"title": "profile", "subtitle": "profile", "body": "profile",
                                            "byline_raw": "generic", "authors": "generic", "tags": "generic"}
        # Complete: the generic reading gives the same authors and tags the profile gave.
        assert (article["authors"], article["tags"]) == (before[article["canonical_url"]]["authors"],
                                                         before[article["canonical_url"]]["tags"])
    coverage = fourth["coverage"]
    assert coverage["fields"]["authors"] == {"profile": 0.0, "fallback": 1.0, "filled": 1.0}
    assert coverage["all_profile"] == 0.0


def test_an_alert_per_broken_field_and_health_names_them(layout_change):
    db, seen = layout_change
    assert [(a["site"], a["subject"], a["before"], a["now"], a["first_crawl"]) for a in alerts(db, "subject")] == [
        ("urdupoint", "field:authors", 1.0, 0.0, 4), ("urdupoint", "field:byline_raw", 1.0, 0.0, 4),
        ("urdupoint", "field:tags", 1.0, 0.0, 4)]
    result = seen["health_after_change"]
    assert result.returncode == 1
    assert "Site urdupoint: degraded (3 open alerts: field:authors, field:byline_raw, field:tags)" in result.stdout
    report = json.loads(seen["health_json"].stdout)["sites"]["urdupoint"]
    assert seen["health_json"].returncode == 1
    assert report["verdict"] == "degraded"
    assert [a["subject"] for a in report["alerts"]] == ["field:authors", "field:byline_raw", "field:tags"]
    assert [run["crawl"] for run in report["crawls"]] == [4, 3, 2]


def test_the_profiles_layout_b_version_clears_the_alerts(layout_change):
    db, seen = layout_change
    fifth = crawls(db)[4]
    assert fifth["status"] == "finished"
    assert all(set(a["field_sources"].values()) == {"profile"} for a in seen["after_fix"])
    assert {(a["subject"], a["cleared_crawl"]) for a in alerts(db)} == {
        ("field:authors", 5), ("field:byline_raw", 5), ("field:tags", 5)}
    assert seen["health_after_fix"].returncode == 0
    assert seen["health_after_fix"].stdout.startswith("Site urdupoint: ok\n")


def test_an_empty_section_and_a_halved_count_raise_alerts(archive_target):  # noqa: F811
    db = archive_target
    with running_server("urdupoint") as server:
        crawl(server, db)
        server.options = {"empty_sections": ("world",)}
        crawl(server, db)
        server.options = {"odd_ids_gone": True}
        crawl(server, db)
    raised = [{name: a[name] for name in ("subject", "before", "now", "first_crawl", "cleared_crawl")}
              for a in alerts(db)]
    counts = [c["new"] + c["updated"] + c["unchanged"] for c in crawls(db)]
    assert abs(counts[2] - counts[0] / 2) <= 1   # about half the articles are gone
    assert raised == [
        # The second crawl's world listings were empty; the third judges them healthy again.
        {"subject": "section:world", "before": 24.0, "now": 0.0, "first_crawl": 2, "cleared_crawl": 3},
        {"subject": "articles", "before": (counts[0] + counts[1]) / 2, "now": counts[2], "first_crawl": 3,
         "cleared_crawl": None},
    ]
    result = health(db)
    assert result.returncode == 2 and "Site urdupoint: broken (1 open alert: articles)" in result.stdout
