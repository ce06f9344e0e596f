"""A bounded, thread-safe least-recently-used cache for generated feed documents."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from plancycle.errors import InputError

V = TypeVar("V")

#: The default bound on the bytes a cache holds (its entries' :func:`default_size`).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def default_size(value: object) -> int:
    """The bytes a cached value holds: the length of its ``body`` (a feed document), of the value
    itself when it is bytes or text, else its shallow size."""
    body = getattr(value, "body", value)
    if isinstance(body, bytes | bytearray | str):
        return len(body)
    return sys.getsizeof(value)


class LRUCache(Generic[V]):
    """At most ``maxsize`` entries and ``max_bytes`` bytes (as ``size`` counts them); the least
    recently used goes first. ``maxsize=0`` caches nothing; a value bigger than ``max_bytes`` is
    not kept. Every operation holds one lock, so threads of a server may share it."""

    def __init__(self, maxsize: int, max_bytes: int = DEFAULT_MAX_BYTES, *,
                 size: Callable[[V], int] = default_size) -> None:
        if maxsize < 0 or max_bytes < 0:
            raise InputError(key="feed_cache_size", size=min(maxsize, max_bytes))
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._size = size
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: V) -> None:
        if self.maxsize == 0:
            return
        weight = self._size(value)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if weight > self.max_bytes:
                return
            self._data[key] = (value, weight)
            self._bytes += weight
            while len(self._data) > self.maxsize or self._bytes > self.max_bytes:
                _, (_, dropped) = self._data.popitem(last=False)
                self._bytes -= dropped

    @property
    def nbytes(self) -> int:
        """The bytes the entries hold now."""
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
