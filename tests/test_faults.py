"""`scrapy crawl news` against a misbehaving local site (newscrawl.demo.faults).

Every fault must end in a finished crawl (exit 0, status "finished", no traceback, no spider
exception), be counted in the stats under a clear name, leave an archive that passes
`PRAGMA integrity_check`, and never cause an off-site or robots-disallowed request: the fault
servers record every request they receive, and the off-site server's record must stay empty.

Two crawls: TRANSPORT faults (status codes, Retry-After, timeouts, resets, truncation, size limits,
redirects), with DOWNLOAD_TIMEOUT=1 so stalls fail fast; CONTENT faults (broken markup, charsets,
dates, quotes and SQL, a pagination trap, 10,000 URL variants, robots.txt, off-site links). They run
one after the other: side by side they would compete for CPU, and any stall of the transport crawl's
process over a second times out whatever it has in flight.
"""

import json
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from conftest import scrapy_crawl
from newscrawl import settings as project
from newscrawl.demo import faults
from newscrawl.demo.faults import running_fault_server, story

# The project's settings carry the resilience middlewares and limits; the tests only shorten the
# timeout, and so load the lazily imported parsers up front (ParserWarmUp): with a 1 s timeout, the
# first article's imports would otherwise time out every download in flight.
RESILIENCE_SETTINGS = {
    "EXTENSIONS": json.dumps({**getattr(project, "EXTENSIONS", {}), "newscrawl.resilience.ParserWarmUp": 0}),
}
REDIRECT_MAX_TIMES = project.REDIRECT_MAX_TIMES
RETRY_TIMES = 2      # settings.py: three requests in all for a page that keeps failing
MAX_PAGES = 4

TRANSPORT = ("calm", "flaky-500", "broken-500", "busy-503", "retry-after", "retry-after-date", "retry-after-long",
             "timeout", "drip", "reset", "truncated", "oversized", "oversized-stream", "bomb", "redirect-cycle",
             "redirect-chain", "redirect-offsite", "retry-offsite", "redirect-private")
CONTENT = ("calm", "malformed", "mislabelled", "no-charset", "baddate", "baddate-fallback", "quotes", "variants",
           "trap", "private")


@dataclass
class Crawl:
    returncode: int
    log: str
    host: str                  # host:port the crawl was started on
    run: dict                  # the crawls row
    stats: dict
    articles: dict             # path -> articles row
    integrity: str
    hits: list                 # every request the fault server received
    offsite_hits: list         # every request the off-site server received

    def hits_of(self, family):
        return [h for h in self.hits if urlsplit(h.path).path == story(family).path]


def _crawl(tmp_path_factory, name, families, *extra):
    """Crawl a fault server as http://localhost:PORT/; the off-site server is 127.0.0.1:OTHER, a host
    the spider must not touch although it resolves to loopback everywhere."""
    db = tmp_path_factory.mktemp(name) / "archive.db"
    settings = [arg for key, value in RESILIENCE_SETTINGS.items() for arg in ("-s", f"{key}={value}")]
    with running_fault_server(families=()) as offsite, \
            running_fault_server(families=families, offsite_base=f"http://127.0.0.1:{offsite.port}") as server:
        host = f"localhost:{server.port}"
        result = scrapy_crawl("news", "-a", f"url=http://{host}/", "-s", f"NEWSCRAWL_DB={db}", *settings, *extra,
                              check=False)
        hits, offsite_hits = server.requested(), offsite.requested()
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        articles = {urlsplit(r["canonical_url"]).path: dict(r) for r in conn.execute("SELECT * FROM articles")}
        run = dict(conn.execute("SELECT * FROM crawls").fetchone())
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return Crawl(result.returncode, result.stderr, host, run, json.loads(run["stats"]), articles, integrity, hits,
                 offsite_hits)


@pytest.fixture(scope="module")
def transport(tmp_path_factory):
    return _crawl(tmp_path_factory, "transport", TRANSPORT, "-s", "DOWNLOAD_TIMEOUT=1")


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    return _crawl(tmp_path_factory, "content", CONTENT, "-a", f"max_pages={MAX_PAGES}")


@pytest.fixture(params=["transport", "content"])
def crawl(request):
    return request.getfixturevalue(request.param)


def stored_families(crawl):
    return sorted(s.family for s in faults.STORIES if s.path in crawl.articles)


# ----------------------------------------------------------------------------------------- both crawls

def test_crawl_finishes_cleanly(crawl):
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.run["status"] == "finished", crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert not [key for key in crawl.stats if key.startswith("spider_exceptions/")]
    assert "log_count/ERROR" not in crawl.stats


def test_archive_is_intact(crawl):
    assert crawl.integrity == "ok"


def test_only_this_site_is_ever_requested(crawl):
    assert crawl.offsite_hits == []
    assert {h.host.lower() for h in crawl.hits} == {crawl.host}     # never the other loopback name
    assert not [h for h in crawl.hits if h.path.startswith("/private/")]


# ------------------------------------------------------------------------------------ transport faults

def test_transport_stores_exactly_what_recovered(transport):
    assert stored_families(transport) == sorted(["calm", "flaky-500", "busy-503", "retry-after", "retry-after-date",
                                                 "drip"])


def test_server_errors_are_retried_then_given_up(transport):
    stats = transport.stats
    assert len(transport.hits_of("flaky-500")) == 2 and len(transport.hits_of("busy-503")) == 2
    assert len(transport.hits_of("broken-500")) == 1 + RETRY_TIMES
    assert stats["retry/reason_count/500 Internal Server Error"] == 1 + RETRY_TIMES   # flaky once, broken twice
    assert stats["retry/reason_count/503 Service Unavailable"] == 3          # busy, retry-after, retry-offsite
    assert stats["fetch_errors/http_500"] == 1


def test_retry_after_is_honoured(transport):
    for family in ("retry-after", "retry-after-date"):
        first, second = transport.hits_of(family)
        assert second.at - first.at >= 1.0, family
    assert transport.stats["fault/retry_after/waited"] == 2
    assert transport.stats["retry/reason_count/429 Unknown Status"] == 1


def test_too_long_retry_after_gives_up_at_once(transport):
    assert len(transport.hits_of("retry-after-long")) == 1
    assert transport.stats["fault/retry_after/too_long"] == 1
    assert transport.stats["fetch_errors/http_503"] == 1


def test_timeouts_and_slow_drips(transport):
    stats = transport.stats
    assert len(transport.hits_of("timeout")) == 1 + RETRY_TIMES
    assert len(transport.hits_of("drip")) == 2                    # the drip timed out once, then answered
    assert stats["downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError"] == 1 + RETRY_TIMES + 1
    assert stats["fetch_errors/DownloadTimeoutError"] == 1


def test_connection_resets(transport):
    assert len(transport.hits_of("reset")) == 1 + RETRY_TIMES
    # Scrapy 2.19 wraps Twisted's ConnectionLost (no response at all) in DownloadFailedError.
    assert transport.stats["downloader/exception_type_count/scrapy.exceptions.DownloadFailedError"] == 1 + RETRY_TIMES
    assert transport.stats["fetch_errors/DownloadFailedError"] == 1


def test_truncated_page_is_never_stored(transport):
    assert len(transport.hits_of("truncated")) == 1 + RETRY_TIMES
    assert transport.stats["downloader/exception_type_count/scrapy.exceptions.ResponseDataLossError"] == 1 + RETRY_TIMES
    assert transport.stats["fetch_errors/ResponseDataLossError"] == 1
    assert story("truncated").path not in transport.articles


def test_size_limits(transport):
    stats = transport.stats
    for family in ("oversized", "oversized-stream", "bomb"):
        assert len(transport.hits_of(family)) == 1, family            # a size limit is not retried
    assert stats["fault/too_large/download"] == 2                     # declared and streamed
    assert stats["fetch_errors/DownloadCancelledError"] == 2
    assert stats["fault/too_large/decompressed"] == 1                 # the bomb


def test_redirect_loops_stop(transport):
    assert len(transport.hits_of("redirect-cycle")) == 2              # A -> A?via=mirror -> A: stopped there
    assert transport.stats["fault/redirect_loop"] == 1
    assert len(transport.hits_of("redirect-chain")) == 1 + REDIRECT_MAX_TIMES
    assert transport.stats["fault/redirect_limit"] == 1


def test_redirects_never_leave_the_site(transport):
    # redirect-offsite, and retry-offsite whose retried (dont_filter) request Scrapy's own filter lets through
    assert transport.stats["offsite/filtered"] == 2
    assert len(transport.hits_of("retry-offsite")) == 2
    assert transport.offsite_hits == []


def test_redirect_into_disallowed_path_is_refused(transport):
    assert transport.stats["robotstxt/forbidden"] == 1
    assert not [h for h in transport.hits if h.path.startswith("/private/")]


# -------------------------------------------------------------------------------------- content faults

def test_content_stores_exactly_the_readable_articles(content):
    assert stored_families(content) == sorted(["calm", "malformed", "mislabelled", "no-charset", "baddate-fallback",
                                               "quotes", "variants"])
    assert not [k for k in content.stats if k.startswith("fetch_errors/")]


def test_malformed_page_is_read(content):
    row = content.articles[story("malformed").path]
    assert row["title"] == story("malformed").title
    assert row["published_at"] == faults.PUBLISHED
    assert row["body"].startswith(story("malformed").body[0])
    assert story("malformed").body[1] in row["body"]


def test_malformed_page_stores_no_control_characters(content):
    body = content.articles[story("malformed").path]["body"]
    assert not [c for c in body if ord(c) < 32 and c not in "\n\t"]


@pytest.mark.parametrize("family", ["mislabelled", "no-charset"])
def test_urdu_is_stored_in_its_real_charset(content, family):
    row = content.articles[story(family).path]
    assert row["title"] == story(family).title
    assert row["body"] == "\n\n".join(story(family).body)
    assert "\ufffd" not in row["title"] + row["body"]


def test_mislabelled_charset_is_counted(content):
    assert content.stats["fault/charset_mislabelled"] == 1              # the no-charset page needs no repair


def test_unparsable_dates(content):
    assert story("baddate").path not in content.articles
    assert content.stats["dropped/missing_published_at"] == 1
    fallback = content.articles[story("baddate-fallback").path]
    assert (fallback["published_at"], fallback["published_source"]) == (faults.PUBLISHED, "meta")


def test_quotes_and_sql_are_stored_verbatim(content):
    row = content.articles[story("quotes").path]
    assert row["title"] == faults.SQL_TITLE
    assert row["body"] == "\n\n".join(story("quotes").body)
    assert content.run["new"] == len(content.articles)                 # the tables are all still there


def test_pagination_trap_stops_at_max_pages(content):
    trap = [h for h in content.hits if h.path.startswith("/trap/")]
    assert len(trap) == MAX_PAGES
    assert content.stats["max_pages/sections_stopped"] == 1


def test_url_variants_are_fetched_and_stored_once(content):
    assert len(content.hits_of("variants")) == 1
    assert [p for p in content.articles if p == story("variants").path] == [story("variants").path]
    assert "dedupe/duplicates" not in content.stats


def test_disallowed_and_offsite_links_are_never_requested(content):
    assert content.stats["robotstxt/forbidden"] == 1
    assert not [h for h in content.hits if h.path.startswith("/private/")]
    assert content.offsite_hits == []
