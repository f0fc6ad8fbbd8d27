"""`make bench`: run the benchmarks, print a table, write data/bench.json.

    python -m bench                      # every benchmark; the crawl at BENCH_N articles (10,000)
    BENCH_N=100000 python -m bench crawl_throughput   # one benchmark, here the large crawl run

data/bench.json keeps what earlier runs measured: each benchmark's entry is replaced when it runs
again, and the crawl keeps one object per run size ("10000", "100000"), each with its date.
"""

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from bench import dates, discovery, health, render, scale_out, syndication, throughput

OUT = Path("data/bench.json")
BENCHMARKS = {
    "date_normalization": dates.run,
    "syndication": syndication.run,
    "health_checks": health.run,
    "rendering": render.run,
    "generic_discovery": discovery.run,   # the news spider, profiles off: found/expected per bundled site
    "crawl_throughput": throughput.run,
    "scale_out": scale_out.run,   # 1 worker on SQLite vs 2 on Redis + PostgreSQL (needs both services)
}


def _rows(figures, prefix=""):
    for name, value in figures.items():
        if isinstance(value, dict):
            yield from _rows(value, f"{prefix}{name}.")
        else:
            yield prefix + name, " ".join(map(str, value)) if isinstance(value, list) else value


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def main(names, out=OUT):
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count()}
    measured = {}
    for name in names or BENCHMARKS:
        figures = {**BENCHMARKS[name](), "measured_at": _now()}
        if name == "crawl_throughput":
            runs = results.get(name, {})
            runs = runs if all(key.isdigit() for key in runs) else {}   # older files had one object
            measured[name] = {str(figures["n_articles"]): figures}
            results[name] = {**runs, **measured[name]}
        else:
            measured[name] = results[name] = figures
    print(f"{'benchmark':<22} {'figure':<50} {'value':>12}")
    for bench, figures in measured.items():
        for name, value in _rows(figures):
            print(f"{bench:<22} {name:<50} {value!s:>12}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
