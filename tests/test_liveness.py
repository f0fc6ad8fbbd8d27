"""Rows left 'running' by a killed process, on this host and on others: which are marked
`interrupted`, and by what evidence (the frontier's heartbeat key, the pid, the archive's
heartbeat_at)."""

import datetime as dt
import os
import socket
import subprocess
import sys
import types

import pytest

from newscrawl.frontier.keys import RunKeys
from newscrawl.frontier.state import RunState
from newscrawl.pipelines.liveness import (STALE_AFTER_S, mark_run_workers_whose_process_is_gone,
                                          mark_runs_whose_process_is_gone, process_alive)
from newscrawl.storage import open_archive
from pg_support import pg_url  # noqa: F401 (fixture)
from redis_support import redis_prefix  # noqa: F401 (fixture)

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.timezone.utc)
HERE = socket.gethostname()


def dead_pid() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return str(child.pid)


def ago(seconds) -> str:
    return (NOW - dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")


class Crawler:
    """Stands for a crawler: RunState registers itself under it."""


class Frontier:
    """Answers worker_alive from a table for run R (the real RunState is tested below)."""

    run = "R"

    def __init__(self, answers):
        self.answers = answers

    def worker_alive(self, worker):
        return self.answers.get(worker)


@pytest.mark.parametrize("args, heartbeat_at, frontier, alive", [
    ({"_pid": str(os.getpid()), "_host": HERE}, None, None, True),           # this process
    ({"_pid": "DEAD", "_host": HERE}, None, None, False),                    # a pid gone from this host
    ({"_pid": "DEAD", "_host": HERE}, ago(1), None, False),                  # the pid beats a fresh beat
    ({"_pid": "123", "_host": "elsewhere"}, ago(5), None, True),             # another host, beating
    ({"_pid": "123", "_host": "elsewhere"}, ago(STALE_AFTER_S + 1), None, False),   # silent a minute
    ({"_pid": "123", "_host": "elsewhere"}, None, None, True),               # SQLite rows: no beat, no idea
    ({"_pid": "123", "_host": "elsewhere"}, "not a time", None, True),
    ({"run": "R", "_host": "elsewhere", "_worker": "w1"}, ago(1), {"w1": False}, False),  # Redis key expired
    ({"run": "R", "_pid": "DEAD", "_host": HERE, "_worker": "w1"}, None, {"w1": True}, True),  # Redis knows best
    ({"run": "R", "_host": "elsewhere", "_worker": "w1"}, ago(1), {}, True),    # Redis cannot tell: the beat
    ({"run": "other", "_host": "elsewhere", "_worker": "w1"}, ago(1), {"w1": False}, True),  # not our run's key
    ({}, None, None, True),                                                  # rows from before pids
])
def test_which_running_rows_are_alive(args, heartbeat_at, frontier, alive):
    if args.get("_pid") == "DEAD":
        args = {**args, "_pid": dead_pid()}
    row = {"args": args, "heartbeat_at": heartbeat_at}
    assert process_alive(row, Frontier(frontier) if frontier is not None else None, now=NOW) is alive


def test_a_worker_killed_on_another_host_is_marked_once_its_heartbeat_is_stale(pg_url):  # noqa: F811
    with open_archive(pg_url) as archive:
        stale = archive.start_crawl("urdupoint", {"_pid": "4242", "_host": "crawler-b"})
        beating = archive.start_crawl("urdupoint", {"_pid": "4243", "_host": "crawler-c"})
        archive._conn.execute("UPDATE crawls SET heartbeat_at = %s WHERE id = %s",
                              ((dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).isoformat(), stale))
        mine = archive.start_crawl("urdupoint", {"_pid": str(os.getpid()), "_host": HERE})
        assert mark_runs_whose_process_is_gone(archive, "urdupoint", mine) == 1
        assert [archive.get_crawl(c)["status"] for c in (stale, beating, mine)] == [
            "interrupted", "running", "running"]
        assert archive.get_crawl(stale)["finish_reason"] == "process_gone"


def test_a_shared_runs_worker_gone_from_redis_is_marked_whatever_its_host(pg_url, redis_prefix):  # noqa: F811
    client, prefix = redis_prefix
    keys = RunKeys(prefix, "R")
    state = RunState(Crawler(), client, keys, types.SimpleNamespace(run="R"), print, "crawler-a:1:aaaa")
    client.set(keys.alive("crawler-c:7:cccc"), 1, px=30_000)     # alive on another host
    try:
        with open_archive(pg_url) as archive:
            # killed a second ago on another host: its row still beats fresh, its Redis key is gone
            killed = archive.start_crawl("urdupoint", {"run": "R", "_pid": "7", "_host": "crawler-b",
                                                       "_worker": "crawler-b:7:bbbb"})
            peer = archive.start_crawl("urdupoint", {"run": "R", "_pid": "7", "_host": "crawler-c",
                                                     "_worker": "crawler-c:7:cccc"})
            mine = archive.start_crawl("urdupoint", {"run": "R", "_pid": str(os.getpid()), "_host": HERE,
                                                     "_worker": state.worker})
            assert mark_run_workers_whose_process_is_gone(archive, "urdupoint", "R", mine, state) == 1
            assert archive.get_crawl(killed)["status"] == "interrupted"
            archive.finish_crawl(peer, status="finished")
            archive.finish_crawl(mine, status="finished")
            assert archive.get_run("R")["status"] == "finished"
            state.lost = True   # a worker that lost Redis cannot tell: the row's heartbeat decides
            assert state.worker_alive("crawler-b:7:bbbb") is None
    finally:
        state.detach()
