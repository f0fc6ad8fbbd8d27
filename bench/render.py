"""Memory and time of a long rendered crawl: PAGES listing pages of the bundled WAM-like site, each
drawn by script in Chromium and expanded with one "Load more" click. CHAINS numbered archive
listings are paged side by side, so several pages are open in the browser at once.

`scrapy crawl wam` runs in a subprocess against the demo server (served from this process, which is
not measured). Every SAMPLE_SECONDS the resident memory of the crawler and all its descendants
(Playwright's driver, Chromium's browser, renderer and utility processes) is summed, next to the
number of listing pages done so far. RSS counts memory shared between Chromium's processes once per
process, so it overstates; PSS (shared pages split between their users) is reported beside it.
Flat means the second half of the crawl needs no more than the first.

Run: .venv/bin/python -m bench.render [PAGES]
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from newscrawl.demo.server import running_server

REPO = Path(__file__).resolve().parents[1]
PAGES = 500
CHAINS = 4
SAMPLE_SECONDS = 0.5
LISTING_DONE = re.compile(r"Listing archive-\d+ page \d+:")

try:
    import psutil
except ImportError:  # not a dependency: /proc gives the same figures on Linux
    psutil = None


def _children(pid):
    if psutil:
        try:
            return [p.pid for p in psutil.Process(pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and parentheses: the fields follow the last ")".
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _memory_kb(pid):
    """(RSS, PSS) of one process in kB; zeros once it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = dict(re.findall(r"^(Rss|Pss):\s+(\d+) kB", rollup, re.M))
    return int(values.get("Rss", 0)), int(values.get("Pss", 0))


def _component(pid, crawler):
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    if pid == crawler:
        return "crawler"
    # "other": a child caught between fork and exec still looks like the crawler (a copy of its
    # memory, mostly shared): counted in the total, not taken for the crawler's own growth.
    return "driver" if b"playwright/driver" in command else "browser" if b"chrom" in command else "other"


def tree_memory(pid):
    """{"rss", "pss", "processes", "<component>_rss"} of pid and all its descendants, in MB; the
    components are the crawler (pid itself), Playwright's driver, the browser (all Chromium's
    processes) and any other."""
    sample = {"rss": 0.0, "pss": 0.0, "processes": 0, "crawler_rss": 0.0, "driver_rss": 0.0, "browser_rss": 0.0,
              "other_rss": 0.0}
    for process in [pid, *_children(pid)]:
        rss, pss = _memory_kb(process)
        component = _component(process, pid)
        if component != "gone":
            sample["rss"] += rss / 1024
            sample["pss"] += pss / 1024
            sample["processes"] += 1
            sample[f"{component}_rss"] += rss / 1024
    return sample


def _follow_log(stream, progress, log_lines):
    for line in stream:
        log_lines.append(line)
        if LISTING_DONE.search(line):
            progress["pages"] += 1


def run(pages=PAGES):
    with running_server("wam") as server, tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "scrapy", "crawl", "wam", "-a", f"base_url={server.base_url}",
                   "-a", "sections=" + ",".join(f"archive-{k}" for k in range(1, CHAINS + 1)),
                   "-a", f"max_pages={-(-pages // CHAINS)}", "-a", "caught_up_after=0",
                   "-s", f"NEWSCRAWL_DB={folder}/bench.db", "-s", "LOG_LEVEL=INFO"]
        progress, log_lines, samples = {"pages": 0}, [], []
        started = time.monotonic()
        crawl = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                 env=dict(os.environ, PYTHONUNBUFFERED="1"))
        reader = threading.Thread(target=_follow_log, args=(crawl.stderr, progress, log_lines), daemon=True)
        reader.start()
        while crawl.poll() is None:
            samples.append({"pages": progress["pages"], **tree_memory(crawl.pid)})
            time.sleep(SAMPLE_SECONDS)
        seconds = time.monotonic() - started
        reader.join(timeout=5)
    done = progress["pages"]
    if crawl.returncode or done < pages:
        tail = "".join(log_lines[-30:])
        raise RuntimeError(f"the rendered crawl stopped after {done} of {pages} pages:\n{tail}")
    running = [s for s in samples if 0 < s["pages"] < done]  # the browser is up, the crawl not closing
    first = [s for s in running if s["pages"] <= pages // 2]
    second = [s for s in running if s["pages"] > pages // 2]
    tenths = [[s for s in running if k * done // 10 < s["pages"] <= (k + 1) * done // 10] for k in range(10)]

    def peak(part, key):
        return round(max(s[key] for s in part))

    return {
        "pages": done,
        "seconds": round(seconds, 1),
        "pages_per_second": round(done / seconds, 2),
        "peak_rss_mb": peak(samples, "rss"),
        "peak_pss_mb": peak(samples, "pss"),
        "rss_first_half_mb": peak(first, "rss"),
        "rss_second_half_mb": peak(second, "rss"),
        "pss_first_half_mb": peak(first, "pss"),
        "pss_second_half_mb": peak(second, "pss"),
        "driver_rss_first_half_mb": peak(first, "driver_rss"),
        "driver_rss_second_half_mb": peak(second, "driver_rss"),
        "crawler_rss_first_half_mb": peak(first, "crawler_rss"),
        "crawler_rss_second_half_mb": peak(second, "crawler_rss"),
        "max_processes": max(s["processes"] for s in samples),
        # Mean RSS over each tenth of the pages: a leak shows as a climb.
        "mean_rss_mb_by_tenth": [round(sum(s["rss"] for s in part) / len(part)) if part else None for part in tenths],
    }


if __name__ == "__main__":
    print(json.dumps(run(*(int(a) for a in sys.argv[1:])), indent=2))
