"""Spider arguments (`-a name=value`), parsed and checked before the crawl starts."""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ..redact import redact


class ArgumentError(ValueError):
    """A spider argument is unknown or malformed; the message says which and why."""


_SECTION = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?$")
_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$")  # what urlsplit leaves of a DNS name or IPv4
EXCURSIONS = ("sections", "all")
DEFAULT_MAX_PAGES = 10
DEFAULT_CAUGHT_UP_AFTER = 10

_HELP = {
    "sections": "sections=a,b (listing sections to start from)",
    "since": "since=YYYY-MM-DD (skip older articles, stop paging past them)",
    "max_pages": f"max_pages=N (listing pages per section, default {DEFAULT_MAX_PAGES}, 0 = no limit)",
    "base_url": "base_url=http://HOST:PORT (crawl a local copy of the site)",
    "url": "url=https://site/section/ (the listing page to start from)",
    "refresh": "refresh=1 (fetch articles already in the archive again, to see changes)",
    "recheck_days": "recheck_days=N (fetch again the stored articles published in the last N days)",
    "caught_up_after": f"caught_up_after=K (stop paging a section after K already-stored articles in a row, "
                       f"default {DEFAULT_CAUGHT_UP_AFTER}, 0 = never)",
    "render": "render=0 (never start a browser, even for pages drawn by script)",
    "excursions": "excursions=all (follow \"More Stories\" into any section; default: the chosen sections only)",
}


class _Reader:
    """Reads raw -a values for one spider, failing with the argument's name and the help."""

    def __init__(self, spider_name, known, raw):
        self.spider_name, self.known, self.raw = spider_name, known, dict(raw)
        self.job_id = self.raw.pop("_job", None)  # scrapyd adds -a _job=<id> to every job
        self.run_id = self.raw.pop("run", None)   # the shared run it joins (newscrawl/frontier)
        unknown = sorted(self.raw.keys() - set(known))
        if unknown:
            self.fail("unknown argument " + ", ".join(f"-a {name}" for name in unknown))

    def fail(self, message):
        help_text = ", ".join(_HELP[name] for name in self.known)
        # The message echoes the value given: a password in it is not repeated.
        raise ArgumentError(redact(f"{self.spider_name}: {message}. Arguments: {help_text}"))

    def given(self, name):
        return self.raw.get(name) not in (None, "")

    def since(self):
        if not self.given("since"):
            return None
        try:
            return date.fromisoformat(str(self.raw["since"]).strip())
        except ValueError:
            self.fail(f"-a since={self.raw['since']!r}: expected a date as YYYY-MM-DD")

    def max_pages(self):
        return self.count("max_pages", DEFAULT_MAX_PAGES) or None

    def flag(self, name, default):
        if not self.given(name):
            return default
        value = str(self.raw[name]).strip().lower()
        if value not in ("0", "1", "true", "false", "yes", "no"):
            self.fail(f"-a {name}={self.raw[name]!r}: expected 1 or 0")
        return value in ("1", "true", "yes")

    def count(self, name, default):
        if not self.given(name):
            return default
        text = str(self.raw[name]).strip()
        if not text.isdigit():
            self.fail(f"-a {name}={self.raw[name]!r}: expected a whole number >= 0")
        return int(text)

    def sections(self, default, known):
        if self.raw.get("sections") is None:
            return default
        sections = tuple(s.strip().lower() for s in str(self.raw["sections"]).split(",") if s.strip())
        if not sections or any(not _SECTION.match(s) for s in sections):
            self.fail(f"-a sections={self.raw['sections']!r}: expected comma-separated section names")
        unknown = [s for s in sections if s not in known]
        if unknown:
            # A typo would crawl nothing of it and still end "finished": refuse it before any request.
            self.fail(f"-a sections={self.raw['sections']!r}: unknown section {', '.join(map(repr, unknown))}; "
                      f"known sections: {', '.join(known)}")
        return sections

    def choice(self, name, choices):
        if not self.given(name):
            return choices[0]
        value = str(self.raw[name]).strip().lower()
        if value not in choices:
            self.fail(f"-a {name}={self.raw[name]!r}: expected one of {', '.join(choices)}")
        return value

    def http_url(self, name, *, root_only):
        """The URL given as -a name, checked; None when the argument is absent. An empty value is
        an error, never "not given": for base_url that would mean the live site."""
        if name not in self.raw or self.raw[name] is None:
            return None
        raw = str(self.raw[name]).strip()
        expected = ("scheme and host only, like http://127.0.0.1:8765" if root_only
                    else "an http(s) URL, like https://example.com/world/")
        parts = urlsplit(raw)
        try:
            port = parts.port  # raises for a port that is not a number in 0-65535
        except ValueError:
            self.fail(f"-a {name}={raw!r}: the port is not a number from 1 to 65535")
        if port == 0:
            self.fail(f"-a {name}={raw!r}: the port is not a number from 1 to 65535")
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            self.fail(f"-a {name}={raw!r}: user names and passwords in URLs are not accepted")
        host = parts.hostname or ""
        if (parts.scheme not in ("http", "https") or not (_HOSTNAME.match(host) or ":" in host)
                or (root_only and (parts.path not in ("", "/") or parts.query or parts.fragment))):
            self.fail(f"-a {name}={raw!r}: expected {expected}")
        return f"{parts.scheme}://{parts.netloc}" if root_only else parts.geturl()


def has_credentials(url):
    """Does url carry a user name or password? Such a link is never followed (nor stored)."""
    return "@" in urlsplit(url).netloc


def is_loopback(url):
    host = urlsplit(url).hostname if url else None
    return host in ("localhost", "::1") or bool(host and host.startswith("127."))


@dataclass(frozen=True)
class CrawlArguments:
    """Arguments of a profiled site's spider."""

    sections: tuple[str, ...]
    since: date | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES  # listing pages per section; None: no limit
    base_url: str | None = None
    job_id: str | None = None
    run: str | None = None
    sections_given: bool = False  # the user chose sections (feeds are then filtered to them)
    refresh: bool = False
    caught_up_after: int = DEFAULT_CAUGHT_UP_AFTER  # 0: never stop for known articles
    recheck_days: int = 0  # stored articles published in the last N days are fetched again
    render: bool = True
    excursions: str = "sections"  # "More Stories" into the chosen sections only, or "all"

    @property
    def excursions_anywhere(self):
        """May "More Stories" lead into a section the user did not choose?"""
        return not self.sections_given or self.excursions == "all"

    @classmethod
    def parse(cls, spider_name, default_sections, known_sections=None, **raw):
        read = _Reader(spider_name, ("sections", "since", "max_pages", "base_url", "refresh", "recheck_days",
                                     "caught_up_after", "render", "excursions"), raw)
        return cls(sections=read.sections(default_sections, known_sections or default_sections),
                   since=read.since(), excursions=read.choice("excursions", EXCURSIONS),
                   max_pages=read.max_pages(), base_url=read.http_url("base_url", root_only=True),
                   job_id=read.job_id, run=read.run_id, sections_given=read.given("sections"),
                   refresh=read.flag("refresh", False),
                   caught_up_after=read.count("caught_up_after", DEFAULT_CAUGHT_UP_AFTER),
                   recheck_days=read.count("recheck_days", 0), render=read.flag("render", True))

    @property
    def is_local(self):
        return is_loopback(self.base_url)


@dataclass(frozen=True)
class GenericArguments:
    """Arguments of the `news` spider, which crawls a site it has no profile for."""

    url: str
    since: date | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES
    job_id: str | None = None
    run: str | None = None
    refresh: bool = False
    caught_up_after: int = DEFAULT_CAUGHT_UP_AFTER
    recheck_days: int = 0
    render: bool = True  # pages that need JavaScript go through a browser; render=0: never

    @classmethod
    def parse(cls, spider_name, **raw):
        read = _Reader(spider_name, ("url", "since", "max_pages", "refresh", "recheck_days", "caught_up_after",
                                     "render"), raw)
        url = read.http_url("url", root_only=False)
        if not url:
            read.fail("-a url=… is required: the listing page to start from")
        return cls(url=url, since=read.since(), max_pages=read.max_pages(), job_id=read.job_id, run=read.run_id,
                   refresh=read.flag("refresh", False),
                   caught_up_after=read.count("caught_up_after", DEFAULT_CAUGHT_UP_AFTER),
                   recheck_days=read.count("recheck_days", 0), render=read.flag("render", True))

    @property
    def is_local(self):
        return is_loopback(self.url)
