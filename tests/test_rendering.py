"""Browser rendering: finding Chromium, the crawl settings it needs, and real crawls of the bundled
WAM-like site, whose listings are built by script ("Load more" and infinite scroll) and whose
articles come from its JSON API.

These tests drive a real Chromium (`make test` installs Debian's when missing); they never skip.
"""

import asyncio
import json
import os
import sqlite3
import stat
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from conftest import REPO, run_cli, scrapy_crawl
from newscrawl.demo import wam as demo
from newscrawl.demo.server import running_server
from newscrawl.profiles import PROFILES
from newscrawl.profiles.base import Render
from newscrawl.rendering import (
    HANDLER, LAUNCH_ARGS, BrowserNotFound, ContextRotationMiddleware, enable_rendering, find_chromium,
    is_heavy_resource, playwright_chromium, show_more,
)
from newscrawl.spiders.sites import WamSpider


@pytest.fixture(scope="module")
def wam_server():
    with running_server("wam") as server:
        yield server.base_url


def fake_executable(folder, name="chrome"):
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def stored(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {r["article_id"]: dict(r) for r in conn.execute("SELECT * FROM articles")}


def last_stats(db):
    with sqlite3.connect(db) as conn:
        return json.loads(conn.execute("SELECT stats FROM crawls ORDER BY id DESC LIMIT 1").fetchone()[0])


# --- which Chromium ----------------------------------------------------------------------------

@pytest.fixture
def no_playwright_browser(tmp_path, monkeypatch):
    """Playwright's own browser directory, empty: as before `playwright install chromium`."""
    monkeypatch.delenv("NEWSCRAWL_CHROMIUM", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    return tmp_path


def test_the_environment_variable_names_the_browser(no_playwright_browser, monkeypatch):
    chrome = fake_executable(no_playwright_browser)
    monkeypatch.setenv("NEWSCRAWL_CHROMIUM", chrome)
    assert find_chromium() == chrome


def test_the_setting_wins_over_the_environment(no_playwright_browser, monkeypatch):
    monkeypatch.setenv("NEWSCRAWL_CHROMIUM", fake_executable(no_playwright_browser, "from-env"))
    chosen = fake_executable(no_playwright_browser, "from-setting")
    assert find_chromium(chosen) == chosen


def test_a_configured_browser_that_does_not_exist_is_an_error(no_playwright_browser, monkeypatch):
    monkeypatch.setenv("NEWSCRAWL_CHROMIUM", str(no_playwright_browser / "missing"))
    with pytest.raises(BrowserNotFound, match="NEWSCRAWL_CHROMIUM"):
        find_chromium()


def test_playwrights_own_browser_comes_before_the_systems(no_playwright_browser):
    own = Path(playwright_chromium(os.environ["PLAYWRIGHT_BROWSERS_PATH"]))
    assert own.is_relative_to(os.environ["PLAYWRIGHT_BROWSERS_PATH"])
    own.parent.mkdir(parents=True)
    fake_executable(own.parent, own.name)   # as `playwright install chromium` leaves it
    assert find_chromium(system=(fake_executable(no_playwright_browser, "system-chromium"),)) == str(own)


def test_the_system_chromium_when_playwright_has_none(no_playwright_browser):
    system = fake_executable(no_playwright_browser, "chromium")
    assert find_chromium(system=("not-a-browser-here", system)) == system


def test_no_browser_at_all_names_both_ways_to_get_one(no_playwright_browser):
    with pytest.raises(BrowserNotFound) as error:
        find_chromium(system=())
    message = str(error.value)
    assert "playwright install chromium" in message
    assert "apt-get install chromium" in message and "NEWSCRAWL_CHROMIUM" in message


# --- crawl settings ----------------------------------------------------------------------------

def test_rendering_installs_the_handler_for_the_sites_scheme_only(no_playwright_browser, monkeypatch):
    chrome = fake_executable(no_playwright_browser)
    monkeypatch.setenv("NEWSCRAWL_CHROMIUM", chrome)
    crawler = Crawler(WamSpider, Settings({"DOWNLOAD_HANDLERS": {"s3": None}}))
    enable_rendering(crawler, "http://127.0.0.1:8765")
    settings = crawler.settings
    assert settings.getdict("DOWNLOAD_HANDLERS") == {"s3": None, "http": HANDLER}
    launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert launch["executable_path"] == chrome and launch["headless"]
    assert set(LAUNCH_ARGS) <= set(launch["args"]) and "--disable-background-networking" in launch["args"]
    assert settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") >= 1
    assert "newscrawl.rendering.ContextRotationMiddleware" in settings.getdict("DOWNLOADER_MIDDLEWARES")


def test_a_command_line_setting_still_wins(no_playwright_browser, monkeypatch):
    monkeypatch.setenv("NEWSCRAWL_CHROMIUM", fake_executable(no_playwright_browser))
    settings = Settings()
    settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", 9, priority="cmdline")
    crawler = Crawler(WamSpider, settings)
    enable_rendering(crawler, "https://www.wam.ae")
    assert crawler.settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 9


def test_images_media_and_fonts_are_never_fetched():
    class Fake:
        def __init__(self, kind):
            self.resource_type = kind

    assert [is_heavy_resource(Fake(k)) for k in ("image", "media", "font", "document", "fetch", "script")] == \
           [True, True, True, False, False, False]


def test_contexts_are_retired_only_when_all_their_downloads_finished():
    class Recording(ContextRotationMiddleware):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.closed = []

        def close(self, context):
            self.closed.append(context)

    class Download:
        def __init__(self):
            self.meta = {"playwright": True}

    rotation = Recording(pages_per_context=2)
    first, second, third = Download(), Download(), Download()
    for download in (first, second, third):
        rotation.process_request(download)
    assert [d.meta["playwright_context"] for d in (first, second, third)] == ["render-0", "render-0", "render-1"]
    first.meta["render_context"] = second.meta["render_context"] = "context 0"
    rotation.process_response(first, None)
    assert rotation.closed == []              # the second download may still be opening its page
    rotation.process_exception(second, TimeoutError())
    assert rotation.closed == ["context 0"]   # all done, and no new download will be given it
    retry = Download()
    rotation.process_request(retry)           # a retry starts afresh, in the current context
    assert retry.meta["playwright_context"] == "render-1"


def test_show_more_clicks_and_scrolls_within_its_bound(wam_server):
    """The listing grows by "Load more" clicks or scrolling, never past max_iterations rounds."""
    from playwright.async_api import async_playwright

    profile = PROFILES["wam"]
    item = profile.listing.item

    async def expand(section, max_iterations):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=find_chromium(), args=list(LAUNCH_ARGS))
            page = await browser.new_page()
            await page.goto(wam_server + demo.listing_path(section))
            await page.wait_for_selector(profile.render.wait_for)
            render = Render(wait_for=profile.render.wait_for, actions=profile.render.actions,
                            max_iterations=max_iterations, patience_ms=2000)
            rounds = await show_more(page, render, item)
            shown = await page.locator(item).count()
            await browser.close()
            return rounds, shown

    assert asyncio.run(expand("uae", 1)) == (1, demo.TOP_STORIES + 2 * demo.PER_PAGE)
    assert asyncio.run(expand("uae", 10)) == (2, len(demo.section_articles("uae")))
    assert asyncio.run(expand("world", 10)) == (1, len(demo.section_articles("world")))  # by scrolling


# --- real crawls -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered_crawl(wam_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("rendered") / "archive.db"
    result = scrapy_crawl("wam", "-a", f"base_url={wam_server}", "-s", f"NEWSCRAWL_DB={db}")
    return db, result


def test_a_rendered_crawl_stores_every_article(rendered_crawl):
    db, result = rendered_crawl
    rows = stored(db)
    assert sorted(rows) == sorted(a.id for a in demo.expected_stored())
    assert len(rows) >= 20
    for truth in demo.expected_stored():
        row = rows[truth.id]
        assert urlsplit(row["canonical_url"]).path == truth.path   # the page, not the API address
        assert row["title"] == truth.title
        assert row["subtitle"] == truth.summary
        assert row["section"] == truth.section
        assert row["published_at"] == truth.published_at
        assert json.loads(row["dateline"]) == truth.dateline
        assert row["agency"] == "WAM"
        assert json.loads(row["authors"]) == []
        assert row["body"] == "\n\n".join(truth.body)
        assert json.loads(row["tags"]) == list(truth.tags)


def test_a_rendered_crawl_renders_listings_only_and_closes_every_page(rendered_crawl):
    db, result = rendered_crawl
    stats = last_stats(db)
    assert "log_count/ERROR" not in stats, result.stderr[-3000:]
    assert stats["listing/pages"] == len(demo.SECTIONS)
    assert stats["playwright/page_count"] == len(demo.SECTIONS)   # articles came from the API
    assert stats["playwright/page_count/closed"] == stats["playwright/page_count"]
    assert stats.get("playwright/request_count/aborted", 0) == 0
    assert stats["article/parsed"] == len(demo.expected_stored())
    assert "Rendering with Chromium at" in result.stderr


def test_a_second_crawl_asks_the_api_for_nothing_already_archived(rendered_crawl, wam_server):
    db, _ = rendered_crawl
    scrapy_crawl("wam", "-a", f"base_url={wam_server}", "-s", f"NEWSCRAWL_DB={db}")
    stats = last_stats(db)
    assert stats.get("article/parsed", 0) == 0
    assert stats["incremental/known_skipped"] >= len(demo.expected_stored())


def test_without_rendering_only_the_static_stories_are_found(wam_server, tmp_path):
    db = tmp_path / "static.db"
    result = scrapy_crawl("wam", "-a", f"base_url={wam_server}", "-a", "render=0", "-s", f"NEWSCRAWL_DB={db}")
    assert sorted(stored(db)) == sorted(demo.STATIC_IDS)
    stats = last_stats(db)
    assert not [key for key in stats if key.startswith("playwright/")]
    assert "scrapy_playwright" not in result.stderr and "Rendering with" not in result.stderr


def test_a_missing_browser_stops_the_crawl_with_the_reason(wam_server, tmp_path):
    db = tmp_path / "none.db"
    result = run_cli(sys.executable, "-m", "scrapy", "crawl", "wam", "-a", f"base_url={wam_server}",
                     "-s", f"NEWSCRAWL_DB={db}", "-s", f"NEWSCRAWL_CHROMIUM={tmp_path / 'no-such-chromium'}",
                     check=False)
    assert "NEWSCRAWL_CHROMIUM" in result.stderr and "is not an executable file" in result.stderr
    assert not db.exists() or not stored(db)


CRAWL_AND_REPORT = """
import sys
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

spider, base_url, db, *arguments = sys.argv[1:]
settings = get_project_settings()
settings.set("NEWSCRAWL_DB", db)
process = CrawlerProcess(settings)
process.crawl(spider, base_url=base_url, max_pages="1", **dict(a.split("=", 1) for a in arguments))
process.start()
print("loaded:", sorted(m for m in ("playwright", "scrapy_playwright") if m in sys.modules))
"""


@pytest.mark.parametrize("site,arguments", [("urdupoint", ["sections=world"]), ("wam", ["render=0"])])
def test_a_crawl_without_rendering_never_loads_playwright(site, arguments, wam_server, tmp_path):
    with running_server("urdupoint") as urdupoint_server:
        base_url = wam_server if site == "wam" else urdupoint_server.base_url
        result = run_cli(sys.executable, "-c", CRAWL_AND_REPORT, site, base_url, str(tmp_path / "a.db"),
                         *arguments, cwd=REPO)
    assert stored(tmp_path / "a.db"), result.stderr[-2000:]
    assert result.stdout.strip().endswith("loaded: []")
