"""Where the generic extractor reads a page's tags: declared tags, JSON-LD keywords, the news
keywords meta, and the topic links printed under the article; not site menus or SEO keywords.
Small hand-written fragments shaped like real pages."""

import json

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extract.article import extract_article

STORY = "".join(f"<p>{text}</p>" for text in [
    "The city council approved the new transport budget on Tuesday after a long debate, allocating "
    "funds to buses, cycle lanes and the repair of two bridges.",
    "Council members said the plan would cut commuting times across the northern districts, where "
    "residents have complained about congestion for years.",
])
MENU = '<nav><a href="/topic/politics">Politics</a><a href="/topic/sport">Sport</a></nav>'


def ld(data):
    return f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council approves budget", **data})}</script>'


def tags(head, after_story="", before_headline=MENU):
    html = (f"<html><head>{head}</head><body>{before_headline}<article><h1>Council approves budget</h1>"
            f"{STORY}{after_story}</article></body></html>")
    response = HtmlResponse("https://news.example.com/world/story-1.html", body=html.encode(), encoding="utf-8")
    return extract_article(response).get("tags")


CASES = [
    ("article:tag", '<meta property="article:tag" content="Transport"><meta property="article:tag" content="Budget">',
     "", ["Transport", "Budget"]),
    ("JSON-LD keywords string", ld({"keywords": "Transport, Budget,Bridges"}), "", ["Transport", "Budget", "Bridges"]),
    ("JSON-LD keywords list", ld({"keywords": ["Transport", "City council"]}), "", ["Transport", "City council"]),
    ("news_keywords", '<meta name="news_keywords" content="Transport, Budget">', "", ["Transport", "Budget"]),
    # Declared tags come first: the news keywords are then not read.
    ("declared before news_keywords", '<meta property="article:tag" content="Transport">'
     '<meta name="news_keywords" content="Buses">', "", ["Transport"]),
    # SEO keywords are not tags.
    ("keywords meta is not tags", '<meta name="keywords" content="news, city, latest">', "", None),
    ("rel=tag links", "", '<p>Filed under <a rel="tag" href="/t/1">Transport</a> <a rel="tag" href="/t/2">Budget</a></p>',
     ["Transport", "Budget"]),
    ("/tag/ and /topics/ links after the story", "",
     '<div class="keyword-box"><a href="/tag/transport">Transport</a> <a href="/topics/city-council/">#City council</a>'
     "</div>", ["Transport", "City council"]),
    # A topic menu (in <nav>, or above the headline) is the site's, not the story's; nor is a
    # headline that links to a topic page.
    ("topic menu and linked headline", "",
     '<div class="more"><a href="/topic/politics">Council members argue over the long and costly bridge plan</a></div>',
     None),
]


@pytest.mark.parametrize("head, after_story, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_tags(head, after_story, expected):
    assert tags(head, after_story) == expected


def test_topic_links_above_the_headline_are_not_tags():
    menu = '<div class="menu-strip"><a href="/tag/politics">Politics</a></div>'
    assert tags("", "", before_headline=menu) is None
