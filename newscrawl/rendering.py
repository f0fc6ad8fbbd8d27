"""Browser rendering for pages whose stories a script builds (scrapy-playwright and Chromium).

Only a crawl whose profile asks for rendering (and not `-a render=0`) installs the Playwright
download handlers: they cost about a second per crawl even when idle. The generic spider, which
learns only from a page whether it needs a browser, uses newscrawl.render_on_demand instead. Nothing here imports
playwright or scrapy_playwright until a rendered crawl needs them.
"""

import asyncio
import logging
import os
import shutil
import threading
from functools import lru_cache
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "/usr/bin/chromium", "/usr/bin/chromium-browser")
# Headless, often as root in a container with a small /dev/shm and no way out: nothing may phone
# home, wait for a GPU or fill /dev/shm.
LAUNCH_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run")
BLOCKED_RESOURCES = frozenset({"image", "media", "font"})  # stories are text: never download these
MAX_OPEN_PAGES = 2            # open pages per context; each costs a renderer process of 100 MB or more
PAGES_PER_CONTEXT = 100       # rendered downloads per browser context (see ContextRotationMiddleware)
WAIT_FOR_MS = 15_000          # how long a page's script may take to draw its stories
CLICK_MS = 5_000


class BrowserNotFound(RuntimeError):
    """No Chromium to render with; the message names the ways to get one."""


# --- which Chromium --------------------------------------------------------------------------

@lru_cache(maxsize=4)
def playwright_chromium(browsers_path=None):
    """Where `playwright install chromium` puts its browser (asked from Playwright's driver,
    which launches no browser); the file may not exist. browsers_path keys the cache on
    PLAYWRIGHT_BROWSERS_PATH, which moves it."""
    found = {}

    def ask():  # Playwright's sync API refuses to run on a thread with an asyncio loop
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                found["path"] = playwright.chromium.executable_path
        except Exception as error:  # a broken driver is the same as no browser here
            found["error"] = error

    thread = threading.Thread(target=ask, name="playwright-query")
    thread.start()
    thread.join()
    return found.get("path")


def find_chromium(configured=None, system=SYSTEM_CHROMIUMS):
    """The Chromium executable to launch: NEWSCRAWL_CHROMIUM (setting or environment) when given,
    else Playwright's own browser when installed, else the system's Chromium."""
    configured = configured or os.environ.get("NEWSCRAWL_CHROMIUM")
    if configured:
        path = shutil.which(configured)
        if not path:
            raise BrowserNotFound(f"NEWSCRAWL_CHROMIUM={configured!r} is not an executable file")
        return path
    own = playwright_chromium(os.environ.get("PLAYWRIGHT_BROWSERS_PATH"))
    if own and os.path.isfile(own):
        return own
    for candidate in system:
        path = shutil.which(candidate)
        if path:
            return path
    raise BrowserNotFound(
        "This site's pages are built by script and need Chromium, and none was found. Either run "
        "`playwright install chromium` (downloads Playwright's browser; needs internet), or install "
        "the system's Chromium (Debian/Ubuntu: `apt-get install chromium`) or point the "
        "NEWSCRAWL_CHROMIUM setting or environment variable at one. `-a render=0` crawls without "
        "a browser (script-built stories are then missed).")


# --- crawl settings ---------------------------------------------------------------------------

def is_heavy_resource(request):
    """PLAYWRIGHT_ABORT_REQUEST: images, video, audio and fonts are never fetched."""
    return request.resource_type in BLOCKED_RESOURCES


def enable_rendering(crawler, site_url):
    """Install the Playwright download handler and launch options for this crawl. Called from the
    spider's from_crawler, before Scrapy freezes the settings; -s settings still win.

    The handler serves only the site's own scheme: each handler instance starts its own Playwright
    driver, and a rendered site is crawled over one scheme.
    """
    settings = crawler.settings
    if settings.frozen:  # a crawler built by hand (tests): requests then go out without a browser
        logger.warning("Settings already frozen: rendering is not enabled for this crawler")
        return None
    try:
        chromium = find_chromium(settings.get("NEWSCRAWL_CHROMIUM"))
    except BrowserNotFound as error:
        logger.error("%s", error)  # `scrapy crawl` would bury it in a traceback from the reactor
        raise
    handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), urlsplit(site_url).scheme: HANDLER}
    for name, value in {"DOWNLOAD_HANDLERS": handlers, "DOWNLOADER_MIDDLEWARES": rotation_middlewares(settings),
                        **playwright_settings(chromium)}.items():
        settings.set(name, value, priority="spider")
    logger.info("Rendering with Chromium at %s", chromium)
    return chromium


def rotation_middlewares(settings):
    """DOWNLOADER_MIDDLEWARES with ContextRotationMiddleware added (it imports no browser code)."""
    return {**settings.getdict("DOWNLOADER_MIDDLEWARES"), f"{__name__}.ContextRotationMiddleware": 950}


def playwright_settings(chromium):
    """scrapy-playwright's settings for a crawl that renders with this Chromium."""
    return {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"headless": True, "executable_path": chromium, "args": list(LAUNCH_ARGS)},
        "PLAYWRIGHT_ABORT_REQUEST": f"{__name__}.is_heavy_resource",
        # No PLAYWRIGHT_MAX_CONTEXTS: at most two contexts live (the current one and the one
        # retiring), and a cap would make a new context wait on a slow old one.
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": MAX_OPEN_PAGES,
    }


# --- requests ---------------------------------------------------------------------------------

def render_meta(render, item_css):
    """Request meta that has scrapy-playwright fetch a page, wait for its stories and expand it.

    No playwright_include_page: the handler then closes every page itself, on success and on
    error alike; contexts are retired by ContextRotationMiddleware.
    """
    from scrapy_playwright.page import PageMethod

    methods = []
    if render.wait_for:
        methods.append(PageMethod("wait_for_selector", render.wait_for, timeout=WAIT_FOR_MS))
    if render.actions and render.max_iterations:
        methods.append(PageMethod(show_more, render, item_css))
    return {"playwright": True, "playwright_page_methods": methods,
            "playwright_page_init_callback": f"{__name__}.remember_context"}


# Without a profile: whatever says "load more" is clicked, and the page is scrolled to its end,
# while links keep appearing.
_MORE_BUTTON = ('button:text-matches("^\\W*((load|show|view|see) more|more (stories|news|articles|posts))", "i")')
DISCOVERED_PATIENCE_MS = 2000


def discovered_render_meta(expand):
    """Meta that renders a page the generic spider found script-built: wait until the page's
    requests settle, then (expand: a listing) show more while the page gains links."""
    from scrapy_playwright.page import PageMethod

    from .profiles.base import PageAction, Render

    actions = (PageAction("click", _MORE_BUTTON), PageAction("scroll", None)) if expand else ()
    render = Render(kinds=(), actions=actions, patience_ms=DISCOVERED_PATIENCE_MS)
    meta = render_meta(render, "a[href]")
    meta["playwright_page_methods"].insert(0, PageMethod("wait_for_load_state", "networkidle",
                                                         timeout=WAIT_FOR_MS))
    return meta


class ContextRotationMiddleware:
    """Moves rendered downloads to a fresh browser context every PAGES_PER_CONTEXT downloads, and
    closes the old context once every download given to it has finished.

    Playwright keeps what a context has seen until the context closes (playwright#6319, behind the
    growing memory of scrapy-playwright#240). Contexts are assigned here, as each download starts,
    so no later download (a retry included) is given a retired one; and a context is closed only
    when none of its downloads can still be opening a page in it: a page opening in a closing
    context waits forever.
    """

    def __init__(self, pages_per_context=PAGES_PER_CONTEXT):
        self.pages_per_context = pages_per_context
        self.started = 0
        self.unfinished = {}   # generation -> its downloads not finished yet
        self.contexts = {}     # generation -> its BrowserContext, once a page has opened in it

    def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            generation = self.started // self.pages_per_context
            self.started += 1
            self.unfinished[generation] = self.unfinished.get(generation, 0) + 1
            request.meta.update(playwright_context=f"render-{generation}", render_generation=generation)
            self._retire()

    def process_response(self, request, response, spider=None):
        self._finished(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._finished(request)

    def _finished(self, request):
        generation = request.meta.pop("render_generation", None)
        context = request.meta.pop("render_context", None)  # put there by remember_context
        if generation is None:
            return
        if context is not None:
            self.contexts.setdefault(generation, context)
        self.unfinished[generation] -= 1
        self._retire()

    def _retire(self):
        current = (self.started - 1) // self.pages_per_context
        for generation in [g for g, count in self.unfinished.items() if g < current and not count]:
            del self.unfinished[generation]
            context = self.contexts.pop(generation, None)
            if context is not None:
                self.close(context)

    def close(self, context):
        asyncio.ensure_future(_close_quietly(context))


async def _close_quietly(context):
    try:
        await context.close()
    except Exception as error:  # gone with the browser already: nothing left to free
        logger.debug("Browser context already closed: %s", error)


async def remember_context(page, request):
    """Page init callback: tell ContextRotationMiddleware which context the download's page is in."""
    request.meta["render_context"] = page.context


async def _perform(page, action):
    """Do one action if the page offers it; False when it does not (no button, no sentinel)."""
    target = page.locator(action.selector).first if action.selector else None
    if action.kind == "click":
        if not await target.is_visible():
            return False
        await target.click(timeout=CLICK_MS)
    elif target is None:  # scroll, to the bottom
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    elif await target.count():  # scroll, to the element the page watches
        await target.scroll_into_view_if_needed(timeout=CLICK_MS)
    else:
        return False
    return True


async def show_more(page, render, item_css):
    """Run the profile's actions until the listing stops growing; the number of rounds that grew it."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    grown = 0
    for _ in range(render.max_iterations):
        count = await page.locator(item_css).count()
        for action in render.actions:
            if not await _perform(page, action):
                continue
            try:
                await page.wait_for_function("([css, n]) => document.querySelectorAll(css).length > n",
                                             arg=[item_css, count], timeout=render.patience_ms)
            except PlaywrightTimeout:
                continue  # this action brought nothing new; try the next one
            grown += 1
            break
        else:
            break  # no action made the listing grow: everything is shown
    return grown
