"""Crawl throughput, CPU per stage, memory and incremental cost on a generated local news site.

One run (`run(n)`, size from BENCH_N, default 10,000 articles):
  1. a generated UrduPoint-like site (bench.sitegen) served by bench.fastserver in its own process, pinned to
     one core, and its own capacity measured (fresh renders, 16 keep-alive connections);
  2. a bare Scrapy spider (bench/bare_spider.py) crawls it, yielding only URLs;
  3. the full pipeline (`scrapy crawl urdupoint`) crawls it into a fresh archive, with stage timers
     (bench.stages) and its RSS sampled every 0.2 s; both crawls pinned to the other core, same settings;
  4. the unchanged site is crawled again into the same archive (the seen-store's cost), then K_NEW articles
     are published and it is crawled once more: only those should be fetched.
Pages/s are responses over the crawl's own elapsed time (Scrapy's stats), so interpreter start-up is left out;
pages per CPU-second count only the crawler's own CPU time, which other work on a shared machine disturbs less.
Memory: peak RSS (the kernel's high-water mark) and RSS at each tenth of the crawl, to show whether it grows.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import psutil

from newscrawl import settings as project_settings
from newscrawl.storage import Archive

from . import fastserver, sitegen

ROOT = Path(__file__).resolve().parents[1]
K_NEW = 25
SAMPLE_EVERY_S = 0.2
# Both crawls: no politeness, no throttling, Scrapy's default dupefilter and scheduler, newscrawl's
# item concurrency (Scrapy runs that many tasks per response, whatever the spider yields).
SETTINGS = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True, "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "INFO", "USER_AGENT": "newscrawl-bench",
            "CONCURRENT_ITEMS": getattr(project_settings, "CONCURRENT_ITEMS", 100)}


def _cores() -> tuple[int | None, int | None]:
    """(server core, crawler core): apart when there are two, so neither slows the other."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return (cores[-1], cores[0]) if len(cores) >= 2 else (None, None)


@contextmanager
def serving(n_articles: int, cpu: int | None, charset: bool = True):
    process, base_url = fastserver.start(n_articles, charset=charset, cpu=cpu)
    try:
        yield base_url
    finally:
        process.terminate()
        process.join(5)


def _counts(base_url: str) -> dict:
    return json.loads(fastserver.get(base_url, "/_bench/counts"))


def _sampled(command: list[str], cwd: Path, log: Path, cpu: int | None) -> dict:
    """Run a crawl; RSS every SAMPLE_EVERY_S and the kernel's high-water mark."""
    started = time.perf_counter()
    with open(log, "wb") as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
    watched = psutil.Process(process.pid)
    if cpu is not None:
        with contextlib.suppress(psutil.Error):
            watched.cpu_affinity([cpu])
    samples, peak = [], 0
    while process.poll() is None:
        try:
            rss = watched.memory_info().rss
            if rss:   # 0 once the process has exited and not yet been reaped
                samples.append((time.perf_counter() - started, rss))
            with open(f"/proc/{process.pid}/status") as status:
                peak = max([peak, *(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))])
        except (psutil.Error, OSError, ValueError):
            pass
        time.sleep(SAMPLE_EVERY_S)
    if process.returncode:
        raise RuntimeError(f"{command[:5]} exited {process.returncode}: {log.read_text()[-2000:]}")
    return {"wall_s": time.perf_counter() - started, "samples": samples,
            "peak_rss": max([peak, *(rss for _, rss in samples)])}


def _options(pairs: dict, flag: str) -> list[str]:
    return [part for name, value in pairs.items() for part in (flag, f"{name}={value}")]


def crawl_full(base_url: str, db: Path, log: Path, cpu: int | None, stages_out: Path | None = None) -> dict:
    spider_args = {"base_url": base_url, "sections": ",".join(sitegen.SECTIONS), "max_pages": 0}
    entry = ["-m", "bench.stages", str(stages_out)] if stages_out else ["-m", "scrapy"]
    command = [sys.executable, *entry, "crawl", "urdupoint", *_options(spider_args, "-a"),
               *_options({**SETTINGS, "NEWSCRAWL_DB": db}, "-s")]
    result = _sampled(command, ROOT, log, cpu)
    with Archive.open_readonly(db) as archive:
        result["stats"] = archive.summary()["last_crawl"]["stats"]
    return result


def crawl_bare(base_url: str, workdir: Path, cpu: int | None) -> dict:
    stats_out = workdir / "bare-stats.json"
    spider_args = {"base_url": base_url, "sections": ",".join(sitegen.SECTIONS), "stats_out": stats_out}
    # Run outside the project directory: newscrawl's settings (pipelines, middlewares) must not apply.
    command = [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).with_name("bare_spider.py")),
               *_options(spider_args, "-a"), *_options(SETTINGS, "-s")]
    result = _sampled(command, workdir, workdir / "bare.log", cpu)
    result["stats"] = json.loads(stats_out.read_text())
    return result


def pages_per_s(stats: dict) -> float:
    return stats["response_received_count"] / stats["elapsed_time_seconds"]


def pages_per_cpu_s(stats: dict, cpu_s: float) -> float:
    """Pages per second of the crawler's own CPU: steadier than wall time on a shared, busy machine."""
    return stats["response_received_count"] / cpu_s


def rss_profile(samples: list[tuple[float, int]]) -> list[float]:
    """RSS in MB at 0%, 10%, …, 100% of the crawler process's life."""
    if not samples:
        return []
    last = len(samples) - 1
    return [round(samples[round(last * tenth / 10)][1] / 2**20, 1) for tenth in range(11)]


def fingerprint_bytes() -> float:
    """Memory per entry of Scrapy's dupefilter set (20-byte SHA1 digests), measured here."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    fingerprints = {os.urandom(20) for _ in range(100_000)}
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / len(fingerprints)


def stage_ms(stages: dict, articles: int) -> dict:
    per_article = {stage: round(s * 1000 / articles, 3) for stage, s in stages["seconds"].items()}
    per_article["scrapy_twisted_rest"] = round(stages["scrapy_twisted_rest_s"] * 1000 / articles, 3)
    per_article["total_cpu"] = round(stages["crawl_cpu_s"] * 1000 / articles, 3)
    return per_article


def run(n_articles: int | None = None) -> dict:
    n = n_articles or int(os.environ.get("BENCH_N", "10000"))
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    server_cpu, crawler_cpu = _cores()
    site = sitegen.Site(n)
    with tempfile.TemporaryDirectory(prefix="newscrawl-bench-") as tmp, serving(n, server_cpu) as base_url:
        work, db = Path(tmp), Path(tmp) / "bench.db"
        probe = [site.article(j).path for j in range(1, min(n, 3000) + 1)]
        capacity = fastserver.capacity(base_url, probe)

        bare = crawl_bare(base_url, work, crawler_cpu)
        full = crawl_full(base_url, db, work / "full.log", crawler_cpu, stages_out=work / "stages.json")
        stages = json.loads((work / "stages.json").read_text())

        before = _counts(base_url)
        crawl_full(base_url, db, work / "recrawl.log", crawler_cpu)
        after = _counts(base_url)
        fastserver.get(base_url, f"/_bench/add?k={K_NEW}")
        recrawl_new = crawl_full(base_url, db, work / "recrawl-new.log", crawler_cpu)
        after_new = _counts(base_url)

    stored = full["stats"].get("archive/new", 0)
    profile = rss_profile(full["samples"])
    entries = full["stats"].get("scheduler/enqueued", 0)
    full_rate, bare_rate = pages_per_s(full["stats"]), pages_per_s(bare["stats"])
    full_cpu_rate = pages_per_cpu_s(full["stats"], stages["crawl_cpu_s"])
    bare_cpu_rate = pages_per_cpu_s(bare["stats"], bare["stats"]["bench/crawl_cpu_s"])
    return {
        "n_articles": n,
        "stored_articles": stored,
        "full_pages": full["stats"]["response_received_count"],
        "full_errors_logged": full["stats"].get("log_count/ERROR", 0),   # `scrapy crawl` exits 0 regardless
        "full_pages_per_s": round(full_rate, 1),
        "bare_pages_per_s": round(bare_rate, 1),
        "ratio": round(full_rate / bare_rate, 3),
        "goal_ratio": 0.8,
        "full_pages_per_cpu_s": round(full_cpu_rate, 1),
        "bare_pages_per_cpu_s": round(bare_cpu_rate, 1),
        "cpu_ratio": round(full_cpu_rate / bare_cpu_rate, 3),
        "full_crawl_s": round(full["stats"]["elapsed_time_seconds"], 1),
        "bare_crawl_s": round(bare["stats"]["elapsed_time_seconds"], 1),
        "peak_rss_mb": round(full["peak_rss"] / 2**20, 1),
        "bare_peak_rss_mb": round(bare["peak_rss"] / 2**20, 1),
        "bare_rss_mb_by_tenth": rss_profile(bare["samples"]),
        "rss_mb_by_tenth": profile,
        "rss_growth_mb": round(profile[-1] - profile[1], 1) if profile else None,
        "dupefilter_entries": entries,
        "dupefilter_mb_est": round(entries * fingerprint_bytes() / 2**20, 1),
        "goal_peak_rss_mb": 300,
        "cpu_ms_per_article_by_stage": stage_ms(stages, max(1, stored)),
        "recrawl_requests": sum(after[k] - before[k] for k in ("listing", "article", "other")),
        "recrawl_article_requests": after["article"] - before["article"],
        "k_new": K_NEW,
        "k_stored": recrawl_new["stats"].get("archive/new", 0),
        "k_article_fetches": after_new["article"] - after["article"],
        "recrawl_after_new_requests": sum(after_new[k] - after[k] for k in ("listing", "article", "other")),
        "server_capacity_pages_per_s": capacity["pages_per_s"],
        "server_page_kb": capacity["mean_kb"],
        "seconds": round(time.perf_counter() - started, 1),
        # Other work on the machine (1-minute load average, 2 cores here) makes wall-clock figures drift.
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else None), indent=1))
