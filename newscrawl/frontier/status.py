"""`newscrawl frontier status -a run=R` (or `--run R`): what a shared run has queued, leased and
seen, and which workers are alive. Read-only: it reclaims nothing."""

import json
import os
from datetime import datetime, timezone

from ..errors import CommandError, UsageError
from .config import RUN_ID, FrontierConfig, FrontierError, check_reachable, check_url

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def run_status(server, keys) -> dict | None:
    """The run's census and meta, or None when the frontier holds nothing of it."""
    from .leases import Leases

    census = Leases(server, keys).census()
    meta = {key.decode(): value.decode() for key, value in server.hgetall(keys.meta).items()}
    if not meta and not any(census.values()):
        return None
    when = {name: datetime.fromtimestamp(float(meta[name]), timezone.utc).isoformat(timespec="seconds")
            for name in ("started", "finished") if name in meta}
    return {"run": keys.run, "spider": meta.get("spider"), **census,
            "started": when.get("started"), "finished": when.get("finished")}


def _run_id(args):
    run = args.run_id
    for pair in args.arguments or ():
        name, _, value = pair.partition("=")
        if name != "run" or not value:
            raise UsageError(f"-a {pair}: only -a run=ID is known here")
        run = value
    if not run:
        raise UsageError("give the run: -a run=ID or --run ID")
    if not RUN_ID.match(run):
        raise UsageError(f"run {run!r}: expected 1 to 64 letters, digits, '.', '_' or '-'")
    return run


def cmd_status(args):
    from .keys import RunKeys

    run = _run_id(args)
    url = args.frontier or os.environ.get("NEWSCRAWL_FRONTIER") or DEFAULT_URL
    try:
        check_url(url)
    except FrontierError as error:
        raise UsageError(str(error).replace("-s NEWSCRAWL_FRONTIER", "--frontier")) from None
    config = FrontierConfig(url=url, run=run, prefix=args.prefix)
    check_reachable(config)   # FrontierUnavailable: exit 1
    server = config.connect()
    try:
        status = run_status(server, RunKeys(config.prefix, run))
    finally:
        server.close()
    if status is None:
        raise CommandError(f"run {run!r}: the frontier holds nothing of it (prefix {args.prefix!r})")
    if args.json:
        print(json.dumps(status, indent=2))
        return
    state = f"finished {status['finished']}" if status["finished"] else "not finished"
    print(f"Run {run} ({status['spider'] or 'spider unknown'}, started {status['started'] or '?'}, {state})")
    print(f"  queued {status['queued']}, leased {status['leased']}, seen {status['seen']}")
    print(f"  workers alive {status['workers_alive']} ({status['busy_workers']} busy)"
          + (f"; {status['leased_by_dead']} leased by dead workers (reclaimed by the next live one)"
             if status["leased_by_dead"] else ""))


def add_parser(commands):
    frontier = commands.add_parser("frontier", help="the shared Redis frontier of multi-worker runs")
    verbs = frontier.add_subparsers(dest="frontier_command", required=True)
    status = verbs.add_parser("status", help="a run's queued, leased and seen requests, and its live workers")
    status.add_argument("-a", dest="arguments", action="append", metavar="run=ID",
                        help="the run, as given to scrapy crawl")
    status.add_argument("--run", dest="run_id", help="the run (same as -a run=ID)")
    status.add_argument("--frontier", metavar="URL",
                        help=f"the Redis (default: $NEWSCRAWL_FRONTIER, else {DEFAULT_URL})")
    status.add_argument("--prefix", default="newscrawl", help="NEWSCRAWL_FRONTIER_PREFIX of the crawl")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=cmd_status)
