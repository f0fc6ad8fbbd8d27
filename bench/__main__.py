"""`make bench`: run the benchmarks, print a table, write data/bench.json."""

import json
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

from bench import dates, render, syndication, throughput


def _rows(figures, prefix=""):
    for name, value in figures.items():
        if isinstance(value, dict):
            yield from _rows(value, f"{prefix}{name}.")
        else:
            yield prefix + name, " ".join(map(str, value)) if isinstance(value, list) else value


def main(out="data/bench.json"):
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "date_normalization": dates.run(),
        "syndication": syndication.run(),
        "rendering": render.run(),
        "crawl_throughput": throughput.run(),   # BENCH_N articles, default 10,000
    }
    print(f"{'benchmark':<22} {'figure':<44} {'value':>12}")
    for bench, figures in results.items():
        if isinstance(figures, dict) and bench != "machine":
            for name, value in _rows(figures):
                print(f"{bench:<22} {name:<44} {value!s:>12}")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out}")
    return results


if __name__ == "__main__":
    main(*sys.argv[1:])
