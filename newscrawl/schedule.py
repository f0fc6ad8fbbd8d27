"""`newscrawl schedule`: start recurring crawls on scrapyd from a TOML schedule.

    [jobs.urdupoint]                  # the entry's name: letters, digits, - and _
    every = "2h"                      # 30s, 15m, 2h, 1d, or a sum such as 1h30m
    spider = "urdupoint"              # required: the spider to run (`scrapy list`)
    feed = "feeds/%(name)s-%(time)s.jsonl"   # optional; Scrapy fills in spider name and start time
    [jobs.urdupoint.args]             # spider arguments (-a); a list is joined with commas
    sections = ["world", "pakistan"]
    [jobs.urdupoint.settings]         # Scrapy settings (-s); tables and lists are sent as JSON
    NEWSCRAWL_DB = "data/newscrawl.db"

One run on several workers: `nodes = ["http://a:6800", "http://b:6800"]` posts the job to each
scrapyd node, `workers = N` posts N jobs (spread over the nodes, else all to --scrapyd). They
share one `-a run=<entry>.<start time>`, so the entry's settings must name the shared frontier
(NEWSCRAWL_FRONTIER = "redis://…"); without it every worker would crawl the whole site alone.

An entry is due `every` after its last start, kept in a JSON state file beside the schedule.
A due entry whose previous job is still pending or running on scrapyd is skipped, never started
a second time: its job ids are "<entry>.<UTC start time>", so listjobs.json shows which jobs are
its own even when the state file is gone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from newscrawl.scrapyd_client import (Scrapyd, ScrapydAuthError, ScrapydError,  # noqa: F401
                                      ScrapydUnreachable, ScheduleError)

try:
    import tomllib
except ImportError:  # Python 3.10
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

DEFAULT_SCRAPYD_URL = "http://127.0.0.1:6800/"
DEFAULT_PROJECT = "newscrawl"
TOP_KEYS = ("project", "jobs")
ENTRY_KEYS = ("spider", "every", "args", "settings", "feed", "feed_format", "nodes", "workers")
# Form fields schedule.json reads itself; as spider arguments they would be taken for its own.
RESERVED_ARGS = {"project", "spider", "jobid", "priority", "setting", "_version", "_job"}
FEED_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonlines", ".jl": "jsonlines",
                ".xml": "xml"}
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL_PART = re.compile(r"(\d+)([smhd])")
_ENTRY_NAME = re.compile(r"^[A-Za-z0-9_-]+$")  # no ".": it separates name and time in job ids
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Entry:
    name: str
    spider: str
    every: dt.timedelta
    args: dict
    settings: dict  # values already encoded as scrapyd passes them to `-s NAME=VALUE`
    nodes: tuple = ()   # scrapyd URLs of the run's workers; empty: the --scrapyd one
    workers: int = 1    # jobs per start, spread over the nodes in turn

    @property
    def shared(self) -> bool:
        """Several workers join one run (`-a run=…`) through the shared frontier."""
        return self.workers > 1


# -- the schedule file ------------------------------------------------------------------------

def parse_interval(text) -> dt.timedelta:
    """'15m', '2h', '1d', '1h30m' (s, m, h, d) as a timedelta; ValueError otherwise."""
    value = str(text).strip().lower()
    parts = _INTERVAL_PART.findall(value)
    seconds = sum(int(number) * UNIT_SECONDS[unit] for number, unit in parts)
    if not value or "".join(n + u for n, u in parts) != value or seconds <= 0:
        raise ValueError(f"every = {text!r}: expected a number and a unit (s, m, h, d) "
                         'such as "15m", "2h", "1d" or "1h30m"')
    return dt.timedelta(seconds=seconds)


def _setting_value(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _arg_value(where: str, value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, dict):
        raise ScheduleError(f"{where}: a spider argument is a string, number or list, not a table")
    return str(value)


def _unknown(where: str, table: dict, allowed) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ScheduleError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
                            f"{', '.join(unknown)}; expected {', '.join(allowed)}")


def _table(where: str, value) -> dict:
    if not isinstance(value, dict):
        raise ScheduleError(f"{where}: expected a table")
    return value


def _entry(path: Path, name: str, raw) -> Entry:
    where = f"{path}: [jobs.{name}]"
    if not _ENTRY_NAME.match(name):
        raise ScheduleError(f"{where}: a name holds only letters, digits, '-' and '_'")
    raw = _table(where, raw)
    _unknown(where, raw, ENTRY_KEYS)
    if "every" not in raw:
        raise ScheduleError(f"{where}: every = \"…\" is required (how often to start it)")
    try:
        every = parse_interval(raw["every"])
    except ValueError as error:
        raise ScheduleError(f"{where}: {error}") from None
    # Never the entry's name: "urdupoint-world" would start a spider nobody has, or the wrong one.
    if "spider" not in raw:
        raise ScheduleError(f"{where}: spider = \"…\" is required (the spider to run; "
                            "`scrapy list` names them)")
    spider = raw["spider"]
    if not isinstance(spider, str) or not spider:
        raise ScheduleError(f"{where}: spider must be a spider's name")

    args = {}
    for key, value in _table(f"{where} args", raw.get("args", {})).items():
        if key in RESERVED_ARGS:
            raise ScheduleError(f"{where} args: {key!r} is a name scrapyd keeps for itself")
        args[key] = _arg_value(f"{where} args.{key}", value)

    settings = dict(_table(f"{where} settings", raw.get("settings", {})))
    for key in settings:
        if not _SETTING_NAME.match(key):
            raise ScheduleError(f"{where} settings: {key!r} is not a Scrapy setting name "
                                "(upper case, like NEWSCRAWL_DB)")
    if "feed" in raw:
        feeds = settings.get("FEEDS", {})
        if isinstance(feeds, str):  # already JSON text
            try:
                feeds = json.loads(feeds)
            except ValueError:
                raise ScheduleError(f"{where} settings: FEEDS is not JSON") from None
        feeds = dict(_table(f"{where} settings.FEEDS", feeds))
        feeds[str(raw["feed"])] = {"format": _feed_format(where, raw)}
        settings["FEEDS"] = feeds
    elif "feed_format" in raw:
        raise ScheduleError(f"{where}: feed_format needs a feed")
    nodes, workers = _workers(where, raw)
    if workers > 1 and not settings.get("NEWSCRAWL_FRONTIER"):
        raise ScheduleError(f"{where}: {workers} workers of one run need a shared frontier: "
                            'set settings.NEWSCRAWL_FRONTIER = "redis://HOST:6379/0"')
    if workers > 1 and "run" in args:
        raise ScheduleError(f"{where} args: run is set for each start (<entry>.<start time>); "
                            "a fixed run would find its work done after the first start")
    return Entry(name, spider, every, args,
                 {key: _setting_value(value) for key, value in settings.items()}, nodes, workers)


def _workers(where: str, raw: dict) -> tuple[tuple, int]:
    """The entry's scrapyd nodes (checked as URLs, nothing contacted) and its number of jobs."""
    nodes = raw.get("nodes", [])
    if not isinstance(nodes, list) or not all(isinstance(node, str) for node in nodes):
        raise ScheduleError(f'{where}: nodes must be a list of scrapyd URLs, e.g. ["http://a:6800"]')
    for node in nodes:
        try:
            Scrapyd(node)
        except ScheduleError as error:
            raise ScheduleError(f"{where} nodes: {error}") from None
    workers = raw.get("workers", max(1, len(nodes)))
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ScheduleError(f"{where}: workers must be a whole number of at least 1")
    return tuple(nodes), workers


def _feed_format(where: str, raw: dict) -> str:
    if "feed_format" in raw:
        return str(raw["feed_format"])
    extension = os.path.splitext(str(raw["feed"]))[1].lower()
    if extension not in FEED_FORMATS:
        raise ScheduleError(f"{where}: cannot tell the format of feed {raw['feed']!r} from its "
                            f"extension; use {', '.join(FEED_FORMATS)} or set feed_format")
    return FEED_FORMATS[extension]


def load_schedule(path) -> tuple[str, list[Entry]]:
    """The project name and the entries of a schedule file."""
    path = Path(path)
    if tomllib is None:
        raise ScheduleError("reading a schedule needs Python 3.11+ or the tomli package")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScheduleError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") \
            from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScheduleError(f"{path}: not valid TOML: {error}") from None
    _unknown(str(path), raw, TOP_KEYS)
    project = raw.get("project", DEFAULT_PROJECT)
    if not isinstance(project, str) or not project:
        raise ScheduleError(f"{path}: project must be the scrapyd project's name")
    jobs = _table(f"{path}: [jobs]", raw.get("jobs", {}))
    if not jobs:
        raise ScheduleError(f"{path}: no [jobs.NAME] tables: nothing to schedule")
    return project, [_entry(path, name, entry) for name, entry in jobs.items()]


# -- the state file ---------------------------------------------------------------------------

def default_state_path(schedule_path) -> Path:
    """schedule.toml -> schedule.state.json, beside it."""
    schedule_path = Path(schedule_path)
    return schedule_path.with_name(schedule_path.stem + ".state.json")


def load_state(path: Path) -> dict:
    """{entry name: {"last_start": ISO time, "job": job id}}; empty when the file is missing."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise ScheduleError(f"state file {path}: {error}; fix or delete it (every entry is "
                            "then due now)") from None
    entries = state.get("entries", {}) if isinstance(state, dict) else None
    try:
        for entry in entries.values():
            if dt.datetime.fromisoformat(entry["last_start"]).tzinfo is None:
                raise ValueError
    except (AttributeError, KeyError, TypeError, ValueError):
        raise ScheduleError(f"state file {path}: not a newscrawl schedule state; fix or delete "
                            "it (every entry is then due now)") from None
    return entries


def save_state(path: Path, entries: dict) -> None:
    # Write then rename: an interrupted write never leaves a half-written state behind.
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"entries": entries}, indent=2, sort_keys=True) + "\n",
                         encoding="utf-8")
    os.replace(temporary, path)


# -- deciding what to start -------------------------------------------------------------------

def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def job_id_for(entry: Entry, now: dt.datetime) -> str:
    return f"{entry.name}.{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}"


def _belongs_to(job: dict, entry: Entry, last_job: str | None) -> bool:
    job_id = str(job.get("id", ""))
    return job_id == last_job or ("." in job_id and job_id.partition(".")[0] == entry.name)


def _log(now: dt.datetime, message: str) -> None:
    print(f"{_utc(now)} {message}", flush=True)


def _targets(entry: Entry, scrapyd: Scrapyd) -> list[Scrapyd]:
    """The node each of the entry's jobs goes to: its nodes in turn, else the default one."""
    nodes = [scrapyd.node(url) for url in entry.nodes] or [scrapyd]
    return [nodes[i % len(nodes)] for i in range(entry.workers)]


def _start(entry: Entry, targets, project: str, base_id: str):
    """Post the entry's jobs; ([(job id, node URL)] started, [ScrapydError] of the others).
    A run's workers get job ids <base>.1, <base>.2 … and the same `-a run=<base>`."""
    started, errors = [], []
    for number, node in enumerate(targets, 1):
        job_id = f"{base_id}.{number}" if entry.shared else base_id
        try:
            started.append((node.schedule(project, entry, job_id, run=base_id if entry.shared else None),
                            node.url))
        except ScrapydError as error:
            errors.append(error)
    return started, errors


def run_due(entries, state: dict, state_path: Path, scrapyd: Scrapyd, project: str,
            now: dt.datetime, retry_after: dt.timedelta) -> tuple[dt.datetime, int]:
    """Start every due entry that is not still active; one log line per entry.

    Returns when to look again and how many entries scrapyd refused. Unreachable scrapyd
    and 401 raise: nothing can be started then.
    """
    next_check, failures, active = now + max(e.every for e in entries), 0, {}
    for entry in entries:
        last = state.get(entry.name, {})
        due_at = dt.datetime.fromisoformat(last["last_start"]) + entry.every \
            if last.get("last_start") else now
        if due_at > now:
            _log(now, f"{entry.name}: not due until {_utc(due_at)}")
            next_check = min(next_check, due_at)
            continue
        targets = _targets(entry, scrapyd)
        for node in {node.url: node for node in targets}.values():
            # one listjobs.json per node and round, asked only when something is due there
            if node.url not in active:
                active[node.url] = node.active_jobs(project)
        previous = [job for node in {node.url for node in targets} for job in active[node]
                    if _belongs_to(job, entry, last.get("job"))]
        if previous:
            _log(now, f"{entry.name}: skipped: job {previous[0]['id']} is still "
                      f"{previous[0]['state']}")
            next_check = min(next_check, now + retry_after)
            continue
        started, errors = _start(entry, targets, project, job_id_for(entry, now))
        if errors:
            failures += 1
            next_check = min(next_check, now + retry_after)
        if not started:
            lost = [error for error in errors if isinstance(error, (ScrapydAuthError, ScrapydUnreachable))]
            if lost:  # nothing could be started there: the caller decides whether to retry
                raise lost[0]
            _log(now, f"{entry.name}: not started: {errors[0]}")  # refused (e.g. unknown spider): go on
            continue
        state[entry.name] = {"last_start": now.isoformat(timespec="seconds"), "job": started[0][0]}
        save_state(state_path, state)
        if entry.shared:
            jobs = ", ".join(f"{job_id} on {url}" for job_id, url in started)
            _log(now, f"{entry.name}: started run {job_id_for(entry, now)}: jobs {jobs} (spider {entry.spider})")
        else:
            _log(now, f"{entry.name}: started job {started[0][0]} (spider {entry.spider})")
        for error in errors:   # a worker of a run that started anyway: the others share its work
            _log(now, f"{entry.name}: a worker not started: {error}")
        next_check = min(next_check, now + entry.every)
    return next_check, failures


# -- command line -----------------------------------------------------------------------------

def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("schedule", help="the schedule file (TOML), e.g. deploy/schedule.example.toml")
    parser.add_argument("--once", action="store_true",
                        help="start the due entries once and exit (for cron or a systemd timer)")
    # No default from the environment here: --help would print $SCRAPYD_URL, password included.
    parser.add_argument("--scrapyd", metavar="URL",
                        help=f"scrapyd's URL (default: $SCRAPYD_URL, else {DEFAULT_SCRAPYD_URL}); "
                             "credentials come from $SCRAPYD_USERNAME and $SCRAPYD_PASSWORD")
    parser.add_argument("--state", help="the state file (default: SCHEDULE.state.json beside it)")
    parser.add_argument("--retry-after", type=float, default=60.0, metavar="SECONDS",
                        help="wait before looking again at a skipped or refused entry "
                             "(default: %(default)s)")
    parser.description = ("Start recurring crawls on scrapyd: each entry of the schedule when it "
                          "is due, never while its previous job is pending or running.")
    return parser


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add `schedule` to the `newscrawl` command's subcommands."""
    parser = subparsers.add_parser("schedule", help="start recurring crawls on scrapyd")
    configure(parser).set_defaults(run=run)
    return parser


def _stop_on_sigterm() -> None:
    # systemd stops a service with SIGTERM: end like Ctrl-C, between two decisions.
    def stop(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def execute(args) -> int:
    """Run the scheduler; the exit code: 0 fine, 1 scrapyd failed or refused, 2 bad input."""
    retry_after = dt.timedelta(seconds=max(1.0, args.retry_after))
    try:
        project, entries = load_schedule(args.schedule)
        state_path = Path(args.state) if args.state else default_state_path(args.schedule)
        if not state_path.parent.is_dir():
            raise ScheduleError(f"state file {state_path}: no such directory")
        state = load_state(state_path)
        scrapyd = Scrapyd(args.scrapyd or os.environ.get("SCRAPYD_URL") or DEFAULT_SCRAPYD_URL,
                          os.environ.get("SCRAPYD_USERNAME"), os.environ.get("SCRAPYD_PASSWORD"))
    except ScheduleError as error:
        print(f"newscrawl schedule: {error}", file=sys.stderr)
        return 2
    if args.once:
        try:
            _, failures = run_due(entries, state, state_path, scrapyd, project,
                                  dt.datetime.now(dt.timezone.utc), retry_after)
        except ScrapydError as error:
            print(f"newscrawl schedule: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130
        return 1 if failures else 0
    _stop_on_sigterm()
    try:
        while True:
            now = dt.datetime.now(dt.timezone.utc)
            try:
                next_check, _ = run_due(entries, state, state_path, scrapyd, project, now,
                                        retry_after)
            except ScrapydAuthError as error:  # retrying cannot fix credentials
                print(f"newscrawl schedule: {error}", file=sys.stderr)
                return 1
            except ScrapydError as error:  # scrapyd down or restarting: try again later
                _log(now, f"error: {error}; trying again in {retry_after.total_seconds():g}s")
                next_check = now + retry_after
            time.sleep(max(0.0, (next_check - dt.datetime.now(dt.timezone.utc)).total_seconds()))
    except KeyboardInterrupt:
        _log(dt.datetime.now(dt.timezone.utc), "stopped")
        return 0


def run(args) -> None:
    """The subcommand's entry point for newscrawl.cli: exits with a non-zero code on failure."""
    code = execute(args)
    if code:
        sys.exit(code)


def main(argv=None) -> int:
    parser = configure(argparse.ArgumentParser(prog="newscrawl schedule"))
    return execute(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
