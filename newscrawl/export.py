"""CSV / JSON / JSON lines output, shared by `newscrawl export` and Scrapy feeds (-O file.csv).

Both paths use FIELDS as the column order and csv_value for CSV cells, so a feed written during
a crawl and an export from the archive have the same header and the same cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from scrapy.exporters import CsvItemExporter, JsonItemExporter, JsonLinesItemExporter

from newscrawl.items import ARTICLE_FIELDS

FIELDS = ARTICLE_FIELDS
FORMATS = ("csv", "json", "jsonl")
LIST_SEPARATOR = " | "

# Spreadsheet apps run a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM(...)); scraped text is untrusted, so such cells get a leading apostrophe,
# which spreadsheets show as plain text. "-" is included too, at the cost of "'-5".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> str:
    """One CSV cell: lists joined with " | ", dicts as compact JSON, None as ""."""
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = LIST_SEPARATOR.join(str(part) for part in value if part is not None)
    elif isinstance(value, Mapping):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _record(row: Mapping) -> dict:
    return {name: row.get(name) for name in FIELDS}


def _json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_articles(rows: Iterable[Mapping], fmt: str, out: TextIO) -> int:
    """Write rows as csv, json (one array) or jsonl to a text stream; returns the row count.

    Rows are streamed, never collected. For csv, open `out` with newline="" (csv module rule).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for count, row in enumerate(rows, start=1):
            writer.writerow([csv_value(row.get(name)) for name in FIELDS])
    elif fmt == "jsonl":
        for count, row in enumerate(rows, start=1):
            out.write(_json(_record(row)) + "\n")
    else:
        out.write("[")
        for count, row in enumerate(rows, start=1):
            out.write(("\n" if count == 1 else ",\n") + _json(_record(row)))
        out.write("\n]\n" if count else "]\n")
    return count


class ArticleCsvItemExporter(CsvItemExporter):
    """Scrapy CSV feed with the `newscrawl export` columns and cells."""

    def __init__(self, file: Any, **kwargs: Any):
        kwargs["fields_to_export"] = kwargs.get("fields_to_export") or list(FIELDS)
        super().__init__(file, **kwargs)

    def serialize_field(self, field: Mapping[str, Any], name: str, value: Any) -> str:
        serializer = field.get("serializer")
        return csv_value(serializer(value) if serializer else value)


class _ArticleJsonOptions:
    """Defaults shared by the JSON feeds: FIELDS order, missing fields as null, real UTF-8."""

    def __init__(self, file: Any, **kwargs: Any):
        kwargs["fields_to_export"] = kwargs.get("fields_to_export") or list(FIELDS)
        kwargs.setdefault("export_empty_fields", True)
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)


class ArticleJsonItemExporter(_ArticleJsonOptions, JsonItemExporter):
    pass


class ArticleJsonLinesItemExporter(_ArticleJsonOptions, JsonLinesItemExporter):
    pass
