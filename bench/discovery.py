"""Generic discovery's coverage: each bundled site crawled by the `news` spider with no profile,
beside its profile's crawl where it has one.

Per site: articles found / expected (the site's own truth), the share of the profile's finds the
generic crawl matches, and the share of requests spent on pages that are neither listings (feeds,
sitemaps and robots.txt count as listings) nor articles: 404s, utility and non-article pages,
answers of the wrong type. Measured, never asserted.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.demo import feedsite, generic, urdupoint, wam
from newscrawl.demo.server import running_server

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK_ONLY = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
                 "no_proxy": "127.0.0.1,localhost,::1"}
# demo name: (site module, start path for the news spider, profile spider or None)
SITES = {
    "urdupoint": (urdupoint, "/en/", "urdupoint"),
    "gulfwire": (generic, "/", None),
    "ledger": (feedsite, "/", None),
    "wam": (wam, "/", "wam"),
}
WASTE_PREFIXES = ("fetch_errors/", "skipped/content_type/")
WASTE_KEYS = ("generic/not_articles", "generic/not_listings", "feed/not_found")


def _crawl(spider, arguments, db):
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", spider, *arguments, "-s", f"NEWSCRAWL_DB={db}",
                    "-s", "LOG_LEVEL=WARNING", "-s", "NEWSCRAWL_PROGRESS_INTERVAL=0"],
                   cwd=ROOT, env=dict(os.environ, **LOOPBACK_ONLY), capture_output=True, text=True, check=False)
    with sqlite3.connect(db) as conn:
        paths = {urlsplit(url).path for (url,) in conn.execute("SELECT canonical_url FROM articles")}
        row = conn.execute("SELECT stats FROM crawls ORDER BY id DESC").fetchone()
    return paths, json.loads(row[0]) if row else {}


def _wasted(stats):
    return sum(v for k, v in stats.items() if k.startswith(WASTE_PREFIXES) or k in WASTE_KEYS)


def run():
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (module, start, profile) in SITES.items():
            expected = {a.path for a in module.expected_stored()}
            with running_server(name) as server:
                found, stats = _crawl("news", ["-a", f"url={server.base_url}{start}"], Path(tmp) / f"{name}.db")
                profiled = None
                if profile:
                    profiled, _ = _crawl(profile, ["-a", f"base_url={server.base_url}"],
                                         Path(tmp) / f"{name}-profile.db")
            requests = stats.get("downloader/request_count", 0)
            site = {"found": len(found & expected), "expected": len(expected),
                    "requests": requests, "wasted_requests": _wasted(stats),
                    "wasted_share": round(_wasted(stats) / requests, 3) if requests else None}
            if profiled is not None:
                site["profile_found"] = len(profiled & expected)
                site["share_of_profile"] = round(len(found & profiled & expected) / len(profiled & expected), 3) \
                    if profiled & expected else None
            figures[name] = site
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
