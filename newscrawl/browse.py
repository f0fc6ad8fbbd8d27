"""`newscrawl browse`: the archive in Datasette, read-only, with the project's metadata (titled
tables, full-text search, facets, canned queries, a dashboard) and its cell-rendering plugin.

Datasette runs as a subprocess. It opens the archive immutable (no locks, no writes) when no
write-ahead log sits beside it; while one does (a crawl has the archive open, or one died before
checkpointing), immutable mode would miss the log's pages, so it is opened read-only
(`mode=ro`) instead, which still never writes and sees what the crawl commits.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from importlib import resources
from pathlib import Path

import yaml

from .errors import CommandError
from .storage import Archive

TEMPLATE_DATABASE = "archive"  # the database's name in metadata.yml
READY_TIMEOUT_S = 60.0
# Settings for a server that only reads: no download of the whole file, bounded queries.
SETTINGS = {"allow_download": "off", "sql_time_limit_ms": "3000", "truncate_cells_html": "300"}


def database_name(archive: str | os.PathLike) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(archive).stem


def metadata_for(archive: str | os.PathLike) -> dict:
    """The shipped metadata with its database (and every chart's `db`) named after the archive."""
    template = yaml.safe_load(resources.files(__package__).joinpath("datasette/metadata.yml").read_text("utf-8"))
    name = database_name(archive)
    template["databases"] = {name: template["databases"][TEMPLATE_DATABASE]}
    for dashboard in template["plugins"]["datasette-dashboards"].values():
        for chart in dashboard.get("charts", {}).values():
            if chart.get("db") == TEMPLATE_DATABASE:
                chart["db"] = name
    return template


def has_write_ahead_log(archive: str | os.PathLike) -> bool:
    return Path(f"{archive}-wal").exists()


def datasette_command(archive: str | os.PathLike, metadata: str | os.PathLike, *, host: str,
                      port: int, immutable: bool) -> list[str]:
    package = resources.files(__package__).joinpath("datasette")
    command = [sys.executable, "-m", "datasette", "serve"]
    command += ["--immutable", str(archive)] if immutable else [str(archive)]
    command += ["--metadata", str(metadata), "--plugins-dir", str(package / "plugins"),
                "--static", f"newscrawl-static:{package / 'static'}",
                "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    return command


def free_port(host: str, port: int) -> int:
    """`port`, checked free on `host` (0: one the system picks); a busy port is a clear error."""
    with closing(socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        return probe.getsockname()[1]


def wait_until_listening(process: subprocess.Popen, host: str, port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"Datasette exited with status {process.returncode} before serving "
                               "(its message is above)")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"Datasette did not answer on {host}:{port} within {READY_TIMEOUT_S:.0f} s")


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # the same way out as Ctrl-C: stop Datasette, then exit


def serve(archive: str | os.PathLike, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the archive until Ctrl-C (or SIGTERM); Datasette's own log goes to stderr."""
    immutable = not has_write_ahead_log(archive)  # looked at before anything opens the file
    with closing(Archive.open_readonly(archive)):  # missing, not an archive, other schema: say so now
        pass
    port = free_port(host, port)
    with tempfile.TemporaryDirectory(prefix="newscrawl-browse-") as folder:
        metadata = Path(folder, "metadata.json")
        metadata.write_text(json.dumps(metadata_for(archive), ensure_ascii=False), "utf-8")
        process = subprocess.Popen(datasette_command(archive, metadata, host=host, port=port,
                                                     immutable=immutable))
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            wait_until_listening(process, host, port)
            shown = f"[{host}]" if ":" in host else host
            print(f"Browsing {archive} ({'immutable' if immutable else 'read-only: a crawl has it open'}) "
                  f"at http://{shown}:{port}/{database_name(archive)} - Ctrl-C to stop", flush=True)
            process.wait()
            if process.returncode not in (0, -signal.SIGINT, -signal.SIGTERM):
                raise CommandError(f"Datasette exited with status {process.returncode}")
        except KeyboardInterrupt:
            pass  # like serve-demo: stopping the server is the normal end (exit 0)
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
