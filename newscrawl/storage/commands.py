"""`newscrawl migrate` and `newscrawl copy`: the archive's own verbs."""

from __future__ import annotations

import sys

from newscrawl.errors import UsageError


def cmd_migrate(args):
    from . import open_archive

    archive = open_archive(args.db)  # opening for writing creates or migrates it
    try:
        print(f"{archive.location}: schema version {archive.schema_version()}")
    finally:
        archive.close()


def cmd_copy(args):
    from . import is_postgres_url, open_archive

    if is_postgres_url(args.source) or not is_postgres_url(args.to):
        raise UsageError("copy moves a SQLite archive (--from FILE) into PostgreSQL (--to postgresql://…)")
    from .copy import copy_archive

    source = open_archive(args.source, readonly=True)
    try:
        target = open_archive(args.to)
        try:
            counts = copy_archive(source, target)
        finally:
            target.close()
    finally:
        source.close()
    print(f"Copied {args.source} into {args.to}: " + ", ".join(
        f"{count} {table}" for table, count in counts.items()), file=sys.stderr)


def add_parsers(commands, db_argument: dict) -> None:
    migrate = commands.add_parser("migrate", help="create an archive or bring its schema up to date")
    migrate.add_argument("--db", **db_argument)
    migrate.set_defaults(run=cmd_migrate)
    copy = commands.add_parser("copy", help="move a SQLite archive whole (stories included) into PostgreSQL")
    copy.add_argument("--from", dest="source", required=True, metavar="FILE", help="the SQLite archive")
    copy.add_argument("--to", required=True, metavar="URL", help="an empty PostgreSQL database")
    copy.set_defaults(run=cmd_copy)
