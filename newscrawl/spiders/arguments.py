"""Spider arguments (`-a name=value`), parsed and checked before the crawl starts."""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit


class ArgumentError(ValueError):
    """A spider argument is unknown or malformed; the message says which and why."""


_SECTION = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?$")
DEFAULT_MAX_PAGES = 10


@dataclass(frozen=True)
class CrawlArguments:
    sections: tuple[str, ...]
    since: date | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES  # listing pages per section; None: no limit
    base_url: str | None = None
    job_id: str | None = None
    sections_given: bool = False  # the user chose sections (feeds are then filtered to them)

    HELP = (
        "sections=a,b (listing sections to start from), since=YYYY-MM-DD (skip older articles, "
        f"stop paging past them), max_pages=N (listing pages per section, default {DEFAULT_MAX_PAGES}, "
        "0 = no limit), base_url=http://HOST:PORT (crawl a local copy of the site)"
    )

    @classmethod
    def parse(cls, spider_name, default_sections, **raw):
        def fail(message):
            raise ArgumentError(f"{spider_name}: {message}. Arguments: {cls.HELP}")

        job_id = raw.pop("_job", None)  # scrapyd adds -a _job=<id> to every job
        unknown = sorted(raw.keys() - {"sections", "since", "max_pages", "base_url"})
        if unknown:
            fail("unknown argument " + ", ".join(f"-a {name}" for name in unknown))

        sections = default_sections
        if raw.get("sections") is not None:
            sections = tuple(s.strip().lower() for s in str(raw["sections"]).split(",") if s.strip())
            bad = [s for s in sections if not _SECTION.match(s)]
            if not sections or bad:
                fail(f"-a sections={raw['sections']!r}: expected comma-separated section names")

        since = None
        if raw.get("since") not in (None, ""):
            try:
                since = date.fromisoformat(str(raw["since"]).strip())
            except ValueError:
                fail(f"-a since={raw['since']!r}: expected a date as YYYY-MM-DD")

        max_pages = DEFAULT_MAX_PAGES
        if raw.get("max_pages") not in (None, ""):
            try:
                max_pages = int(str(raw["max_pages"]).strip())
            except ValueError:
                max_pages = -1
            if max_pages < 0:
                fail(f"-a max_pages={raw['max_pages']!r}: expected a whole number >= 0")
            max_pages = max_pages or None

        base_url = None
        if raw.get("base_url"):
            parts = urlsplit(str(raw["base_url"]).strip())
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
                fail(f"-a base_url={raw['base_url']!r}: expected scheme and host only, "
                     "like http://127.0.0.1:8765")
            base_url = f"{parts.scheme}://{parts.netloc}"

        return cls(sections=sections, since=since, max_pages=max_pages, base_url=base_url,
                   job_id=job_id, sections_given=raw.get("sections") is not None)

    @property
    def is_local(self):
        host = urlsplit(self.base_url).hostname if self.base_url else None
        return host in ("localhost", "::1") or bool(host and host.startswith("127."))
