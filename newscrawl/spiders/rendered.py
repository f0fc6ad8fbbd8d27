"""The generic spider's browser: pages that turn out to be drawn by script are fetched again
through Chromium. Which pages, the page itself says (newscrawl.discovery.scripted)."""

import logging
from urllib.parse import urlsplit

from ..discovery.scripted import render_reason
from .links import MIN_ARTICLE_TEXT, MIN_DRAWN_ARTICLE_TEXT

logger = logging.getLogger(__name__)
# What the downloader wrote into the first fetch's meta: the second fetch starts afresh.
_FETCH_STATE = ("download_latency", "download_slot", "retry_times", "cache_timestamp", "_dont_cache",
                "redirect_times", "redirect_ttl", "redirect_urls", "redirect_reasons", "_auth_proxy",
                "_scheme_proxy")


def enable_render_on_demand(crawler):
    """Install the download handler that starts a browser only for a request that asks for one
    (newscrawl.render_on_demand); True when installed. Called before the settings freeze."""
    settings = crawler.settings
    if settings.frozen:  # `scrapy shell`, or a crawler built by hand: pages are read as served
        return False
    from ..render_on_demand import HANDLER
    from ..rendering import rotation_middlewares

    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    # A handler named with -s (or by a profile's rendering) stays: only Scrapy's default is replaced.
    handlers.update({scheme: HANDLER for scheme in ("http", "https") if scheme not in handlers})
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    settings.set("DOWNLOADER_MIDDLEWARES", rotation_middlewares(settings), priority="spider")
    return True


class RenderedPagesMixin:
    renders = False  # may this crawl send a page through the browser? (set by from_crawler)

    @staticmethod
    def article_text_needed(response):
        """Paragraph text that makes an article-shaped page an article: less once a browser drew it
        (it was rendered for looking like an article's shell)."""
        return MIN_DRAWN_ARTICLE_TEXT if response.meta.get("drawn_article") else MIN_ARTICLE_TEXT

    def rendered_again(self, response, article_links, expand):
        """The request that fetches this page again through the browser, when the page needs it;
        else None. A rendered page is never rendered again. expand: show more (a listing)."""
        if response.meta.get("playwright") or not self.renders or urlsplit(response.url).scheme not in ("http", "https"):
            return None
        reason = render_reason(response.selector, article_links)
        if not reason:
            return None
        from ..rendering import discovered_render_meta

        stats = self.crawler.stats
        stats.inc_value("render/pages")  # pages sent to the browser
        stats.inc_value(f"render/decided/{reason}")
        logger.info("Rendering %s (%s)", response.url, reason)
        meta = {key: value for key, value in response.request.meta.items() if key not in _FETCH_STATE}
        return response.request.replace(url=response.url, dont_filter=True,
                                        meta={**meta, **discovered_render_meta(expand), "drawn_article": not expand})
