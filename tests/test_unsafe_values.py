"""Values a page states that must not be stored as given: dates in the wrong day/month order or
outside [1990, fetch time + 1 day], script URLs in URL fields, bidi overrides in text."""

import json
import sqlite3
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy.http import HtmlResponse

from conftest import scrapy_crawl
from newscrawl.extract.article import extract_article
from newscrawl.profiles import URDUPOINT

FETCHED = datetime(2023, 7, 29, 15, 20, tzinfo=timezone.utc)
STORY = "https://www.urdupoint.com/en/world/port-of-dubai-expands-container-terminal-1731046.html"


def page(head="", body="<p>DUBAI (WAM) - The port expanded its terminal today.</p>",
         lang="en", url="https://gulf.example.com/world/port-of-dubai-expands-container-terminal/"):
    html = (f'<!doctype html><html lang="{lang}"><head><meta property="og:type" content="article">'
            f'<title>Port of Dubai expands</title>{head}</head>'
            f'<body><article><h1>Port of Dubai expands</h1>{body}</article></body></html>')
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")


def urdupoint_page(byline, head=""):
    html = (f'<html lang="en"><head>{head}</head><body><div class="news_article"><h1>Port of Dubai expands</h1>'
            f'<p class="art_info_bar">{byline}</p><div class="detail_txt">'
            f'<p>DUBAI, (UrduPoint / Pakistan Point News / WAM - 12th Jul, 2023) : The port grew.</p>'
            f'</div></div></body></html>')
    return HtmlResponse(STORY, body=html.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("lang, printed, expected, flags", [
    ("en-PK", "12/07/2023 10:30", "2023-07-12T10:30:00+00:00", None),
    ("en-AE", "12/07/2023", "2023-07-12", None),
    ("ur", "12/07/2023", "2023-07-12", None),
    ("en-US", "07/12/2023", "2023-07-12", None),
    # An American page whose CMS prints day first: 7 December is after the fetch, 12 July is not.
    ("en-US", "12/07/2023", "2023-07-12", ["date_order_swapped"]),
    ("en-US", "03/04/2023", "2023-03-04", None),
    ("en-GB", "03/04/2023", "2023-04-03", None),
])
def test_a_generic_page_reads_numeric_dates_in_its_countrys_order(lang, printed, expected, flags):
    article = extract_article(page(f'<meta name="pubdate" content="{printed}">', lang=lang), fetched_at=FETCHED)
    assert (article["published_at"], article.get("flags")) == (expected, flags)


def test_a_day_first_profile_stores_12_july():
    article = extract_article(urdupoint_page("Sumaira FH Published 12/07/2023 | 08:20 PM"), URDUPOINT,
                              fetched_at=FETCHED)
    assert (article["published_at"], article["published_source"]) == ("2023-07-12T20:20:00+05:00", "byline")
    assert "flags" not in article


@pytest.mark.parametrize("json_ld_date, flag", [
    ("9999-12-31", "date_future_dropped"),
    ("2024-07-12T10:00:00+05:00", "date_future_dropped"),
    ("0001-01-01T00:00:00Z", "date_implausible_dropped"),
    ("-2023-07-12", "date_implausible_dropped"),
    ("2023-02-30", "date_implausible_dropped"),
])
def test_an_implausible_structured_date_gives_way_to_the_byline(json_ld_date, flag):
    ld = json.dumps({"@type": "NewsArticle", "datePublished": json_ld_date, "dateModified": json_ld_date})
    response = urdupoint_page("Sumaira FH Published July 12, 2023 | 08:20 PM",
                              head=f'<script type="application/ld+json">{ld}</script>')
    article = extract_article(response, URDUPOINT, fetched_at=FETCHED)
    assert (article["published_at"], article["published_source"]) == ("2023-07-12T20:20:00+05:00", "byline")
    assert article["flags"] == [flag]
    assert "modified_at" not in article  # refused there too, by the loader


def test_a_future_date_with_no_other_reading_is_dropped_with_a_flag():
    article = extract_article(page('<meta name="pubdate" content="31/12/2023">', lang="en-PK",
                                   body="<p>The port expanded its terminal today.</p>"), fetched_at=FETCHED)
    assert "published_at" not in article
    assert article["flags"] == ["date_future_dropped"]


@pytest.mark.parametrize("og_image, expected", [
    ("javascript:alert(1)", None),
    ("data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", None),
    ("/images/port.jpg", "https://gulf.example.com/images/port.jpg"),
    ("https://cdn.example.com/port.jpg", "https://cdn.example.com/port.jpg"),
])
def test_image_url_keeps_only_http_urls(og_image, expected):
    article = extract_article(page(f'<meta property="og:image" content="{og_image}">'), fetched_at=FETCHED)
    assert article.get("image_url") == expected


def test_a_script_canonical_link_is_not_the_archive_key():
    response = page('<link rel="canonical" href="javascript:alert(1)">')
    article = extract_article(response, fetched_at=FETCHED)
    assert article["canonical_url"] == response.url


def test_text_fields_lose_bidi_overrides_and_controls_but_keep_urdu():
    response = page(
        '<meta name="author" content="Ali\u202e Khan">',
        body="<p>\u202eDUBAI\u202c, 12th July, 2023 (WAM) - The port\x07 expanded its terminal today.</p>"
             "<p>کی\u200cبورڈ \u2067السعودية\u2069 تعلن</p>",
        url="https://gulf.example.com/world/port-of-dubai-expands-container-terminal/")
    html = response.text.replace("<h1>Port of Dubai expands</h1>", "<h1>Port\u202e of Dubai expands</h1>")
    article = extract_article(response.replace(body=html.encode("utf-8")), fetched_at=FETCHED)
    assert article["title"] == "Port of Dubai expands"
    assert article["body"] == ("DUBAI, 12th July, 2023 (WAM) - The port expanded its terminal today.\n\n"
                               "کی\u200cبورڈ السعودية تعلن")
    assert article["dateline"]["location"] == "DUBAI"
    assert article["authors"] == ["Ali Khan"]


# --- a crawl: a day-first site's 12/07/2023 is stored as 12 July ---------------------------

ARTICLES = {
    "/world/port-of-dubai-expands-container-terminal/": ("en-AE", "12/07/2023"),
    "/world/us-ports-report-record-container-volumes/": ("en-US", "07/12/2023"),
}


def _article_html(lang, printed):
    return (f'<!doctype html><html lang="{lang}"><head><meta property="og:type" content="article">'
            f'<meta name="pubdate" content="{printed}"><title>Container ports</title></head><body><article>'
            f'<h1>Container ports {lang}</h1><p>The port expanded its container terminal, officials said on '
            f'Wednesday, adding berths for the largest ships now in service.</p><p>More berths follow next '
            f'year, the operator said, as trade through the Gulf keeps growing.</p></article></body></html>')


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            links = "".join(f'<li><a href="{path}">Story</a></li>' for path in ARTICLES)
            html = f"<html><body><ul>{links}</ul></body></html>"
        elif self.path in ARTICLES:
            html = _article_html(*ARTICLES[self.path])
        else:
            self.send_error(404)
            return
        body = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_crawl_stores_a_day_first_date_as_12_july(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    db = tmp_path / "archive.db"
    try:
        scrapy_crawl("news", "-a", f"url=http://127.0.0.1:{server.server_port}/", "-s", f"NEWSCRAWL_DB={db}")
    finally:
        server.shutdown()
        server.server_close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT canonical_url, published_at FROM articles ORDER BY canonical_url").fetchall()
    assert [(url.rsplit("/", 2)[-2], day) for url, day in rows] == [
        ("port-of-dubai-expands-container-terminal", "2023-07-12"),
        ("us-ports-report-record-container-volumes", "2023-07-12"),
    ]
