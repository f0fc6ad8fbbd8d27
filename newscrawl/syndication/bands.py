"""MinHash LSH over one month of articles, held in numpy arrays (about 1 KB an article).

An LSH candidate is an article whose signature equals the query's in every row of at least
one band. Each band's rows, with the band's number, are hashed to one 64-bit key, and a month's
keys are kept the way a log-structured merge tree keeps them: the rows added last in a short
unsorted tail that a query compares whole, the others in a few sorted runs that a query
searches (np.searchsorted). A full tail becomes a run, and a run is merged into the one before
it once it is an eighth of its size, so that an add copies a few rows' keys on average and a
query searches a few runs. A shared key is confirmed on the signatures themselves, so two keys
that collide never make a candidate: the candidates are exactly those of datasketch's
MinHashLSH with the same bands.
"""

from __future__ import annotations

import numpy as np

# 42 bands of 3 rows: a pair sharing 40% of its 3-grams is a candidate with probability 0.94,
# one sharing 5% (common phrases of unrelated stories) with 0.005.
LSH_BANDS, LSH_ROWS = 42, 3
BANDED = LSH_BANDS * LSH_ROWS  # the signature values the bands cover
# Rows added since the last merge: each query compares them all.
TAIL_ROWS = 128
# A run is merged into the one before it once it holds an eighth of that one's keys.
RUN_RATIO = 8
# Rows whose keys are sorted at once when a month is loaded: bounds the sort's scratch memory.
BUILD_ROWS = 8192

# Odd multipliers and per-band offsets. Any fixed choice works: keys are only ever kept in
# memory, and every match of two keys is confirmed on the signatures.
_ROW_FACTORS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9],
                        dtype=np.uint64)
_BAND_OFFSETS = np.arange(1, LSH_BANDS + 1, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(rows, LSH_BANDS) uint64 keys of (rows, NUM_PERM) uint32 signatures."""
    values = signatures[:, :BANDED].reshape(-1, LSH_BANDS, LSH_ROWS).astype(np.uint64)
    return (values * _ROW_FACTORS).sum(axis=2, dtype=np.uint64) + _BAND_OFFSETS


def _grown(array: np.ndarray, capacity: int) -> np.ndarray:
    bigger = np.empty((capacity, *array.shape[1:]), dtype=array.dtype)
    bigger[:len(array)] = array
    return bigger


class MonthShard:
    """The articles of one month: their signatures, 3-gram set sizes and band keys.

    Rows [0, merged) have their keys in the sorted runs, rows [merged, count) in the tail. The
    signatures of rows [0, base) (the month as loaded) are never copied again; those added since
    are in an array of their own that grows. A removed article's row is marked dead, and
    dropped when all keys are merged into one run again. Which month holds an article is for
    the caller to know (StoryIndex keeps a dict)."""

    def __init__(self, articles, signatures: np.ndarray, sizes):
        """A month read at once from the archive; `signatures` may be a read-only view."""
        self._articles = np.asarray(articles, dtype=np.int64)
        self._sizes = np.asarray(sizes, dtype=np.int64)
        self._alive = np.ones(len(self._articles), dtype=bool)
        self._loaded = np.asarray(signatures, dtype=np.uint32)
        self._added = self._loaded[:0]
        self._base = self._count = self._live = len(self._articles)
        self._merged = 0
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (keys, rows) sorted, largest first
        self._tail: np.ndarray | None = None  # made at the first add: most months get none
        for start in range(0, self._count, BUILD_ROWS):
            self._push(band_keys(self._loaded[start:start + BUILD_ROWS]))
        while len(self._runs) > 1:  # one run to search
            smaller = self._runs.pop()
            self._runs[-1] = _union(self._runs[-1], smaller)

    def __len__(self) -> int:
        return self._live

    @property
    def nbytes(self) -> int:
        arrays = [self._articles, self._sizes, self._alive, self._loaded, self._added,
                  *(array for run in self._runs for array in run)]
        if self._tail is not None:
            arrays.append(self._tail)
        return sum(array.nbytes for array in arrays)

    def articles(self) -> np.ndarray:
        return self._articles[:self._count][self._alive[:self._count]]

    def add(self, article: int, signature: np.ndarray, size: int) -> None:
        row = self._count
        if self._tail is None:
            # Band-major, so that a query compares band by band over contiguous memory.
            self._tail = np.empty((LSH_BANDS, TAIL_ROWS), dtype=np.uint64)
        if row == len(self._articles):
            capacity = row + max(TAIL_ROWS, (row - self._base) // 2)
            self._articles, self._sizes, self._alive = (
                _grown(array, capacity) for array in (self._articles, self._sizes, self._alive))
            self._added = _grown(self._added, capacity - self._base)
        self._articles[row], self._sizes[row], self._alive[row] = article, size, True
        self._added[row - self._base] = signature
        self._tail[:, row - self._merged] = band_keys(signature[np.newaxis])[0]
        self._count, self._live = row + 1, self._live + 1
        if self._count - self._merged == TAIL_ROWS:
            self._push(self._tail.T)

    def remove(self, article: int) -> bool:
        """Mark the article's row dead (a scan: removals are rare, re-fetched texts)."""
        rows = np.flatnonzero(self._articles[:self._count] == article)
        rows = rows[self._alive[rows]]
        self._alive[rows] = False
        self._live -= len(rows)
        return bool(len(rows))

    def matches(self, signature: np.ndarray, keys: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(articles, signatures, sizes) of the LSH candidates, by row."""
        wanted = np.sort(keys)  # ascending needles: each search starts where the last ended
        found = [rows for run in self._runs if (rows := _lookup(run, wanted)) is not None]
        if tail := self._count - self._merged:
            same = (self._tail[:, :tail] == keys[:, np.newaxis]).any(axis=0)
            found.append(np.flatnonzero(same) + self._merged)
        if not found:
            return self._articles[:0], self._loaded[:0], self._sizes[:0]
        rows = np.unique(np.concatenate(found))
        rows = rows[self._alive[rows]]
        signatures = self._signatures(rows)
        # Confirmed on the signatures: a shared key is a shared band but for a collision.
        bands = signatures[:, :BANDED].reshape(-1, LSH_BANDS, LSH_ROWS)
        shared = (bands == signature[:BANDED].reshape(LSH_BANDS, LSH_ROWS)).all(axis=2).any(axis=1)
        rows = rows[shared]
        return self._articles[rows], signatures[shared], self._sizes[rows]

    def _signatures(self, rows: np.ndarray) -> np.ndarray:
        """The signatures of ascending rows."""
        split = int(np.searchsorted(rows, self._base))
        if split == len(rows):
            return self._loaded[rows]
        return np.concatenate([self._loaded[rows[:split]], self._added[rows[split:] - self._base]])

    def _push(self, row_keys: np.ndarray) -> None:
        """The (rows, LSH_BANDS) keys of the next rows as a run, merged into the runs before it
        while they are less than RUN_RATIO times its size."""
        first = self._merged
        rows = np.repeat(np.arange(first, first + len(row_keys), dtype=np.uint32), LSH_BANDS)
        keys = row_keys.ravel()
        order = np.argsort(keys, kind="stable")
        run = keys[order], rows[order]
        while self._runs and len(self._runs[-1][0]) <= RUN_RATIO * len(run[0]):
            run = _union(self._runs.pop(), run)
        self._runs.append(run)
        self._merged += len(row_keys)
        if len(self._runs) == 1 and self._merged == self._count and self._live < self._count:
            self._compact()

    def _compact(self) -> None:
        alive = self._alive[:self._count]
        keys, rows = self._runs[0]
        kept = alive[rows]
        renumbered = (np.cumsum(alive, dtype=np.int64) - 1).astype(np.uint32)
        self._runs = [(keys[kept], renumbered[rows[kept]])]
        self._loaded = self._signatures(np.flatnonzero(alive))
        self._added = self._loaded[:0]
        self._articles, self._sizes = (array[:self._count][alive]
                                       for array in (self._articles, self._sizes))
        self._base = self._count = self._merged = self._live
        self._alive = np.ones(self._count, dtype=bool)


def _union(big: tuple[np.ndarray, np.ndarray], small: tuple[np.ndarray, np.ndarray]
           ) -> tuple[np.ndarray, np.ndarray]:
    at = np.searchsorted(big[0], small[0])
    return np.insert(big[0], at, small[0]), np.insert(big[1], at, small[1])


def _lookup(run: tuple[np.ndarray, np.ndarray], wanted: np.ndarray) -> np.ndarray | None:
    """The rows of the sorted keys `wanted` found in the run, None when there are none."""
    keys, rows = run
    if not len(keys):
        return None
    starts = np.searchsorted(keys, wanted)
    hit = keys.take(starts, mode="clip") == wanted
    if not hit.any():
        return None
    starts = starts[hit]
    lengths = np.searchsorted(keys, wanted[hit], side="right") - starts
    # Each start repeated over its run of equal keys, plus 0, 1, 2, … within the run.
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return rows[np.repeat(starts, lengths) + offsets]
