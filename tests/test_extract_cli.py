"""`newscrawl extract` on hostile input: the crawl's size limit (also after decompression, in
bounded memory), damaged files and bad URLs as one-line errors, and batches that report a bad
line and go on."""

import gzip
import json
import os
import subprocess
import sys
import zlib

import pytest

from conftest import REPO, newscrawl

FIXTURES = REPO / "tests" / "fixtures" / "profiles" / "app"
PAGE = FIXTURES / "senate-passes-seed-certification-bill.html"
EXPECTED = json.loads(PAGE.with_suffix(".json").read_text(encoding="utf-8"))
MiB = 1024 * 1024


def one_line_error(result, code, text):
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and text in result.stderr, result.stderr
    assert result.stdout == ""


def gzip_bomb(path, mebibytes):
    """A gzip file of `mebibytes` MiB of spaces: one member of 1 MiB, repeated (gzip allows
    many members), so writing it costs nothing."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    path.write_bytes((compressor.compress(b" " * MiB) + compressor.flush()) * mebibytes)
    return path


def test_a_gzipped_page_extracts_like_the_plain_one(tmp_path):
    saved = tmp_path / "page.html.gz"
    saved.write_bytes(gzip.compress(PAGE.read_bytes()))
    article = json.loads(newscrawl("extract", str(saved)).stdout)
    assert (article["title"], article["published_at"]) == (EXPECTED["title"], EXPECTED["published_at"])


def test_a_decompression_bomb_stops_at_the_crawls_limit_in_bounded_memory(tmp_path):
    bomb = gzip_bomb(tmp_path / "page.html.gz", 256)  # 256 KiB on disk, 256 MiB inflated
    assert bomb.stat().st_size < 300 * 1024
    stderr = tmp_path / "stderr"
    with open(stderr, "wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "newscrawl", "extract", str(bomb), "--url",
                                    EXPECTED["url"]], cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # the child's own peak memory
    assert os.waitstatus_to_exitcode(status) == 1
    assert stderr.read_text().splitlines() == [
        f"newscrawl extract: {bomb}: decompresses to more than 10,485,760 bytes, the crawl's DOWNLOAD_MAXSIZE"]
    # Read at most DOWNLOAD_MAXSIZE + 1 bytes: far below the 256 MiB the file inflates to.
    assert usage.ru_maxrss < 200 * 1024, f"peak RSS {usage.ru_maxrss // 1024} MiB"  # KiB on Linux
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait


def test_a_plain_page_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "page.html"
    big.write_bytes(PAGE.read_bytes() + b" " * (11 * MiB))
    one_line_error(newscrawl("extract", str(big), "--url", EXPECTED["url"], check=False), 1,
                   "is more than 10,485,760 bytes, the crawl's DOWNLOAD_MAXSIZE")


def test_damaged_files_and_wrong_paths_are_one_line_errors(tmp_path):
    truncated = tmp_path / "page.html.gz"
    truncated.write_bytes(gzip.compress(PAGE.read_bytes())[:1500])
    one_line_error(newscrawl("extract", str(truncated), check=False), 1,
                   f"{truncated}: a damaged or truncated gzip file")
    one_line_error(newscrawl("extract", str(tmp_path), check=False), 1, f"{tmp_path}: Is a directory")
    one_line_error(newscrawl("extract", str(tmp_path / "gone.html"), check=False), 1,
                   f"{tmp_path / 'gone.html'}: No such file or directory")


@pytest.mark.parametrize("url", ["javascript:x", "file:///etc/passwd", "www.app.com.pk/national/", ""])
def test_only_http_urls(url):
    result = newscrawl("extract", str(PAGE), "--url", url, check=False)
    assert result.returncode == 2 and "argument --url" in result.stderr
    assert "expected an http(s) URL" in result.stderr and "Traceback" not in result.stderr


def test_a_page_whose_canonical_link_is_not_http_needs_its_url(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.read_bytes().replace(EXPECTED["url"].encode(), b"javascript:alert(1)"))
    one_line_error(newscrawl("extract", str(page), check=False), 1,
                   "its canonical link 'javascript:alert(1)' is not an http(s) URL; pass its URL")


def test_usage_errors_of_extract():
    one_line_error(newscrawl("extract", check=False), 2, "newscrawl extract: give a PAGE or --batch LIST.jsonl")
    result = newscrawl("extract", str(PAGE), "--site", "nosuch", check=False)
    assert result.returncode == 2 and "'nosuch': no such site profile; profiles: app, arabnews" in result.stderr


def test_a_batch_reports_each_bad_line_with_its_number_and_goes_on(tmp_path):
    good = {"id": "good", "page": PAGE.name, "url": EXPECTED["url"]}
    listing = tmp_path / "list.jsonl"
    (tmp_path / PAGE.name).write_bytes(PAGE.read_bytes())
    listing.write_bytes(b"\n".join([
        json.dumps(good).encode(),
        b"not json",
        b"[1, 2]",
        json.dumps({"id": "no-page", "url": EXPECTED["url"]}).encode(),
        json.dumps({**good, "id": "bad-url", "url": "javascript:x"}).encode(),
        b"",
        json.dumps({**good, "id": "gone", "page": "gone.html"}).encode(),
        b'{"id": "latin1", "page": "caf\xe9.html"}',
        json.dumps({**good, "id": "last"}).encode(),
    ]) + b"\n")
    result = newscrawl("extract", "--batch", str(listing), check=False)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line.get("line")) for line in out] == [
        ("good", None), (None, 2), (None, 3), ("no-page", 4), ("bad-url", 5), ("gone", 7), (None, 8), ("last", None)]
    assert out[0]["title"] == out[-1]["title"] == EXPECTED["title"]
    assert [line.get("error", "").split(" (")[0] for line in out[1:-1]] == [
        "not JSON", 'expected an object {"id", "page", "url"}, not list', 'no "page"',
        "\"url\" 'javascript:x' is not an http(s) URL",
        f"FileNotFoundError: {tmp_path / 'gone.html'}: No such file or directory", "not UTF-8 text"]
    errors = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in errors[:-1]] == [f"{listing}:{n}" for n in (2, 3, 4, 5, 7, 8)]
    assert errors[-1] == f"newscrawl extract: 6 of 8 lines of {listing} failed (see above)"


LEAD = "谷歌在2014年收购的人工智能公司开发出一款能够用自己的记忆学习新知识的计算机。Ça coûte 3 € à Zürich."


@pytest.mark.parametrize("declared, written, expected", [
    # Re-saved as UTF-8, the old declaration kept: the bytes decide.
    ("gb2312", "utf-8", LEAD),
    ("windows-1252", "utf-8", LEAD),
    # Bytes that are not UTF-8: the page's declaration decides.
    ("windows-1252", "windows-1252", "Ça coûte 3 € à Zürich."),
])
def test_a_saved_page_is_read_in_the_encoding_its_bytes_are_in(tmp_path, declared, written, expected):
    from newscrawl.saved_pages import extract_page

    text = expected + " " + "The council approved the budget after a long debate about buses and bridges. " * 4
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}">'
            f"<title>Budget</title></head><body><article><p>{text}</p></article></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(html.encode(written))
    assert extract_page(str(path), "https://news.example.com/world/story-1.html")["body"].startswith(expected)
