"""`newscrawl extract`: the Article a crawl would make of a saved page, one page or a batch.

A saved page gets the crawl's own limit (DOWNLOAD_MAXSIZE, also after decompression, read in a
streaming way so a small .gz that expands to gigabytes never does), and the URL it stands for
must be http(s), as every URL a crawl fetches.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from pathlib import Path

from . import settings as project_settings
from .errors import CommandError, describe_os_error
from .items import ARTICLE_FIELDS
from .validation import is_http_url

PAGE_LIMIT = project_settings.DOWNLOAD_MAXSIZE
GZIP_MAGIC = b"\x1f\x8b"


def read_saved_page(path, limit: int = PAGE_LIMIT) -> bytes:
    """The page's bytes, gunzipped when the file is gzip (told by its first bytes, whatever
    its name); more than `limit` bytes, as stored or decompressed, is an error."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        try:
            data = stream.read(limit + 1)  # GzipFile inflates only as far as it is read
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise CommandError(f"{path}: a damaged or truncated gzip file ({error})") from None
    if len(data) > limit:
        what = "decompresses to" if compressed else "is"
        raise CommandError(f"{path}: {what} more than {limit:,} bytes, the crawl's DOWNLOAD_MAXSIZE")
    return data


def extract_page(path, url=None, site=None):
    """The Article dict (ARTICLE_FIELDS order) a crawl would store for a saved page."""
    from scrapy.http import HtmlResponse

    from .extract.article import extract_article
    from .profiles import get_profile, profile_for_url

    body = read_saved_page(path)
    if not url:
        # No URL given: the page's own canonical link says where it came from.
        url = HtmlResponse("file:///page.html", body=body).xpath('//link[@rel="canonical"]/@href').get()
        if not url:
            raise CommandError(f"{path}: the page has no canonical link; pass its URL")
        url = url.strip()
        if not is_http_url(url):
            raise CommandError(f"{path}: its canonical link {url[:100]!r} is not an http(s) URL; pass its URL")
    elif not is_http_url(url):
        raise CommandError(f"{url[:100]!r}: expected an http(s) URL")
    profile = get_profile(site) if site else profile_for_url(url)
    response = HtmlResponse(url, body=body, encoding=(profile.encoding if profile else None) or _utf8_or_none(body))
    article = dict(extract_article(response, profile))
    return {name: article.get(name) for name in ARTICLE_FIELDS}


def _utf8_or_none(body):
    """'utf-8' when the bytes are non-ASCII and decode strictly as UTF-8, else None (the page's
    declaration decides). A saved page has no HTTP header, and a file re-saved as UTF-8 often
    keeps its old declaration (gb2312, windows-1252); text in those almost never decodes as UTF-8."""
    if body.isascii():
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


class BadLine(ValueError):
    """A batch line that is not a task {"id", "page", "url"}."""


def _parse_line(line: bytes) -> dict:
    try:
        task = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadLine(f"not UTF-8 text (byte {error.start})") from None
    except ValueError as error:
        raise BadLine(f"not JSON ({error})") from None
    except RecursionError:
        raise BadLine("JSON nested too deeply") from None
    if not isinstance(task, dict):
        raise BadLine(f'expected an object {{"id", "page", "url"}}, not {type(task).__name__}')
    return task


def _page_and_url(task: dict, base: Path) -> tuple[str, str | None]:
    page, url = task.get("page"), task.get("url")
    if not isinstance(page, str) or not page:
        raise BadLine('no "page" (the saved page\'s path)')
    if url is not None and not is_http_url(url):
        raise BadLine(f'"url" {str(url)[:100]!r} is not an http(s) URL')
    path = Path(page)
    return str(path if path.is_absolute() else base / path), url


def _describe(error: Exception) -> str:
    if isinstance(error, (CommandError, BadLine)):
        return str(error)
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {describe_os_error(error)}"
    return f"{type(error).__name__}: {error}"


def extract_batch(listing, site=None, out=None) -> tuple[int, int]:
    """Lines {"id", "page", "url"} in; one line out each: {"id", ...Article}, or {"id", "line",
    "error"} for a line or page that failed (also reported on stderr with its line number).
    Returns (lines, failures); one bad line never ends the batch."""
    out = out or sys.stdout
    base = Path(listing).resolve().parent
    lines = failures = 0
    with open(listing, "rb") as source:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            lines += 1
            task_id = None
            try:
                task = _parse_line(line)
                task_id = task.get("id")
                result = {"id": task_id, **extract_page(*_page_and_url(task, base), site)}
            except Exception as error:  # one bad line or page must not end a corpus run
                failures += 1
                result = {"id": task_id, "line": number, "error": _describe(error)}
                print(f"newscrawl extract: {listing}:{number}: {result['error']}", file=sys.stderr)
            print(json.dumps(result, ensure_ascii=False), file=out, flush=True)
    return lines, failures
