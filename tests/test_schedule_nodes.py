"""`newscrawl schedule` posting one run to several scrapyd nodes (two fake scrapyd on 127.0.0.1
that record every request)."""

import json

import pytest

from newscrawl import schedule
from newscrawl.demo.background import in_background
from test_schedule import FakeScrapyd, no_credentials, run_once, scheduled, scrapyd, write_schedule  # noqa: F401

FRONTIER = "redis://127.0.0.1:6379/0"


@pytest.fixture
def other_scrapyd():
    with in_background(FakeScrapyd(), "fake-scrapyd", poll_interval=0.05) as server:
        yield server


def run_entry(*nodes, workers=None, frontier=FRONTIER, args='sections = "world"'):
    lines = ['[jobs.cluster]', 'spider = "urdupoint"', 'every = "1h"']
    if nodes:
        lines.append("nodes = [" + ", ".join(json.dumps(node) for node in nodes) + "]")
    if workers is not None:
        lines.append(f"workers = {workers}")
    lines += ["[jobs.cluster.args]", args, "[jobs.cluster.settings]", 'NEWSCRAWL_DB = "postgresql://db/news"']
    if frontier:
        lines.append(f'NEWSCRAWL_FRONTIER = "{frontier}"')
    return "\n".join(lines) + "\n"


def settings_of(call):
    return dict(setting.split("=", 1) for setting in call["setting"])


def test_one_run_is_posted_to_each_node(tmp_path, scrapyd, other_scrapyd, capsys):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(scrapyd.url, other_scrapyd.url))
    assert run_once(path, scrapyd) == 0
    (first,), (second,) = scheduled(scrapyd), scheduled(other_scrapyd)
    run = first["run"]
    assert run.startswith("cluster.") and second["run"] == run     # one run, joined by both
    assert (first["jobid"], second["jobid"]) == (f"{run}.1", f"{run}.2")
    for call in (first, second):
        assert (call["spider"], call["sections"]) == ("urdupoint", "world")
        assert settings_of(call)["NEWSCRAWL_FRONTIER"] == FRONTIER
    # Each node was asked whether the entry's previous jobs are still there.
    assert len(scrapyd.calls("listjobs.json")) == len(other_scrapyd.calls("listjobs.json")) == 1
    out = capsys.readouterr().out
    assert f"cluster: started run {run}: jobs {run}.1 on {scrapyd.url}, {run}.2 on {other_scrapyd.url}" in out
    state = json.loads((tmp_path / "schedule.state.json").read_text())["entries"]
    assert state["cluster"]["job"] == f"{run}.1"


def test_workers_are_spread_over_the_nodes_in_turn(tmp_path, scrapyd, other_scrapyd):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(scrapyd.url, other_scrapyd.url, workers=3))
    assert run_once(path, scrapyd) == 0
    here, there = scheduled(scrapyd), scheduled(other_scrapyd)
    run = here[0]["run"]
    assert [call["jobid"] for call in here] == [f"{run}.1", f"{run}.3"]
    assert [call["jobid"] for call in there] == [f"{run}.2"]
    assert {call["run"] for call in here + there} == {run}


def test_workers_without_nodes_go_to_the_default_scrapyd(tmp_path, scrapyd):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(workers=2))
    assert run_once(path, scrapyd) == 0
    calls = scheduled(scrapyd)
    assert len(calls) == 2 and calls[0]["run"] == calls[1]["run"]
    assert [call["jobid"] for call in calls] == [calls[0]["run"] + ".1", calls[0]["run"] + ".2"]


def test_a_single_worker_entry_gets_no_run(tmp_path, scrapyd, other_scrapyd):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(other_scrapyd.url, frontier=None))
    assert run_once(path, scrapyd) == 0
    assert scrapyd.requests == []   # the entry's own node, not the default one
    (call,) = scheduled(other_scrapyd)
    assert "run" not in call and "." not in call["jobid"].split(".", 1)[1]


def test_a_run_still_active_on_one_node_is_not_started_again(tmp_path, scrapyd, other_scrapyd, capsys):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(scrapyd.url, other_scrapyd.url))
    other_scrapyd.jobs["running"] = [{"id": "cluster.20261201T000000Z.2", "spider": "urdupoint"}]
    assert run_once(path, scrapyd) == 0
    assert scheduled(scrapyd) == scheduled(other_scrapyd) == []
    assert "cluster: skipped: job cluster.20261201T000000Z.2 is still running" in capsys.readouterr().out


def test_a_node_that_is_down_does_not_stop_the_others(tmp_path, scrapyd, other_scrapyd, capsys):  # noqa: F811
    path = write_schedule(tmp_path, run_entry(scrapyd.url, other_scrapyd.url))
    scrapyd.refuse = "spider not found"
    assert run_once(path, scrapyd) == 1              # one worker refused: reported, exit 1
    (started,) = scheduled(other_scrapyd)
    out = capsys.readouterr().out
    assert f"started run {started['run']}: jobs {started['jobid']} on {other_scrapyd.url}" in out
    assert "cluster: a worker not started: schedule.json: spider not found" in out
    state = json.loads((tmp_path / "schedule.state.json").read_text())["entries"]
    assert state["cluster"]["job"] == started["jobid"]   # its run is recorded: not started twice


@pytest.mark.parametrize("text, message", [
    (run_entry("http://a:6800", "http://b:6800", frontier=None),
     'need a shared frontier: set settings.NEWSCRAWL_FRONTIER = "redis://HOST:6379/0"'),
    (run_entry(workers=3, frontier=None), "3 workers of one run need a shared frontier"),
    (run_entry(workers=2, args='run = "r1"'), "run is set for each start"),
    (run_entry(workers=0), "workers must be a whole number of at least 1"),
    (run_entry(workers='"2"'), "workers must be a whole number of at least 1"),
    (run_entry("ftp://a:6800"), "nodes: scrapyd URL 'ftp://a:6800'"),
    (run_entry().replace('every = "1h"', 'every = "1h"\nnodes = "http://a:6800"'), "nodes must be a list"),
])
def test_bad_node_entries_are_refused_before_anything_starts(tmp_path, scrapyd, capsys, text, message):  # noqa: F811
    path = write_schedule(tmp_path, text)
    assert run_once(path, scrapyd) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newscrawl schedule: {path}: [jobs.cluster]") and message in err, err
    assert len(err.splitlines()) == 1 and scrapyd.requests == []


def test_the_other_nodes_get_the_same_credentials(tmp_path, scrapyd, other_scrapyd, monkeypatch):  # noqa: F811
    scrapyd.credentials = other_scrapyd.credentials = ("crawler", "s3cret")
    monkeypatch.setenv("SCRAPYD_USERNAME", "crawler")
    monkeypatch.setenv("SCRAPYD_PASSWORD", "s3cret")
    path = write_schedule(tmp_path, run_entry(scrapyd.url, other_scrapyd.url))
    assert run_once(path, scrapyd) == 0
    assert len(scheduled(scrapyd)) == len(scheduled(other_scrapyd)) == 1


def test_entry_fields_parse():
    entry = schedule._entry(schedule.Path("s.toml"), "cluster",
                            {"spider": "urdupoint", "every": "1h", "nodes": ["http://a:6800"], "workers": 2,
                             "settings": {"NEWSCRAWL_FRONTIER": FRONTIER}})
    assert (entry.nodes, entry.workers, entry.shared) == (("http://a:6800",), 2, True)
