"""Random streams for common random numbers (CRN): one independent stream per source of randomness.

Every stream is derived from the scenario's master seed and a key (replication, entity, source) with
:class:`numpy.random.SeedSequence` (the ``spawn_key`` of a spawned child), never from global state. The entity
is a unit id or an NIP; the source names what the numbers are for (``arrivals/DUKCAPIL-KK``,
``service/DUKCAPIL-KK``, ``absence``...). Because the key holds no worker id, no position in a list and nothing
about the staff, the baseline and the proposal draw the n-th customer's arrival and service requirement from the
same numbers, and any number of worker processes gives the same results.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(replication: int, entity: str, source: str) -> tuple[int, int, int]:
    """The SeedSequence spawn key of one stream; names are hashed with CRC-32, which is stable across runs."""
    return (replication, zlib.crc32(entity.encode("utf-8")), zlib.crc32(source.encode("utf-8")))


def stream(master_seed: int, replication: int, entity: str, source: str) -> np.random.Generator:
    """The generator of one source of randomness in one replication."""
    seed = np.random.SeedSequence(master_seed, spawn_key=stream_key(replication, entity, source))
    return np.random.Generator(np.random.PCG64(seed))
