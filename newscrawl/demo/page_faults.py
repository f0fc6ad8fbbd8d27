"""Hostile pages on a well-behaved server, for tests/test_page_faults.py.

The transport is fine (200 OK, quick answers); the pages are not. They are shaped like UrduPoint's
(so the urdupoint profile reads them, `-a base_url=` pointing here) and say they are articles (so
the generic `news` spider reads them too). One listing, /en/news/world.html, links them all:

  calm            a well-formed story (the control)
  ld-*            a story whose JSON-LD has the wrong shape: a list, a number or an object where a
                  string is expected, an unusable @type/@id, or 200,000 levels of nesting
  type-*          a 200 OK answer that is not HTML (PNG, JSON, PDF, plain text, raw bytes) at a story URL
  same-canonical  four stories whose canonical links all name the calm story
  amp             the calm story's AMP copy (/en/amp/...), whose canonical rightly names the story
  variants        a story without a canonical link, linked as ?amp, ?amp=1, ?outputType=amp and .../amp
  long-byline     a story whose byline, inside the story's text, is 100 KB

/en/sitemap/news.rss (application/rss+xml) lists the calm story: feeds must still be read.

    python -m newscrawl.demo.page_faults --port 8771   # then crawl http://127.0.0.1:8771/en/news/world.html
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .background import in_background, serve_until_interrupted

PUBLISHED = "2023-08-01T09:30:00+05:00"
DEEP_LEVELS = 200_000
BYLINE_BYTES = 100_000
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n% Council approves street lighting budget. "
       b"The city council approved a new budget for street lighting after a short debate.\n%%EOF\n")
PARAGRAPHS = (
    "Officials said the work would continue through the week and that residents would be told of any "
    "change before it happened.",
    "Local businesses reported a quiet morning, while schools kept their usual hours and the buses ran "
    "as planned across the district.",
    "A spokesperson declined to say when a full report would be published, but promised a statement "
    "once the review had finished.",
)
esc = html.escape


@dataclass(frozen=True)
class Page:
    kind: str
    id: str
    title: str
    json_ld: str | None = None        # the script's text, as written
    content_type: str = "text/html; charset=utf-8"
    body: bytes | None = None         # a non-HTML answer's bytes

    @property
    def path(self) -> str:
        slug = self.title.lower().replace(" ", "-")
        return f"/en/world/{slug}-{self.id}.html"


def _ld(**fields) -> str:
    return json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": PUBLISHED,
                       **fields})


BAD_JSON_LD = {  # kind: the script
    "ld-headline-list": _ld(headline=[["nested", "list"], 7], author={"@type": "Person", "name": "Asad Ali"}),
    "ld-headline-number": _ld(headline=1731046, author=42),
    "ld-headline-object": _ld(headline={"text": {"deeper": True}}, description={"a": 1}),
    "ld-author-object": _ld(headline="Ferry fares", author={"@type": "Person", "name": {"first": "Asad"}}),
    "ld-date-object": _ld(headline="Tram depot", datePublished={"@value": 20230801}, dateModified=[1, 2],
                          image={"url": ["not", "a", "url"]}, keywords={"a": "b"}),
    "ld-type-object": json.dumps({"@type": {"kind": "NewsArticle"}, "@id": {"x": 1}, "headline": "Markets",
                                  "author": {"@id": {"y": 2}}}),
    "ld-graph-number": json.dumps({"@context": "https://schema.org", "@graph": [3, None, {"@type": 5}]}),
    "ld-deep-array": "[" * DEEP_LEVELS + "]" * DEEP_LEVELS,
    "ld-deep-object": '{"@type": "NewsArticle", "headline": ' + '{"a": ' * DEEP_LEVELS + "1" + "}" * DEEP_LEVELS + "}",
}
NON_HTML = {  # kind: (Content-Type, body)
    "type-png": ("image/png", PNG),
    "type-json": ("application/json", json.dumps({"headline": "Council approves budget", "body": "text"}).encode()),
    "type-pdf": ("application/pdf", PDF),
    "type-text": ("text/plain; charset=utf-8", "Council approves budget.\n\n".encode() + PARAGRAPHS[0].encode()),
    "type-bytes": ("application/octet-stream", bytes(range(256)) * 4),
}
VARIANT_SUFFIXES = ("?amp", "?amp=1", "?outputType=amp", "/amp")

_titles = {"calm": "Council approves street lighting budget", "variants": "One story linked four ways",
           "long-byline": "Harbour ferry returns after repairs"}
PAGES = tuple(
    [Page("calm", "1900001", _titles["calm"])]
    + [Page(kind, str(1900010 + i), f"Hostile structured data story {i + 1}", json_ld=script)
       for i, (kind, script) in enumerate(BAD_JSON_LD.items())]
    + [Page(kind, str(1900030 + i), f"Not a page at all {i + 1}", content_type=ctype, body=body)
       for i, (kind, (ctype, body)) in enumerate(NON_HTML.items())]
    + [Page("same-canonical", str(1900040 + i), f"Library opening hours change {i + 1}") for i in range(4)]
    + [Page("variants", "1900050", _titles["variants"]), Page("long-byline", "1900060", _titles["long-byline"])]
)
CALM = PAGES[0]
_BY_PATH = {p.path: p for p in PAGES}


def pages(kind_prefix: str) -> list[Page]:
    return [p for p in PAGES if p.kind.startswith(kind_prefix)]


def amp_path(page: Page) -> str:
    return page.path.replace("/en/", "/en/amp/", 1)


def listing_hrefs(base: str) -> list[str]:
    hrefs = [base + p.path for p in PAGES if p.kind != "variants"] + [base + amp_path(CALM)]
    return hrefs + [base + pages("variants")[0].path + suffix for suffix in VARIANT_SUFFIXES]


def _head(base: str, page: Page, canonical: str | None) -> str:
    parts = [f"<title>{esc(page.title)} - UrduPoint</title>", '<meta property="og:type" content="article">',
             f'<meta property="og:title" content="{esc(page.title)}">',
             f'<meta property="article:published_time" content="{PUBLISHED}">']
    if canonical:
        parts.append(f'<link rel="canonical" href="{esc(canonical)}">')
    if page.json_ld is not None:
        parts.append(f'<script type="application/ld+json">{page.json_ld}</script>')
    return "\n".join(parts)


def article_html(base: str, page: Page) -> str:
    canonical = {"same-canonical": base + CALM.path, "variants": None}.get(page.kind, base + page.path)
    byline = '<p class="art_info_bar byline">By Staff Reporter</p>'
    inside = ""
    if page.kind == "long-byline":  # printed inside the story's container, and 100 KB long
        names = " ".join(f"Reporter{i} Name," for i in range(BYLINE_BYTES // 16))
        byline, inside = "", f'<p class="art_info_bar byline">By {names}</p>\n'
    paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in (f"{page.title}: the story, read from its page.",
                                                         *PARAGRAPHS))
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{_head(base, page, canonical)}\n'
            f'</head>\n<body>\n<div class="main_bar fl news_article">\n<h1>{esc(page.title)}</h1>\n{byline}\n'
            f'<div class="detail_txt">\n<h2>A standfirst for {esc(page.title.lower())}</h2>\n{inside}{paragraphs}'
            f"</div>\n</div>\n</body>\n</html>\n")


def listing_html(base: str) -> str:
    items = "".join(f'<li><a href="{esc(href)}">A story</a></li>\n' for href in listing_hrefs(base))
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>World News - UrduPoint</title>'
            f'<link rel="canonical" href="{base}/en/news/world.html"></head>\n<body><div class="main_bar fl">'
            f'<h1 class="sec_heading">World News</h1>\n<ul class="news_list">\n{items}</ul></div></body></html>\n')


def news_rss(base: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>World</title>'
            f"<item><title>{esc(CALM.title)}</title><link>{base}{CALM.path}</link>"
            "<pubDate>Tue, 01 Aug 2023 04:30:00 GMT</pubDate></item></channel></rss>\n")


class PageFaultServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address):
        self.paths: list[str] = []
        self._lock = threading.Lock()
        super().__init__(address, PageFaultHandler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        pass


class PageFaultHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        with self.server._lock:
            self.server.paths.append(self.path)
        base = self.server.base_url
        parts = urlsplit(self.path)
        path = parts.path[:-len("/amp")] if parts.path.endswith(".html/amp") else parts.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
        if path == "/en/news/world.html":
            return self._send(200, listing_html(base).encode())
        if path == "/en/sitemap/news.rss":
            return self._send(200, news_rss(base).encode(), "application/rss+xml; charset=utf-8")
        page = _BY_PATH.get(path.replace("/en/amp/", "/en/", 1))
        if page is None:
            return self._send(404, b"<html><body><h1>Not found</h1></body></html>")
        if page.body is not None:
            return self._send(200, page.body, page.content_type)
        self._send(200, article_html(base, page).encode())

    def _send(self, status, body, content_type="text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def running_page_fault_server(port: int = 0):
    server = PageFaultServer(("127.0.0.1", port))
    with in_background(server, "page-fault-server"):
        yield server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve hostile pages shaped like UrduPoint's (page fault suite).")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args(argv)
    server = PageFaultServer(("127.0.0.1", args.port))
    print(f"Serving hostile pages at {server.base_url}/en/news/world.html", flush=True)
    serve_until_interrupted(server)


if __name__ == "__main__":
    main()
