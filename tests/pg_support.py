"""Real PostgreSQL for the archive tests: 127.0.0.1:5432 (trust auth), one database per test
(nc_test_<random>), dropped after.

Without a server there the tests skip with one line, unless NEWSCRAWL_REQUIRE_SERVICES=1 (CI),
where they fail: a missing service must not pass for a green run.
"""

import contextlib
import os
import uuid

import pytest

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")


def admin_connection():
    import psycopg

    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = (f"no PostgreSQL at {ADMIN_URL} ({str(error).strip().splitlines()[-1]}); "
                   "start it to run the PostgreSQL archive tests")
        if os.environ.get("NEWSCRAWL_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def new_database() -> str:
    """A new empty database's URL; drop_database removes it."""
    name = "nc_test_" + uuid.uuid4().hex[:12]
    with admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    url = new_database()
    yield url
    drop_database(url)


@contextlib.contextmanager
def archive_location(backend: str, directory):
    """A SQLite file path in directory, or the URL of a new PostgreSQL database dropped after."""
    if backend == "sqlite":
        yield str(directory / "archive.db")
        return
    url = new_database()
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(params=BACKENDS)
def archive_target(request, tmp_path):
    """Where an archive of the test's own is: a SQLite file path, or a postgresql:// URL of a
    database made for the test and dropped after it."""
    with archive_location(request.param, tmp_path) as target:
        yield target


@pytest.fixture(scope="module", params=BACKENDS)
def module_archive_target(request, tmp_path_factory):
    """archive_target for a module's shared fixture (several crawls that its tests read)."""
    with archive_location(request.param, tmp_path_factory.mktemp(request.param)) as target:
        yield target
