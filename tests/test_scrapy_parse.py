"""`scrapy parse` and `scrapy shell` on a profile's spider: the callback is picked by URL kind,
and neither command leaves a run in `crawls` (nobody would finish it)."""

import sqlite3
import sys

from conftest import LOOPBACK_ONLY, run_cli
from newscrawl.demo import urdupoint as demo


def scrapy(*args):
    return run_cli(sys.executable, "-m", "scrapy", *args, env=LOOPBACK_ONLY)


def crawl_rows(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM crawls").fetchall()


def test_parse_picks_the_callback_by_url_kind(demo_server, tmp_path):
    db = tmp_path / "archive.db"
    article = demo.expected_stored()[0]
    result = scrapy("parse", "--spider=urdupoint", "-a", f"base_url={demo_server}", "-s", f"NEWSCRAWL_DB={db}",
                    f"{demo_server}{article.path}")
    scraped = result.stdout.split("# Scraped Items", 1)[1].split("# Requests", 1)[0]
    assert f"'article_id': '{article.id}'" in scraped and "'title':" in scraped

    result = scrapy("parse", "--spider=urdupoint", "-a", f"base_url={demo_server}", "-s", f"NEWSCRAWL_DB={db}",
                    f"{demo_server}{demo.listing_path('world', 1)}")
    requests = result.stdout.split("# Requests", 1)[1]
    assert f"{demo_server}{demo.listing_path('world', 2)}" in requests   # the next listing page
    assert requests.count("<GET ") == len(demo.listing("world", 1)) + 1
    assert crawl_rows(db) == []


def test_shell_records_no_run(demo_server, tmp_path):
    db = tmp_path / "archive.db"
    result = run_cli(sys.executable, "-m", "scrapy", "shell", "-s", f"NEWSCRAWL_DB={db}",
                     "-c", "response.status", f"{demo_server}{demo.listing_path('world', 1)}", env=LOOPBACK_ONLY)
    assert result.stdout.strip() == "200"
    assert crawl_rows(db) == []


def test_shell_takes_the_spiders_arguments_and_does_not_hang(demo_server, tmp_path):
    """`scrapy shell --spider=urdupoint URL` of a local copy: the URL's origin is the base_url (the
    live host's spider would refuse it as off-site, and the shell wait for ever); -a is honoured."""
    db = tmp_path / "archive.db"
    url = f"{demo_server}{demo.listing_path('world', 1)}"
    for extra in ((), ("-a", f"base_url={demo_server}")):
        result = scrapy("shell", "--spider=urdupoint", *extra, "-s", f"NEWSCRAWL_DB={db}",
                        "-c", "(response.status, spider.base_url)", url)
        assert result.stdout.strip() == f"(200, '{demo_server}')"
    result = scrapy("shell", "--spider=news", "-s", f"NEWSCRAWL_DB={db}", "-c", "(response.status, spider.site)", url)
    assert result.stdout.strip() == "(200, '127.0.0.1')"
    assert crawl_rows(db) == []


def test_crawl_after_shell_and_parse_is_incremental(demo_server, tmp_path):
    import json

    from conftest import scrapy_crawl

    db = tmp_path / "archive.db"
    scrapy_crawl("urdupoint", "-a", f"base_url={demo_server}", "-s", f"NEWSCRAWL_DB={db}")
    article = demo.expected_stored()[0]
    scrapy("shell", "--spider=urdupoint", "-s", f"NEWSCRAWL_DB={db}", "-c", "response.status",
           f"{demo_server}{article.path}")
    scrapy("parse", "--spider=urdupoint", "-a", f"base_url={demo_server}", "-s", f"NEWSCRAWL_DB={db}",
           f"{demo_server}{demo.listing_path('world', 1)}")
    scrapy_crawl("urdupoint", "-a", f"base_url={demo_server}", "-s", f"NEWSCRAWL_DB={db}")
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT status, new, stats FROM crawls ORDER BY id").fetchall()
    assert [status for status, _, _ in runs] == ["finished", "finished"]
    second = json.loads(runs[1][2])
    assert runs[1][1] == 0 and "incremental/resuming_after" not in second
    assert second["incremental/sections_caught_up"] >= 1       # it stopped paging: nothing new
