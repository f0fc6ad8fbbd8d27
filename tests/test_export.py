import csv
import io
import json

import pytest

from conftest import make_article as base_article

from newscrawl.export import (
    FIELDS,
    ArticleCsvItemExporter,
    ArticleJsonItemExporter,
    ArticleJsonLinesItemExporter,
    csv_value,
    write_articles,
)
from newscrawl.items import ARTICLE_FIELDS, Article


def make_article(**overrides):
    """The shared sample with quotes, commas and two authors: what CSV quoting must survive."""
    return base_article(**{
        "title": "Talks resume in Doha; “progress” reported",
        "body": 'DOHA, July 29 (WAM) - Talks resumed.\n\nBoth sides said "fine", commas, too.',
        "authors": ["Ayesha Khan", "Omar Ali"],
        **overrides,
    })


def export(rows, fmt):
    out = io.StringIO(newline="")
    count = write_articles(rows, fmt, out)
    return count, out.getvalue()


def test_fields_are_the_item_order():
    assert FIELDS == ARTICLE_FIELDS


def test_csv_value():
    assert csv_value(None) == ""
    assert csv_value(["a", "b"]) == "a | b"
    assert csv_value([]) == ""
    assert csv_value({"location": "DOHA", "outlet": None}) == '{"location":"DOHA","outlet":null}'
    assert csv_value("plain") == "plain"
    assert csv_value("") == ""


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0",
                                  "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_value_neutralizes_formulas(text):
    assert csv_value(text) == "'" + text
    assert csv_value([text, "ok"]).startswith("'")


def test_csv_round_trip():
    rows = [make_article(), make_article(canonical_url="https://www.example.com/2",
                                         title="=1+1", authors=[], dateline=None)]
    count, text = export(rows, "csv")
    assert count == 2
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == FIELDS
    first = dict(zip(FIELDS, parsed[1]))
    assert first["body"] == make_article()["body"]
    assert first["authors"] == "Ayesha Khan | Omar Ali"
    assert json.loads(first["dateline"]) == make_article()["dateline"]
    assert first["subtitle"] == ""
    second = dict(zip(FIELDS, parsed[2]))
    assert second["title"] == "'=1+1" and second["authors"] == "" and second["dateline"] == ""


def test_extra_keys_are_ignored_and_missing_keys_empty():
    row = {"id": 7, "first_seen_at": "x", "canonical_url": "https://e.com/1", "title": "T"}
    _, text = export([row], "jsonl")
    record = json.loads(text)
    assert list(record) == FIELDS
    assert record["title"] == "T" and record["body"] is None


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_round_trip(fmt):
    rows = [make_article(), make_article(canonical_url="https://www.example.com/2", tags=None)]
    count, text = export(iter(rows), fmt)
    assert count == 2
    records = json.loads(text) if fmt == "json" else [json.loads(l) for l in text.splitlines()]
    assert records == rows
    assert all(list(record) == FIELDS for record in records)
    assert "“progress”" in text  # real UTF-8, not \u escapes


def test_empty_exports():
    assert export([], "csv") == (0, ",".join(FIELDS) + "\r\n")
    assert export([], "jsonl") == (0, "")
    count, text = export([], "json")
    assert count == 0 and json.loads(text) == []


def test_unknown_format():
    with pytest.raises(ValueError, match="csv"):
        export([], "xml")


def scrapy_export(exporter_class, items, **kwargs):
    out = io.BytesIO()
    exporter = exporter_class(out, **kwargs)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue().decode("utf-8")


def test_scrapy_csv_exporter_matches_write_articles():
    data = make_article(title="-minus first", subtitle="@at")
    partial = {"canonical_url": "https://e.com/2", "title": "Only a title", "tags": ["x"]}
    items = [Article(**data), Article(**partial)]
    # FeedExporter passes fields_to_export=None when FEED_EXPORT_FIELDS is unset.
    feed = scrapy_export(ArticleCsvItemExporter, items, fields_to_export=None, encoding=None)
    assert feed == export([data, partial], "csv")[1]
    header, first, second = csv.reader(io.StringIO(feed, newline=""))
    assert header == FIELDS
    assert first[FIELDS.index("title")] == "'-minus first"
    assert second[FIELDS.index("tags")] == "x"


@pytest.mark.parametrize("exporter_class,fmt", [(ArticleJsonItemExporter, "json"),
                                                (ArticleJsonLinesItemExporter, "jsonl")])
def test_scrapy_json_exporters_match_write_articles(exporter_class, fmt):
    data = make_article()
    partial = {"canonical_url": "https://e.com/2", "title": "Only a title"}
    feed = scrapy_export(exporter_class, [Article(**data), Article(**partial)],
                         fields_to_export=None, encoding=None)
    parse = json.loads if fmt == "json" else lambda t: [json.loads(l) for l in t.splitlines()]
    records = parse(feed)
    assert records == parse(export([data, partial], fmt)[1])
    assert all(list(record) == FIELDS for record in records)
    assert "“progress”" in feed
