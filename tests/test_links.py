"""How the generic spider tells articles, listings and pagination apart by structure."""

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from newscrawl.spiders.links import is_article_page, listed_time, looks_like_article_url, next_page_url


@pytest.mark.parametrize("url, expected", [
    ("https://www.app.com.pk/national/senate-passes-the-finance-bill-with-amendments/", True),
    ("https://gulfwire.example/2023/07/29/ports-reopen/", True),
    ("https://www.businessrecorder.com.pk/news/40255123/budget-talks", True),
    ("https://www.arabnews.com/node/2345678/middle-east", True),
    ("https://www.urdupoint.com/en/world/blinken-says-russian-defense-chief-allegedly-1731046.html", True),
    ("https://example.com/world/", False),
    ("https://example.com/", False),
    ("https://example.com/tag/climate-change-and-energy-policy/", False),
    ("https://example.com/author/aisha-rahman-senior-reporter/", False),
    ("https://example.com/category/world/page/2/", False),
    ("https://example.com/video/floods-hit-the-northern-valleys/", False),
    ("https://example.com/about-us/", False),
    ("https://example.com/media/2023/07/photo-of-the-harbour-at-dawn.jpg", False),
])
def test_article_url_shapes(url, expected):
    assert looks_like_article_url(url) is expected


def page(body, url="https://example.com/world/"):
    return HtmlResponse(url, body=f"<html><head>{body[0]}</head><body>{body[1]}</body></html>".encode(),
                        encoding="utf-8")


@pytest.mark.parametrize("head, body, expected", [
    ('<link rel="next" href="/world/?page=2">', "", "https://example.com/world/?page=2"),
    ("", '<a href="/world/?page=2">Older stories »</a>', "https://example.com/world/?page=2"),
    ("", '<a href="/world/page/2/" aria-label="next-page"><i></i></a>', "https://example.com/world/page/2/"),
    ("", '<a href="/world/page/3/">3</a><a href="/world/page/2/">2</a>', "https://example.com/world/page/2/"),
    ("", '<a href="/world/?page=2">2</a>', "https://example.com/world/?page=2"),
    ("", '<a href="/world/long-story-about-the-port-reopening/">Next week the port</a>', None),
])
def test_next_page(head, body, expected):
    assert next_page_url(page((head, body)), page=1) == expected


def test_listed_time_is_the_items_own():
    html = Selector(text="""<ul>
      <li><a id="a" href="/a-b-c-d/">A</a><time datetime="2023-07-29T10:00:00+04:00">10:00</time></li>
      <li><div><a id="b" href="/e-f-g-h/">B</a></div><span><time datetime="2023-07-28T09:00:00+04:00">x</time></span></li>
      <li><a id="c" href="/i-j-k-l/">C</a></li></ul>""")
    times = {link.attrib["id"]: listed_time(link) for link in html.css("a")}
    assert times == {"a": "2023-07-29T10:00:00+04:00", "b": "2023-07-28T09:00:00+04:00", "c": None}


def test_article_page_signals():
    assert is_article_page(page(('<meta property="og:type" content="article">', "")))
    assert is_article_page(page(('<script type="application/ld+json">{"@type": "NewsArticle"}</script>', "")))
    assert not is_article_page(page(('<meta property="og:type" content="website">', "<p>short</p>")))
    prose = "<article>" + "<p>" + "word " * 100 + "</p>" * 1 + "</article>"
    assert is_article_page(page(("", prose), url="https://example.com/2023/07/29/ports-reopen/"))
    assert not is_article_page(page(("", prose), url="https://example.com/about/"))
