"""CSV / JSON / JSON lines output, shared by `newscrawl export` and Scrapy feeds (-O file.csv).

Both paths use FIELDS as the column order and csv_value for CSV cells, so a feed written during
a crawl and an export from the archive have the same header and the same cells.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
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
# Excel and LibreOffice hold at most this many characters in a cell (`export --excel`).
EXCEL_MAX_CELL = 32_767
TRUNCATED = "…"


def csv_value(value: Any, max_cell: int | None = None) -> str:
    """One CSV cell: lists joined with " | ", dicts as compact JSON, None as "". With max_cell,
    a longer cell is cut to that many characters, the last one "…" (only when asked: a CSV
    reader takes any length once told, e.g. Python's csv.field_size_limit)."""
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = LIST_SEPARATOR.join(str(part) for part in value if part is not None)
    elif isinstance(value, Mapping):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = str(value)
    text = "'" + text if text.startswith(FORMULA_PREFIXES) else text
    if max_cell is not None and len(text) > max_cell:
        text = text[:max_cell - len(TRUNCATED)] + TRUNCATED
    return text


def _record(row: Mapping) -> dict:
    return {name: row.get(name) for name in FIELDS}


def _json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_articles(rows: Iterable[Mapping], fmt: str, out: TextIO, max_cell: int | None = None) -> int:
    """Write rows as csv, json (one array) or jsonl to a text stream; returns the row count.

    Rows are streamed, never collected. For csv, open `out` with newline="" (csv module rule);
    max_cell (csv only) cuts longer cells, see csv_value.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for count, row in enumerate(rows, start=1):
            writer.writerow([csv_value(row.get(name), max_cell) for name in FIELDS])
    elif fmt == "jsonl":
        for count, row in enumerate(rows, start=1):
            out.write(_json(_record(row)) + "\n")
    else:
        out.write("[")
        for count, row in enumerate(rows, start=1):
            out.write(("\n" if count == 1 else ",\n") + _json(_record(row)))
        out.write("\n]\n" if count else "]\n")
    return count


@contextmanager
def output_file(path: str) -> Iterator[TextIO]:
    """The text stream an export writes: standard output for "-"; else a temporary file in the
    target's directory, renamed over the target only once everything is written, so a failure
    midway (a full disk, Ctrl-C, a kill) leaves the old file, or none. A target that exists and
    is not a regular file (/dev/stdout, a FIFO, /dev/full) is written in place."""
    if path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        with open(target, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    try:
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                                 suffix=".part")
    except OSError as error:  # name the target, not a temporary file the user never asked for
        raise type(error)(error.errno, error.strerror, path) from None
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file 0600: give it the mode the target has, or a new file gets.
        os.chmod(temporary, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
