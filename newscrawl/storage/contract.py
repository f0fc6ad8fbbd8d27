"""What the rest of newscrawl may call on an archive, whichever backend holds it.

The pipelines, the seen-store, the story index, crawl health and the CLI use these methods
only; a backend (SQLite: sqlite.py, PostgreSQL: postgres.py) implements every one.
tests/test_storage_contract.py runs one suite against both.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any


class ArchiveContract(abc.ABC):
    """An article archive. Writes are batched: call commit(), close() or use ``with``."""

    #: Exceptions upsert raises when an article's URL names one stored row and its
    #: (site, article_id) another: the pipeline drops such an item as conflicting_keys.
    conflict_errors: tuple[type[BaseException], ...] = ()
    #: True when the archive itself finds story candidates (band keys in the database), so
    #: several processes link into one index; False: the story index keeps months in memory.
    shared_story_index = False
    #: Called once with the ArchiveLost error when the database stays away through every retry
    #: (a crawl sets it to stop itself); None: the error is only raised.
    on_lost = None
    #: Where the archive is, fit for messages (never a password).
    location: str
    max_transaction_s: float
    readonly: bool
    #: The SQL of the connection, "sqlite" or "postgresql": what read_sql and write_sql speak.
    dialect: str

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()  # every finished upsert is complete on its own, so keep them even on error

    # -- the connection --------------------------------------------------------------------
    @abc.abstractmethod
    def schema_version(self) -> int: ...
    @abc.abstractmethod
    def commit(self) -> None: ...
    @abc.abstractmethod
    def commit_if_older(self) -> None: ...
    @abc.abstractmethod
    def transaction_age(self) -> float: ...
    @abc.abstractmethod
    def close(self) -> None: ...
    @property
    @abc.abstractmethod
    def closed(self) -> bool: ...

    # -- articles --------------------------------------------------------------------------
    @abc.abstractmethod
    def upsert(self, article: Mapping) -> str:
        """Store an article; "new", "updated" (its change recorded) or "unchanged"."""
    @abc.abstractmethod
    def get(self, canonical_url: str | None = None, *, site: str | None = None,
            article_id: str | None = None) -> dict | None: ...
    @abc.abstractmethod
    def known(self, canonical_url: str | None = None, *, site: str | None = None,
              article_id: str | None = None) -> bool: ...
    @abc.abstractmethod
    def row_id(self, canonical_url: str | None = None, *, site: str | None = None,
               article_id: str | None = None) -> int | None: ...
    def first_row_id(self, urls, *, site: str | None = None, article_id: str | None = None) -> int | None:
        """The row of the first of `urls` stored, else of (site, article_id), else None: one
        question for the seen-store's spellings of a link (a backend may answer it in one query)."""
        for url in dict.fromkeys(urls):
            if (row := self.row_id(url)) is not None:
                return row
        return self.row_id(site=site, article_id=article_id) if article_id is not None else None

    @abc.abstractmethod
    def last_row_id(self) -> int: ...
    @abc.abstractmethod
    def changes(self, article: int) -> list[dict]: ...
    @abc.abstractmethod
    def iter_articles(self, *, site: str | None = None, since: str | None = None, until: str | None = None,
                      section: str | None = None, agency: str | None = None, story: int | None = None,
                      query: str | None = None) -> Iterator[dict]: ...
    @abc.abstractmethod
    def search(self, query: str, limit: int = 20) -> list[dict]: ...
    @abc.abstractmethod
    def article_by_id(self, article: int) -> dict | None: ...

    # -- crawls and the frontier -----------------------------------------------------------
    @abc.abstractmethod
    def start_crawl(self, spider: str, args: Mapping | None = None, job_id: str | None = None) -> int: ...
    @abc.abstractmethod
    def finish_crawl(self, crawl_id: int, *, status: str, finish_reason: str | None = None,
                     counts: Mapping | None = None, stats: Mapping | None = None) -> None: ...
    @abc.abstractmethod
    def mark_gone(self, crawl_id: int, reason: str = "process_gone") -> bool:
        """Mark a crawl whose process is gone `interrupted`, only if it is still 'running' (its
        process may have finished it meanwhile); whether it was marked."""
    @abc.abstractmethod
    def get_crawl(self, crawl_id: int) -> dict | None: ...
    @abc.abstractmethod
    def previous_crawl(self, spider: str, before: int | None = None) -> dict | None: ...
    @abc.abstractmethod
    def add_to_frontier(self, crawl_id: int, url: str, depth: int, section: str | None) -> None: ...
    @abc.abstractmethod
    def left_frontier(self, spider: str, before: int) -> list[dict]: ...

    # -- stories ---------------------------------------------------------------------------
    @abc.abstractmethod
    def article_ref(self, article: Mapping) -> dict | None: ...
    @abc.abstractmethod
    def articles_to_fingerprint(self, method: str) -> list[int]: ...
    @abc.abstractmethod
    def save_fingerprint(self, article: int, *, method: str, content_hash: str, signature: bytes,
                         shingles: int, agency: str | None, key_tokens: Mapping) -> None: ...
    @abc.abstractmethod
    def iter_signatures(self, method: str, *, after: int = 0, month: str | None = None
                        ) -> Iterator[tuple[int, bytes, int, str]]: ...
    @abc.abstractmethod
    def last_fingerprinted(self) -> int: ...
    @abc.abstractmethod
    def fingerprints(self, articles: list[int]) -> dict[int, dict]: ...
    @abc.abstractmethod
    def assign_story(self, article: int, story: int | None = None) -> int: ...
    @abc.abstractmethod
    def refresh_story(self, story: int) -> None: ...
    @abc.abstractmethod
    def story_head(self, story: int) -> dict | None: ...
    @abc.abstractmethod
    def story(self, story: int) -> dict | None: ...
    @abc.abstractmethod
    def iter_stories(self, *, site: str | None = None, since: str | None = None,
                     min_copies: int = 1) -> Iterator[dict]: ...

    def story_linking(self, keys=()) -> contextlib.AbstractContextManager:
        """Held while one article is linked: another process linking an article that shares
        one of its band `keys` waits, so two copies stored together see each other. SQLite:
        nothing (one writer at a time links through its own in-memory index)."""
        return contextlib.nullcontext()

    def band_candidates(self, method: str, keys: list[int], months: list[str]):
        """(articles, signatures, shingles) of the fingerprints sharing a band key, for a
        shared_story_index archive."""
        raise NotImplementedError

    # -- tables beside the archive's (newscrawl/health/store.py keeps its SQL) ---------------
    @abc.abstractmethod
    def read_sql(self, sql: str, params: Sequence = ()) -> list[dict]:
        """The rows of one query in the archive's dialect, each a dict by column name."""
    @abc.abstractmethod
    def write_sql(self, statements: Sequence[tuple[str, Sequence]]) -> None:
        """(sql, params) statements as one write, all or nothing, in the current batch (committed
        with it; on PostgreSQL written again with it after a lost connection)."""

    # -- overview --------------------------------------------------------------------------
    @abc.abstractmethod
    def summary(self, crawls_per_site: int = 1) -> dict: ...
