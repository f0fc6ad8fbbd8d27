"""MinHash signatures, value for value those of datasketch 2's MinHash (its default "affine32"
scheme) with the same number of permutations and seed: the signatures stored in archives were
made with it and stay valid. Computed here because importing datasketch imports scipy, some
55 MB of a crawler's memory, for the few lines below.

Each item is hashed to 32 bits (the first four bytes of its SHA-1, little-endian), the hash
spread by MurmurHash3's finalizer, then put through NUM_PERM affine maps h -> a*h + b modulo
2**32 (a odd, so each is a bijection); a signature value is the least image over the items.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

NUM_PERM = 128
SEED = 20230729
_EMPTY = np.iinfo(np.uint32).max  # the value of a set with no items


def _affine_maps(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers and offsets, drawn in datasketch's order from the legacy RandomState,
    whose stream numpy keeps unchanged across versions."""
    draw = np.random.RandomState(seed)
    odd = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return odd, draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)


_MULTIPLIERS, _OFFSETS = _affine_maps(NUM_PERM, SEED)


def _spread(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (wrapping uint32 arithmetic)."""
    hashes = hashes ^ (hashes >> np.uint32(16))
    hashes = hashes * np.uint32(0x85EBCA6B)
    hashes = hashes ^ (hashes >> np.uint32(13))
    hashes = hashes * np.uint32(0xC2B2AE35)
    return hashes ^ (hashes >> np.uint32(16))


def minhash(items: Iterable[bytes]) -> np.ndarray:
    """The NUM_PERM uint32 (little-endian) MinHash values of a set of byte strings."""
    digests = b"".join([hashlib.sha1(item).digest()[:4] for item in items])
    if not digests:
        return np.full(NUM_PERM, _EMPTY, dtype="<u4")
    hashes = _spread(np.frombuffer(digests, dtype="<u4").astype(np.uint32))
    images = hashes[:, np.newaxis] * _MULTIPLIERS + _OFFSETS
    return images.min(axis=0).astype("<u4", copy=False)
