"""A bounded, thread-safe LRU cache of compiled templates.

Compiling is the expensive step (parsing, and for Jinja generating Python code), while
the same few prompts are rendered over and over, so a compiled template is kept under a
hash of its source and reused. The hash, not the source, is the key: a cache of large
prompts should not hold each one twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from fluent_ai.templates.template import Template

Value = TypeVar("Value")


class LRUCache(Generic[Value]):
    """Keeps the ``maxsize`` most recently used values; safe to share between threads.

    ``get_or_create`` runs ``create`` outside the lock, so a slow compile never blocks
    lookups of other templates. Two threads that miss on the same key at once both
    compile, and both get the value stored first: a key always maps to one object.
    """

    def __init__(self, maxsize: int = 256) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(self, key: Hashable, create: Callable[[], Value]) -> Value:
        """The value under ``key``, made by ``create`` and stored if absent."""
        with self._lock:
            if key in self._entries:
                self.hits += 1
                self._entries.move_to_end(key)
                return self._entries[key]
            self.misses += 1
        value = create()
        with self._lock:
            stored = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return stored

    def clear(self) -> None:
        """Forget every value and reset the hit and miss counts."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries


template_cache: LRUCache[Template] = LRUCache(maxsize=256)
"""The process-wide cache behind ``Template.compile``."""
