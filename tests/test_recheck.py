"""`-a recheck_days=N`: stored articles published in the last N days are fetched again and their
changes recorded; older ones are not requested."""

import json
import sqlite3
import types
from datetime import datetime, timedelta, timezone

import pytest

from conftest import scrapy_crawl
from newscrawl.demo import server as demo_server

# Dated from the test's own clock, days apart, so the window's edge is never near an article.
NOW = datetime.now(timezone.utc).replace(microsecond=0)
STORIES = {  # path: days before now
    "/world/ceasefire-talks-resume-in-the-capital-1000001/": 1,
    "/world/flood-toll-rises-as-rivers-crest-downstream-1000002/": 1.5,
    "/world/port-strike-ends-after-three-weeks-of-talks-1000003/": 10,
}


def _site(edition):
    """A tiny site whose every story's casualty figure depends on the edition being served."""
    def article(path, days):
        published = (NOW - timedelta(days=days)).isoformat()
        figure = 12 + edition
        paragraphs = "".join(f"<p>Officials said {figure} people were hurt, paragraph {n} of a long report on "
                             f"the events described in {path.strip('/')}, with quotes from residents.</p>"
                             for n in range(4))
        return (f'<html><head><meta property="og:type" content="article"><title>{path}</title>'
                f'<meta property="article:published_time" content="{published}"></head>'
                f"<body><article><h1>Story {path.strip('/').split('/')[-1]}</h1>{paragraphs}</article></body></html>")

    def render(path, host):
        if path == "/":
            links = "".join(f'<li><a href="http://{host}{p}">Story {p}</a></li>' for p in STORIES)
            return 200, f"<html><body><h1>Latest</h1><ul>{links}</ul></body></html>", {}
        if path in STORIES:
            return 200, article(path, STORIES[path]), {}
        return 404, "<html><body>Not found</body></html>", {}

    return types.SimpleNamespace(NOW=NOW, render=render)


@pytest.fixture
def recheck_site(monkeypatch):
    editions = {"n": 0}
    module = types.SimpleNamespace(NOW=NOW, render=lambda path, host: _site(editions["n"]).render(path, host))
    monkeypatch.setitem(demo_server.SITES, "recheck-test", module)
    return editions


def test_recheck_days_refetches_recent_articles_only(recheck_site, tmp_path):
    db = tmp_path / "archive.db"
    with demo_server.running_server("recheck-test") as server:
        crawl = ("news", "-a", f"url={server.base_url}/", "-s", f"NEWSCRAWL_DB={db}")
        scrapy_crawl(*crawl)
        recheck_site["n"] = 1                      # every story now gives another figure
        first = len(server.requested)
        scrapy_crawl(*crawl, "-a", "recheck_days=2")
        second = server.requested[first:]
    recent = [p for p, days in STORIES.items() if days <= 2]
    old = [p for p, days in STORIES.items() if days > 2]
    assert sorted(p for p in second if p in STORIES) == sorted(recent)
    with sqlite3.connect(db) as conn:
        bodies = dict(conn.execute("SELECT canonical_url, body FROM articles"))
        changes = conn.execute("SELECT a.canonical_url, c.fields FROM article_changes c "
                               "JOIN articles a ON a.id = c.article").fetchall()
        stats = json.loads(conn.execute("SELECT stats FROM crawls ORDER BY id DESC").fetchone()[0])
    changed = sorted(url.split("/", 3)[3] for url, _ in changes)
    assert changed == sorted(p.lstrip("/") for p in recent)
    assert all("body" in json.loads(fields) for _, fields in changes)
    assert all("13 people" in bodies[url] for url in bodies if url.endswith(tuple(recent)))
    assert all("12 people" in bodies[url] for url in bodies if url.endswith(tuple(old)))
    assert stats["recheck/fetched"] == len(recent) and stats["archive/updated"] == len(recent)


def test_recheck_days_is_a_whole_number():
    from newscrawl.spiders.arguments import ArgumentError, GenericArguments

    assert GenericArguments.parse("news", url="https://example.com/", recheck_days="2").recheck_days == 2
    with pytest.raises(ArgumentError, match="recheck_days"):
        GenericArguments.parse("news", url="https://example.com/", recheck_days="two")
