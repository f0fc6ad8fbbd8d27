"""Is the process behind a 'running' crawls row still there? A SIGKILL or a power cut leaves
nobody to finish its row; later workers and runs mark such rows `interrupted` so runs can end.

Three ways to tell, the surest first:
- the worker's Redis heartbeat key, for a worker of the same shared run (any host);
- the pid, for a process on this host;
- the row's `heartbeat_at` (PostgreSQL archives, any host): silent for STALE_AFTER_S.
A row none of them can judge is taken for alive and left as it is.
"""

import datetime as dt
import os
import socket

# PostgreSQL archives beat every 5 s while the reactor runs; a minute of silence is a dead
# process, not a slow page (a live worker that was wrongly marked overwrites it when it finishes).
STALE_AFTER_S = 60.0


def this_process() -> dict:
    """Who runs a crawl, kept in its `crawls` args."""
    return {"_pid": str(os.getpid()), "_host": socket.gethostname()}


def _pid_alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, as another user's process
        return True
    return True


def _heartbeat_age(row: dict, now: dt.datetime) -> float | None:
    beat = row.get("heartbeat_at")
    try:
        when = dt.datetime.fromisoformat(beat) if beat else None
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return (now - when).total_seconds()


def process_alive(row: dict, frontier=None, now: dt.datetime | None = None) -> bool:
    args = row.get("args") or {}
    worker = args.get("_worker")
    # Only this run's workers have their heartbeat under this run's keys.
    if frontier is not None and worker and args.get("run") == frontier.run:
        alive = frontier.worker_alive(worker)
        if alive is not None:
            return alive
    pid, host = args.get("_pid"), args.get("_host")
    if pid and str(pid).isdigit() and host == socket.gethostname():
        return _pid_alive(pid)
    age = _heartbeat_age(row, now or dt.datetime.now(dt.timezone.utc))
    return age is None or age < STALE_AFTER_S


def mark_runs_whose_process_is_gone(archive, spider: str, crawl_id: int, frontier=None) -> int:
    """Mark the spider's earlier 'running' rows whose process is gone `interrupted`; their count."""
    marked, before = 0, crawl_id
    while (run := archive.previous_crawl(spider, before)) is not None:
        before = run["id"]
        if run["status"] == "running" and not process_alive(run, frontier) and archive.mark_gone(run["id"]):
            marked += 1
    return marked


def mark_run_workers_whose_process_is_gone(archive, spider: str, run: str, crawl_id: int,
                                           frontier=None) -> int:
    """Mark the 'running' crawls of this shared run whose process is gone (a SIGKILLed worker)
    `interrupted`, so the run can end with its last live worker; their count. Looks at the
    spider's crawls after this one and at the run's own crawls just before it."""
    marked, before = 0, None
    while (row := archive.previous_crawl(spider, before)) is not None:
        before = row["id"]
        same_run = (row.get("args") or {}).get("run") == run
        if row["id"] < crawl_id and not same_run:
            break   # the run's earlier workers started just before this one
        # mark_gone only touches a row still 'running': a worker that signed off from Redis a
        # moment ago finishes its own row, and that is never overwritten.
        if same_run and row["id"] != crawl_id and row["status"] == "running" \
                and not process_alive(row, frontier) and archive.mark_gone(row["id"]):
            marked += 1
    return marked
