"""The event loop of the benchmarks' own load client and fake upstream: uvloop where it
is installed (the ``server`` extra), else asyncio's.

On two shared cores the client and the upstream take CPU from the server they measure.
With two gateway workers between them, uvloop took the client from 66–77 to 38–43 µs
of CPU a request and, with its protocol, the upstream from 70–73 to 42–47
(``docs/server.md``), leaving that much more of the machine to the server measured.
The library's own clients, measured in process by other benchmarks, stay on
asyncio's loop, as a user's code runs by default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, on uvloop where it is installed."""
    try:
        import uvloop
    except ImportError:  # Windows, or an install without the server extra
        return asyncio.run(main)
    return uvloop.run(main)
