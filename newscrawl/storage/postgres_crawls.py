"""The PostgreSQL archive's crawls: one `crawls` row per worker process, `runs` for the
logical crawl several workers share, the frontier of links a crawl queued, and the SQL crawl
health runs on them (a mixin of PostgresArchive)."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence

from psycopg.types.json import Jsonb

from newscrawl.redact import redact_values

from newscrawl.storage_file import ArchiveError

from .common import COUNTERS, CRAWL_STATUSES, FINISHED_STATUSES, _json_safe, _now
from .postgres_retry import _retrying


class PostgresCrawlsMixin:
    """Needs self._conn, self._atomic, self._after_write, self.commit, self._crawls and
    self._frontier_rows (excursions queued until the commit, which calls _write_frontier)."""

    @_retrying(write=False)
    def start_crawl(self, spider: str, args: Mapping | None = None, job_id: str | None = None) -> int:
        args = _json_safe(redact_values(args or {}))
        run, now = args.get("run") or None, _now()
        with self._atomic():
            if run is not None:  # a run id used again continues that run
                self._conn.execute(
                    "INSERT INTO runs (id, spider, started_at) VALUES (%s, %s, %s) ON CONFLICT (id) "
                    "DO UPDATE SET status = 'running', finished_at = NULL", (run, spider, now))
            pid = args.get("_pid")
            crawl_id = self._conn.execute(
                "INSERT INTO crawls (run, job_id, spider, host, pid, args, started_at, heartbeat_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (run, job_id, spider, args.get("_host") or socket.gethostname(),
                 int(pid) if str(pid).isdigit() else os.getpid(), Jsonb(args), now, now)).fetchone()["id"]
        self.commit()
        self._crawls.append(crawl_id)
        return crawl_id

    @_retrying(write=False)
    def finish_crawl(self, crawl_id: int, *, status: str, finish_reason: str | None = None,
                     counts: Mapping | None = None, stats: Mapping | None = None) -> None:
        if status not in CRAWL_STATUSES:
            raise ValueError(f"crawl status must be one of {CRAWL_STATUSES}, not {status!r}")
        counts = counts or {}
        self.commit()   # the batch first (queued excursions too): see _lock_run_of
        with self._atomic():
            self._lock_run_of(crawl_id)
            run = self._conn.execute(
                f"UPDATE crawls SET finished_at = %s, status = %s, finish_reason = %s, "
                f"{', '.join(f'{name} = %s' for name in COUNTERS)}, dropped = %s, stats = %s "
                "WHERE id = %s RETURNING run",
                (_now(), status, finish_reason, *(counts.get(name, 0) for name in COUNTERS),
                 Jsonb(_json_safe(counts.get("dropped") or {})), Jsonb(_json_safe(stats or {})),
                 crawl_id)).fetchone()
            if status in FINISHED_STATUSES:
                self._conn.execute(
                    "DELETE FROM frontier WHERE crawl IN (SELECT id FROM crawls WHERE spider = "
                    "(SELECT spider FROM crawls WHERE id = %s) AND id <= %s)", (crawl_id, crawl_id))
            if run and run["run"]:
                self._finish_run(run["run"])
        self.commit()
        if crawl_id in self._crawls:
            self._crawls.remove(crawl_id)

    @_retrying(write=False)
    def mark_gone(self, crawl_id: int, reason: str = "process_gone") -> bool:
        self.commit()   # see _lock_run_of
        with self._atomic():
            self._lock_run_of(crawl_id)
            row = self._conn.execute(
                "UPDATE crawls SET finished_at = %s, status = 'interrupted', finish_reason = %s "
                "WHERE id = %s AND status = 'running' RETURNING run", (_now(), reason, crawl_id)).fetchone()
            if row and row["run"]:
                self._finish_run(row["run"])
        self.commit()
        return row is not None

    def _lock_run_of(self, crawl_id: int) -> None:
        """Hold the crawl's `runs` row until commit. Two last workers finishing at once would
        otherwise each see the other still running (neither has committed) and leave the run
        'running' for ever; with the lock the second one sees the first's committed row. Taken
        with no other lock held (the caller commits its batch first: a heartbeat in it locks the
        worker's own crawls row, which a peer marking it gone waits for while holding this)."""
        self._conn.execute("SELECT 1 FROM runs WHERE id = (SELECT run FROM crawls WHERE id = %s) FOR UPDATE",
                           (crawl_id,))

    def _finish_run(self, run: str) -> None:
        """A run ends with its last worker: finished when one of them finished, else failed,
        else interrupted."""
        self._conn.execute(
            """UPDATE runs SET finished_at = %s, status = (
                   SELECT CASE WHEN bool_or(status IN ('finished', 'finished_with_alerts')) THEN 'finished'
                               WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'interrupted' END
                   FROM crawls WHERE run = %s)
               WHERE id = %s AND NOT EXISTS (
                   SELECT 1 FROM crawls WHERE run = %s AND status = 'running')""",
            (_now(), run, run, run))

    @_retrying(write=False)
    def get_run(self, run: str) -> dict | None:
        return self._conn.execute("SELECT * FROM runs WHERE id = %s", (run,)).fetchone()

    @_retrying(write=False)
    def get_crawl(self, crawl_id: int) -> dict | None:
        return self._conn.execute("SELECT * FROM crawls WHERE id = %s", (crawl_id,)).fetchone()

    @_retrying(write=False)
    def previous_crawl(self, spider: str, before: int | None = None) -> dict | None:
        return self._conn.execute(
            "SELECT * FROM crawls WHERE spider = %s AND id < %s ORDER BY id DESC LIMIT 1",
            (spider, before if before is not None else 2**62)).fetchone()

    def add_to_frontier(self, crawl_id: int, url: str, depth: int, section: str | None) -> None:
        # Kept until the batch commits and written then in one statement: a page queues a few
        # excursions, and a statement each would be most of a crawl's round trips.
        if self.readonly:
            raise ArchiveError(f"{self.location} was opened read-only")
        self._frontier_rows.append((crawl_id, url, depth, section))

    def _write_frontier(self) -> None:
        """The queued excursions, inside the transaction about to commit (kept until it has: a
        commit lost with the connection writes them again)."""
        if self._frontier_rows:
            with self._atomic():
                self._conn.execute(
                    "INSERT INTO frontier (crawl, url, depth, section) SELECT * FROM "
                    "unnest(%s::bigint[], %s::text[], %s::int[], %s::text[]) ON CONFLICT DO NOTHING",
                    [list(column) for column in zip(*self._frontier_rows)])

    @_retrying(write=False)
    def left_frontier(self, spider: str, before: int) -> list[dict]:
        self._write_frontier()
        return self._conn.execute(
            """SELECT url, min(depth) AS depth, min(section) AS section FROM frontier
               WHERE crawl IN (SELECT id FROM crawls WHERE spider = %s AND id < %s AND id > coalesce(
                   (SELECT max(id) FROM crawls WHERE spider = %s AND id < %s
                    AND status IN ('finished', 'finished_with_alerts')), 0))
                 AND NOT EXISTS (SELECT 1 FROM articles WHERE canonical_url = frontier.url)
               GROUP BY url ORDER BY depth, url COLLATE "C\"""", (spider, before, spider, before)).fetchall()

    @_retrying(write=False)
    def read_sql(self, sql: str, params: Sequence = ()) -> list[dict]:
        return self._conn.execute(sql, params).fetchall()

    @_retrying(write=True)
    def write_sql(self, statements: Sequence[tuple[str, Sequence]]) -> None:
        with self._atomic():
            for sql, params in statements:
                self._conn.execute(sql, params)
        self._after_write()
