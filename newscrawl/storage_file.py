"""Which SQLite file the archive opens, and how: the archive's identity (its application_id and
tables) and the connections for reading and writing, with every way a file can be unusable
turned into one ArchiveError sentence.

storage.py keeps the schema (MIGRATIONS) and everything the archive does once a file is open.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

# PRAGMA application_id of every newscrawl archive ("nwsc"): tells it from another program's
# SQLite file even when that file has an `articles` table of its own.
APPLICATION_ID = int.from_bytes(b"nwsc", "big")


class ArchiveError(Exception):
    """The archive file cannot be used (missing, not an archive, or from a newer newscrawl)."""


def _tables(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """{table: its column names} of a database, SQLite's own tables left out."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name")]
    return {name: tuple(row[0] for row in conn.execute(
        "SELECT name FROM pragma_table_info(?) ORDER BY cid", (name,))) for name in names}


@lru_cache(maxsize=16)
def _expected_tables(steps: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, ...]]:
    """The tables an archive has after these migration steps, built in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in steps:
            for statement in step:
                conn.execute(statement)
        return _tables(conn)
    finally:
        conn.close()


def check_identity(conn: sqlite3.Connection, path: Path, migrations: Sequence[Sequence[str]]) -> bool:
    """Raise ArchiveError unless the file is a newscrawl archive or empty; True when it still
    needs its application_id (an empty file, or an archive made before archives had one)."""
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return False
    if application_id != 0:
        raise ArchiveError(f"{path} is not a newscrawl archive: it is another program's SQLite "
                           f"database (application_id {application_id:#x}); give a new file")
    tables = _tables(conn)
    if not tables:
        return True
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if 0 < version <= len(migrations):
        expected = _expected_tables(tuple(tuple(step) for step in migrations[:version]))
        if tables == expected:
            return True
    shown = ", ".join(list(tables)[:5]) + (", …" if len(tables) > 5 else "")
    raise ArchiveError(f"{path} is not a newscrawl archive: it holds another program's tables "
                       f"({shown}); give a new file")


def _is_readonly_or_unopenable(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"))


def describe_open_error(path: Path, error: sqlite3.Error, readonly: bool) -> ArchiveError | None:
    """The sentence for a SQLite error met while opening `path`; None when it is not about the file."""
    if type(error) is sqlite3.DatabaseError:  # "file is not a database": corrupt or not SQLite
        return ArchiveError(f"{path} is not a newscrawl archive: {error}")
    if isinstance(error, sqlite3.OperationalError) and _is_readonly_or_unopenable(error):
        verb = "read" if readonly else "open for writing"
        return ArchiveError(f"cannot {verb} {path}: {error}")
    return None


def connect_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection. An archive in WAL mode needs its -shm file: when the directory
    is not ours to write (an archive exported by another user), the -shm cannot be made, so the
    file is read as immutable, which is exact as long as its -wal holds nothing."""
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.is_file():
        raise ArchiveError(f"archive not found: {path}")
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA application_id").fetchone()  # the first read opens the WAL index
        return conn
    except sqlite3.OperationalError as error:
        conn.close()
        if not _is_readonly_or_unopenable(error):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ArchiveError(f"cannot read {path}: its write-ahead log {wal.name} holds changes and "
                           "its directory is not writable for you; open it once as its owner "
                           "(e.g. newscrawl stats) or copy the three files")
    return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=timeout, isolation_level=None)


def connect_for_writing(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-write connection, creating the file (never its directory). SQLite would open a
    write-protected file read-only without a word and fail at the first write: check first."""
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.parent.is_dir():  # a typo in a path must not create a tree
        raise ArchiveError(f"{path}: no such directory {str(path.parent)!r}")
    if path.exists() and not os.access(path, os.W_OK):
        raise ArchiveError(f"cannot write {path}: the file is read-only for you")
    # WAL mode keeps -wal and -shm files beside the archive: its directory must take them.
    if not all(os.access(Path(f"{path}{suffix}"), os.W_OK) for suffix in ("-wal", "-shm")) \
            and not os.access(path.parent, os.W_OK | os.X_OK):
        raise ArchiveError(f"cannot write {path}: its directory is read-only for you (SQLite "
                           "keeps its -wal and -shm files there)")
    # isolation_level=None: the archive issues BEGIN/COMMIT itself (batches, savepoints).
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)
