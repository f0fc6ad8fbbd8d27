"""SiteSpider: the crawl policy shared by every profiled site.

Section listings are the seeds; listing pages and the articles they list come first, "More
Stories" excursions after (request priorities). Extraction is the profile's business.
"""

import json
import logging
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from parsel import Selector

from ..extract.html import element_text
from ..normalize.dates import http_date_to_datetime, parse_datetime
from ..normalize.urls import canonical_url, same_site
from ..profiles.base import with_layouts
from .arguments import CrawlArguments, has_credentials
from .base import ARTICLE_PRIORITY, EXCURSION_PRIORITY, LISTING_PRIORITY, NewsSpiderBase
from .links import feed_entries

logger = logging.getLogger(__name__)


class SiteSpider(NewsSpiderBase):
    profile = None  # a SiteProfile; set by each site's subclass

    @classmethod
    def parse_arguments(cls, **raw):
        return CrawlArguments.parse(cls.name, cls.profile.sections, **raw)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # -s NEWSCRAWL_PROFILE_LAYOUTS=…: article layouts added to the profile for this crawl.
        spider.profile = with_layouts(spider.profile, crawler.settings.getlist("NEWSCRAWL_PROFILE_LAYOUTS"))
        if spider.renders:
            # Only for such a crawl: the browser's download handler slows every other one down.
            from ..rendering import enable_rendering

            enable_rendering(crawler, spider.base_url)
        return spider

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = self.args.base_url or self.profile.base_url
        self.hosts = self.profile.hosts + ((urlsplit(self.base_url).hostname,) if self.args.base_url else ())
        self.allowed_domains = list(self.hosts)

    @property
    def renders(self):
        """True when some requests go through a browser: the profile asks and -a render=0 did not refuse."""
        return bool(self.profile.render and self.args.render)

    # -- requests -------------------------------------------------------------------------

    async def start(self):
        for section in self.args.sections:
            url = self.profile.section_url(section, self.base_url)
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 priority=LISTING_PRIORITY, cb_kwargs={"section": section, "page": 1},
                                 meta={"kind": "listing", "section": section, **self._render_meta("listing")})
        for path in self.profile.feeds:
            yield scrapy.Request(self.base_url.rstrip("/") + path, callback=self.parse_feed,
                                 errback=self.on_error, priority=LISTING_PRIORITY,
                                 meta={"kind": "feed", "section": "feed"})

    def _render_meta(self, kind):
        """Meta that sends a request of this kind through the browser, when the profile renders it."""
        if not (self.renders and kind in self.profile.render.kinds):
            return {}
        from ..rendering import render_meta

        return render_meta(self.profile.render, self.profile.listing.item)

    def _article_request(self, url, priority, depth, section, listing_published=None):
        # kind and section let middlewares (the seen-store) reason about the crawl's shape.
        meta = {"kind": "article" if depth == 0 else "excursion", "section": section,
                "more_stories_depth": depth, "listing_published": listing_published}
        if self.profile.article_api:
            # The page is a script shell: ask the site's API; article_url keeps the page's address.
            meta["article_url"], url = url, self.profile.article_api.url_for(url)
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, priority=priority,
                              meta={**meta, **self._render_meta(meta["kind"])})

    def excursion_request(self, url, depth, section):
        return self._article_request(url, EXCURSION_PRIORITY, depth, section)

    def _article_url(self, response, href):
        """The canonical URL of an article link, or None for anything that is not one."""
        if not href:
            return None
        url = canonical_url(response.urljoin(href.strip()), self.profile.amp_rules)
        if not same_site(url, self.hosts) or not self.profile.article_match(url) or has_credentials(url):
            return None
        return url

    # -- callbacks ------------------------------------------------------------------------

    def parse(self, response, **kwargs):
        """The callback for a URL of either kind, picked by the profile's URL patterns (what
        `scrapy parse URL` and `scrapy check` call without --callback)."""
        if self.profile.article_match(response.url):
            return self.parse_article(response)
        return self.parse_listing(response, self.section_of_listing(response.url), 1)

    def section_of_listing(self, url):
        """The section whose listing url is, by the profile's listing paths; "listing" when none says."""
        path = urlsplit(url).path
        for template in self.profile.section_paths:
            if "{section}" not in template:
                if path == template:
                    return self.profile.sections[0]
                continue
            head, _, tail = template.partition("{section}")
            match = re.fullmatch(re.escape(head) + r"(?P<section>[a-z0-9-]+(?:/[a-z0-9-]+)?)" + re.escape(tail), path)
            if match:
                return match["section"]
        return "listing"

    def _listing_date(self, text, base):
        return parse_datetime(text, tz=self.profile.timezone, languages=self.profile.languages,
                              relative_base=base, formats=self.profile.date_formats)

    def _listed_articles(self, response, selector, section):
        """Requests for the articles a listing (page or loaded fragment) shows, and its counts."""
        base = http_date_to_datetime(response.headers.get("Date")) or datetime.now(timezone.utc)
        listing = self.profile.listing
        requests, found, older = [], 0, 0
        for item in selector.css(listing.item):
            url = self._article_url(response, item.css(listing.link).get())
            if not url:
                continue
            found += 1
            listed = None
            if listing.date:
                listed = self._listing_date(element_text(item.css(listing.date)[:1] or None), base)
            if self.is_older(listed):
                older += 1
                continue
            requests.append(self._article_request(url, ARTICLE_PRIORITY, 0, section, listing_published=listed))
        return requests, found, older

    def _keep_paging(self, section, page, found, older):
        """Crawl policy: page on only past pages that listed something new enough, within max_pages."""
        stats = self.crawler.stats
        if not found:
            return False  # a page with no articles: pagination past it leads nowhere useful
        if self.args.since and older == found:
            stats.inc_value("since/sections_stopped")
            logger.info("Section %s: page %d lists only articles older than %s; stop paging",
                        section, page, self.args.since)
            return False
        if self.args.max_pages and page >= self.args.max_pages:
            stats.inc_value("max_pages/sections_stopped")
            return False
        return True

    def _report_listing(self, section, page, requests, found, older):
        stats = self.crawler.stats
        stats.inc_value("listing/pages")
        stats.inc_value("listing/article_links", found)
        # Per section, for crawl health (newscrawl/health): a section whose listings go empty.
        stats.inc_value(f"health/section/{section}/listings")
        stats.inc_value(f"health/section/{section}/links", found)
        if not found:
            stats.inc_value(f"health/section/{section}/empty_listings")
        if older:
            stats.inc_value("since/older_listed_skipped", older)
        logger.info("Listing %s page %d: %d article links, %d older than since", section, page, found, older)

    def parse_listing(self, response, section, page):
        requests, found, older = self._listed_articles(response, response.selector, section)
        self._report_listing(section, page, requests, found, older)
        yield from requests
        if not self._keep_paging(section, page, found, older):
            return
        listing = self.profile.listing
        next_href = response.css(listing.next_page).get() if listing.next_page else None
        if next_href:
            yield scrapy.Request(response.urljoin(next_href), callback=self.parse_listing,
                                 errback=self.on_error, priority=LISTING_PRIORITY,
                                 cb_kwargs={"section": section, "page": page + 1},
                                 meta={"kind": "next_page", "section": section, **self._render_meta("next_page")})
        elif self.profile.load_more:
            yield self._load_more_request(section, page + 1)

    def _load_more_request(self, section, page):
        load_more = self.profile.load_more
        values = {"section": section, "page": page}
        return scrapy.Request(
            self.base_url.rstrip("/") + load_more.path.format(**values), method=load_more.method,
            body=load_more.body.format(**values) if load_more.body else None,
            headers={"Content-Type": load_more.content_type, "X-Requested-With": "XMLHttpRequest"},
            callback=self.parse_load_more, errback=self.on_error, priority=LISTING_PRIORITY,
            cb_kwargs={"section": section, "page": page}, meta={"kind": "next_page", "section": section})

    def parse_load_more(self, response, section, page):
        try:
            fragment = json.loads(response.text).get(self.profile.load_more.html_key) or ""
        except (ValueError, AttributeError):
            self.crawler.stats.inc_value("listing/load_more_unreadable")
            logger.warning("Load-more answer of %s is not the expected JSON", response.url)
            return
        requests, found, older = self._listed_articles(response, Selector(text=fragment), section)
        self._report_listing(section, page, requests, found, older)
        yield from requests
        if self._keep_paging(section, page, found, older):
            yield self._load_more_request(section, page + 1)

    def parse_feed(self, response):
        """RSS, Atom or a (news) sitemap: article links with their dates, newest first."""
        stats = self.crawler.stats
        stats.inc_value("feed/pages")
        sitemaps, entries = feed_entries(response)
        for loc in sitemaps:
            yield scrapy.Request(loc, callback=self.parse_feed,
                                 errback=self.on_error, priority=LISTING_PRIORITY,
                                 meta={"kind": "feed", "section": "feed"})
        wanted_sections = {s.split("/")[0] for s in self.args.sections}
        for href, printed in entries:
            url = self._article_url(response, href)
            if not url:
                continue
            if self.args.sections_given and self.profile.article_match(url)["section"] not in wanted_sections:
                continue
            stats.inc_value("feed/article_links")
            published = self._listing_date(printed, None) if printed else None
            if self.is_older(published):
                stats.inc_value("since/older_listed_skipped")
                continue
            yield self._article_request(url, ARTICLE_PRIORITY, 0, "feed", listing_published=published)

    def parse_article(self, response):
        self.promote_listed(response)
        article = self.extract(response)
        if article is None or self.too_old(article):
            return
        if response.meta.get("kind") == "excursion" and not self._in_chosen_sections(article.get("section")):
            # Reached through "More Stories" of a chosen section, but of another one (its URL did not say).
            self.crawler.stats.inc_value("excursions/other_sections_skipped")
            return
        yield article
        if self.profile.more_stories:
            yield from self.follow_related(response, self._more_stories_urls(response), "more_stories/links")

    def _more_stories_urls(self, response):
        for href in response.css(self.profile.more_stories).getall():
            url = self._article_url(response, href)
            if url and self._in_chosen_sections(self.profile.article_match(url)["section"]):
                yield url
            elif url:
                self.crawler.stats.inc_value("excursions/other_sections_skipped")

    def _in_chosen_sections(self, section):
        """May an excursion go to (or store) an article of this section? Unknown (None): yes,
        until its page says."""
        if self.args.excursions_anywhere or not section:
            return True
        return section.split("/")[0] in {s.split("/")[0] for s in self.args.sections}

