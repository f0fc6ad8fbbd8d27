"""An archive path is taken as typed: only the file is created, never a directory tree (a typo
in --db or -s NEWSCRAWL_DB is an error); the crawl's default, data/newscrawl.db, makes its data/."""

import os
import subprocess
import sys

import pytest

from conftest import scrapy_crawl
from newscrawl.storage import Archive, ArchiveError


def test_an_archive_in_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(ArchiveError) as raised:
        Archive(tmp_path / "typo" / "deeper" / "a.db")
    assert str(raised.value).endswith(f"no such directory '{tmp_path / 'typo' / 'deeper'}'")
    assert list(tmp_path.iterdir()) == []
    Archive(tmp_path / "a.db").close()  # a new file in an existing directory is fine
    assert (tmp_path / "a.db").is_file()


def test_a_crawl_does_not_create_the_directory_of_an_explicit_archive_path(tmp_path):
    db = tmp_path / "typo" / "a.db"
    result = scrapy_crawl("news", "-a", "url=http://127.0.0.1:9/", "-s", f"NEWSCRAWL_DB={db}", check=False)
    assert result.returncode == 2
    assert f"-s NEWSCRAWL_DB={db}: no such directory '{db.parent}'" in result.stderr
    assert not db.parent.exists()
    result = scrapy_crawl("nosuch", check=False)
    assert result.returncode == 2 and "unknown spider 'nosuch'; `scrapy list` names them" in result.stderr


@pytest.mark.parametrize("setting", [[], ["-s", "NEWSCRAWL_DB=data/archive.db"]])
def test_a_crawl_creates_its_data_directory(tmp_path, setting):
    """The default archive, or any in data/ where the crawl runs (a fresh scrapyd directory)."""
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newscrawl.settings")
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", "url=http://127.0.0.1:9/",
                             "-s", "RETRY_ENABLED=0", *setting], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert [path.name for path in (tmp_path / "data").glob("*.db")] == \
        ["archive.db" if setting else "newscrawl.db"]
