"""Scale-out: one worker on SQLite against N workers sharing a Redis frontier and a PostgreSQL archive.

The generated UrduPoint-like site (bench.sitegen, BENCH_SCALE_N articles, default 2,000) is served by
bench.fastserver; every crawl gets the same settings as the throughput bench. Figures:
  - articles/s over each crawl's wall time (start of the first worker to the end of the last);
  - CPU seconds per stored article, the crawlers' own (their children's rusage), not the server's;
  - the speed-up of N workers over one and their CPU per article over the SQLite figure.
On one machine the site's server, PostgreSQL and Redis share the cores with the workers: each
crawl also reports the whole machine's CPU per article and how busy the machine was, which bound
the speed-up that machine can show (a floor, not what N machines give). Needs PostgreSQL and Redis on 127.0.0.1
(NEWSCRAWL_BENCH_PG, NEWSCRAWL_BENCH_REDIS override the URLs); skipped with a reason without them.
"""
from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from . import fastserver, sitegen
from .throughput import ROOT, SAMPLE_EVERY_S, SETTINGS, _options

PG_ADMIN = os.environ.get("NEWSCRAWL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("NEWSCRAWL_BENCH_REDIS", "redis://127.0.0.1:6379/0")


def _machine_busy() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine so far (/proc/stat): the crawlers, the site's
    server, PostgreSQL and Redis together. (0, 0) where /proc/stat is absent."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:8]]
    except OSError:
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / ticks, (idle + iowait) / ticks


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _crawl(base_url: str, workdir: Path, db: str, workers: int, extra: dict) -> dict:
    spider_args = {"base_url": base_url, "sections": ",".join(sitegen.SECTIONS), "max_pages": 0}
    cpu_before, machine_before, started = _children_cpu(), _machine_busy(), time.perf_counter()
    processes = []
    for index in range(workers):
        command = [sys.executable, "-m", "scrapy", "crawl", "urdupoint", *_options(spider_args, "-a"),
                   *_options({**SETTINGS, "NEWSCRAWL_DB": db, "LOG_LEVEL": "WARNING", **extra}, "-s")]
        if extra:
            command += ["-a", "run=bench"]
        log = open(workdir / f"worker{workers}-{index}.log", "wb")
        processes.append((subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log), log))
    peak_rss = _wait_sampling_rss([process for process, _ in processes])
    for _, log in processes:
        log.close()
    elapsed, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    busy, idle = (after - before for after, before in zip(_machine_busy(), machine_before))
    from newscrawl.storage import open_archive

    with open_archive(db, readonly=True) as archive:
        stored = archive.summary()["articles"]
    return {"workers": workers, "articles": stored, "elapsed_s": round(elapsed, 2),
            "articles_per_s": round(stored / elapsed, 1), "cpu_ms_per_article": round(1000 * cpu / stored, 2),
            # Everything the machine did per article (servers included), and how busy it was:
            # on one machine, articles/s cannot pass its cores divided by the first figure.
            "machine_cpu_ms_per_article": round(1000 * busy / stored, 2),
            "machine_busy_share": round(busy / (busy + idle), 2) if busy + idle else None,
            "peak_rss_mb_per_worker": round(peak_rss / 2**20, 1)}


def _wait_sampling_rss(processes) -> int:
    """Wait for the workers; the largest RSS any of them had, sampled every SAMPLE_EVERY_S."""
    import psutil

    peak = 0
    while any(process.poll() is None for process in processes):
        for process in processes:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, psutil.Process(process.pid).memory_info().rss)
        time.sleep(SAMPLE_EVERY_S)
    return peak


def run(n_articles: int | None = None) -> dict:
    n_articles = n_articles or int(os.environ.get("BENCH_SCALE_N", "2000"))
    # BENCH_SCALE_SETUPS=shared: only the 2 shared workers (their RSS on a large site, say)
    setups = set(os.environ.get("BENCH_SCALE_SETUPS", "sqlite,shared").split(","))
    try:
        import psycopg
        import redis

        redis.Redis.from_url(REDIS).ping()
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except Exception as error:  # noqa: BLE001 — any reason the services are not there
        return {"skipped": f"PostgreSQL or Redis not reachable: {error}".splitlines()[0]}
    name = f"nc_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE DATABASE {name}")
    pg_url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    prefix = f"nc-bench-{uuid.uuid4().hex[:8]}"
    process, base_url = fastserver.start(n_articles)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            single = _crawl(base_url, workdir, str(workdir / "single.db"), 1, {}) if "sqlite" in setups else None
            process.terminate()
            process.join(5)
            process, base_url = fastserver.start(n_articles)   # fresh counters and caches
            shared = _crawl(base_url, workdir, pg_url, 2,
                            {"NEWSCRAWL_FRONTIER": REDIS, "NEWSCRAWL_FRONTIER_PREFIX": prefix}) \
                if "shared" in setups else None
    finally:
        process.terminate()
        process.join(5)
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
    result = {"n_articles": n_articles, "sqlite_1_worker": single, "postgres_redis_2_workers": shared}
    if single and shared:
        result.update(speedup=round(shared["articles_per_s"] / single["articles_per_s"], 2),
                      cpu_per_article_ratio=round(shared["cpu_ms_per_article"] / single["cpu_ms_per_article"], 2))
    return {name: value for name, value in result.items() if value is not None}
