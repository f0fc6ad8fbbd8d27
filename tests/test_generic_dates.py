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


LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
      '"datePublished": "2018-06-25T10:00:00Z"}</script>')
BYLINE = '<div class="byline">By Jane Doe, June 10, 2018</div>'

DISAGREEMENTS = [
    # Structured data and the printed byline disagree by more than a day; htmldate's original date
    # (here from the URL) sides with the byline: the byline's day.
    ("htmldate sides with the byline", LD, BYLINE, "https://news.example.com/2018/06/10/story-1.html",
     ("2018-06-10", "byline")),
    # htmldate sides with the structured date: it stands.
    ("htmldate sides with structured data", LD, BYLINE, "https://news.example.com/world/story-1.html",
     ("2018-06-25T10:00:00+00:00", "json-ld")),
    # htmldate agrees with neither: the structured date stands (no guess between them).
    ("htmldate agrees with neither", LD, BYLINE, "https://news.example.com/2018/05/01/story-1.html",
     ("2018-06-25T10:00:00+00:00", "json-ld")),
]


@pytest.mark.parametrize("head, printed, url, expected", [c[1:] for c in DISAGREEMENTS],
                         ids=[c[0] for c in DISAGREEMENTS])
def test_htmldate_breaks_a_tie_between_structured_data_and_the_byline(head, printed, url, expected):
    assert published(head, printed, url) == expected


def test_a_byline_a_day_away_is_no_disagreement_and_htmldate_is_not_asked(monkeypatch):
    from newscrawl.extract import generic

    def no_htmldate(self):
        raise AssertionError("htmldate consulted")

    monkeypatch.setattr(generic.GenericPage, "fallback_date", no_htmldate)
    assert published(LD, '<div class="byline">By Jane Doe, June 24, 2018</div>',
                     "https://news.example.com/2018/06/10/story-1.html") == ("2018-06-25T10:00:00+00:00", "json-ld")


@pytest.mark.parametrize("structured, printed, witness, expected", [
    ("2018-06-25T10:00:00+00:00", "2018-06-10", "2018-06-10", True),
    ("2018-06-25T10:00:00+00:00", "2018-06-10", "2018-06-11", True),    # a day either way: time zones
    ("2018-06-25T10:00:00+00:00", "2018-06-10", "2018-06-25", False),
    ("2018-06-25T10:00:00+00:00", "2018-06-10", "2018-05-01", False),   # neither: no guess
    ("2018-06-25T10:00:00+00:00", "2018-06-24", "2018-06-24", False),   # a day apart is no disagreement
    ("2018-06-25", "2018-06-10", None, False),                          # no witness
    ("2018-06-25", "2018-06-10", "not a date", False),
])
def test_printed_date_wins(structured, printed, witness, expected):
    from newscrawl.normalize.provenance import printed_date_wins

    assert printed_date_wins(structured, printed, witness) is expected
