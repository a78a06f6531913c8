"""The temporary files of a new SQLite log: made under a lock, and cleaned up if left behind.

A new SQLite log is built in a hidden file beside it, ``.<name>.<32 hex digits>.new``,
and linked into place once complete, so that a log is never seen half made. A
process killed while it builds one leaves that file behind (and, if killed inside
the schema's transaction, its ``-journal``). The next open of the log removes them.

**The rule.** A file is removed only if all of these hold:

- its name is exactly ``.<name>.<32 lower-case hex digits>.new``, with ``<name>`` the
  log's own file name, or that followed by ``-journal``, ``-wal`` or ``-shm``;
- it was last changed more than :data:`STALE_AFTER` seconds ago, longer than a
  creation takes;
- its creator is gone: the creator holds an exclusive ``flock`` on the ``.new`` file
  from before SQLite writes it until it is removed, and the lock dies with the
  process, so a lock that can be taken has no creator behind it (a side file goes
  with its ``.new`` file, or alone once that is gone). Creations in flight in this
  process are skipped without being touched.

A concurrent creator is therefore never disturbed, and nothing else beside the log
(its ``-wal``, another log's leftovers, a user's file) matches. Where there are no
advisory locks (Windows), leftovers are left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = ["STALE_AFTER", "creating", "remove_leftovers"]

STALE_AFTER: Final = 10.0
"""Seconds after its last change from which a creation's file may be a leftover."""

_SIDES: Final = ("-journal", "-wal", "-shm")

_in_flight: set[Path] = set()
"""The temporary files this process is making logs in now."""
_in_flight_lock = threading.Lock()


@contextlib.contextmanager
def creating(path: Path) -> Iterator[Path]:
    """A new temporary file to build the log ``path`` in, locked while the block runs.

    The file exists (empty) when the block starts; it and its side files are
    removed when the block ends, whatever happens.
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    with _in_flight_lock:
        _in_flight.add(temporary)
    descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        if sys.platform != "win32":
            from fcntl import LOCK_EX, flock

            flock(descriptor, LOCK_EX)
        yield temporary
    finally:
        for name in (temporary, *(_side(temporary, side) for side in _SIDES)):
            name.unlink(missing_ok=True)
        os.close(descriptor)
        with _in_flight_lock:
            _in_flight.discard(temporary)


def _side(temporary: Path, suffix: str) -> Path:
    return temporary.with_name(temporary.name + suffix)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what interrupted creations of the log ``path`` left beside it (see the module).

    Best effort: a file that cannot be examined or removed is left. Returns the
    files removed.
    """
    if sys.platform == "win32":
        return []
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{32}}\.new")
    try:
        names = [entry.name for entry in os.scandir(path.parent)]
    except OSError:
        return []
    removed: list[Path] = []
    now = time.time()
    for name in names:
        if not pattern.fullmatch(name):
            continue
        temporary = path.with_name(name)
        if _abandoned(temporary, now):
            for candidate in (temporary, *(_side(temporary, side) for side in _SIDES)):
                with contextlib.suppress(FileNotFoundError):
                    candidate.unlink()
                    removed.append(candidate)
    for name in names:  # side files whose .new file is gone already
        base = next((name.removesuffix(s) for s in _SIDES if name.endswith(s)), None)
        if base is None or not pattern.fullmatch(base) or (path.parent / base).exists():
            continue
        side = path.with_name(name)
        with contextlib.suppress(OSError):
            if now - side.stat().st_mtime > STALE_AFTER:
                side.unlink()
                removed.append(side)
    return removed


def _abandoned(temporary: Path, now: float) -> bool:
    """Whether a creation's file is old, not this process's, and not locked by its creator."""
    from fcntl import LOCK_EX, LOCK_NB, flock

    with _in_flight_lock:
        if temporary in _in_flight:
            return False
    try:
        descriptor = os.open(temporary, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if now - os.fstat(descriptor).st_mtime <= STALE_AFTER:
            return False
        try:
            flock(descriptor, LOCK_EX | LOCK_NB)
        except OSError:  # its creator holds the lock: still at work
            return False
        return True
    finally:
        os.close(descriptor)  # releases the lock taken, if any
