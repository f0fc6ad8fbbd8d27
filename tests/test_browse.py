"""`newscrawl browse` on a crawled demo archive: Datasette through a real headless Chromium,
writes refused, loopback only by default."""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, newscrawl
from newscrawl.browse import datasette_command, metadata_for
from test_search import FUJAIRAH, build_demo_archive

SCREENSHOT = REPO / "docs" / "browse.png"


@pytest.fixture(scope="module")
def archive(demo_server, tmp_path_factory):
    return build_demo_archive(demo_server, tmp_path_factory.mktemp("browse"))


@pytest.fixture(scope="module")
def browsing(archive):
    """`newscrawl browse` on a free port; yields the database's URL from its first line."""
    process = subprocess.Popen([sys.executable, "-m", "newscrawl", "browse", "--db", str(archive), "--port", "0"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(f"Browsing {archive} (immutable) at http://127.0.0.1:"), (
            line + process.stderr.read() if process.poll() is not None else line)
        yield line.split(" at ")[1].split()[0]
    finally:
        process.send_signal(signal.SIGTERM)  # browse stops its Datasette and ends 0
        assert process.wait(timeout=30) == 0


def get(url, data=None):
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_metadata_names_the_database_after_the_file(tmp_path):
    metadata = metadata_for(tmp_path / "july.db")
    assert list(metadata["databases"]) == ["july"]
    charts = metadata["plugins"]["datasette-dashboards"]["archive"]["charts"]
    assert {chart["db"] for chart in charts.values()} == {"july"}
    tables = metadata["databases"]["july"]["tables"]
    assert tables["articles"]["fts_table"] == "articles_fts"
    assert set(metadata["databases"]["july"]["queries"]) == {
        "top_stories", "story_copies", "articles_by_agency_and_day", "crawl_history"}


def test_command_is_immutable_and_loopback_unless_told(tmp_path):
    command = datasette_command(tmp_path / "a.db", tmp_path / "m.json", host="127.0.0.1", port=8001,
                                immutable=True)
    assert command[command.index("--immutable") + 1] == str(tmp_path / "a.db")
    assert command[command.index("--host") + 1] == "127.0.0.1"
    live = datasette_command(tmp_path / "a.db", tmp_path / "m.json", host="127.0.0.1", port=8001,
                             immutable=False)
    assert "--immutable" not in live and str(tmp_path / "a.db") in live


def test_serves_only_on_loopback_by_default(browsing):
    port = int(browsing.split(":")[2].split("/")[0])
    assert get(f"http://127.0.0.1:{port}/-/versions.json")[0] == 200
    help_text = newscrawl("browse", "--help").stdout
    assert "default 127.0.0.1" in help_text
    import socket

    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    for address in addresses - {"127.0.0.1"} - {a for a in addresses if a.startswith("127.")}:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def test_refuses_writes(browsing, archive):
    before = Path(archive).read_bytes()
    row = json.dumps({"row": {"title": "planted"}}).encode()
    status, _ = get(f"{browsing}/articles/-/insert", data=row)
    assert status in (403, 404, 405)
    status, _ = get(f"{browsing}?sql=" + urllib.request.quote("DELETE FROM articles"))
    assert status == 400  # Datasette runs SELECTs only
    status, body = get(f"{browsing}.json?sql=" + urllib.request.quote("SELECT count(*) AS n FROM articles")
                       + "&_shape=array")
    assert json.loads(body) == [{"n": 77}]
    assert Path(archive).read_bytes() == before
    assert get(f"{browsing}.db")[0] == 403  # no download of the whole file


def test_canned_queries(browsing):
    def rows(query, **params):
        query_string = "&".join(f"{k}={urllib.request.quote(v)}" for k, v in params.items())
        status, body = get(f"{browsing}/{query}.json?_shape=array&{query_string}")
        assert status == 200, body
        return json.loads(body)

    top = rows("top_stories", day="2023-06-08")
    assert top[0]["title"] == FUJAIRAH and top[0]["copies"] == 3
    assert rows("top_stories", day="")[0]["first_published_at"].startswith("2023-07-29")
    copies = rows("story_copies", article=str(top[0]["article"]))
    assert [(copy["role"], copy["site"]) for copy in copies] == [
        ("first source", "urdupoint"), ("copy", "gulfwire"), ("copy", "wam")]
    by_agency = rows("articles_by_agency_and_day", agency="WAM")
    assert {row["agency"] for row in by_agency} == {"WAM"}
    assert sum(row["articles"] for row in by_agency) == 13 + 2
    [crawl] = rows("crawl_history", spider="urdupoint")
    assert (crawl["status"], crawl["dropped_items"], crawl["errors"]) == ("finished", 1, 0)
    assert "http_404 x1" in crawl["alerts"]


def test_in_a_browser(browsing):
    """Search a word, open an article, its story's copies, the dashboard; screenshot each."""
    playwright = pytest.importorskip("playwright.sync_api")
    from newscrawl.rendering import LAUNCH_ARGS, BrowserNotFound, find_chromium

    try:
        chromium = find_chromium()
    except BrowserNotFound as error:
        pytest.skip(str(error))
    shots = REPO / "data"
    shots.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, headless=True, args=list(LAUNCH_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{browsing}/articles")
        page.fill("input#_search", "Fujairah")
        page.press("input#_search", "Enter")
        page.wait_for_url("**_search=Fujairah**")
        assert "3 rows where search matches" in page.inner_text("body")
        page.screenshot(path=str(shots / "browse-search.png"))

        page.click("table.rows-and-columns td.col-id a >> nth=0")
        page.wait_for_selector(".article-body p")
        text = page.inner_text("body")
        assert FUJAIRAH in text and "The Port of Fujairah handled a record" in text
        assert page.locator(".article-body p").count() >= 2  # the body reads as paragraphs
        page.click("text=all copies")
        page.wait_for_url("**/story_copies?article=*")
        copies = page.inner_text("table.rows-and-columns")
        assert copies.count(FUJAIRAH) == 3 and "first source" in copies
        assert "gulfwire" in copies and "wam" in copies
        page.screenshot(path=str(shots / "browse-copies.png"), full_page=False)

        page.goto(f"{browsing.rsplit('/', 1)[0]}/-/dashboards/archive")
        page.wait_for_selector("#chart-articles-per-day svg, #chart-articles-per-day canvas", timeout=30_000)
        dashboard = page.inner_text("body")
        assert "Articles per site per day" in dashboard and "Crawl health over time" in dashboard
        assert "77" in page.inner_text("#card-articles-count")
        page.screenshot(path=str(shots / "browse-dashboard.png"), full_page=True)
        # The README's picture: made here, rewritten only when asked for or missing.
        if os.environ.get("NEWSCRAWL_UPDATE_SCREENSHOT") == "1" or not SCREENSHOT.exists():
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        browser.close()


def test_browse_errors_are_one_line(tmp_path, archive):
    missing = newscrawl("browse", "--db", str(tmp_path / "none.db"), "--port", "0", check=False)
    assert (missing.returncode, missing.stderr) == (1, f"newscrawl browse: archive not found: {tmp_path / 'none.db'}\n")
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = newscrawl("browse", "--db", str(archive), "--port", str(port), check=False)
    assert taken.returncode == 1
    assert taken.stderr.startswith(f"newscrawl browse: cannot listen on 127.0.0.1:{port}: ")
    assert newscrawl("browse", "--port", "70000", check=False).returncode == 2


def test_demo_script_ends_with_the_browse_command(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(["bash", str(REPO / "scripts" / "demo.sh")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, BIN=str(bin_dir), PORT=str(port),
                                     SCRAPY_SETTINGS_MODULE="newscrawl.settings"))  # no scrapy.cfg here
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == (
        f"Browse the archive: {bin_dir}/newscrawl browse --db data/demo.db   (or: make browse)")
    assert (tmp_path / "data" / "demo.db").is_file()
