"""What a page's links and markup say about it, for crawling sites without a profile."""

import re
from urllib.parse import parse_qsl, urlsplit

from ..discovery.utility import is_utility_url

_NOT_CONTENT = re.compile(
    r"/(tags?|topics?|category|categories|author|authors|page|search|login|signin|signup|register"
    r"|about|about-us|contact|contact-us|privacy|privacy-policy|terms|advertise|subscribe|newsletter"
    r"|feed|rss|video|videos|gallery|photos?|podcasts?|live|weather|cdn-cgi|wp-admin|wp-json)(/|$)",
    re.IGNORECASE)
_FILE = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|css|js|json|xml|rss|zip|mp[34]|m3u8|ico)$", re.IGNORECASE)
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])/")
_LONG_NUMBER = re.compile(r"\d{5,}")
_NEXT_TEXT = re.compile(r"^\W*(next|older|more stories|older (posts|stories|entries|news)|next page|»|›|>>?)\W*$",
                        re.IGNORECASE)
_ARTICLE_TYPES = re.compile(r'"@type"\s*:\s*"(News|Reportage|Analysis|Opinion)?Article"|"@type"\s*:\s*"BlogPosting"')


def looks_like_article_url(url):
    """URL shapes news sites give stories: a date in the path, a long numeric id (/node/2345678/…),
    or a long slug."""
    path = urlsplit(url).path
    if not path or path == "/" or _FILE.search(path) or _NOT_CONTENT.search(path):
        return False
    last = next((part for part in reversed(path.split("/")) if part), "")
    last = re.sub(r"\.s?html?$", "", last)
    return bool(_DATE_PATH.search(path) or _LONG_NUMBER.search(path) or last.count("-") >= 3)


def looks_like_section_url(url):
    """A site section's listing as its menus link it: a few short path segments (/world/,
    /news/business/, /en/news/world.html), not an article, not a file, not a utility page."""
    parts = urlsplit(url)
    segments = [p for p in parts.path.split("/") if p]
    return (0 < len(segments) <= 4 and not parts.query and not _FILE.search(parts.path)
            and not _NOT_CONTENT.search(parts.path) and not is_utility_url(url)
            and not looks_like_article_url(url) and all(len(p) <= 40 for p in segments))


def is_pager_text(text):
    """A pagination control's text ("2", "Next", "»"): the listing's own pages, not a section."""
    text = " ".join((text or "").split())
    return text.isdigit() or bool(_NEXT_TEXT.match(text))


MIN_ARTICLE_TEXT = 400   # characters of <article>/<main> paragraphs that make an article-shaped page one
MIN_DRAWN_ARTICLE_TEXT = 200   # the same for a page rendered as a script-built article (short wire stories)


def is_article_page(response, min_text=MIN_ARTICLE_TEXT):
    """Does the page present itself as one article (structured data), or read like one?"""
    og_type = (response.xpath('//meta[@property="og:type"]/@content').get() or "").strip().lower()
    if og_type == "article" or response.xpath('//meta[@property="article:published_time"]'):
        return True
    if any(_ARTICLE_TYPES.search(s) for s in response.xpath('//script[@type="application/ld+json"]/text()').getall()):
        return True
    paragraphs = response.xpath("//article//p//text() | //main//p//text()").getall()
    return looks_like_article_url(response.url) and sum(len(t.strip()) for t in paragraphs) >= min_text


def next_page_url(response, page):
    """The listing's next page: rel=next, a "Next"/"Older" link, or page N+1 in the URL."""
    for href in response.xpath('//link[@rel="next"]/@href | //a[@rel="next"]/@href').getall():
        return response.urljoin(href.strip())
    for link in response.xpath("//a[@href]"):
        text = " ".join(link.xpath(".//text() | @aria-label | @title").getall())
        if _NEXT_TEXT.match(text.strip()):
            return response.urljoin(link.attrib["href"].strip())
    wanted = page + 1
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        parts = urlsplit(url)
        if dict(parse_qsl(parts.query)).get("page") == str(wanted) or \
                re.search(rf"/page/{wanted}/?$", parts.path):
            return url
    return None


def listed_time(link):
    """The datetime printed next to a listing link: the nearest <time datetime> that belongs to
    this item alone (an ancestor holding two times is already the whole list)."""
    for ancestor in link.xpath("ancestor-or-self::*[position() <= 4]")[::-1]:
        times = ancestor.xpath(".//time/@datetime").getall()
        if len(times) == 1:
            return times[0]
        if len(times) > 1:
            return None
    return None


def feed_entries(response):
    """What an RSS/Atom feed or a (news) sitemap lists: (child sitemap URLs of a sitemap index,
    [(article link, printed date or None)]), in the document's order."""
    from parsel import Selector

    selector = Selector(text=response.text, type="xml")
    selector.remove_namespaces()
    sitemaps = [response.urljoin(loc.strip()) for loc in selector.xpath("/sitemapindex/sitemap/loc/text()").getall()]
    entries = (
        [(e.xpath("link/text()").get(), e.xpath("pubDate/text()").get()) for e in selector.xpath("//item")]
        + [(e.xpath("link[not(@rel) or @rel='alternate']/@href").get(),
            e.xpath("published/text()").get() or e.xpath("updated/text()").get())
           for e in selector.xpath("//entry")]
        + [(e.xpath("loc/text()").get(),
            e.xpath("news/publication_date/text()").get() or e.xpath("lastmod/text()").get())
           for e in selector.xpath("/urlset/url")]
    )
    return sitemaps, [(href.strip(), (printed or "").strip() or None) for href, printed in entries if href]


def feed_links(response):
    """The feeds a page announces: <link rel="alternate" type="application/rss+xml"> (or Atom)."""
    hrefs = response.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " alternate ")]'
                           '[@type="application/rss+xml" or @type="application/atom+xml"]/@href').getall()
    return [response.urljoin(href.strip()) for href in hrefs if href.strip()]


def robots_sitemaps(text):
    """The sitemap URLs of a robots.txt ("Sitemap: URL" lines, any case)."""
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.strip().lower().startswith("sitemap:") and line.split(":", 1)[1].strip()]


def section_slug(label):
    """One key per section however a page prints it: "World", "world ", "Middle East" -> "world",
    "world", "middle-east"; None for a label with no letters or digits."""
    if not isinstance(label, str):
        return None
    slug = re.sub(r"[^\w]+", "-", label.strip().lower(), flags=re.UNICODE).strip("-_")
    return slug or None
