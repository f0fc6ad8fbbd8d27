import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts):
    """A path under ../shared, or a skip naming what is missing (CI and developers have it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO.parent)} not found: the shared corpus sits beside the repo")
    return path


@pytest.fixture(scope="module")
def demo_server():
    """The bundled UrduPoint-like site on a free loopback port; yields its base URL."""
    from newscrawl.demo.server import running_server

    with running_server("urdupoint") as server:
        yield server.base_url


def run_cli(*args, cwd=REPO, check=True, env=None):
    """Run a command-line entry point in a subprocess, as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


# A crawl in a test reaches loopback servers only: any other host goes to a proxy port nobody
# listens on (Scrapy honours these variables), so a bad argument can never reach a live site.
LOOPBACK_ONLY = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
                 "no_proxy": "127.0.0.1,localhost,::1"}


def crawl_target(args):
    """The -a base_url= / -a url= value of a crawl's arguments, or None."""
    for flag, value in zip(args, args[1:]):
        if flag == "-a" and str(value).split("=", 1)[0] in ("base_url", "url"):
            return str(value).split("=", 1)[1]
    return None


def scrapy_crawl(spider, *args, check=True, expect_usage_error=False):
    """`scrapy crawl` of a local server. A crawl expected to succeed names a loopback URL; one
    expected to stop at its arguments (exit 2) may give a bad one; check=False may give none."""
    from newscrawl.spiders.arguments import is_loopback

    target = crawl_target(args)
    if not expect_usage_error and (target is not None or check) and not (target and is_loopback(target)):
        raise AssertionError(f"a test crawl must pass -a base_url/url of a loopback server, not {target!r}")
    return run_cli(sys.executable, "-m", "scrapy", "crawl", spider, *args,
                   check=check and not expect_usage_error, env=LOOPBACK_ONLY)


def newscrawl(*args, check=True):
    return run_cli(sys.executable, "-m", "newscrawl", *args, check=check)

def make_article(**overrides):
    """A complete Article dict for storage and export tests."""
    article = {
        "url": "https://www.example.com/news/story-1001.html?utm_source=x",
        "canonical_url": "https://www.example.com/news/story-1001.html",
        "site": "example",
        "article_id": "1001",
        "section": "world",
        "section_label": None,
        "language": "en",
        "title": "Floods hit the coastal towns",
        "subtitle": None,
        "body": "KARACHI, July 29 (APP) - Heavy monsoon rains flooded streets.\n\nMore to come.",
        "authors": ["Ayesha Khan"],
        "agency": "APP",
        "byline_raw": "By Ayesha Khan (APP)",
        "published_at": "2023-07-29T20:20:00+05:00",
        "published_source": "json-ld",
        "modified_at": None,
        "dateline": {"location": "KARACHI", "agency": "APP", "outlet": None, "date": "July 29"},
        "tags": ["Pakistan", "Weather"],
        "image_url": "https://www.example.com/img/1001.jpg",
        "flags": [],
        "field_sources": None,  # set by extraction for profiled sites
        "fetched_at": "2023-07-30T10:00:00+00:00",
        "story_id": None,  # assigned by the archive's story index, never scraped
    }
    article.update(overrides)
    return article
