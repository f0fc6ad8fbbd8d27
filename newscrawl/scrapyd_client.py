"""The scrapyd HTTP client `newscrawl schedule` uses: schedule.json, listjobs.json and their errors.

Over urllib, no extra dependency. Credentials inside the URL are used and never shown: every
message names the URL without them (newscrawl.redact)."""

from __future__ import annotations

import base64
import json
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from typing import TYPE_CHECKING

from newscrawl.redact import redact

if TYPE_CHECKING:
    from newscrawl.schedule import Entry


class ScheduleError(Exception):
    """The schedule or state file cannot be used; the message names the file and the problem."""


class ScrapydError(Exception):
    """scrapyd could not be reached or refused a request."""


class ScrapydUnreachable(ScrapydError):
    """No answer from scrapyd: not running, wrong URL, or a network failure."""


class ScrapydAuthError(ScrapydError):
    """scrapyd answered 401: no or wrong credentials."""


class Scrapyd:
    """The two scrapyd calls the scheduler makes, over urllib (no extra dependency).

    Credentials inside the URL (http://user:password@host:6800/) are used when none are given
    otherwise, and never shown: every message names the URL without them (or redacted)."""

    def __init__(self, url: str, username: str | None = None, password: str | None = None,
                 timeout: float = 30.0):
        try:
            parts = urlsplit(url)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:  # a port that is not a number
            valid = False
        if not valid:
            raise ScheduleError(f"scrapyd URL {redact(url)!r} (--scrapyd or $SCRAPYD_URL): "
                                "expected http://HOST:PORT/")
        self.credentials_in_url = False
        if parts.username is not None or parts.password is not None:
            if not username:
                username, password = unquote(parts.username or ""), unquote(parts.password or "")
                self.credentials_in_url = True
            url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        self.url = url if url.endswith("/") else url + "/"
        self.username = username
        self.password_given = bool(password)
        self.timeout = timeout
        self.headers = {}
        if username:
            token = base64.b64encode(f"{username}:{password or ''}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"

    def call(self, endpoint: str, params, post: bool = False) -> dict:
        query = urlencode(params)
        url = urljoin(self.url, endpoint) + ("" if post else f"?{query}")
        request = Request(url, data=query.encode() if post else None, headers=self.headers)
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except HTTPError as error:
            if error.code == 401:
                raise ScrapydAuthError(f"scrapyd at {self.url} answered 401 Unauthorized: "
                                       f"{self._auth_hint()}") from None
            raise ScrapydError(f"{endpoint}: HTTP {error.code} {error.reason}") from None
        except (URLError, OSError, HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise ScrapydUnreachable(f"cannot reach scrapyd at {self.url}: {reason}") from None
        try:
            payload = json.loads(body)
        except ValueError:
            raise ScrapydError(f"{endpoint}: not a scrapyd answer: {body[:200]!r}") from None
        if payload.get("status") != "ok":  # scrapyd reports refusals with HTTP 200
            raise ScrapydError(f"{endpoint}: {payload.get('message', payload)}")
        return payload

    def _auth_hint(self) -> str:
        """Which variables to set, or that the ones set are not scrapyd's."""
        if self.credentials_in_url:
            return ("the user and password inside the scrapyd URL do not match the credentials "
                    "scrapyd was started with")
        if self.username and self.password_given:
            return (f"SCRAPYD_USERNAME ({self.username!r}) and SCRAPYD_PASSWORD do not match the "
                    "credentials scrapyd was started with")
        missing = [name for name, given in (("SCRAPYD_USERNAME", self.username),
                                            ("SCRAPYD_PASSWORD", self.password_given)) if not given]
        return f"set {' and '.join(missing)} to the credentials scrapyd was started with (docs/scrapyd.md)"

    def node(self, url: str) -> Scrapyd:
        """A client for another scrapyd node: its URL's credentials, else the same as this one."""
        other = Scrapyd(url, timeout=self.timeout)
        if not other.credentials_in_url:
            other.username, other.password_given = self.username, self.password_given
            other.headers = dict(self.headers)
        return other

    def active_jobs(self, project: str) -> list[dict]:
        """Pending and running jobs of the project, each with a "state" key."""
        try:
            payload = self.call("listjobs.json", {"project": project})
        except ScrapydError as error:
            if "not found" in str(error):
                raise ScrapydError(f"{error}: deploy it first (scrapyd-deploy local)") from None
            raise
        return [{**job, "state": state} for state in ("pending", "running")
                for job in payload.get(state, [])]

    def schedule(self, project: str, entry: Entry, job_id: str, run: str | None = None) -> str:
        params = [("project", project), ("spider", entry.spider), ("jobid", job_id),
                  *(("setting", f"{key}={value}") for key, value in entry.settings.items()),
                  *entry.args.items(), *((("run", run),) if run else ())]
        return self.call("schedule.json", params, post=True)["jobid"]
