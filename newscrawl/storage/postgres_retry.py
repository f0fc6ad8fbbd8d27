"""A PostgreSQL archive's answer to a lost connection: try again on a new one, with backoff."""

from __future__ import annotations

import functools
import time

import psycopg

from .common import ArchiveLost


def _retrying(write: bool):
    """Run a method again on a new connection when the server went away; a write that
    succeeded is remembered until its batch commits, to be replayed after a reconnect."""
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self._nested:
                return method(self, *args, **kwargs)
            if self._lost is not None:  # gone through every retry once: fail at once from now on
                raise ArchiveLost(self._lost)
            for attempt in range(self.retries + 1):
                self._nested = True
                try:
                    if attempt or self._conn is None:
                        self._reconnect()
                    result = method(self, *args, **kwargs)
                    break
                except psycopg.OperationalError as error:
                    if self._conn is not None and not (self._conn.broken or self._conn.closed):
                        raise
                    if attempt == self.retries:
                        self._lost = (f"lost the PostgreSQL archive {self.location}: "
                                      f"{str(error).strip().splitlines()[0]}")
                        lost = ArchiveLost(self._lost)
                        if self.on_lost is not None:
                            self.on_lost(lost)
                        raise lost from error
                    time.sleep(min(4.0, 0.5 * 2 ** attempt))
                finally:
                    self._nested = False
            if write and self._in_transaction:
                self._batch.append((method, args, kwargs))
            return result
        return call
    return wrap
