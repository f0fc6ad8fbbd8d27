"""A misbehaving local news site for the fault suite (tests/test_faults.py).

"Fault Line News" looks like a small news site the `news` spider can crawl: the home page links
one story per fault, each at /<family>/<8-digit id>-<slug>, and two sections; the path family
decides how the server misbehaves ("hit" = how often this exact path and query were asked):

  calm              a well-behaved story (the control)
  flaky-500         500 on hit 1, the story after
  broken-500        500, always
  busy-503          503 without Retry-After on hit 1, the story after
  retry-after       503 with Retry-After: 1 (seconds) on hit 1, the story after
  retry-after-date  429 with Retry-After as an HTTP-date 2 s after its Date header on hit 1, the story after
  retry-after-long  503 with Retry-After: 3600, always
  timeout           no answer: the connection is held until MAX_STALL, then closed
  drip              hit 1: headers, then one body byte every DRIP_INTERVAL until MAX_STALL; the story after
  reset             the connection is reset (TCP RST) before any answer, always
  truncated         Content-Length larger than the bytes sent, then the connection closes, always
  oversized         Content-Length: OVERSIZE_BYTES, and a body that size
  oversized-stream  no Content-Length: OVERSIZE_BYTES of body, then the connection closes
  bomb              gzip Content-Encoding: about 64 KB that expand to BOMB_BYTES
  redirect-cycle    302 to ?via=mirror, which 302s back: a loop of two
  redirect-chain    302 to ?hop=N+1, forever
  redirect-offsite  302 to the off-site host
  redirect-private  302 into /private/, which robots.txt disallows
  retry-offsite     503 on hit 1, then 302 to the off-site host (a retried request is dont_filter)
  private           a story under /private/ (robots.txt disallows it: never to be requested)
  malformed         200, with unclosed tags, stray bytes, NULs and thousands of unclosed <div>s
  mislabelled       Urdu in windows-1256, labelled UTF-8 by its Content-Type and its <meta charset>
  no-charset        Urdu in UTF-8, with no charset in the header or the page
  baddate           no date that anything can parse
  baddate-fallback  an unparsable JSON-LD datePublished beside a good article:published_time
  quotes            a title and body full of quotes and SQL
  variants          the story /variants/ links VARIANT_COUNT ways

  /trap/?page=N     a listing with a next page, always (rel=next, a "Next" link and ?page=N+1 in turn)
  /variants/        VARIANT_COUNT spellings of one story's URL (tracking parameters, host case, fragments)
  /robots.txt       disallows /private/

The home page also links two stories off-site: on `offsite_base` (a second server, whose record
must stay empty) and on this server under its other loopback name (localhost / 127.0.0.1).

Every handler ends by itself: stalls stop at MAX_STALL, or at once when the server shuts down, and
bodies are bounded. The server records every request (path, Host header, time), so a test can
prove what was never asked for.

    python -m newscrawl.demo.faults --port 8770     # then crawl http://localhost:8770/
"""
from __future__ import annotations

import argparse
import contextlib
import html
import json
import re
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .background import in_background, serve_until_interrupted

SITE_NAME = "Fault Line News"
PUBLISHED = "2023-08-01T09:30:00+05:00"
ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"
MAX_STALL = 5.0             # seconds: the longest any handler holds a connection
DRIP_INTERVAL = 0.2         # seconds between the drip's bytes
OVERSIZE_BYTES = 12 << 20   # above a 10 MiB DOWNLOAD_MAXSIZE
BOMB_BYTES = 64 << 20       # what the bomb expands to
VARIANT_COUNT = 10_000
REDIRECT_STATUS = 302

esc = html.escape


@dataclass(frozen=True)
class Story:
    family: str
    id: str
    slug: str
    title: str
    body: tuple[str, ...]
    published: str | None = PUBLISHED
    lang: str = "en"

    @property
    def path(self) -> str:
        return f"/{self.family}/{self.id}-{self.slug}"


_FILLER = (
    "Officials said the work would continue through the week and that residents would be told of any "
    "change before it happened.",
    "Local businesses reported a quiet morning, while schools kept their usual hours and the buses ran "
    "as planned across the district.",
    "A spokesperson declined to say when a full report would be published, but promised a statement "
    "once the review had finished.",
    "Residents who spoke to reporters were broadly in favour, though some asked for clearer notice "
    "and for the work to avoid the busiest hours of the day.",
)

# Urdu as a windows-1256 page writes it: Arabic yeh for Urdu yeh, a full stop for the Urdu one.
URDU_LEGACY = (
    "کراچي ميں گزشتہ رات ہونے والي موسلا دھار بارش کے بعد شہر کي کئي اہم سڑکيں پاني ميں ڈوب گئيں اور "
    "ٹريفک کا نظام درہم برہم ہو گيا.",
    "محکمہ موسميات کے مطابق آئندہ دو دنوں ميں مزيد بارش کا امکان ہے، جبکہ شہريوں کو غير ضروري سفر سے "
    "گريز کرنے کي ہدايت کي گئي ہے.",
    "شہري انتظاميہ نے نکاسي آب کے ليے اضافي عملہ اور مشينري تعينات کر دي ہے اور متاثرہ علاقوں ميں امدادي "
    "کام جاري ہے.",
)
URDU = (
    "لاہور میں کتابوں کا سالانہ میلہ آج سے شروع ہو گیا ہے جس میں ملک بھر سے ناشرین اور مصنفین شرکت کر رہے ہیں۔",
    "منتظمین کا کہنا ہے کہ اس سال میلے میں بچوں کے لیے خصوصی حصہ بنایا گیا ہے جہاں کہانیاں سنانے کی نشستیں ہوں گی۔",
    "میلہ پانچ دن تک جاری رہے گا اور داخلہ سب کے لیے مفت ہے، جبکہ شام کو مشاعرے کا اہتمام بھی کیا گیا ہے۔",
)

SQL_TITLE = "'; DROP TABLE articles; -- O'Brien says \"it's fine\" \\ 100% sure"
SQL_BODY = (
    "Robert'); DROP TABLE crawls;-- was the name on the form, and the clerk said: \"we keep it as written.\"",
    "Searching for ' OR '1'='1 and for \"; DELETE FROM articles WHERE 1=1; --\" found nothing odd, "
    "and a backslash before a quote (\\') stayed a backslash.",
    "Placeholders such as ?, ?1, :title, @body, %s and %(body)s are only text here, as are {braces}, "
    "`backticks` and $dollar signs.",
)


def _story(family: str, number: int, slug: str, title: str, lead: str | None = None, **fields) -> Story:
    body = fields.pop("body", None) or ((lead,) if lead else ()) + _FILLER
    return Story(family, f"{number:08d}", slug, title, tuple(body), **fields)


STORIES = (
    _story("calm", 10000001, "council-approves-street-lighting-budget", "Council approves street lighting budget",
           "The city council approved a new budget for street lighting after a short debate."),
    _story("flaky-500", 10000002, "harbour-ferry-returns-after-repairs", "Harbour ferry returns after repairs",
           "The harbour ferry returned to service after repairs to its engine."),
    _story("broken-500", 10000003, "library-extends-weekend-opening-hours", "Library extends weekend opening hours",
           "The central library will open for longer at weekends."),
    _story("busy-503", 10000004, "new-cycle-lanes-open-in-the-old-town", "New cycle lanes open in the old town",
           "New cycle lanes opened in the old town, separated from traffic by low kerbs."),
    _story("retry-after", 10000005, "market-traders-welcome-new-canopy", "Market traders welcome new canopy",
           "Traders at the covered market welcomed a new canopy over the main aisle."),
    _story("retry-after-date", 10000006, "water-board-plans-pipe-renewal", "Water board plans pipe renewal",
           "The water board set out plans to renew old pipes under the main road."),
    _story("retry-after-long", 10000007, "museum-closes-for-roof-work", "Museum closes for roof work",
           "The city museum closed its upper galleries while the roof is repaired."),
    _story("timeout", 10000008, "station-clock-stops-again", "Station clock stops again",
           "The clock above the railway station stopped again, to the amusement of commuters."),
    _story("drip", 10000009, "river-path-reopens-after-floods", "River path reopens after floods",
           "The river path reopened after the flood water went down."),
    _story("reset", 10000010, "bakery-wins-regional-prize", "Bakery wins regional prize",
           "A family bakery won the regional prize for its rye bread."),
    _story("truncated", 10000011, "park-fountain-restored-to-working-order", "Park fountain restored to working order",
           "The fountain in the central park works again after a long restoration."),
    _story("oversized", 10000012, "choir-festival-draws-large-crowds", "Choir festival draws large crowds",
           "The choir festival drew large crowds to the cathedral square."),
    _story("oversized-stream", 10000013, "night-bus-route-extended", "Night bus route extended",
           "The night bus route now runs as far as the university campus."),
    _story("bomb", 10000014, "zoo-welcomes-twin-otters", "Zoo welcomes twin otters",
           "The zoo welcomed twin otters, the first born there in a decade."),
    _story("redirect-cycle", 10000015, "bridge-inspection-finds-no-faults", "Bridge inspection finds no faults",
           "Engineers found no faults during the yearly inspection of the old bridge."),
    _story("redirect-chain", 10000016, "allotment-waiting-list-shrinks", "Allotment waiting list shrinks",
           "The waiting list for allotments is shorter than it has been for years."),
    _story("redirect-offsite", 10000017, "partner-report-on-coastal-erosion", "Partner report on coastal erosion",
           "A partner site reports on erosion along the coast."),
    _story("redirect-private", 10000018, "members-preview-of-the-budget", "Members preview of the budget",
           "A preview of the budget for members only."),
    _story("retry-offsite", 10000027, "partner-feature-on-river-wildlife", "Partner feature on river wildlife",
           "A partner site features the wildlife of the river."),
    _story("private", 10000019, "embargoed-inflation-figures", "Embargoed inflation figures",
           "These figures are under embargo and must not be fetched."),
    _story("malformed", 10000020, "storm-knocks-out-power-in-the-valley", "Storm knocks out power in the valley",
           "A storm knocked out power to homes across the valley overnight."),
    _story("mislabelled", 10000021, "karachi-roads-flooded-after-rain", "کراچي ميں بارش کے بعد سڑکيں پاني ميں ڈوب گئيں",
           body=URDU_LEGACY, lang="ur"),
    _story("no-charset", 10000022, "lahore-book-fair-opens", "لاہور میں کتابوں کا سالانہ میلہ شروع ہو گیا",
           body=URDU, lang="ur"),
    _story("baddate", 10000023, "town-hall-bells-to-ring-again", "Town hall bells to ring again",
           "The bells of the town hall will ring again once the frame is mended.", published=None),
    _story("baddate-fallback", 10000024, "tram-depot-gets-solar-roof", "Tram depot gets solar roof",
           "The tram depot is getting a solar roof that will power its workshops."),
    _story("quotes", 10000025, "form-names-stored-as-written", SQL_TITLE, body=SQL_BODY + _FILLER),
    _story("variants", 10000026, "one-story-linked-many-ways", "One story linked many ways",
           "This story is linked ten thousand ways from a single listing."),
)
FAMILIES = tuple(s.family for s in STORIES) + ("trap",)
_BY_PATH = {s.path: s for s in STORIES}


def story(family: str) -> Story:
    return next(s for s in STORIES if s.family == family)


def trap_path(page: int) -> str:
    return "/trap/" + (f"?page={page}&sid={page * 7919:x}" if page > 1 else "")


def url_variants(base: str, path: str, count: int = VARIANT_COUNT) -> list[str]:
    """count distinct spellings of base + path (as hrefs) that all canonicalize to it: scheme and host
    case, tracking parameters, fragments, percent-encoded letters, relative forms."""
    scheme, host = base.split("://", 1)
    hosts = (host, host.upper(), host.capitalize(), host.swapcase())
    schemes = (scheme, scheme.upper(), scheme.capitalize())
    tracking = ("utm_source", "utm_medium", "utm_campaign", "fbclid", "gclid", "ref", "mc_cid", "igshid")
    head, tail = path[:-1], path[-1]
    out = []
    for i in range(count):
        spelled = path if i % 7 else f"{head}%{ord(tail):02X}"   # a percent-encoded final letter
        query = f"?{tracking[i % len(tracking)]}={i}" + (f"&amp;utm_content=x{i}" if i % 3 == 0 else "")
        fragment = f"#c{i}" if i % 2 else ""
        prefix = "" if i % 5 == 0 else f"{schemes[i % 3]}://{hosts[(i // 3) % 4]}"
        out.append(prefix + spelled + query + fragment)
    return out


# ------------------------------------------------------------------------------------------------- pages

_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?")


def _base(host: str) -> str:
    return "http://" + (host if host and _HOST.fullmatch(host) else "localhost")


def _other_name(base: str) -> str:
    """The same server under its other loopback name: a different host, so off-site for a crawler."""
    host = urlsplit(base).netloc
    name, _, port = host.partition(":")
    other = "127.0.0.1" if name.lower() == "localhost" else "localhost"
    return f"http://{other}" + (f":{port}" if port else "")


def _page(base: str, title: str, main: str, *, og_type: str = "website", canonical: str = "", head: str = "",
          lang: str = "en", charset: bool = True) -> str:
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n'
            + ('<meta charset="utf-8">\n' if charset else "")
            + f"<title>{esc(title)} | {SITE_NAME}</title>\n"
            f'<link rel="canonical" href="{esc(canonical or base + "/")}">\n'
            f'<meta property="og:type" content="{og_type}">\n<meta property="og:title" content="{esc(title)}">\n'
            f"{head}</head>\n<body>\n"
            f'<header class="site-header"><a class="logo" href="{base}/">{SITE_NAME}</a></header>\n'
            f"{main}\n<footer><p>An offline test site bundled with newscrawl.</p></footer>\n</body>\n</html>\n")


def article_html(base: str, s: Story, *, charset: bool = True) -> str:
    head = f'<meta property="article:published_time" content="{s.published}">\n' if s.published else ""
    if s.family == "baddate":
        head = ('<meta property="article:published_time" content="sometime soon">\n'
                '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
                '"datePublished": "TBD", "headline": "Town hall bells to ring again"}</script>\n')
    elif s.family == "baddate-fallback":
        head += ('<script type="application/ld+json">' + json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": s.title,
            "datePublished": "32/13/2023 25:61"}) + "</script>\n")
    when = f'<time datetime="{s.published}">1 August, 9:30 am</time>\n' if s.published else ""
    paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in s.body)
    main = (f'<main>\n<article class="story">\n<h1>{esc(s.title)}</h1>\n<p class="byline">By Staff Reporter</p>\n'
            f'{when}<div class="story-body">\n{paragraphs}</div>\n</article>\n</main>')
    return _page(base, s.title, main, og_type="article", canonical=base + s.path, head=head, lang=s.lang,
                 charset=charset)


def malformed_bytes(base: str, s: Story) -> bytes:
    """The malformed story: a readable headline, date and paragraphs inside broken markup."""
    p1, p2, p3, p4 = (esc(p) for p in s.body[:4])
    text = (f"<html><head><title>{esc(s.title)}</title>\n"   # no </head>, and <body> opens inside it
            f'<meta property="og:type" content="article">\n'
            f'<meta property="article:published_time" content="{s.published}">\n'
            f'<link rel="canonical" href="{base + s.path}">\n'
            f'<body><div class="wrap"><div><div class="story">\n<h1>{esc(s.title)}</h2>\n'
            f"<p>{p1} <b>bold never closed <i>and italic\n<p>{p2}</span></div></em></td>\n"
            f'<p>{p3} <a href="/news/<<<>>>">a broken link</a\n<p>{p4}\n'
            "<table><tr><td>a cell<td>another <<<< >>>> <!doctype again> <![CDATA[ stray ]]> &#0; &#xD800; "
            "&#1114112; &bogus; <p <p <> </>\n")
    return (text.encode("utf-8") + b"\x00\x01\x02 \xff\xfe\xc3 stray bytes \x00\n"
            + b"<div>" * 5000 + b"deep inside\n" + b"</div>" * 10 + b"</body></html")


def home_html(base: str, families, offsite_base: str) -> str:
    cards = "".join(f'<li><a href="{base}{s.path}">{esc(s.title)}</a></li>\n'
                    for s in STORIES if s.family in families and s.family != "variants")
    sections = ""
    if "trap" in families:
        sections += f'<a href="{base}/trap/">Archive</a> '
    if "variants" in families:
        sections += f'<a href="{base}/variants/">Most shared</a> '
    calm = story("calm")
    offsite = (f'<li><a href="{offsite_base}/calm/{calm.id}-partner-copy-{calm.slug}">Partner copy</a></li>\n'
               f'<li><a href="{_other_name(base)}{calm.path}">Mirror copy</a></li>\n')
    main = (f'<main><nav class="sections">{sections}</nav>\n<h1>{SITE_NAME}</h1>\n'
            f'<ul class="stories">\n{cards}{offsite}</ul></main>')
    return _page(base, "Home", main)


def trap_html(base: str, page: int) -> str:
    """A listing page that always has a next one, in a different form on each page."""
    calm, nxt = story("calm"), base + trap_path(page + 1)
    head = f'<link rel="next" href="{nxt}">\n' if page % 3 == 1 else ""
    pager = (f'<a href="{nxt}">Next</a>' if page % 3 == 2 else
             f'<a href="{nxt}">{page + 1}</a>' if page % 3 == 0 else "")
    main = (f'<main><h1>Archive, page {page}</h1>\n<ul class="stories"><li><a href="{base}{calm.path}">'
            f'{esc(calm.title)}</a></li></ul>\n<nav class="pager">{pager}</nav></main>')
    return _page(base, f"Archive, page {page}", main, canonical=base + trap_path(page), head=head)


@lru_cache(maxsize=4)
def variants_html(base: str) -> str:
    target = story("variants")
    items = "".join(f'<li><a href="{href}">{esc(target.title)}</a></li>\n'
                    for href in url_variants(base, target.path))
    return _page(base, "Most shared", f'<main><h1>Most shared</h1>\n<ul class="stories">\n{items}</ul></main>',
                 canonical=base + "/variants/")


@lru_cache(maxsize=1)
def bomb_bytes() -> bytes:
    """gzip of an HTML page padded with BOMB_BYTES of spaces: about 64 KB on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    chunk = b" " * (1 << 20)
    parts = [packer.compress(b"<!doctype html><html><head><title>Zoo</title></head><body><p>")]
    parts += [packer.compress(chunk) for _ in range(BOMB_BYTES >> 20)]
    return b"".join(parts) + packer.flush()


# ------------------------------------------------------------------------------------------------ server

@dataclass(frozen=True)
class Hit:
    path: str      # path and query, as requested
    host: str      # the Host header
    at: float      # time.monotonic() on arrival


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128   # listen backlog: the default 5 drops a burst of connects, which then time out

    def __init__(self, address, families=FAMILIES, offsite_base: str = "http://offsite.invalid",
                 verbose: bool = False):
        self.families = frozenset(families)
        self.offsite_base = offsite_base
        self.verbose = verbose
        self.hits: list[Hit] = []
        self.closing = threading.Event()   # set on shutdown: stalled handlers return at once
        self._lock = threading.Lock()
        if "bomb" in self.families:
            bomb_bytes()  # built now: built on request, it would answer late enough to time out
        super().__init__(address, FaultHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def record(self, path: str, host: str) -> int:
        """Log one request; returns how often this path (with its query) has now been asked."""
        with self._lock:
            self.hits.append(Hit(path, host, time.monotonic()))
            return sum(1 for h in self.hits if h.path == path)

    def requested(self, prefix: str = "") -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path.startswith(prefix)]

    def shutdown(self):
        self.closing.set()
        super().shutdown()

    def handle_error(self, request, client_address):
        pass  # broken connections are what this server is for


class FaultHandler(BaseHTTPRequestHandler):
    server_version = "newscrawl-faults/1.0"

    def do_GET(self):
        hit = self.server.record(self.path, self.headers.get("Host", ""))
        base = _base(self.headers.get("Host") or f"localhost:{self.server.port}")
        parts = urlsplit(self.path)
        try:
            self._route(base, parts.path, parse_qs(parts.query), hit)
        except OSError:
            self.close_connection = True  # the crawler hung up (timeout, size limit): nothing to do

    def _route(self, base, path, query, hit):
        page = query.get("page", ["1"])[0]
        if path == "/robots.txt":
            return self._send(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        if path == "/":
            return self._html(home_html(base, self.server.families, self.server.offsite_base))
        if path == "/trap/" and "trap" in self.server.families and page.isdigit() and int(page) >= 1:
            return self._html(trap_html(base, int(page)))
        if path == "/variants/" and "variants" in self.server.families:
            return self._html(variants_html(base))
        s = _BY_PATH.get(path)
        if s is None or s.family not in self.server.families:
            return self._html(_page(base, "Not found", "<main><h1>Not found</h1></main>"), status=404)
        getattr(self, "_" + s.family.replace("-", "_"), self._serve)(base, s, hit, query)

    # -- well-behaved answers

    def _send(self, status, body: bytes, content_type="text/html; charset=utf-8", headers=(), length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, text: str, status=200, headers=()):
        self._send(status, text.encode("utf-8"), headers=headers)

    def _serve(self, base, s, hit, query):
        self._html(article_html(base, s))

    def _stall(self, seconds=MAX_STALL):
        self.server.closing.wait(seconds)

    # -- one method per fault family (the default, _serve, answers normally)

    def _error(self, status, headers=()):
        self._html(_page("", f"Error {status}", f"<main><h1>Error {status}</h1><p>Try again later.</p></main>"),
                   status=status, headers=headers)

    def _flaky_500(self, base, s, hit, query):
        self._error(500) if hit == 1 else self._serve(base, s, hit, query)

    def _broken_500(self, base, s, hit, query):
        self._error(500)

    def _busy_503(self, base, s, hit, query):
        self._error(503) if hit == 1 else self._serve(base, s, hit, query)

    def _retry_after(self, base, s, hit, query):
        self._error(503, [("Retry-After", "1")]) if hit == 1 else self._serve(base, s, hit, query)

    def _retry_after_date(self, base, s, hit, query):
        if hit > 1:
            return self._serve(base, s, hit, query)
        now = int(time.time())
        self.date_time_string = lambda timestamp=None: formatdate(now, usegmt=True)   # Date: and Retry-After agree
        self._error(429, [("Retry-After", formatdate(now + 2, usegmt=True))])

    def _retry_after_long(self, base, s, hit, query):
        self._error(503, [("Retry-After", "3600")])

    def _timeout(self, base, s, hit, query):
        self._stall()
        self.close_connection = True

    def _drip(self, base, s, hit, query):
        if hit > 1:
            return self._serve(base, s, hit, query)
        body = article_html(base, s).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        deadline = time.monotonic() + MAX_STALL
        for i in range(len(body)):
            if time.monotonic() > deadline or self.server.closing.is_set():
                break
            self.wfile.write(body[i:i + 1])
            self._stall(DRIP_INTERVAL)
        self.close_connection = True

    def _reset(self, base, s, hit, query):
        # SO_LINGER 0: close() sends RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _truncated(self, base, s, hit, query):
        body = article_html(base, s).encode("utf-8")
        self._send(200, body[:len(body) // 2], length=len(body))
        self.close_connection = True

    def _oversized(self, base, s, hit, query, declared=True):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            self.send_header("Content-Length", str(OVERSIZE_BYTES))
        self.end_headers()
        chunk = (article_html(base, s).encode("utf-8") + b" " * (1 << 16))[:1 << 16]
        for _ in range(OVERSIZE_BYTES // len(chunk)):
            self.wfile.write(chunk)
        self.close_connection = True

    def _oversized_stream(self, base, s, hit, query):
        self._oversized(base, s, hit, query, declared=False)

    def _bomb(self, base, s, hit, query):
        self._send(200, bomb_bytes(), headers=[("Content-Encoding", "gzip")])

    def _redirect(self, location):
        self.send_response(REDIRECT_STATUS)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _redirect_cycle(self, base, s, hit, query):
        self._redirect(base + s.path + ("" if query.get("via") else "?via=mirror"))

    def _redirect_chain(self, base, s, hit, query):
        hop = query.get("hop", ["0"])[0]
        self._redirect(f"{base}{s.path}?hop={int(hop) + 1 if hop.isdigit() else 1}")

    def _redirect_offsite(self, base, s, hit, query):
        self._redirect(f"{self.server.offsite_base}/calm/{s.id}-moved-{s.slug}")

    def _retry_offsite(self, base, s, hit, query):
        self._error(503) if hit == 1 else self._redirect_offsite(base, s, hit, query)

    def _redirect_private(self, base, s, hit, query):
        self._redirect(base + story("private").path)

    def _malformed(self, base, s, hit, query):
        self._send(200, malformed_bytes(base, s))

    def _mislabelled(self, base, s, hit, query):
        self._send(200, article_html(base, s).encode("cp1256"))   # says utf-8, twice

    def _no_charset(self, base, s, hit, query):
        self._send(200, article_html(base, s, charset=False).encode("utf-8"), content_type="text/html")

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


def make_server(host: str = "127.0.0.1", port: int = 0, **options) -> FaultServer:
    return FaultServer((host, port), **options)


@contextlib.contextmanager
def running_fault_server(host: str = "127.0.0.1", port: int = 0, **options):
    """Serve in a background thread for the duration of a with-block; yields the server."""
    server = make_server(host, port, **options)
    with in_background(server, "fault-server"):
        yield server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve a misbehaving local news site (fault suite).")
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    server = make_server("127.0.0.1", args.port, verbose=args.verbose)
    print(f"Serving {SITE_NAME} at http://localhost:{server.port}/", flush=True)
    serve_until_interrupted(server)


if __name__ == "__main__":
    main()
