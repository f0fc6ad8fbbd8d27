"""The crawl summary says what each number counts: on a first crawl of the demo site the links
not fetched are explained by reason (already archived, already requested), and so are the
planted 404 and the dropped undated article."""

import pytest

from conftest import scrapy_crawl
from newscrawl.report import drop_reason, fetch_error, summary_lines


def summary(result):
    marker = "[newscrawl.summary] INFO: "
    return [line.split(marker, 1)[1] for line in result.stderr.splitlines() if marker in line]


@pytest.fixture(scope="module")
def two_crawls(demo_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("report") / "a.db"
    args = ("-a", f"base_url={demo_server}", "-a", "sections=world,pakistan,business", "-s", f"NEWSCRAWL_DB={db}")
    return summary(scrapy_crawl("urdupoint", *args)), summary(scrapy_crawl("urdupoint", *args))


def section(lines, title):
    """The heading line starting with `title` and its indented reasons."""
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    end = next((n for n in range(start + 1, len(lines)) if not lines[n].startswith("  ")), len(lines))
    return lines[start:end]


def test_a_first_crawl_explains_every_number(two_crawls):
    first, _ = two_crawls
    assert first[0].startswith("Crawl finished: ") and first[0].endswith(
        " requests (retried 1: 500 Internal Server Error)")
    assert first[1].startswith("Articles stored: ") and "updated (their text changed), 0 unchanged, of " in first[1]
    assert section(first, "Dropped, not stored") == [
        "Dropped, not stored: 1",
        "  1 missing_published_at: no publication date found on the page: an article needs one to be stored"]
    assert section(first, "Pages that could not be fetched") == [
        "Pages that could not be fetched (the crawl went on): 1", "  1 http_404: the server answered 404 Not Found"]
    links = section(first, "Links seen but not fetched")
    total = int(links[0].rsplit(": ", 1)[1])
    reasons = {line.split(" ", 3)[3]: int(line.split()[0]) for line in links[1:]}
    assert total == sum(reasons.values()) > 100
    assert set(reasons) == {
        "to articles already in the archive, stored earlier in this run or by an earlier one (listings and "
        "\"More Stories\" link the same articles again; -a refresh=1 fetches stored ones again)",
        "to a URL this run had already requested (Scrapy's duplicate filter)"}


def test_a_second_crawl_says_why_it_stopped_paging(two_crawls):
    first, second = two_crawls
    assert "0 new, 0 updated" in second[1]
    stopped = section(second, "Sections not paged further")
    assert len(stopped) == 2 and stopped[1].endswith(
        " their last listed articles were all archived already (-a caught_up_after)")
    assert int(stopped[0].rsplit(": ", 1)[1]) == int(stopped[1].split()[0]) >= 1


@pytest.mark.parametrize("reason, meaning", [
    ("missing_published_at", "no publication date found on the page: an article needs one to be stored"),
    ("missing_title", "no title found on the page: an article needs one to be stored"),
    ("invalid_canonical_url", "its canonical URL had the wrong type or form"),
    ("duplicate", "a copy of an article this run had already stored (same canonical URL or site id)"),
    ("something_new", "see the log"),
])
def test_drop_reasons(reason, meaning):
    assert drop_reason(reason) == meaning


@pytest.mark.parametrize("reason, meaning", [
    ("http_404", "the server answered 404 Not Found"),
    ("http_503", "the server answered 503 Service Unavailable"),
    ("http_799", "the server answered 799"),
    ("TimeoutError", "no answer (connection or timeout), see the log"),
])
def test_fetch_errors(reason, meaning):
    assert fetch_error(reason) == meaning


def test_caps_and_other_sections_are_explained():
    lines = summary_lines({"caps/links_per_page_dropped": 49000, "caps/sections_dropped": 2800,
                           "excursions/other_sections_skipped": 3}, "finished")
    assert section(lines, "Links seen but not fetched") == [
        "Links seen but not fetched: 51803",
        "  3 to articles of sections outside -a sections (-a excursions=all follows them)",
        "  49000 past NEWSCRAWL_MAX_LINKS_PER_PAGE article links on one page",
        "  2800 to sections past NEWSCRAWL_MAX_SECTIONS on the start page"]


def test_a_crawl_with_nothing_dropped_or_skipped():
    lines = summary_lines({"downloader/request_count": 2, "response_received_count": 2, "archive/new": 1}, "finished")
    assert lines == ["Crawl finished: 2 pages fetched from 2 requests",
                     "Articles stored: 1 new, 0 updated (their text changed), 0 unchanged",
                     "Dropped, not stored: 0"]
    interrupted = summary_lines({"log_count/ERROR": 2}, "shutdown")
    assert interrupted[0] == "Crawl interrupted (finish reason: shutdown): 0 pages fetched from 0 requests"
    assert interrupted[-1] == "Errors logged: 2 (see the log above)"
