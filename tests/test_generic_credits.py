"""Who the generic extractor credits: every place a page names a person, and the section,
programme, outlet and page debris it must not take for one. Small hand-written fragments
shaped like the real pages where each rule was found."""

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


def ld(data):
    return f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "headline": "Council approves budget", **data})}</script>'


def authors(head, body, url="https://news.example.com/world/story-1.html"):
    html = f"<html><head>{head}</head><body><article><h1>Council approves budget</h1>{body}{STORY}</article></body></html>"
    return extract_article(HtmlResponse(url, body=html.encode(), encoding="utf-8")).get("authors")


CASES = [
    # A WordPress SEO plugin types its authors ["Person", "Organization"]: a person.
    ("person typed as both", ld({"@type": "NewsArticle", "author": [{"@type": ["Person", "Organization"],
                                                                       "name": "Taylor Hatmaker"}]})
     + '<meta name="author" content="Taylor Hatmaker">', "", None, ["Taylor Hatmaker"]),
    # Every writer of a JSON-LD author array, not only the first.
    ("author array", ld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Stella Kim"},
                                                            {"@type": "Person", "name": "Jennifer Jett"}]}),
     '<span class="byline">Stella Kim</span>', None, ["Stella Kim", "Jennifer Jett"]),
    # A personal blog: the publisher is the author; the typed Person stays a person.
    ("blog publisher is the author", ld({"@type": "BlogPosting", "author": {"@type": "Person", "name": "Haki Benita"},
                                         "publisher": {"@type": "Organization", "name": "Haki Benita"}}),
     "", None, ["Haki Benita"]),
    # A section printed in the author slot.
    ("section as author", '<meta property="article:section" content="Food">',
     '<span class="author">Food</span>', None, None),
    # A programme credited as author, its name a step of the URL path.
    ("programme as author", ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Inside Story"}}), "",
     "https://news.example.com/program/inside-story/2019/4/1/can-the-talks-succeed", None),
    # The first byline element is a bio box; a later one names the writer.
    ("bio box before the byline", "", '<div class="author">About the author Scott Cunningham Senior Vice '
     'President of Technology and Ad Operations at IAB</div><span class="byline">By Scott Cunningham</span>',
     None, ["Scott Cunningham"]),
    # Markup with no space between the name and its date.
    ("name glued to the date", "", '<div class="byline">by Lucas Nolan<span>22 Dec 2016</span></div>', None,
     ["Lucas Nolan"]),
    # The byline element names the declared author and a co-author: both.
    ("co-author beside the JSON-LD author",
     ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Tariq Malik"}}),
     '<div class="byline">By Tariq Malik, Mike Wall 2019-11-18T22:05:36Z Spaceflight</div>', None,
     ["Tariq Malik", "Mike Wall"]),
    ("co-author beside the meta author", '<meta name="author" content="Jane Doe">',
     '<div class="byline">By Jane Doe and John Roe</div>', None, ["Jane Doe", "John Roe"]),
    # Beside the declared author, what is not shaped like a name (a role, glued page debris) is not a co-author.
    ("role beside the author", '<meta name="author" content="Tim Childers">',
     '<div class="byline">By Tim Childers - Live Science Contributor 2019-11-19T12:48:14Z Space</div>', None,
     ["Tim Childers"]),
    ("debris beside the author", ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Eric Song"}}),
     '<div class="byline">By Eric Song, IGN StaffUpdated: 18 Nov 2019 9:38 pm</div>', None, ["Eric Song"]),
    # A byline element naming none of the declared authors (an author box, a commenter) is not merged.
    ("unrelated byline element", '<meta name="author" content="Jane Doe">',
     '<div class="byline">By John Roe</div>', None, ["Jane Doe"]),
    # One person spelt twice (with a middle initial) is one author.
    ("the same person twice", ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}),
     '<div class="byline">By Jane M. Doe and John Roe</div>', None, ["Jane Doe", "John Roe"]),
]


@pytest.mark.parametrize("head, body, url, expected", [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_credited_persons(head, body, url, expected):
    got = authors(head, body, *([url] if url else []))
    assert (got or None) == expected
