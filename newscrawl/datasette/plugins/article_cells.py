"""Datasette plugin loaded by `newscrawl browse` (--plugins-dir): article bodies read as
paragraphs, and an article's story links to the page of all its copies.

Every value is escaped before it is wrapped in markup: bodies are text scraped from the web.
"""

from datasette import hookimpl
from markupsafe import Markup


def body_html(text: str) -> Markup:
    """A stored body (paragraphs separated by blank lines or line breaks) as escaped <p>s."""
    paragraphs = [" ".join(part.split()) for part in text.splitlines()]
    return Markup('<div class="article-body">{}</div>').format(
        Markup("").join(Markup("<p>{}</p>").format(part) for part in paragraphs if part))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "body" and isinstance(value, str):
        return body_html(value)
    if column == "story_id" and table == "articles" and value is not None:
        base = datasette.urls.database(database)
        return Markup('<a href="{}/stories/{}">{}</a> · <a href="{}/story_copies?article={}">'
                      "all copies</a>").format(base, value, value, base, row["id"])
    return None


@hookimpl
def extra_css_urls():
    return ["/newscrawl-static/browse.css"]

