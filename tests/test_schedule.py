"""`newscrawl schedule` against a small fake scrapyd on 127.0.0.1 that records every request."""

import argparse
import base64
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import REPO
from newscrawl import schedule
from newscrawl.demo.background import in_background

TWO_ENTRIES = """
[jobs.urdupoint-world]
spider = "urdupoint"
every = "2h"
feed = "feeds/%(name)s-%(time)s.jsonl"
[jobs.urdupoint-world.args]
sections = ["world", "pakistan"]
since = 2023-07-01
refresh = false
[jobs.urdupoint-world.settings]
NEWSCRAWL_DB = "data/archive.db"
LOG_LEVEL = "INFO"

[jobs.gulfwire]
spider = "news"
every = "15m"
[jobs.gulfwire.args]
url = "http://127.0.0.1:9/"
[jobs.gulfwire.settings.FEEDS."feeds/gulfwire.csv"]
format = "csv"
overwrite = true
"""


class FakeScrapyd(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.requests = []       # (method, endpoint, [(name, value), ...], Authorization header)
        self.jobs = {"pending": [], "running": [], "finished": []}
        self.credentials = None  # (user, password): answer 401 without them
        self.refuse = None       # a message: schedule.json answers status "error"

    @property
    def url(self):
        return "http://%s:%d/" % self.server_address[:2]

    def calls(self, endpoint):
        return [fields for _, name, fields, _ in self.requests if name == endpoint]


class FakeHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer(urlsplit(self.path).query)

    def do_POST(self):
        self._answer(self.rfile.read(int(self.headers["Content-Length"])).decode())

    def _answer(self, form):
        server = self.server
        endpoint = urlsplit(self.path).path.lstrip("/")
        auth = self.headers.get("Authorization")
        server.requests.append((self.command, endpoint, parse_qsl(form), auth))
        if server.credentials:
            token = base64.b64encode(":".join(server.credentials).encode()).decode()
            if auth != f"Basic {token}":
                return self._send(401, b"Unauthorized")
        if endpoint == "listjobs.json":
            payload = {"status": "ok", **server.jobs}
        elif endpoint == "schedule.json" and server.refuse:
            payload = {"status": "error", "message": server.refuse}
        elif endpoint == "schedule.json":
            payload = {"status": "ok", "jobid": dict(parse_qsl(form))["jobid"]}
        else:
            return self._send(404, b"No such resource")
        self._send(200, json.dumps(payload).encode())

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def scrapyd():
    with in_background(FakeScrapyd(), "fake-scrapyd", poll_interval=0.05) as server:
        yield server


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    monkeypatch.delenv("SCRAPYD_USERNAME", raising=False)
    monkeypatch.delenv("SCRAPYD_PASSWORD", raising=False)


def write_schedule(tmp_path, text=TWO_ENTRIES):
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write_state(path, **last_starts):
    now = dt.datetime.now(dt.timezone.utc)
    entries = {name: {"last_start": (now - ago).isoformat(timespec="seconds"), "job": f"{name}.x"}
               for name, ago in last_starts.items()}
    schedule.save_state(schedule.default_state_path(path), entries)


def run_once(path, scrapyd, *extra):
    return schedule.main([str(path), "--once", "--scrapyd", scrapyd.url, *extra])


def scheduled(scrapyd):
    """schedule.json calls as {field: value or [values]}."""
    calls = []
    for fields in scrapyd.calls("schedule.json"):
        call = {}
        for name, value in fields:
            call.setdefault(name, []).append(value)
        calls.append({k: v if k == "setting" else v[0] for k, v in call.items()})
    return calls


def test_first_run_starts_every_entry_with_its_arguments(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    assert run_once(path, scrapyd) == 0
    world, gulfwire = scheduled(scrapyd)
    assert world["project"] == "newscrawl" and world["spider"] == "urdupoint"
    assert world["jobid"].startswith("urdupoint-world.")
    # Spider arguments as plain fields: lists joined, dates and booleans as the spider reads them.
    assert (world["sections"], world["since"], world["refresh"]) == ("world,pakistan", "2023-07-01", "0")
    settings = dict(s.split("=", 1) for s in world["setting"])
    assert settings["NEWSCRAWL_DB"] == "data/archive.db" and settings["LOG_LEVEL"] == "INFO"
    assert json.loads(settings["FEEDS"]) == {"feeds/%(name)s-%(time)s.jsonl": {"format": "jsonlines"}}
    gulfwire_settings = dict(s.split("=", 1) for s in gulfwire["setting"])
    assert json.loads(gulfwire_settings["FEEDS"]) == {"feeds/gulfwire.csv": {"format": "csv", "overwrite": True}}
    assert gulfwire["url"] == "http://127.0.0.1:9/"

    state = json.loads((tmp_path / "schedule.state.json").read_text())["entries"]
    assert state["urdupoint-world"]["job"] == world["jobid"]
    assert state["gulfwire"]["job"] == gulfwire["jobid"]
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].endswith(f"urdupoint-world: started job {world['jobid']} (spider urdupoint)")


def test_entries_not_due_are_left_alone(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    write_state(path, **{"urdupoint-world": dt.timedelta(hours=1), "gulfwire": dt.timedelta(minutes=5)})
    assert run_once(path, scrapyd) == 0
    assert scrapyd.requests == []  # nothing due: scrapyd is not even asked
    out = capsys.readouterr().out
    assert "urdupoint-world: not due until " in out and "gulfwire: not due until " in out


def test_an_entry_is_due_again_after_its_interval(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    write_state(path, **{"urdupoint-world": dt.timedelta(hours=3), "gulfwire": dt.timedelta(minutes=5)})
    assert run_once(path, scrapyd) == 0
    assert [call["spider"] for call in scheduled(scrapyd)] == ["urdupoint"]
    assert len(scrapyd.calls("listjobs.json")) == 1
    assert scrapyd.calls("listjobs.json")[0] == [("project", "newscrawl")]


def test_never_starts_an_entry_whose_previous_job_is_pending_or_running(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    write_state(path, **{"gulfwire": dt.timedelta(hours=1)})
    state_before = (tmp_path / "schedule.state.json").read_text()
    # Running: recognised by its job id's entry name (a state file may be lost).
    scrapyd.jobs["running"] = [{"id": "urdupoint-world.20260101T000000Z", "spider": "urdupoint"}]
    # Pending: recognised as the job the state file recorded for the entry.
    scrapyd.jobs["pending"] = [{"id": "gulfwire.x", "spider": "news"}]
    assert run_once(path, scrapyd) == 0
    assert scheduled(scrapyd) == []
    out = capsys.readouterr().out
    assert "urdupoint-world: skipped: job urdupoint-world.20260101T000000Z is still running" in out
    assert "gulfwire: skipped: job gulfwire.x is still pending" in out
    assert (tmp_path / "schedule.state.json").read_text() == state_before

    # Finished, or another entry's job, or one started by hand: no reason to wait.
    scrapyd.jobs = {"pending": [{"id": "urdupoint-world-2.20260101T000000Z", "spider": "urdupoint"}],
                    "running": [{"id": "5f0c3b6e8c1a11ef", "spider": "news"}],
                    "finished": [{"id": "gulfwire.x", "spider": "news"}]}
    assert run_once(path, scrapyd) == 0
    assert len(scheduled(scrapyd)) == 2


def test_credentials_from_the_environment(tmp_path, scrapyd, capsys, monkeypatch):
    path = write_schedule(tmp_path)
    scrapyd.credentials = ("crawler", "s3cret:with colon")
    assert run_once(path, scrapyd) == 1
    assert capsys.readouterr().err == (f"newscrawl schedule: scrapyd at {scrapyd.url} answered 401 Unauthorized: "
                                       "set SCRAPYD_USERNAME and SCRAPYD_PASSWORD to the credentials scrapyd was "
                                       "started with (docs/scrapyd.md)\n")
    monkeypatch.setenv("SCRAPYD_USERNAME", "crawler")
    assert run_once(path, scrapyd) == 1
    assert "401 Unauthorized: set SCRAPYD_PASSWORD to the credentials" in capsys.readouterr().err

    monkeypatch.setenv("SCRAPYD_USERNAME", "crawler")
    monkeypatch.setenv("SCRAPYD_PASSWORD", "wrong")
    assert run_once(path, scrapyd) == 1
    assert ("401 Unauthorized: SCRAPYD_USERNAME ('crawler') and SCRAPYD_PASSWORD do not match the credentials "
            "scrapyd was started with") in capsys.readouterr().err
    assert not (tmp_path / "schedule.state.json").exists()

    monkeypatch.setenv("SCRAPYD_PASSWORD", "s3cret:with colon")
    assert run_once(path, scrapyd) == 0
    assert len(scheduled(scrapyd)) == 2
    expected = "Basic " + base64.b64encode(b"crawler:s3cret:with colon").decode()
    assert {auth for _, _, _, auth in scrapyd.requests[-3:]} == {expected}


def test_a_refused_entry_is_reported_and_the_others_still_start(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    scrapyd.refuse = "spider 'urdupoint' not found"
    assert run_once(path, scrapyd) == 1
    out = capsys.readouterr().out
    assert "urdupoint-world: not started: schedule.json: spider 'urdupoint' not found" in out
    assert not (tmp_path / "schedule.state.json").exists()


def test_unreachable_scrapyd_is_a_clear_error(tmp_path, capsys):
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = write_schedule(tmp_path)
    assert schedule.main([str(path), "--once", "--scrapyd", f"http://127.0.0.1:{port}"]) == 1
    assert f"cannot reach scrapyd at http://127.0.0.1:{port}/" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ('[jobs.a]\nevery = "2x"\n', 'every = \'2x\': expected a number and a unit (s, m, h, d)'),
    ('[jobs.a]\nevery = "0m"\n', "expected a number and a unit"),
    ('[jobs.a]\nspider = "urdupoint"\n', 'every = "…" is required'),
    ('[jobs.a]\nevery = "1h"\nintervall = "2h"\n', "[jobs.a]: unknown key intervall; expected spider, every"),
    ('[jobs.urdupoint]\nevery = "1h"\n', '[jobs.urdupoint]: spider = "…" is required (the spider to run; '
                                        "`scrapy list` names them)"),
    ('scrapyd = "http://x"\n[jobs.a]\nevery = "1h"\n', "unknown key scrapyd; expected project, jobs"),
    ('[jobs.a]\nspider = "news"\nevery = "1h"\n[jobs.a.args]\njobid = "x"\n', "'jobid' is a name scrapyd keeps"),
    ('[jobs.a]\nspider = "news"\nevery = "1h"\n[jobs.a.settings]\nfeeds = "x"\n', "'feeds' is not a Scrapy setting"),
    ('[jobs.a]\nspider = "news"\nevery = "1h"\nfeed = "out.txt"\n', "cannot tell the format of feed 'out.txt'"),
    ('[jobs."a.b"]\nevery = "1h"\n', "a name holds only letters, digits"),
    ('[jobs.a]\nevery = 1h\n', "not valid TOML"),
    ('project = "newscrawl"\n', "nothing to schedule"),
])
def test_bad_schedules_are_refused_before_anything_starts(tmp_path, scrapyd, capsys, text, message):
    path = write_schedule(tmp_path, text)
    assert run_once(path, scrapyd) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newscrawl schedule: {path}") and message in err
    assert scrapyd.requests == []


def test_a_broken_state_file_is_reported(tmp_path, scrapyd, capsys):
    path = write_schedule(tmp_path)
    schedule.default_state_path(path).write_text("{not json")
    assert run_once(path, scrapyd) == 2
    assert "state file " in capsys.readouterr().err
    assert scrapyd.requests == []


def test_missing_schedule_message(tmp_path, scrapyd, capsys):
    assert run_once(tmp_path / "missing.toml", scrapyd) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl schedule: cannot read {tmp_path / 'missing.toml'}: No such file or directory")


def test_state_file_option(tmp_path, scrapyd):
    path = write_schedule(tmp_path)
    state = tmp_path / "elsewhere.json"
    assert run_once(path, scrapyd, "--state", str(state)) == 0
    assert set(json.loads(state.read_text())["entries"]) == {"urdupoint-world", "gulfwire"}
    assert not schedule.default_state_path(path).exists()
    assert run_once(path, scrapyd, "--state", str(tmp_path / "no" / "state.json")) == 2


def test_the_example_schedule_is_valid(tmp_path, scrapyd):
    example = REPO / "deploy" / "schedule.example.toml"
    assert run_once(example, scrapyd, "--state", str(tmp_path / "state.json")) == 0
    assert [call["spider"] for call in scheduled(scrapyd)] == ["urdupoint", "app", "news"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C, systemctl stop
def test_foreground_mode_repeats_and_stops_cleanly(tmp_path, scrapyd, stop):
    path = write_schedule(tmp_path, '[jobs.quick]\nspider = "news"\nevery = "1s"\n')
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "newscrawl.schedule", str(path), "--scrapyd", scrapyd.url],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        # A third request means the second was answered and reported: the loop prints, then sleeps.
        while len(scheduled(scrapyd)) < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(scheduled(scrapyd)) >= 2, err
    assert process.returncode == 0, err
    assert out.count("quick: started job quick.") >= 2
    assert out.rstrip().endswith(" stopped") and "Traceback" not in err


def test_subcommand_wiring(tmp_path, scrapyd):
    """What newscrawl.cli does with add_parser: `newscrawl schedule …` parses and runs."""
    parser = argparse.ArgumentParser(prog="newscrawl")
    schedule.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["schedule", str(write_schedule(tmp_path)), "--once", "--scrapyd", scrapyd.url])
    args.run(args)  # returns on success, exits non-zero on failure
    assert len(scheduled(scrapyd)) == 2


def test_newscrawl_command_has_schedule():
    result = subprocess.run([sys.executable, "-m", "newscrawl", "schedule", "--help"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, "newscrawl.cli does not wire schedule.add_parser yet:\n" + result.stderr
    assert "--once" in result.stdout


def test_a_password_inside_the_scrapyd_url_is_used_and_never_shown(tmp_path, scrapyd, capsys, monkeypatch):
    path = write_schedule(tmp_path)
    host = scrapyd.url.split("//", 1)[1]
    scrapyd.credentials = ("crawler", "hunter2 secret")
    monkeypatch.setenv("SCRAPYD_URL", f"http://crawler:hunter2%20secret@{host}")
    assert schedule.main([str(path), "--once"]) == 0  # the URL's credentials, sent as basic auth
    expected = "Basic " + base64.b64encode(b"crawler:hunter2 secret").decode()
    assert {auth for _, _, _, auth in scrapyd.requests} == {expected}
    assert "hunter2" not in "".join(capsys.readouterr())

    schedule.save_state(schedule.default_state_path(path), {})
    monkeypatch.setenv("SCRAPYD_URL", f"http://crawler:wrong-hunter2@{host}")
    assert schedule.main([str(path), "--once"]) == 1
    err = capsys.readouterr().err
    assert err == (f"newscrawl schedule: scrapyd at http://{host} answered 401 Unauthorized: the user and password "
                   "inside the scrapyd URL do not match the credentials scrapyd was started with\n")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for url, shown in [(f"http://crawler:hunter2@127.0.0.1:{port}/", f"cannot reach scrapyd at http://127.0.0.1:{port}/"),
                       ("ftp://crawler:hunter2@127.0.0.1/", "scrapyd URL 'ftp://crawler:***@127.0.0.1/' (--scrapyd or"),
                       ("http://crawler:hunter2@127.0.0.1:port/", "scrapyd URL 'http://crawler:***@127.0.0.1:port/'")]:
        monkeypatch.setenv("SCRAPYD_URL", url)
        assert schedule.main([str(path), "--once"]) in (1, 2)
        out, err = capsys.readouterr()
        assert shown in err and "hunter2" not in out + err, url


def test_help_does_not_show_the_scrapyd_url(monkeypatch):
    monkeypatch.setenv("SCRAPYD_URL", "http://crawler:hunter2@127.0.0.1:6800/")
    result = subprocess.run([sys.executable, "-m", "newscrawl", "schedule", "--help"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "$SCRAPYD_URL" in result.stdout and "hunter2" not in result.stdout
