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
