"""What every newscrawl spider shares: argument checking, local-copy settings, stop rules on
articles, and counted fetch errors."""

import logging
from collections import OrderedDict

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from ..extract.article import extract_article
from ..frontier.state import frontier_of
from ..pipelines.store import crawl_archive, is_incremental
from ..redact import redact_logs

logger = logging.getLogger(__name__)

# A listing's articles before the next listing page: newest first, and the request queue holds about one
# page of articles per section instead of every article of the site (10,000 queued requests at 10k).
ARTICLE_PRIORITY = 20
LISTING_PRIORITY = 10
EXCURSION_PRIORITY = 0  # "More Stories" and related links: after listings and listed articles
# What an article request from a listing carries that an excursion's lacks.
LISTED_META = ("kind", "section", "listing_published", "more_stories_depth", "depth_related")
# Links remembered from pages whose related links the depth limit cut (oldest pages forgotten first).
CUT_LINKS_KEPT = 20_000



class QueuedExcursions(dict):
    """Excursions waiting in this process's queue, by URL (a shared frontier has its own, in
    Redis, with the same two questions, each one round trip)."""

    def claim(self, url) -> bool:
        """Record url as queued unless it is already: whether this call recorded it."""
        if url in self:
            return False
        self[url] = None
        return True

    def mark_listed(self, url, meta) -> None:
        """A listing showed a queued excursion's page: keep the listing's meta for it."""
        if url in self:
            self[url] = meta

class NewsSpiderBase(scrapy.Spider):
    profile = None  # a SiteProfile, or None for sites crawled by structure alone
    # Hops of related/"More Stories" links followed from a listed article. Two: a listed page may
    # first be reached as another article's related link.
    max_excursion_depth = 2

    @classmethod
    def parse_arguments(cls, **raw):
        """Check -a arguments (raise ArgumentError); also called by `scrapy crawl` before starting."""
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        # Scrapy installs its final log handler after the spider is made: filter it once open.
        crawler.signals.connect(spider._redact_logs, signal=signals.spider_opened)
        if spider.args.is_local and not crawler.settings.frozen:
            # A local copy needs no politeness delays (a command-line -s still wins). `scrapy shell`
            # makes its spider once the settings are frozen: one fetch needs no delay anyway.
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    def __init__(self, *args, **kwargs):
        self.args = type(self).parse_arguments(**kwargs)
        super().__init__(*args)
        # Excursions waiting in the queue, by URL: None, or the meta of a listing that showed the
        # same page meanwhile (its request was dropped as a duplicate of the excursion).
        self.queued_excursions = QueuedExcursions()
        # Pages parsed at the depth limit, by URL: (their related links, not followed), kept for
        # when the same page is reached again from nearer a listing (see follow_related).
        self.cut_by_depth = OrderedDict()
        self.cut_links_kept = 0

    def _redact_logs(self, spider=None):
        redact_logs()  # a redirect or link to http://user:pass@… is logged as user:***@

    # -- a listed page reached first through a widget --------------------------------------
    # Listings go after their articles, so a widget link can queue a page before the listing
    # that shows it; the duplicate filter then drops the listing's request. Without this, the
    # page would count as an excursion (no listing date, no section, "More Stories" followed one
    # hop less) depending on timing. Bounded by the excursions in the queue.

    def _request_scheduled(self, request, spider=None):
        if request.meta.get("kind") != "excursion":
            return
        shared = frontier_of(self.crawler)
        if shared is not None and shared.surely_seen(request):
            return   # a duplicate the run's filter drops: no round trip to claim and unclaim it
        if self.queued_excursions.claim(request.url):
            request.meta["excursion_key"] = request.url

    def _request_dropped(self, request, spider=None):
        key = request.url
        if request.meta.pop("excursion_key", None):
            self.queued_excursions.pop(key, None)   # the excursion itself was the duplicate
        elif request.meta.get("kind") == "article":
            self.queued_excursions.mark_listed(key, {name: value for name, value in request.meta.items()
                                                     if name in LISTED_META})
        followed = self.reached_nearer(request)
        if followed and is_incremental(self.crawler) and self.crawler.stats.get_value("archive/crawl_id"):
            # engine.crawl skips the spider middlewares, so the seen-store never sees these; and the
            # duplicate filter forgets stored articles (newscrawl/dupefilter.py): ask the archive here.
            archive = crawl_archive(self.crawler)
            followed = [follow for follow in followed if not archive.known(follow.url)]
        for follow in followed:
            self.crawler.engine.crawl(follow)

    def promote_listed(self, response):
        """Give a page fetched as an excursion the listing's meta when a listing also showed it."""
        key = response.meta.get("excursion_key")
        listed = self.queued_excursions.pop(key, None) if key else None
        if listed:
            self.crawler.stats.inc_value("excursions/listed_meanwhile")
            response.meta.update(listed)

    # -- a page reached at the depth limit, then nearer a listing ----------------------------
    # Whichever request for a page is answered first decides its depth. If an excursion at the
    # limit wins, its related links are cut; the listing's later request for the same page is
    # dropped (duplicate filter, or the seen-store once it is stored), and without this what
    # the crawl stores would depend on the order responses arrive in.

    def follow_related(self, response, urls, stat):
        """Excursions to a page's related links, one hop deeper than the page (counted as stat);
        past the depth limit the links are remembered instead (see reached_nearer)."""
        depth = excursion_depth(response.meta) + 1
        section = response.meta.get("section")
        if depth <= self.max_excursion_depth:
            for url in urls:
                self.crawler.stats.inc_value(stat)
                yield self.excursion_request(url, depth, section)
            return
        links = list(dict.fromkeys(urls))
        if not links:
            return
        key = response.meta.get("redirect_urls", [response.url])[0]   # the URL that was requested
        self._forget_cut(key)
        self.cut_by_depth[key] = links
        self.cut_links_kept += len(links)
        while self.cut_links_kept > CUT_LINKS_KEPT:
            self._forget_cut(next(iter(self.cut_by_depth)))

    def _forget_cut(self, key):
        self.cut_links_kept -= len(self.cut_by_depth.pop(key, ()))

    def reached_nearer(self, request):
        """Excursions to the links the depth limit cut from request's page, when request (dropped:
        the page is fetched or stored already) reaches it close enough to a listing to follow them."""
        depth = excursion_depth(request.meta) + 1
        if request.url not in self.cut_by_depth or depth > self.max_excursion_depth:
            return []
        links = self.cut_by_depth[request.url]
        self._forget_cut(request.url)
        self.crawler.stats.inc_value("excursions/depth_cut_followed", len(links))
        return [self.excursion_request(url, depth, request.meta.get("section")) for url in links]

    def is_older(self, published):
        return bool(self.args.since and published and published[:10] < self.args.since.isoformat())

    def extract(self, response):
        """The article of a response, or None (counted, logged once) when the page breaks the extractor."""
        try:
            article = extract_article(self.article_page(response), self.profile,
                                      listing_published=response.meta.get("listing_published"))
        except Exception:
            self.crawler.stats.inc_value("article/parse_errors")
            logger.error("Could not parse article %s", response.url, exc_info=True)
            return None
        self.crawler.stats.inc_value("article/parsed")
        return article

    def article_page(self, response):
        """The page to extract: an API answer (meta "article_url") becomes the page it stands for."""
        api = self.profile.article_api if self.profile else None
        page_url = response.meta.get("article_url")
        return api.page(response, page_url) if api and page_url else response

    def too_old(self, article):
        """since applies to articles too: an older one is skipped, and so is its neighbourhood."""
        if self.is_older(article.get("published_at")):
            self.crawler.stats.inc_value("since/older_articles_skipped")
            return True
        return False

    def on_error(self, failure):
        request = failure.request
        self.queued_excursions.pop(request.meta.get("excursion_key"), None)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Crawl policy said no (robots.txt, offsite): counted by its middleware, not an error.
            logger.debug("Skipped %s: %s", request.url, failure.value)
            return
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"fetch_errors/{reason}")
        logger.warning("Failed %s: %s", request.url, reason)


def excursion_depth(meta):
    """Hops from a listed article: site spiders say more_stories_depth, the generic one depth_related."""
    return meta.get("more_stories_depth", meta.get("depth_related", 0)) or 0
