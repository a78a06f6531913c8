"""Pick a store from a target: a path, a URL, or nothing for memory."""

from __future__ import annotations

import os

from chronicle._errors import StoreError
from chronicle._log import Log
from chronicle._record import Clock, utc_now
from chronicle._stores._memory import MemoryStore

__all__ = ["open_log"]


def open_log(target: str | os.PathLike[str] | None = None, *, clock: Clock = utc_now) -> Log:
    """Open the log at ``target``, choosing the store from its form.

    - ``None`` or ``":memory:"``: a new in-memory log.

    Args:
        target: Where the log lives.
        clock: The log's clock (see :class:`~chronicle.Log`).

    Raises:
        StoreError: the target names no kind of store chronicle knows.
    """
    if target is None or target == ":memory:":
        return Log(MemoryStore(), clock=clock)
    raise StoreError(f"cannot tell which store to open for {os.fspath(target)!r}")
