"""An archive is a newscrawl archive or nothing: another program's SQLite file is refused before
anything is written to it (application_id, tables); archives made before the application_id
existed open and get it. Unusable files (a directory, a corrupt or read-only file, an archive
another user owns) are one line from every verb, never a traceback."""

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, make_article, newscrawl
from newscrawl import storage
from newscrawl.errors import EXIT_FAILED
from newscrawl.storage import APPLICATION_ID, SCHEMA_VERSION, Archive, ArchiveError


def sqlite_file(path, *statements):
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def header(path):
    """(application_id, user_version, tables) as any SQLite client sees the file."""
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0],
                sorted(row[0] for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")))
    finally:
        conn.close()


def test_a_new_archive_carries_the_application_id(tmp_path):
    Archive(tmp_path / "a.db").close()
    application_id, version, tables = header(tmp_path / "a.db")
    assert (application_id, version) == (APPLICATION_ID, SCHEMA_VERSION) == (0x6E777363, SCHEMA_VERSION)
    assert "articles" in tables


FOREIGN = {
    "a foreign articles table": ["CREATE TABLE articles (id INTEGER PRIMARY KEY, headline TEXT)"],
    "other tables": ["CREATE TABLE notes (text)", "CREATE TABLE tags (name)"],
    "another application_id": ["PRAGMA application_id = 1234"],
    "our user_version, foreign tables": [f"PRAGMA user_version = {SCHEMA_VERSION}", "CREATE TABLE articles (x)"],
    "an archive with a table added": [*storage.MIGRATIONS[0], "PRAGMA user_version = 1", "CREATE TABLE mine (x)"],
}


@pytest.mark.parametrize("kind", FOREIGN)
def test_another_programs_file_is_refused_and_left_as_it_was(tmp_path, kind):
    path = sqlite_file(tmp_path / "theirs.db", *FOREIGN[kind])
    before, content = header(path), path.read_bytes()
    for open_ in (Archive, Archive.open_readonly):
        with pytest.raises(ArchiveError, match=rf"^{path} is not a newscrawl archive: "):
            open_(path)
    assert header(path) == before and path.read_bytes() == content  # not even switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]


def test_the_cli_refuses_a_foreign_file_in_one_line(tmp_path):
    path = sqlite_file(tmp_path / "theirs.db", *FOREIGN["a foreign articles table"])
    items = tmp_path / "items.jsonl"
    items.write_text("", encoding="utf-8")
    for args in (["import", "--db", str(path), str(items)], ["export", "--db", str(path)],
                 ["stats", "--db", str(path)]):
        result = newscrawl(*args, check=False)
        assert result.returncode == EXIT_FAILED, args
        assert result.stderr == (f"newscrawl {args[0]}: {path} is not a newscrawl archive: it holds another "
                                 "program's tables (articles); give a new file\n")
    assert header(path)[2] == ["articles"]


def test_an_empty_sqlite_file_becomes_an_archive(tmp_path):
    path = sqlite_file(tmp_path / "empty.db")
    with Archive(path) as archive:
        archive.upsert(make_article())
    assert header(path)[:2] == (APPLICATION_ID, SCHEMA_VERSION)


@pytest.mark.parametrize("steps", [1, 2, SCHEMA_VERSION])
def test_an_archive_made_before_the_application_id_opens_and_is_stamped(tmp_path, steps):
    path = tmp_path / "old.db"
    statements = [s for step in storage.MIGRATIONS[:steps] for s in step]
    sqlite_file(path, *statements, f"PRAGMA user_version = {steps}")
    assert header(path)[0] == 0
    if steps == SCHEMA_VERSION:  # readable as it is, and reading changes nothing
        Archive.open_readonly(path).close()
        assert header(path)[0] == 0
    with Archive(path) as archive:
        assert archive.upsert(make_article()) == "new"
    assert header(path)[:2] == (APPLICATION_ID, SCHEMA_VERSION)
    assert Archive.open_readonly(path).summary()["articles"] == 1


# -- unusable files ---------------------------------------------------------------------------

def one_line(result, text):
    assert result.returncode == EXIT_FAILED, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert text in result.stderr, result.stderr


def test_a_directory_or_a_corrupt_file_as_db_is_one_line(tmp_path):
    directory = tmp_path / "dir.db"
    directory.mkdir()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    items = tmp_path / "items.jsonl"
    items.write_text("", encoding="utf-8")
    for db, message in [(directory, f"{directory} is a directory, not an archive file"),
                        (corrupt, f"{corrupt} is not a newscrawl archive: ")]:
        for args in (["stats"], ["export"], ["stories"], ["import", str(items)]):
            # import names the option itself ("--db PATH is a directory ...")
            shown = f"--db {message}" if args[0] == "import" and db == directory else message
            one_line(newscrawl(args[0], "--db", str(db), *args[1:], check=False),
                     f"newscrawl {args[0]}: {shown}")


@pytest.fixture
def shared_dir():
    """A directory another user can reach (pytest's tmp_path is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="newscrawl-shared-"))
    path.chmod(0o755)
    yield path
    for root, dirs, _ in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(path)


@functools.lru_cache(maxsize=None)
def _other_user_can_run(prefix):
    probe = subprocess.run([*prefix, sys.executable, "-c", "import newscrawl.cli"], cwd="/",
                           capture_output=True, text=True, timeout=60)
    return probe.returncode == 0


def as_another_user(*args):
    """Run `newscrawl ARGS` as someone who does not own the files: nobody when we are root
    (root writes any file), else ourselves on files made read-only."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    if prefix and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no other user to be")
    if prefix and not _other_user_can_run(tuple(prefix)):
        pytest.skip(f"user nobody cannot read this checkout ({REPO}: a private directory), so cannot run "
                    "newscrawl as another user; .ci/run makes its clone readable")
    return subprocess.run([*prefix, sys.executable, "-m", "newscrawl", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def exported_archive(directory):
    """An archive closed by its owner (no -wal, no -shm left), then made read-only with its directory."""
    archive_dir = directory / "archive"
    archive_dir.mkdir()
    path = archive_dir / "a.db"
    with Archive(path) as archive:
        archive.upsert(make_article())
    assert sorted(p.name for p in archive_dir.iterdir()) == ["a.db"]
    path.chmod(0o444)
    archive_dir.chmod(0o555)
    return path


def test_another_users_read_only_archive_can_be_read(shared_dir):
    path = exported_archive(shared_dir)
    stats = as_another_user("stats", "--db", str(path))
    assert stats.returncode == 0 and stats.stdout.startswith(f"Archive {path}: 1 articles"), stats.stderr
    export = as_another_user("export", "--db", str(path))
    assert export.returncode == 0, export.stderr
    assert export.stdout.count("\n") == 1 and '"title": "Floods hit the coastal towns"' in export.stdout
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.db"]


def test_a_read_only_archive_for_writing_is_one_line(shared_dir):
    path = exported_archive(shared_dir)
    items = shared_dir / "items.jsonl"
    items.write_text("", encoding="utf-8")
    items.chmod(0o644)
    one_line(as_another_user("import", "--db", str(path), str(items)),
             f"newscrawl import: cannot write {path}: the file is read-only for you")
    path.parent.chmod(0o755)
    path.chmod(0o666)  # a writable file in a directory that takes no -wal/-shm files
    path.parent.chmod(0o555)
    one_line(as_another_user("import", "--db", str(path), str(items)),
             f"newscrawl import: cannot write {path}: its directory is read-only for you")


def test_a_write_ahead_log_that_cannot_be_read_is_one_line(shared_dir):
    path = exported_archive(shared_dir)
    path.parent.chmod(0o755)
    (path.parent / "a.db-wal").write_bytes(b"\0" * 4096)  # left by a writer that died
    path.parent.chmod(0o555)
    one_line(as_another_user("stats", "--db", str(path)),
             f"newscrawl stats: cannot read {path}: its write-ahead log a.db-wal holds changes")


def test_a_crawl_with_an_unusable_archive_is_a_usage_error_before_it_starts(tmp_path):
    from conftest import scrapy_crawl

    directory = tmp_path / "dir.db"
    directory.mkdir()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database " * 1000)
    foreign = sqlite_file(tmp_path / "theirs.db", *FOREIGN["a foreign articles table"])
    for db, message in [(directory, f"{directory} is a directory, not an archive file"),
                        (corrupt, f"{corrupt} is not a newscrawl archive: file is not a database"),
                        (foreign, f"{foreign} is not a newscrawl archive: it holds another program's tables (articles); give a new file")]:
        result = scrapy_crawl("news", "-a", "url=http://127.0.0.1:9/", "-s", f"NEWSCRAWL_DB={db}", check=False)
        assert result.returncode == 2, result.stderr[-2000:]
        assert f"error: -s NEWSCRAWL_DB={db}: {message}\n" in result.stderr
        assert "Traceback" not in result.stderr and "Spider opened" not in result.stderr
    assert header(foreign)[2] == ["articles"]
