"""Which text the generic body reader keeps, decided by evidence any site shows (paragraph
mass, link density, where the text sits): small hand-written fragments shaped like the real
pages where each rule was found."""

import lxml.html
import pytest

from newscrawl.extract.body import read_body
from test_generic_extract import STORY  # the same three-paragraph story

ROW = ("Northern district bus line {n} runs every twelve minutes on weekdays, every twenty at weekends, "
       "and stops at the hospital, the market and the station.")
COMMENT = ("I have lived in the northern districts for twenty years and the traffic has never been worse; "
           "I hope the council keeps its promise this time, but I doubt the bridges will be ready on time.")


def paragraphs(texts):
    return "".join(f"<p>{text}</p>" for text in texts)


def body(markup):
    """Our own block scoring's reading (no trafilatura second opinion to rescue it)."""
    root = lxml.html.fromstring(f"<html><head></head><body>{markup}</body></html>")
    return "\n\n".join(read_body(root, title="Council approves budget", trafilatura_text="").paragraphs)


CASES = [
    # A CMS names the post by its author and tags ("author-sarah tag-jobs"), and the comments
    # under it hold more text than the story: the story is still the story.
    ("post classes name author and tags",
     '<main><article class="entry author-jane post type-post category-news tag-transport">'
     f'<h1>Council approves budget</h1><div class="entry-content">{paragraphs(STORY)}</div></article>'
     + "".join(f'<article class="comment-body single-comment"><p>{COMMENT}</p></article>' for _ in range(4))
     + "</main>",
     "\n\n".join(STORY)),
    # A timetable beside the story: many sentence-like cells, but rows of a table are data, and
    # a table scores its container as weakly as a list does.
    ("table of many cells beside the story",
     f'<div class="story"><h1>Council approves budget</h1>{paragraphs(STORY)}</div>'
     '<div class="timetable"><table><tbody>' + "".join(f"<tr><td>{ROW.format(n=n)}</td><td>{n}</td></tr>"
                                                for n in range(8)) + "</tbody></table></div>",
     "\n\n".join(STORY)),
]


@pytest.mark.parametrize("markup, expected", [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_body_kept(markup, expected):
    assert body(markup) == expected
