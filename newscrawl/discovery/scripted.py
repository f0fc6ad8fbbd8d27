"""Is a page drawn by script? Decided from the page itself, for crawls without a profile.

A browser costs a renderer process and seconds per page: only a page whose own scripts fetch its
content, and whose markup shows the gap they fill, is worth rendering. A script that only fetches
a feed the crawl reads anyway is no reason (the feed's links are followed without a browser).
"""

import re
from urllib.parse import urlsplit

_FETCHES = re.compile(r"\bfetch\s*\(|\bXMLHttpRequest\b|\$\.(?:ajax|get|getJSON|post|load)\s*\(|\baxios[.(]")
_LITERAL_FETCH = re.compile(r"""\bfetch\s*\(\s*(['"`])([^'"`+]+)\1\s*[,)]""")
_FEED_PATH = re.compile(r"(\.rss|\.atom|\.xml|/feeds?(/[^/]*)?|/rss/?)$", re.IGNORECASE)
_JAVASCRIPT_HINT = re.compile(r"\b(enable|turn on|activate|requires?|needs?)\b.{0,40}\bjavascript\b"
                              r"|\bjavascript\b.{0,30}\b(is )?(required|disabled|needed|off)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\W*(loading|please wait)\b.{0,20}$", re.IGNORECASE)
_CONTAINER_NAME = re.compile(r"(^|[-_ ])(list|feed|stories|news|articles|posts|latest|results|app|root)([-_ ]|$)",
                             re.IGNORECASE)
MIN_TEXT = 500  # characters of visible text below which a page without article links is a shell
FEW_LINKS = 5   # a page already linking this many articles is read as it is, whatever its <noscript> says

# Scripts that run in the page (not JSON-LD or templates).
_SCRIPTS = ("//script[not(@src)][not(@type) or @type='module' or contains(@type, 'javascript')"
            " or contains(@type, 'ecmascript')]/text()")
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
_EMPTY_BOXES = "//body//*[self::div or self::section or self::ul or self::ol or self::main][@id or @class][not(*)]"


def _fetches_only_feeds(code):
    """Is every fetch in the code a literal address of a feed or sitemap?"""
    calls = _FETCHES.findall(code)
    targets = [m.group(2) for m in _LITERAL_FETCH.finditer(code)]
    return len(targets) == len(calls) and all(_FEED_PATH.search(urlsplit(t).path) for t in targets)


def render_reason(selector, article_links=0):
    """Why this page needs a browser ("empty_container", "placeholder", "noscript_hint",
    "little_text"), or None. selector: the page's parsel Selector; article_links: the article
    links its markup already has."""
    code = "\n".join(selector.xpath(_SCRIPTS).getall())
    if not _FETCHES.search(code) or _fetches_only_feeds(code):
        return None
    for box in selector.xpath(_EMPTY_BOXES):
        names = f"{box.attrib.get('id', '')} {box.attrib.get('class', '')}"
        if _CONTAINER_NAME.search(names) and not "".join(box.xpath(".//text()").getall()).strip():
            return "empty_container"
    for main in selector.xpath("//main | //*[@id='app' or @id='root']"):
        text = " ".join(" ".join(main.xpath(".//text()[not(ancestor::noscript)]").getall()).split())
        if _PLACEHOLDER.match(text):
            return "placeholder"
    if article_links < FEW_LINKS and any(_JAVASCRIPT_HINT.search(" ".join(t.split())) for t in selector.xpath("//noscript//text()").getall()):
        return "noscript_hint"
    visible = sum(len(t.strip()) for t in selector.xpath(_VISIBLE_TEXT).getall())
    if not article_links and visible < MIN_TEXT:
        return "little_text"
    return None
