"""Pausing the cyclic garbage collector while replay and append work in bulk.

Decoding a record allocates many small objects (the event, its dates, its
tuples), and a fold keeps most of them; an append makes a record, a stored form
and a line for each entry. The collector then runs again and again over a
growing heap, finding nothing, for none of these objects is in a cycle. Pausing
it during a replay's fold and an append's encoding and writing saves that work
(measured in ``docs/performance.md``). Reference counting still frees what is
dropped.

The pause is shared by the threads that replay at once: the first to enter
notes whether the collector was enabled, the last to leave restores that.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector for the block; then restore the caller's setting."""
    global _depth, _was_enabled  # noqa: PLW0603 -- one process-wide setting, guarded by the lock
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
