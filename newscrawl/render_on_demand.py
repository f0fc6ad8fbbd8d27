"""A download handler that starts a browser only when a request first asks for one.

The generic `news` spider learns whether a site needs rendering from the site's pages, after the
download handlers are built. scrapy-playwright's own handler, installed up front, would start
Playwright's driver in every crawl (about a second, and `scrapy shell` hangs). This handler is
Scrapy's plain HTTP handler until a request carries meta playwright=True; it then finds Chromium
and builds scrapy-playwright's handler, launched by hand (engine_started has long fired).
Nothing here imports playwright before that.
"""

import asyncio
import logging

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from .rendering import BrowserNotFound, find_chromium, playwright_settings

logger = logging.getLogger(__name__)
HANDLER = f"{__name__}.RenderOnDemandHandler"


class _CrawlerWithSettings:
    """The crawler as scrapy-playwright's handler sees it: the browser's settings added."""

    def __init__(self, crawler, settings):
        self._crawler, self.settings = crawler, settings

    def __getattr__(self, name):
        return getattr(self._crawler, name)


class RenderOnDemandHandler(HTTP11DownloadHandler):
    lazy = False  # built with the downloader; cheap until a page needs the browser

    def __init__(self, crawler):
        super().__init__(crawler)
        self._whole_crawler = crawler
        self._browser_handler = None
        self._browser_error = None
        self._starting = asyncio.Lock()

    async def download_request(self, request):
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        handler = await self._browser()
        return await handler.download_request(request)

    async def _browser(self):
        async with self._starting:  # the first rendered requests may arrive together
            if self._browser_error is not None:
                raise self._browser_error
            if self._browser_handler is None:
                self._browser_handler = await self._start()
        return self._browser_handler

    async def _start(self):
        crawler = self._whole_crawler
        try:
            chromium = find_chromium(crawler.settings.get("NEWSCRAWL_CHROMIUM"))
        except BrowserNotFound as error:
            logger.error("%s", error)  # once; every rendered request then fails with it
            self._browser_error = error
            raise
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

        settings = crawler.settings.copy()
        settings.frozen = False  # a private copy: the crawl's own settings stay frozen
        for name, value in playwright_settings(chromium).items():
            settings.set(name, value, priority="spider")  # a -s setting (cmdline priority) still wins
        handler = ScrapyPlaywrightDownloadHandler(_CrawlerWithSettings(crawler, settings))
        await handler._launch()  # what its engine_started handler would have done
        logger.info("Rendering with Chromium at %s", chromium)
        return handler

    async def close(self):
        await super().close()
        if self._browser_handler is not None:
            await self._browser_handler.close()
