"""Publication dates of pages without a profile: the evidence order and htmldate's extensive search
as the last witness (newscrawl.extract.article, generic.fallback_date)."""

import pytest
from scrapy.http import HtmlResponse

from newscrawl.extract.article import extract_article

STORY = "".join(f"<p>{'The council approved the budget after a long debate about buses and bridges. ' * 3}</p>"
                for _ in range(3))


def published(head, printed, url="https://news.example.com/world/story-1.html"):
    html = (f"<html><head><title>Budget</title>{head}</head><body><article><h1>Council approves budget</h1>"
            f"{printed}{STORY}</article></body></html>")
    found = extract_article(HtmlResponse(url, body=html.encode(), encoding="utf-8"))
    return found.get("published_at"), found.get("published_source")


CASES = [
    # Structured data first, even when the URL and the printed line say otherwise.
    ('<meta property="article:published_time" content="2018-06-19T05:50:00+09:00">',
     "<div class='note'>17.06.2018</div>", "https://news.example.com/2018/06/17/story.html",
     ("2018-06-19T05:50:00+09:00", "meta")),
    # No structured date: the URL's day.
    ("", "", "https://news.example.com/2018/06/17/story.html", ("2018-06-17", "url")),
    # Nothing else: htmldate's extensive search reads a date printed in free text.
    ("", "<div class='note'>19.06.2018 05:50</div>", None, ("2018-06-19", "htmldate")),
    # No date anywhere: none (a wrong date is worse than none).
    ("", "", None, (None, None)),
]


@pytest.mark.parametrize("head, printed, url, expected", CASES)
def test_published_by_evidence(head, printed, url, expected):
    assert published(head, printed, *([url] if url else [])) == expected
