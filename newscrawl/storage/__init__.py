"""The archive: one contract (contract.py), two backends. SQLite (sqlite.py) is the default and
needs nothing installed; PostgreSQL (postgres.py) is for archives shared by several workers or
machines. `open_archive` picks one from what the user gave: a path or a postgresql:// URL.

Everything else in newscrawl talks to the database through these classes only.
"""

from __future__ import annotations

import os
from typing import Any

from newscrawl.storage_file import APPLICATION_ID, ArchiveError  # noqa: F401

from .common import ArchiveLost, ArchiveUnavailable  # noqa: F401
from .common import (ASSIGNED_FIELDS, CONTENT_FIELDS, COUNTERS, CRAWL_OVERVIEW_COLUMNS,  # noqa: F401
                     CRAWL_STATUSES, FINISHED_STATUSES, JSON_FIELDS, STORED_FIELDS, V1_CRAWL_STATUSES,
                     V1_FIELDS, content_hash, crawl_site)
from .contract import ArchiveContract  # noqa: F401
from .sqlite import Archive  # noqa: F401
from .sqlite_schema import MIGRATIONS, SCHEMA_VERSION  # noqa: F401

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: Any) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_archive(target: str | os.PathLike, *, readonly: bool = False, **kwargs: Any) -> ArchiveContract:
    """The archive at a path (SQLite) or a postgresql:// URL. Read-only never creates or
    migrates anything."""
    if is_postgres_url(target):
        from .postgres import PostgresArchive

        kwargs.pop("busy_timeout_s", None)
        return PostgresArchive(target, readonly=readonly, **kwargs)
    return Archive.open_readonly(target, **kwargs) if readonly else Archive(target, **kwargs)
