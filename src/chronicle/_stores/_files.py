"""What the two file stores, JSON Lines and SQLite, share.

Checking a path before opening it, record times as integers (microseconds
since 1970, UTC: exact, and sortable by a database), and the ``fsync`` of a
directory that makes a new file name durable.
"""

from __future__ import annotations

import datetime
import functools
import os
import sys
from pathlib import Path
from typing import Final

from chronicle._errors import CorruptLog, StoreError, shorten
from chronicle._record import MICROSECOND

__all__ = ["check_path", "from_micros", "fsync_dir", "to_micros"]

EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def to_micros(moment: datetime.datetime) -> int:
    """A timezone-aware instant as whole microseconds since 1970 (UTC)."""
    return (moment - EPOCH) // MICROSECOND


@functools.lru_cache(maxsize=256)
def from_micros(micros: int) -> datetime.datetime:
    """The UTC instant ``micros`` microseconds after 1970 (the inverse of :func:`to_micros`).

    Cached: the records of one append share their record time, and reads meet
    them together.

    Raises:
        CorruptLog: the instant is outside the years 0001 to 9999 (a stored value
            no store writes).
    """
    try:
        return EPOCH + datetime.timedelta(microseconds=micros)
    except OverflowError:
        raise CorruptLog(
            f"record time {micros} microseconds after 1970 is outside the years 0001 to 9999"
        ) from None


def check_path(target: str | os.PathLike[str], kind: str) -> Path:
    """``target`` as a path a ``kind`` log can live at, or :class:`StoreError` saying why not.

    A path the system cannot take at all (a NUL byte in it, a name too long) is a
    StoreError too.
    """
    path = Path(target)
    if "\0" in str(path):
        raise StoreError(f"{shorten(str(path))}: not a usable path: it holds a NUL byte")
    try:
        is_dir, parent_is_dir = path.is_dir(), path.parent.is_dir()
    except OSError as error:
        raise StoreError(f"{shorten(str(path))}: not a usable path: {error.strerror}") from None
    if is_dir:
        raise StoreError(f"{path}: is a directory, not a {kind} log file")
    if not parent_is_dir:
        raise StoreError(f"{path}: the directory {path.parent} does not exist")
    return path


def fsync_dir(path: Path) -> None:
    """Make the names in the directory ``path`` durable (a new or removed file)."""
    if sys.platform == "win32":  # Windows cannot open a directory; NTFS journals names itself
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
