"""`newscrawl health`: per site the last crawls' coverage, the open alerts and a verdict.

Exit status by the worst verdict, so cron and scrapyd jobs can act on it: 0 every site ok,
1 a site degraded (fields fell back, articles still complete), 2 a site broken (articles lost,
or a field alerted is now missing).
"""

import json
import sys

from ..cli_types import whole_number
from . import store
from .history import verdict

EXIT_BY_VERDICT = {"ok": 0, "degraded": 1, "broken": 2}


def report(archive, site=None, crawls=3) -> dict:
    """{site: {"verdict", "alerts": [...], "crawls": [{"crawl", "status", "started_at", "coverage"}]}}."""
    recent = store.recent_coverage(archive, site, crawls)
    alerts = store.open_alerts(archive, site)
    sites = {}
    for name in sorted(set(recent) | {a["site"] for a in alerts}):
        runs = recent.get(name, [])
        mine = [a for a in alerts if a["site"] == name]
        sites[name] = {"verdict": verdict(mine, runs[0]["coverage"] if runs else None),
                       "alerts": mine, "crawls": runs}
    return sites


def _text(sites) -> str:
    lines = []
    for name, entry in sites.items():
        alerts = entry["alerts"]
        subjects = ", ".join(a["subject"] for a in alerts)
        lines.append(f"Site {name}: {entry['verdict']}" + (f" ({len(alerts)} open alert"
                     f"{'' if len(alerts) == 1 else 's'}: {subjects})" if alerts else ""))
        for alert in alerts:
            lines.append(f"  alert {alert['subject']}: now {alert['now']:g}, usually {alert['before']:g} "
                         f"(since crawl #{alert['first_crawl']}, {alert['first_seen_at']})")
        for run in entry["crawls"]:
            coverage = run["coverage"]
            fields = ", ".join(f"{field} {n['profile']:.0%}/{n['fallback']:.0%}"
                               for field, n in coverage.get("fields", {}).items())
            lines.append(f"  crawl #{run['crawl']} ({run['status']}, {run['started_at']}): "
                         f"{coverage.get('articles', 0)} articles, {coverage.get('all_profile', 0):.0%} wholly "
                         f"from the profile" + (f"; profile/generic by field: {fields}" if fields else ""))
    return "\n".join(lines) if lines else "No crawl has recorded its health yet."


def run(args):
    from ..storage import open_archive

    with open_archive(args.db, readonly=True) as archive:
        sites = report(archive, args.site, args.crawls)
    if args.format == "json":
        print(json.dumps({"sites": sites}, ensure_ascii=False, indent=2))
    else:
        print(_text(sites))
    worst = max((EXIT_BY_VERDICT[entry["verdict"]] for entry in sites.values()), default=0)
    sys.stdout.flush()
    if worst:
        raise SystemExit(worst)


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "health", help="per site: coverage of the last crawls, open alerts, a verdict (exit 0 ok, 1 degraded, 2 broken)")
    parser.add_argument("--db", required=True)
    parser.add_argument("--site", help="only this site")
    parser.add_argument("--crawls", type=whole_number(1, 1_000), default=3, metavar="N",
                        help="the last N crawls of each site (default: %(default)s)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)
    return parser
