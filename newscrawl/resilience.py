"""Middlewares (and one extension) that keep a crawl sane when a site misbehaves, and count each kind
of misbehaviour under `fault/...` where Scrapy's own stats are silent or unclear:

  fault/retry_after/waited           a retryable answer (503, 429, ...) asked for a pause: paused, then retried
  fault/retry_after/too_long         ... asked for more than NEWSCRAWL_RETRY_AFTER_MAX seconds: given up at once
  fault/charset_mislabelled          the declared charset did not decode the page; read in the one that does
  fault/too_large/download           the body (declared or received) went over DOWNLOAD_MAXSIZE
  fault/too_large/decompressed       the body expanded past DOWNLOAD_MAXSIZE while being decompressed
  fault/redirect_loop                a redirect led back to a URL already in its own chain: stopped there
  fault/redirect_limit               more than REDIRECT_MAX_TIMES redirects in a row
  offsite/filtered                   (Scrapy's key) an off-site request, now also one that a retry had let through
  skipped/content_type/<type>        a 2xx answer that is not HTML (image_png, application_pdf, text_plain, ...), nor
                                     the XML a feed or the JSON an API request expects: never parsed, never stored

Scrapy drops a decompression bomb, a redirect loop and an over-long redirect chain with IgnoreRequest,
which spiders take for crawl policy, not errors: without these counters they would leave no trace in
the stats. NEWSCRAWL_RETRY_AFTER_MAX (seconds, default 60) caps the pause Retry-After may ask for.

settings.py:
    DOWNLOADER_MIDDLEWARES = {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        "newscrawl.resilience.OnSiteMiddleware": 50,
        "newscrawl.resilience.RetryAfterMiddleware": 560,        # just outside RetryMiddleware (550)
        "newscrawl.resilience.CharsetRepairMiddleware": 585,     # after decompression, before MetaRefresh (580)
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
        "newscrawl.resilience.SizeLimitMiddleware": 590,
        "newscrawl.resilience.ContentTypeMiddleware": 595,       # before decompression: a PDF is not unpacked
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "newscrawl.resilience.RedirectLoopMiddleware": 600,
    }
    EXTENSIONS = {"newscrawl.report.CrawlSummary": 500, "newscrawl.resilience.ParserWarmUp": 0}
"""

import logging
import re
from datetime import datetime, timezone

from charset_normalizer import from_bytes
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.http import Request, TextResponse
from scrapy.utils.asyncio import sleep
from w3lib.encoding import html_body_declared_encoding, resolve_encoding
from w3lib.url import canonicalize_url

from .normalize.dates import http_date_to_datetime

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER_MAX = 60  # seconds


class OnSiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, judging every request by its host.

    The stock filter waves through any request with dont_filter=True, and RetryMiddleware sets that on
    every retry (to get past the duplicate filter), which its redirects inherit: a page that failed once
    and then redirected off-site was fetched off-site. Here only meta allow_offsite opens the gate.
    """

    def process_request(self, request, spider=None):
        if request.dont_filter and not request.meta.get("allow_offsite"):
            request = request.replace(dont_filter=False)  # a copy, judged on its host alone; never sent
        return super().process_request(request)


def retry_after_seconds(response):
    """The pause a response asks for (Retry-After: delta-seconds or an HTTP-date), or None.

    A date counts from the response's own Date header, so a server's clock skew does not matter.
    """
    value = (response.headers.get("Retry-After") or b"").decode("latin-1").strip()
    if value.isdigit():
        return int(value)
    when = http_date_to_datetime(value)
    if when is None:
        return None
    now = http_date_to_datetime(response.headers.get("Date")) or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware:
    """Honours Retry-After on answers RetryMiddleware will retry: waits that long before handing the
    answer on, so the retry goes out after it. A longer pause than NEWSCRAWL_RETRY_AFTER_MAX means
    "come back later", not "retry now": the page is given up without further requests.

    The wait holds one of the crawl's concurrent slots, which is the point: the site asked us to slow down.
    """

    def __init__(self, crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.retry_times = settings.getint("RETRY_TIMES")
        self.max_wait = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    async def process_response(self, request, response):
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.retry_times):
            return response  # no retry is coming: nothing to wait for
        wait = retry_after_seconds(response)
        if wait is None:
            return response
        if wait > self.max_wait:
            self.stats.inc_value("fault/retry_after/too_long")
            logger.warning("%s asks to retry after %.0f s (limit %.0f s): not retrying", request.url, wait,
                           self.max_wait)
            request.meta["dont_retry"] = True
            return response
        self.stats.inc_value("fault/retry_after/waited")
        logger.info("%s asks to retry after %.1f s: waiting", request.url, wait)
        await sleep(wait)
        return response


def _undecodable_share(body, encoding):
    """(bad sequences, share of non-ASCII bytes they stand for) when body is decoded as encoding."""
    high = len(body) - len(body.translate(None, bytes(range(0x80, 0x100))))
    if not high:
        return 0, 0.0
    try:
        genuine = body.count("\ufffd".encode(encoding))  # replacement characters the page really has
    except UnicodeEncodeError:
        genuine = 0
    bad = body.decode(encoding, "replace").count("\ufffd") - genuine
    return bad, bad / high


class CharsetRepairMiddleware:
    """A page whose declared charset does not decode it (Urdu in windows-1256 labelled UTF-8, say) is
    read in the charset its <meta> declares or, failing that, the one its bytes point to.

    Only a page that mostly fails to decode is repaired: a UTF-8 page with a few stray bytes keeps UTF-8
    (and loses those bytes), rather than being re-read as mojibake.
    """

    MIN_BAD_SEQUENCES = 16
    MIN_BAD_SHARE = 0.25

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response):
        if not isinstance(response, TextResponse) or not response.body:
            return response
        declared = response.encoding
        try:
            response.body.decode(declared)
            return response
        except (UnicodeDecodeError, LookupError):
            pass
        bad, share = _undecodable_share(response.body, declared)
        if bad < self.MIN_BAD_SEQUENCES or share < self.MIN_BAD_SHARE:
            return response
        actual = self._actual_encoding(response.body, declared)
        if actual is None:
            return response
        self.stats.inc_value("fault/charset_mislabelled")
        logger.info("%s says %s but is %s: read as %s", response.url, declared, actual, actual)
        return response.replace(encoding=actual)

    @staticmethod
    def _actual_encoding(body, declared):
        candidates = [html_body_declared_encoding(body)]
        best = from_bytes(body).best()
        candidates.append(best.encoding if best else None)
        for name in candidates:
            encoding = resolve_encoding(name) if name else None
            if encoding and encoding != declared:
                try:
                    body.decode(encoding)
                except UnicodeDecodeError:
                    continue
                return encoding
        return None


class SizeLimitMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, counting what DOWNLOAD_MAXSIZE stops: a body over the limit as
    downloaded (the download handler cancels it) or as decompressed (a decompression bomb)."""

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            # The only IgnoreRequest HttpCompressionMiddleware raises: DOWNLOAD_MAXSIZE while decompressing.
            self.stats.inc_value("fault/too_large/decompressed")
            raise

    def process_exception(self, request, exception, spider=None):
        # Scrapy's HTTP handlers cancel a download only for DOWNLOAD_MAXSIZE: at the headers when the
        # declared length is over it, or mid-body when the bytes received go over it.
        if isinstance(exception, DownloadCancelledError):
            self.stats.inc_value("fault/too_large/download")
        return None


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
                        "text/xml"})
FEED_KINDS = ("feed", "sitemap")   # request meta "kind" of feeds, news sitemaps and sitemap indexes
API_TYPES = frozenset({"application/json", "text/json"})


def expected_types(request):
    """What a request may be answered with: HTML, plus XML for a feed or sitemap (meta kind
    "feed") and JSON for an API call (an article API's, meta "article_url", or a "load more").
    """
    if request.meta.get("kind") in FEED_KINDS:
        return HTML_TYPES | FEED_TYPES
    if request.meta.get("kind") == "robots":   # the spider reads robots.txt for its Sitemap: lines
        return HTML_TYPES | {"text/plain"}
    if request.meta.get("article_url") or request.headers.get("X-Requested-With") == b"XMLHttpRequest":
        return HTML_TYPES | API_TYPES
    return HTML_TYPES


def media_type(response):
    """The response's media type ("application/pdf"), or None without a Content-Type."""
    header = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return header.split(";")[0].strip().lower() or None


class ContentTypeMiddleware:
    """A 2xx answer of a type the request did not ask for (an image, a PDF, plain text, bytes)
    is dropped before any parser sees it, counted as skipped/content_type/<type>: read as HTML,
    a PDF's text became an article. A request is a page, a feed or an API call (expected_types).
    robots.txt is Scrapy's own business. Without a Content-Type, Scrapy's guess from the bytes
    decides: only what it takes for HTML (or XML, for a feed) passes."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        if not 200 <= response.status < 300 or request.meta.get("dont_obey_robotstxt"):
            return response
        declared = media_type(response)
        if declared is None:
            from scrapy.http import HtmlResponse, TextResponse, XmlResponse

            kinds = {**dict.fromkeys(FEED_KINDS, (HtmlResponse, XmlResponse)),
                     "robots": (TextResponse,)}.get(request.meta.get("kind"), (HtmlResponse,))
            if isinstance(response, kinds):
                return response
            declared = "missing"
        elif declared in expected_types(request):
            return response
        reason = re.sub(r"[^a-z0-9]+", "_", declared)[:60]
        self.stats.inc_value(f"skipped/content_type/{reason}")
        logger.info("Skipped %s: a %s answer, not a page", request.url, declared)
        raise IgnoreRequest(f"not a page: {declared}")


class RedirectLoopMiddleware(RedirectMiddleware):
    """Scrapy's redirects, stopping a loop at its first repeat (A -> B -> A is not followed for
    REDIRECT_MAX_TIMES hops) and counting both a loop and a chain that runs past REDIRECT_MAX_TIMES."""

    def process_response(self, request, response, spider=None):
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            self.stats.inc_value("fault/redirect_limit")
            raise
        if isinstance(result, Request) and result is not request:
            # Scrapy's own URL identity (not newscrawl's canonical_url, which drops tracking parameters:
            # a redirect from ?utm_source=x to the bare URL is a normal hop, not a loop).
            chain = {canonicalize_url(url) for url in result.meta.get("redirect_urls", ())}
            if canonicalize_url(result.url) in chain:
                self.stats.inc_value("fault/redirect_loop")
                logger.warning("Redirect loop at %s: %s", request.url, " -> ".join(
                    [*result.meta["redirect_urls"], result.url]))
                raise IgnoreRequest(f"redirect loop back to {result.url}")
        return result

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.stats = crawler.stats
        return middleware


def preload_parsers():
    """Import the parsers newscrawl otherwise loads lazily (dateparser, htmldate, trafilatura,
    extruct). Loaded by the first page that needs them, they hold the reactor for 0.5-2 s: every
    download in flight can time out meanwhile, and a batch of archive writes keeps the lock."""
    import extruct.w3cmicrodata  # noqa: F401
    import htmldate  # noqa: F401
    import trafilatura  # noqa: F401
    from dateparser.date import DateDataParser

    DateDataParser(languages=["en"]).get_date_data("1 August 2023")  # its first use loads language data


class ParserWarmUp:
    """preload_parsers() as the crawler starts (the generic spider always does it)."""

    def __init__(self):
        preload_parsers()

    @classmethod
    def from_crawler(cls, crawler):
        return cls()
