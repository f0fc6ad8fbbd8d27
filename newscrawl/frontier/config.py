"""The frontier's settings, checked before a crawl starts, and its Redis connection.

A frontier setting that cannot work is a usage error (exit 2) found before anything is read or
written; a Redis that does not answer at start is a runtime error (exit 1), also before the
archive is touched.
"""

import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..errors import CommandError, UsageError

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SCHEMES = ("redis", "rediss", "unix")


class FrontierError(UsageError):
    """A frontier setting or argument that cannot work (exit 2)."""


class FrontierUnavailable(CommandError):
    """Redis does not answer (exit 1)."""


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class FrontierConfig:
    url: str
    run: str
    prefix: str = "newscrawl"
    heartbeat_ttl: float = 30.0    # a worker silent this long is dead: its leases go back to the queue
    grace: float = 3.0             # the run must stay quiescent this long before workers close
    tick: float = 0.5              # heartbeat, acks, reclaims and quiescence checks this often
    retries: int = 6               # Redis errors retried (exponential backoff) before the worker fails
    site_rate: float | None = None  # requests per second per site, all workers together
    keep_days: float = 7.0         # a finished run's keys (seen set, meta) expire after this

    @classmethod
    def from_settings(cls, settings, run):
        """The frontier of a crawl, or None when NEWSCRAWL_FRONTIER is not set. Raises FrontierError."""
        url = (settings.get("NEWSCRAWL_FRONTIER") or "").strip()
        if not url:
            return None
        check_url(url)
        if run in (None, ""):
            raise FrontierError("-s NEWSCRAWL_FRONTIER needs -a run=ID: the workers of one run share it "
                                "(letters, digits, '.', '_', '-')")
        if not RUN_ID.match(str(run)):
            raise FrontierError(f"-a run={run!r}: expected 1 to 64 letters, digits, '.', '_' or '-'")
        if settings.get("SCHEDULER_PERSIST") is not None and not settings.getbool("SCHEDULER_PERSIST"):
            raise FrontierError("SCHEDULER_PERSIST=False with -s NEWSCRAWL_FRONTIER: the first worker to "
                                "close would wipe every worker's queue; leave it on")
        prefix = settings.get("NEWSCRAWL_FRONTIER_PREFIX") or "newscrawl"
        if not RUN_ID.match(prefix):
            raise FrontierError(f"-s NEWSCRAWL_FRONTIER_PREFIX={prefix!r}: expected letters, digits, "
                                "'.', '_' or '-'")
        rate = _number(settings, "NEWSCRAWL_FRONTIER_SITE_RATE", None)
        if rate is None:
            delay = settings.getfloat("DOWNLOAD_DELAY")
            rate = 1 / delay if delay > 0 else None   # the one-worker pace, now for all workers together
        elif rate == 0:
            rate = None
        return cls(url=url, run=str(run), prefix=prefix,
                   heartbeat_ttl=_number(settings, "NEWSCRAWL_FRONTIER_HEARTBEAT", 30.0, low=1),
                   grace=_number(settings, "NEWSCRAWL_FRONTIER_GRACE", 3.0),
                   tick=_number(settings, "NEWSCRAWL_FRONTIER_TICK", 0.5, low=0.05),
                   retries=int(_number(settings, "NEWSCRAWL_FRONTIER_RETRIES", 6)),
                   site_rate=rate,
                   keep_days=_number(settings, "NEWSCRAWL_FRONTIER_KEEP_DAYS", 7.0))

    def connect(self):
        return connect(self.url, self.retries)


def _number(settings, name, default, low=0.0):
    raw = settings.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < low or value != value or value == float("inf"):
        raise FrontierError(f"-s {name}={raw!r}: expected a number >= {low:g}")
    return value


def check_url(url: str) -> None:
    from redis.connection import parse_url

    parts = urlsplit(url)
    problem = None
    if parts.scheme not in SCHEMES:
        problem = "expected redis://HOST:PORT/DB (or rediss://, unix://)"
    elif parts.scheme != "unix" and not parts.hostname:
        problem = "no host"
    else:
        try:
            parts.port   # noqa: B018 (raises on a port that is not a number)
            parse_url(url)
        except ValueError as error:
            problem = str(error) or "malformed"
    if problem:
        raise FrontierError(f"-s NEWSCRAWL_FRONTIER={redacted(url)!r}: {problem}")


def connect(url: str, retries: int = 6):
    """A client that retries connection errors and timeouts with exponential backoff (0.5 s up to
    4 s a wait): a Redis restart or a network blip costs a pause, not the crawl."""
    from redis import Redis
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError, TimeoutError
    from redis.retry import Retry

    return Redis.from_url(url, retry=Retry(ExponentialBackoff(cap=4, base=0.25), retries,
                                           (ConnectionError, TimeoutError, socket.timeout)),
                          socket_connect_timeout=5, socket_timeout=10, health_check_interval=30)


def check_reachable(config: FrontierConfig) -> None:
    """Raise FrontierUnavailable (one line) unless Redis answers, trying once."""
    from redis.exceptions import RedisError

    client = connect(config.url, retries=0)
    try:
        client.ping()
    except RedisError as error:
        raise FrontierUnavailable(f"frontier {redacted(config.url)} does not answer: "
                                  f"{str(error) or type(error).__name__}") from None
    finally:
        client.close()


def check_crawl_options(settings, spider_arguments) -> FrontierConfig | None:
    """What `scrapy crawl` checks before it starts: FrontierError, FrontierUnavailable or the config."""
    config = FrontierConfig.from_settings(settings, spider_arguments.get("run"))
    if config is not None:
        check_reachable(config)
    return config
