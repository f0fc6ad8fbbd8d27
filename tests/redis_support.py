"""Real Redis for the frontier tests: 127.0.0.1:6379, a key prefix of each test's own, removed after.

Without a Redis there the tests skip with one line, unless NEWSCRAWL_REQUIRE_SERVICES=1 (CI),
where they fail: a missing service must not pass for a green run.
"""

import collections
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379/0"


def require_redis(url=REDIS_URL):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"no Redis at {url} ({error}); start redis-server to run the frontier tests"
        if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return client


@pytest.fixture
def redis_prefix():
    """(client, prefix): every key the test makes starts with "<prefix>:"; all are deleted after."""
    client = require_redis()
    prefix = "nctest-" + uuid.uuid4().hex[:10]
    yield client, prefix
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    client.close()


def keys_of(client, pattern):
    return sorted(key.decode() for key in client.scan_iter(match=pattern, count=1000))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own on a free port (to stop it mid-crawl)."""

    def __init__(self, port=None):
        binary = shutil.which("redis-server")
        if binary is None:
            message = "no redis-server binary to start a private Redis"
            if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
                pytest.fail(message)
            pytest.skip(message)
        self.binary, self.port, self.process = binary, port or free_port(), None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        import redis

        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def count_responses(server):
    """Count the 200 answers per path of a demo server (before it serves): server.hits."""
    handler_class = server.RequestHandlerClass
    server.hits = collections.Counter()
    lock = threading.Lock()

    class CountingHandler(handler_class):
        def send_response(self, code, message=None):
            if code == 200:
                with lock:
                    server.hits[self.path.split("?")[0]] += 1
            super().send_response(code, message)

    server.RequestHandlerClass = CountingHandler
    return server
