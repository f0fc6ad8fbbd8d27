"""Every `newscrawl` error is one line on stderr with a documented exit code, never a traceback:
usage errors (2), runtime errors (1, unexpected ones with a hint to rerun with --debug),
Ctrl-C (130); output into a closed pipe ends quietly."""

import json
import os
import re
import signal
import socket
import subprocess
import sys

import pytest

from conftest import REPO, make_article, newscrawl, scrapy_crawl
from newscrawl.errors import EXIT_CODES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from newscrawl.storage import SCHEMA_VERSION, Archive
from newscrawl.syndication import StoryIndex

PAGE = REPO / "tests" / "fixtures" / "profiles" / "app" / "senate-passes-seed-certification-bill.html"


def one_line_error(result, code, text):
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and text in result.stderr, result.stderr
    assert result.stderr.startswith("newscrawl ") and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of 1,500 articles, each its own story: more output than a pipe holds."""
    path = tmp_path_factory.mktemp("archive") / "a.db"
    with Archive(path) as db:
        for n in range(1500):
            url = f"https://www.example.com/news/story-{n}.html"
            words = " ".join(f"w{n}x{i}" for i in range(40))
            db.upsert(make_article(url=url, canonical_url=url, article_id=str(n), title=f"Story {n}",
                                   body=f"KARACHI, July 29 (APP) - {words}."))
        StoryIndex(db).catch_up()
        db.commit()
    return path


def into_head(command, stdin=None):
    """Run `command | head -1` through a real pipe; (head's output, the command's result)."""
    producer = subprocess.Popen(command, cwd=REPO, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    head = subprocess.run(["head", "-1"], stdin=producer.stdout, capture_output=True, timeout=300)
    producer.stdout.close()  # head holds the read end alone: when it exits, the pipe is broken
    stderr = producer.stderr.read().decode()
    producer.wait(timeout=300)
    return head.stdout.decode(), producer.returncode, stderr


def test_a_closed_pipe_ends_export_and_stories_quietly(archive):
    newscrawl_ = [sys.executable, "-m", "newscrawl"]
    for args, first in [(["export", "--db", str(archive), "--format", "csv"], "url,canonical_url,site"),
                        (["export", "--db", str(archive)], '{"url": "https://www.example.com/news/story-'),
                        (["stories", "--db", str(archive)], "story "),
                        (["stories", "--db", str(archive), "--json"], "[")]:
        line, code, stderr = into_head(newscrawl_ + args)
        assert line.startswith(first), args
        assert (code, stderr) == (EXIT_FAILED, ""), args  # Python's documented exit status on EPIPE


def test_a_closed_pipe_ends_normalize_and_extract_batch_quietly(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("ISLAMABAD, Jan 01 (APP):The Senate on Wednesday passed the bill.\n" * 20000,
                     encoding="utf-8")
    with open(lines, "rb") as stdin:
        line, code, stderr = into_head([sys.executable, "-m", "newscrawl", "normalize", "dateline"], stdin)
    assert json.loads(line)["location"] == "ISLAMABAD"
    assert (code, stderr) == (EXIT_FAILED, "")

    listing = tmp_path / "list.jsonl"
    listing.write_text("".join(json.dumps({"id": n, "page": str(PAGE)}) + "\n" for n in range(120)),
                       encoding="utf-8")  # ~200 KB of output, flushed line by line
    line, code, stderr = into_head([sys.executable, "-m", "newscrawl", "extract", "--batch", str(listing)])
    assert json.loads(line)["id"] == 0
    assert (code, stderr) == (EXIT_FAILED, "")


def test_a_full_disk_is_one_line(archive):
    with open("/dev/full", "w") as full:  # every write to it fails with ENOSPC
        result = subprocess.run([sys.executable, "-m", "newscrawl", "stats", "--db", str(archive)], cwd=REPO,
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    one_line_error(result, EXIT_FAILED, "newscrawl stats: No space left on device")
    one_line_error(newscrawl("export", "--db", str(archive), "--output", "/dev/full", check=False), EXIT_FAILED,
                   "newscrawl export: /dev/full: No space left on device")


def test_a_directory_or_a_forbidden_file_for_output_is_one_line(archive, tmp_path):
    one_line_error(newscrawl("export", "--db", str(archive), "--output", str(tmp_path), check=False), EXIT_FAILED,
                   f"newscrawl export: {tmp_path}: Is a directory")
    if os.geteuid() != 0:
        forbidden = tmp_path / "locked" / "out.csv"
        forbidden.parent.mkdir(mode=0o500)
    elif os.path.exists("/sys/kernel/notes"):
        forbidden = "/sys/kernel/notes"  # read-only even for root
    else:
        pytest.skip("running as root without /sys: no file this test may not write")
    one_line_error(newscrawl("export", "--db", str(archive), "--output", str(forbidden), check=False),
                   EXIT_FAILED, f"newscrawl export: {forbidden}: Permission denied")


def foreign_archive(tmp_path):
    """A SQLite file that claims to be an archive (its application_id and schema version) but
    has none of its tables: what no check foresees, an unexpected error."""
    import sqlite3

    from newscrawl.storage import APPLICATION_ID

    path = tmp_path / "foreign.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    return path


def test_an_unexpected_error_is_one_line_with_a_hint_and_a_traceback_on_request(tmp_path):
    db = foreign_archive(tmp_path)
    one_line_error(newscrawl("export", "--db", str(db), check=False), EXIT_FAILED,
                   "newscrawl export: unexpected error: OperationalError: no such table: articles "
                   "(rerun with --debug or NEWSCRAWL_DEBUG=1 for the traceback)")
    for debug in (["--debug"], []):
        env = dict(os.environ, NEWSCRAWL_DEBUG="" if debug else "1")
        result = subprocess.run([sys.executable, "-m", "newscrawl", *debug, "export", "--db", str(db)], cwd=REPO,
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == EXIT_FAILED
        assert result.stderr.startswith("Traceback (most recent call last):")
        assert result.stderr.splitlines()[-1] == \
            "newscrawl export: unexpected error: OperationalError: no such table: articles"


@pytest.mark.parametrize("args, message", [
    (["stories", "--min-copies", "1e23"], "argument --min-copies: '1e23': expected a whole number from 1 to 1,000,000"),
    (["stories", "--min-copies", "100000000000000000000000"], "argument --min-copies: '100000000000000000000000'"),
    (["stories", "--min-copies", "0"], "expected a whole number from 1 to 1,000,000"),
    (["stories", "--min-copies", "2.5"], "expected a whole number from 1 to 1,000,000"),
    (["stories", "--since", ""], "argument --since: '': expected a date as YYYY-MM-DD"),
    (["stories", "--since", "July"], "argument --since: 'July': expected a date as YYYY-MM-DD"),
    (["export", "--since", ""], "argument --since: '': expected a date as YYYY-MM-DD"),
    (["export", "--since", "2023-13-01"], "argument --since: '2023-13-01': expected a date as YYYY-MM-DD"),
    (["export", "--since", "20230701"], "argument --since: '20230701': expected a date as YYYY-MM-DD"),
])
def test_malformed_numbers_and_dates_are_usage_errors(archive, args, message):
    result = newscrawl(*args, "--db", str(archive), check=False)
    assert result.returncode == EXIT_USAGE and message in result.stderr
    assert "Traceback" not in result.stderr


def test_since_still_filters(archive):
    assert newscrawl("export", "--db", str(archive), "--since", "2023-07-30").stdout == ""
    assert len(newscrawl("export", "--db", str(archive), "--since", "2023-07-29").stdout.splitlines()) == 1500


def test_serve_demo_errors():
    one_line_error(newscrawl("serve-demo", "--site", "app", check=False), EXIT_USAGE,
                   "newscrawl serve-demo: --site 'app': no demo copy of that site; demo sites: gulfwire, ledger, "
                   "urdupoint, wam")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        one_line_error(newscrawl("serve-demo", "--port", str(port), check=False), EXIT_FAILED,
                       f"newscrawl serve-demo: port {port} on 127.0.0.1 is already in use (another server?); "
                       "choose another with --port")
    result = newscrawl("serve-demo", "--port", "70000", check=False)
    assert result.returncode == EXIT_USAGE and "expected a whole number from 0 to 65,535" in result.stderr


def test_normalize_errors():
    for args, message in [(["--tz", "Mars/Olympus"], "argument --tz: 'Mars/Olympus': not an IANA timezone"),
                          (["--site", "nosuch"], "argument --site: 'nosuch': no such site profile")]:
        result = newscrawl("normalize", "date", *args, check=False)
        assert result.returncode == EXIT_USAGE and message in result.stderr
    result = subprocess.run([sys.executable, "-m", "newscrawl", "normalize", "dateline"], cwd=REPO,
                            input=b"ISLAMABAD, Jan 01 (APP):The Senate\n\xff\xfe\n", capture_output=True, timeout=120)
    assert result.stdout.decode().splitlines()[0].startswith('{"location": "ISLAMABAD"')
    one_line_error(subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(),
                                               result.stderr.decode()), EXIT_FAILED,
                   "newscrawl normalize: standard input, line 2: not UTF-8 text (at byte 0)")


def interrupted():
    """`newscrawl normalize` stopped with Ctrl-C while it waits for input: its exit code."""
    process = subprocess.Popen([sys.executable, "-m", "newscrawl", "normalize", "dateline", "--flush"], cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(b"ISLAMABAD, Jan 01 (APP):The Senate\n")
    process.stdin.flush()
    assert process.stdout.readline().startswith(b'{"location": "ISLAMABAD"')  # it is in its loop now
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    process.stdin.close()
    assert stderr == b""  # no KeyboardInterrupt traceback
    return process.returncode


def test_ctrl_c_is_exit_130_without_a_traceback():
    assert interrupted() == EXIT_INTERRUPTED


README_CODES = re.compile(r"^\| `(\d+)` \|", re.M)


def readme_exit_codes():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Errors and exit codes", 1)[1].split("\n## ", 1)[0]
    newscrawl_table, crawl_table = section.split("`scrapy crawl`", 1)
    return [int(code) for code in README_CODES.findall(newscrawl_table)], \
        [int(code) for code in README_CODES.findall(crawl_table)]


def test_the_readme_table_lists_the_codes_the_command_uses():
    newscrawl_codes, crawl_codes = readme_exit_codes()
    assert newscrawl_codes == list(EXIT_CODES) == [EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED]
    assert crawl_codes == [0, 1, 2]


def test_every_exit_code_in_the_readme_is_produced(archive, tmp_path):
    """One real command per code of both tables."""
    newscrawl_codes, crawl_codes = readme_exit_codes()
    produce = {
        EXIT_OK: lambda: newscrawl("stories", "--db", str(archive), "--min-copies", "2").returncode,
        EXIT_FAILED: lambda: newscrawl("stats", "--db", str(tmp_path / "none.db"), check=False).returncode,
        EXIT_USAGE: lambda: newscrawl("stories", "--db", "x.db", "--min-copies", "-1", check=False).returncode,
        EXIT_INTERRUPTED: interrupted,
    }
    assert {code: produce[code]() for code in newscrawl_codes} == {code: code for code in newscrawl_codes}
    crawl = {
        0: lambda: scrapy_crawl("news", "-a", "url=http://127.0.0.1:9/", "-s",
                                f"NEWSCRAWL_DB={tmp_path / 'a.db'}", "-s", "RETRY_ENABLED=0").returncode,
        1: lambda: scrapy_crawl("news", "-a", "url=http://127.0.0.1:9/", "-s", f"NEWSCRAWL_DB={tmp_path / 'a.db'}",
                                "-s", "NEWSCRAWL_DB_BATCH_SIZE=lots", check=False).returncode,
        2: lambda: scrapy_crawl("urdupoint", "-a", "max_pages=lots", check=False).returncode,
    }
    assert {code: crawl[code]() for code in crawl_codes} == {0: 0, 1: 1, 2: 2}
