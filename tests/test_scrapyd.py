"""The route of docs/scrapyd.md, for real: build the egg, start scrapyd with deploy/scrapyd.conf
(loopback, auth), `scrapyd-deploy local`, schedule crawls of the demo sites with curl and with
`newscrawl schedule`, and check the one archive they share."""

import base64
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest

from conftest import REPO
from newscrawl.demo import generic, urdupoint
from newscrawl.demo.server import running_server

BIN = Path(sys.executable).parent
PACKAGING = ("setup.py", "pyproject.toml", "README.md", "scrapy.cfg")
DB = "data/archive.db"                      # relative: jobs run in scrapyd's directory
FEED = "feeds/%(name)s-%(time)s.jsonl"      # Scrapy fills in the spider's name and start time
SECTIONS = "world,pakistan,business"
WAIT_S = 120                                # upper bound for any job; they take a few seconds

if not shutil.which("curl"):
    pytest.skip("curl is not installed (apt-get install curl): docs/scrapyd.md uses it", allow_module_level=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """The files scrapyd-deploy packs, copied so that building leaves the work tree alone."""
    source = tmp_path_factory.mktemp("project")
    for name in PACKAGING:
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "newscrawl", source / "newscrawl",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return source


@pytest.fixture(scope="module")
def egg(project_copy, tmp_path_factory):
    path = tmp_path_factory.mktemp("egg") / "newscrawl.egg"
    subprocess.run([BIN / "scrapyd-deploy", "--build-egg", path], cwd=project_copy, check=True,
                   capture_output=True, timeout=120)
    return path


def test_the_egg_holds_every_module_and_data_file(egg):
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    package = REPO / "newscrawl"
    sources = {path.relative_to(REPO).as_posix() for path in package.rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert {"newscrawl/demo/data/urdupoint.json", "newscrawl/demo/data/generic.json"} <= sources
    assert sources <= names, sorted(sources - names)
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    assert "settings = newscrawl.settings" in entry_points  # how scrapyd finds the settings


def test_the_egg_works_zipped(egg, tmp_path):
    """As scrapyd's runner does it: modules imported from the egg, data read with pkgutil."""
    probe = ("from scrapyd.runner import activate_egg; import sys; activate_egg(sys.argv[1]);"
             "from newscrawl.demo import generic, urdupoint;"
             "print(urdupoint.__file__); print(len(urdupoint.expected_stored()), len(generic.expected_stored()))")
    result = subprocess.run([sys.executable, "-c", probe, str(egg)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=True)
    module_file, counts = result.stdout.split()[0], result.stdout.split()[1:]
    assert module_file.startswith(str(egg) + os.sep)
    assert counts == [str(len(urdupoint.expected_stored())), str(len(generic.expected_stored()))]


class Scrapyd:
    """A scrapyd started from a copy of deploy/scrapyd.conf; credentials from its environment."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.username, self.password = "newscrawl", secrets.token_urlsafe(16)
        self.log = root / "scrapyd.out"
        self.env = dict(os.environ, HOME=str(root), SCRAPYD_HTTP_PORT=str(self.port), SCRAPYD_URL=self.url,
                        SCRAPYD_USERNAME=self.username, SCRAPYD_PASSWORD=self.password)

    def call(self, endpoint, params=(), post=False, auth=True):
        """auth: True sends the credentials, False none, a string that user with the right password."""
        query = urlencode(params)
        headers = {}
        if auth:
            token = base64.b64encode(f"{auth if isinstance(auth, str) else self.username}:"
                                     f"{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        request = Request(self.url + endpoint + ("" if post or not query else f"?{query}"),
                          data=query.encode() if post else None, headers=headers)
        try:
            with urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except HTTPError as error:
            return error.code, None

    def jobs(self):
        status, payload = self.call("listjobs.json", {"project": "newscrawl"})
        assert status == 200 and payload["status"] == "ok", payload
        return {state: {job["id"] for job in payload[state]} for state in ("pending", "running", "finished")}

    def wait_finished(self, job_ids):
        deadline = time.monotonic() + WAIT_S
        while not set(job_ids) <= self.jobs()["finished"]:
            assert time.monotonic() < deadline, f"jobs {job_ids} not finished:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.2)

    def job_log(self, spider, job_id):
        return (self.root / "logs" / "newscrawl" / spider / f"{job_id}.log").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    server = Scrapyd(tmp_path_factory.mktemp("scrapyd"))
    shutil.copy(REPO / "deploy" / "scrapyd.conf", server.root / "scrapyd.conf")
    with open(server.log, "wb") as log:
        # Own process group: stopping it also stops any crawl still running.
        process = subprocess.Popen([BIN / "scrapyd"], cwd=server.root, env=server.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"scrapyd exited:\n{server.log.read_text()}"
            try:
                if server.call("daemonstatus.json")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"scrapyd did not answer:\n{server.log.read_text()}"
            time.sleep(0.1)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "Traceback" not in server.log.read_text()


def curl(scrapyd, *args, auth=True):
    credentials = ["-u", f"{scrapyd.username}:{scrapyd.password}"] if auth else []
    return subprocess.run(["curl", "-sS", *credentials, *args], capture_output=True, text=True, timeout=60,
                          check=True).stdout


def test_scrapyd_listens_on_loopback_and_wants_credentials(scrapyd):
    status = ["-o", "/dev/null", "-w", "%{http_code}", f"{scrapyd.url}daemonstatus.json"]
    assert curl(scrapyd, *status, auth=False) == "401"
    assert scrapyd.call("daemonstatus.json", auth="intruder")[0] == 401
    assert curl(scrapyd, *status) == "200"
    log = scrapyd.log.read_text()
    assert "Basic authentication enabled" in log
    assert f"available at http://127.0.0.1:{scrapyd.port}/" in log


@pytest.mark.parametrize("unset, named", [(("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"), "SCRAPYD_USERNAME and SCRAPYD_PASSWORD"),
                                           (("SCRAPYD_PASSWORD",), "SCRAPYD_PASSWORD")])
def test_the_shipped_config_does_not_start_without_credentials(tmp_path, unset, named):
    """scrapyd alone would start with auth off ("Basic authentication disabled"); the project's
    config refuses, names the variables, and exits non-zero before listening."""
    shutil.copy(REPO / "deploy" / "scrapyd.conf", tmp_path / "scrapyd.conf")
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path), SCRAPYD_HTTP_PORT=str(port), SCRAPYD_USERNAME="newscrawl",
               SCRAPYD_PASSWORD=secrets.token_urlsafe(16))
    for key in unset:
        env.pop(key)
    result = subprocess.run([BIN / "scrapyd"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"newscrawl's scrapyd.conf refuses to start scrapyd without basic auth: export {named} (or set username "
        "and password in a private copy of scrapyd.conf); see docs/scrapyd.md")
    assert "Traceback" not in result.stdout + result.stderr
    assert "Basic authentication disabled" not in result.stdout + result.stderr
    assert not (tmp_path / "eggs").exists() and not (tmp_path / "dbs").exists()
    with socket.socket() as probe:  # nothing listened there
        probe.bind(("127.0.0.1", port))


def test_the_shipped_config_starts_with_credentials(scrapyd):
    """The module's scrapyd, started from deploy/scrapyd.conf with the variables: newscrawl's
    application in front of scrapyd's own, auth on."""
    assert "application = newscrawl.scrapyd_app.application" in (scrapyd.root / "scrapyd.conf").read_text()
    assert scrapyd.call("daemonstatus.json")[0] == 200 and scrapyd.call("daemonstatus.json", auth=False)[0] == 401
    assert "Basic authentication enabled" in scrapyd.log.read_text()


@pytest.fixture(scope="module")
def deployed(scrapyd, project_copy):
    """`scrapyd-deploy local`: the [deploy:local] target of scrapy.cfg, filled in from the environment."""
    result = subprocess.run([BIN / "scrapyd-deploy", "local"], cwd=project_copy, env=scrapyd.env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_uses_credentials_from_the_environment(scrapyd, deployed, project_copy):
    assert deployed["status"] == "ok" and deployed["project"] == "newscrawl"
    status, listed = scrapyd.call("listspiders.json", {"project": "newscrawl"})
    assert {"urdupoint", "news"} <= set(listed["spiders"])
    assert deployed["spiders"] == len(listed["spiders"])
    # The same command without the variables sends "${SCRAPYD_PASSWORD}" literally: refused.
    env = {k: v for k, v in scrapyd.env.items() if k not in ("SCRAPYD_USERNAME", "SCRAPYD_PASSWORD")}
    result = subprocess.run([BIN / "scrapyd-deploy", "local"], cwd=project_copy, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Deploy failed (401)" in result.stderr


def curl_schedule(scrapyd, spider, *fields):
    """The curl command of docs/scrapyd.md: FEEDS is JSON, so it goes with --data-urlencode."""
    payload = json.loads(curl(
        scrapyd, f"{scrapyd.url}schedule.json", "-d", "project=newscrawl", "-d", f"spider={spider}", *fields,
        "-d", f"setting=NEWSCRAWL_DB={DB}",
        "--data-urlencode", f'setting=FEEDS={{"{FEED}": {{"format": "jsonlines"}}}}'))
    assert payload["status"] == "ok", payload
    return payload["jobid"]


def crawl_rows(archive, job_ids):
    with sqlite3.connect(archive) as conn:
        conn.row_factory = sqlite3.Row
        marks = ",".join("?" * len(job_ids))
        return {row["job_id"]: dict(row) for row in
                conn.execute(f"SELECT * FROM crawls WHERE job_id IN ({marks})", list(job_ids))}


@pytest.fixture(scope="module")
def demo_sites():
    with running_server("urdupoint") as site, running_server("gulfwire") as gulfwire:
        yield site.base_url, gulfwire.base_url


@pytest.fixture(scope="module")
def first_round(scrapyd, deployed, demo_sites):
    """Both crawls scheduled at once with curl, into one archive; results read once they finish."""
    site, gulfwire = demo_sites
    jobs = {curl_schedule(scrapyd, "urdupoint", "-d", f"base_url={site}", "-d", f"sections={SECTIONS}"): "urdupoint",
            curl_schedule(scrapyd, "news", "--data-urlencode", f"url={gulfwire}/"): "news"}
    scrapyd.wait_finished(jobs)
    archive = scrapyd.root / DB
    with sqlite3.connect(archive) as conn:
        articles = [(site, urlsplit(url).path) for site, url in conn.execute("SELECT site, canonical_url FROM articles")]
        crawls_count = conn.execute("SELECT count(*) FROM crawls").fetchone()[0]
    return {"jobs": jobs, "articles": articles, "crawls_count": crawls_count,
            "crawls": crawl_rows(archive, jobs), "feeds": sorted((scrapyd.root / "feeds").iterdir())}


def test_two_jobs_at_once_store_exactly_the_demo_articles(first_round):
    articles = first_round["articles"]
    assert len(articles) == len(set(articles))
    assert sorted(path for site, path in articles if site == "urdupoint") == \
        sorted(a.path for a in urdupoint.expected_stored())
    assert sorted(path for site, path in articles if site == "127.0.0.1") == \
        sorted(a.path for a in generic.expected_stored())
    assert {site for site, _ in articles} == {"urdupoint", "127.0.0.1"}


def test_each_job_is_recorded_with_its_scrapyd_job_id(first_round):
    crawls = first_round["crawls"]
    assert first_round["crawls_count"] == 2
    assert set(crawls) == set(first_round["jobs"])
    expected = {"urdupoint": len(urdupoint.expected_stored()), "news": len(generic.expected_stored())}
    for job_id, spider in first_round["jobs"].items():
        row = crawls[job_id]
        assert (row["spider"], row["status"], row["errors"]) == (spider, "finished", 0)
        assert row["new"] == expected[spider]


def test_each_job_writes_its_own_feed(first_round):
    feeds = {path.name.split("-")[0]: path for path in first_round["feeds"]}
    assert len(first_round["feeds"]) == 2 and set(feeds) == {"urdupoint", "news"}
    rows = {name: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            for name, path in feeds.items()}
    assert len(rows["urdupoint"]) == len(urdupoint.expected_stored())
    assert len(rows["news"]) == len(generic.expected_stored())


def test_listjobs_shows_the_finished_jobs(scrapyd, first_round):
    jobs = json.loads(curl(scrapyd, f"{scrapyd.url}listjobs.json?project=newscrawl"))
    finished = {job["id"]: job for job in jobs["finished"]}
    for job_id, spider in first_round["jobs"].items():
        assert finished[job_id]["spider"] == spider
        assert finished[job_id]["log_url"] == f"/logs/newscrawl/{spider}/{job_id}.log"


def test_the_archive_exports(scrapyd, first_round, tmp_path):
    stats = subprocess.run([BIN / "newscrawl", "stats", "--db", scrapyd.root / DB], check=True,
                           capture_output=True, text=True, timeout=120).stdout
    assert f": {len(first_round['articles'])} articles" in stats
    output = tmp_path / "articles.csv"
    subprocess.run([BIN / "newscrawl", "export", "--db", scrapyd.root / DB, "--format", "csv", "--output", output],
                   check=True, capture_output=True, timeout=120)
    with open(output, newline="", encoding="utf-8") as rows:
        assert len(list(csv.DictReader(rows))) == len(first_round["articles"])


def test_job_logs_are_clean(scrapyd, first_round):
    for job_id, spider in first_round["jobs"].items():
        log = scrapyd.job_log(spider, job_id)
        assert "Spider closed (finished)" in log
        assert "Traceback" not in log and "database is locked" not in log


def run_scheduler(scrapyd, schedule, *extra):
    return subprocess.run([sys.executable, "-m", "newscrawl.schedule", str(schedule), "--once", *extra],
                          env=scrapyd.env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def second_round(scrapyd, first_round, demo_sites, tmp_path_factory):
    """The same two crawls again, started by `newscrawl schedule --once`."""
    site, gulfwire = demo_sites
    schedule = tmp_path_factory.mktemp("schedule") / "schedule.toml"
    schedule.write_text(f"""
[jobs.urdupoint]
spider = "urdupoint"
every = "1h"
feed = "{FEED}"
[jobs.urdupoint.args]
base_url = "{site}"
sections = "{SECTIONS}"
[jobs.urdupoint.settings]
NEWSCRAWL_DB = "{DB}"

[jobs.gulfwire]
spider = "news"
every = "1h"
feed = "{FEED}"
[jobs.gulfwire.args]
url = "{gulfwire}/"
[jobs.gulfwire.settings]
NEWSCRAWL_DB = "{DB}"
""", encoding="utf-8")
    started = run_scheduler(scrapyd, schedule)
    assert started.returncode == 0, started.stderr
    state_file = schedule.with_name("schedule.state.json")
    state = json.loads(state_file.read_text())["entries"]
    jobs = {state["urdupoint"]["job"]: "urdupoint", state["gulfwire"]["job"]: "news"}
    # Both due again (as if two hours had passed) while their jobs are still pending or running
    # (a crawl takes seconds, scrapy's start alone about one): they must not start twice.
    for entry in state.values():
        entry["last_start"] = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
    state_file.write_text(json.dumps({"entries": state}))
    again = run_scheduler(scrapyd, schedule)
    scrapyd.wait_finished(jobs)
    return {"jobs": jobs, "started": started, "again": again,
            "crawls": crawl_rows(scrapyd.root / DB, jobs), "feeds": sorted((scrapyd.root / "feeds").iterdir())}


def test_scheduled_jobs_run_and_are_recorded(scrapyd, first_round, second_round):
    out = second_round["started"].stdout
    for job_id in second_round["jobs"]:
        assert f"started job {job_id} " in out
    crawls = second_round["crawls"]
    assert set(crawls) == set(second_round["jobs"])
    for row in crawls.values():
        assert (row["status"], row["errors"], row["new"]) == ("finished", 0, 0)  # every article is stored
    for job_id, spider in second_round["jobs"].items():
        assert "Traceback" not in scrapyd.job_log(spider, job_id)
    # FEEDS went through as JSON: each run wrote its own file (%(time)s differs).
    new_feeds = set(second_round["feeds"]) - set(first_round["feeds"])
    assert sorted(path.name.split("-")[0] for path in new_feeds) == ["news", "urdupoint"]


def test_the_scheduler_never_starts_a_job_twice(second_round):
    again = second_round["again"]
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert len(lines) == 2 and all(": skipped: job " in line for line in lines)
    assert len(second_round["crawls"]) == 2
