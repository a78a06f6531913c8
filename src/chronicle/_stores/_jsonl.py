"""The JSON Lines store: one record a line, readable with ``cat`` and diffable in git.

**Format.** Line n of the file is the record at position n, as
:func:`~chronicle._codec.record_to_dict` gives it, written as compact JSON in
UTF-8 and ended by a newline. Nothing else is in the file, so it can be read,
reviewed and even written by hand.

**Appends.** An append takes an exclusive lock on the file (``flock``), first
indexes whatever other processes appended since it last looked, checks the
expected version, encodes the whole batch (an entry that cannot be stored
stops it before anything is written), then writes it with one ``write`` and
``fsync``-s it. Before the write it states the file's size before and after the
append in a marker file, ``<name>.pending``, synced to disk before any byte of
the batch can reach it; once the batch is on disk the marker is set to name no
append in flight (its two sizes equal). The marker is made by the first append
and rewritten in place by the others, so a durable append costs two syncs (the
marker's and the batch's) and no file made or removed; if the write fails, the
file is cut back to its old size.

**Torn tails.** A crash in the middle of an append leaves a last line without
its newline, or a marker whose "after" size the file never reached: either
way the bytes of the interrupted append (whole lines included, so a batch is
never half read) are a torn tail. The log still opens and reads its intact
records, but :meth:`JsonlStore.append` raises :class:`~chronicle.TornTail`
until :func:`chronicle.repair` moves the torn bytes to a side file. Nothing is
silently dropped.

**Reads** go through the file line by line, decoding as they go, from the
offset the index gives; records appended by others are seen on the next call.
The index holds a few numbers per record in memory (its offset, stream and a
hash of its id, and one record time in 64: :mod:`._jsonl_index`), and replay's
fold-order reader a few more (:mod:`._jsonl_fold`): 33 to 41 bytes a record in
all. A replay reads the whole file once to put it in fold order, reading each
line's date and not decoding it (:mod:`._jsonl_place`), then decodes the records
it folds; SQLite reads only what a query needs.
"""

from __future__ import annotations

import bisect
import datetime
import json
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from uuid import UUID

import attrs

from chronicle._codec import StoredEntry, record_from_text
from chronicle._errors import CorruptLog, StoreError, TornTail, UpcastError
from chronicle._record import (
    Record,
)
from chronicle._stores._base import Batch, CheckpointStorage
from chronicle._stores._files import check_path, from_micros, fsync_dir
from chronicle._stores._jsonl_fold import JsonlFoldReader
from chronicle._stores._jsonl_index import Index
from chronicle._stores._memory_checkpoints import MemoryCheckpointStorage
from chronicle._stores._sqlite_checkpoints import SqliteCheckpointFile

if sys.platform == "win32":  # no advisory locks: one process at a time may write a log
    LOCK_EX = LOCK_SH = LOCK_UN = 0

    def flock(_fd: int, _operation: int) -> None:
        """Nothing to lock."""

else:
    from fcntl import LOCK_EX, LOCK_SH, LOCK_UN, flock

__all__ = ["JsonlStore", "RepairReport"]

_READ = 1 << 20
"""Bytes read at a time by :meth:`JsonlStore._raw_lines`."""

_MARK_WIDTH = 19
"""Digits of each size in the marker: any file size a 64-bit offset can hold."""


@attrs.frozen
class RepairReport:
    """What :func:`chronicle.repair` did to a log file.

    Attributes:
        path: The log file.
        moved_to: The side file that now holds the torn bytes, or None if the log
            was healthy and nothing was done.
        line: The line number where the torn bytes started (0 if none).
        offset: Their byte offset in the log file (the log's new size).
        size: How many bytes were moved.
    """

    path: Path
    moved_to: Path | None = None
    line: int = 0
    offset: int = 0
    size: int = 0

    @property
    def repaired(self) -> bool:
        """Whether torn bytes were moved out of the log."""
        return self.moved_to is not None


def _lines(records: Sequence[Record], stored: Sequence[StoredEntry]) -> list[bytes]:
    """The lines of an append's records, as :func:`~chronicle._codec.record_to_dict` orders keys.

    What the records share (stream, record time) is written once for them all; each
    payload is the log's JSON text of the entry, written as it is.
    """
    first = records[0]
    stream = _json_string(first.stream)
    recorded_at = first.recorded_at.isoformat()
    names: dict[str, str] = {}
    lines = []
    for record, entry in zip(records, stored, strict=True):
        kind = names.get(entry.type)
        if kind is None:
            kind = names[entry.type] = _json_string(entry.type)
        lines.append(
            f'{{"position":{record.position},"stream":{stream},"version":{record.version},'
            f'"recorded_at":"{recorded_at}","id":"{record.id}","type":{kind},"v":{entry.v},'
            f'"data":{entry.data}}}\n'.encode()
        )
    return lines


def _json_string(text: str) -> str:
    """``text`` as a JSON string, as the log writes it (UTF-8, not escaped to ASCII)."""
    return json.dumps(text, ensure_ascii=False)


def _open_file(path: Path) -> tuple[int, bool]:
    """A descriptor on the log file (created if missing), and whether it can be written."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666), True
    except PermissionError:
        pass
    except OSError as error:
        raise StoreError(f"{path}: cannot open: {error.strerror}") from error
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC), False
    except OSError as error:
        raise StoreError(f"{path}: cannot open: {error.strerror}") from error


class JsonlStore:
    """Records in a JSON Lines file: human-readable, append-only, durable.

    Args:
        path: The file (created empty if missing). An empty file is an empty log.
        durable: ``fsync`` every append, so that an acknowledged append survives a
            power loss. With False, appends still survive the process crashing, but
            a power loss may lose the last ones (leaving a torn tail to repair).

    Several processes may read and append to one file (appends are serialised
    by a lock on the file; POSIX only). A store may be shared by the threads of
    one process.

    Raises:
        StoreError: the path is a directory, or cannot be opened.
        CorruptLog: a line is not a record, or not the one that should come next
            (the message names the file and the line).
    """

    def __init__(self, path: str | os.PathLike[str], *, durable: bool = True) -> None:
        self._path = check_path(path, "JSON Lines")
        self._marker = self._path.with_name(self._path.name + ".pending")
        self._durable = durable
        self._descriptor, self._writable = _open_file(self._path)
        self._lock = threading.Lock()
        self._index = Index(str(self._path), self._line_at)
        self._torn: TornTail | None = None
        try:
            self._refresh()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"JsonlStore({str(self._path)!r})"

    @property
    def path(self) -> Path:
        """The log file."""
        return self._path

    @property
    def torn(self) -> TornTail | None:
        """The torn tail that stops appends, if the file has one (see :meth:`repair`)."""
        with self._lock:
            self._refresh()
            return self._torn

    @property
    def _fd(self) -> int:
        if self._descriptor < 0:
            raise StoreError(f"{self._path}: the store is closed")
        return self._descriptor

    @contextmanager
    def _locked(self, operation: int) -> Iterator[None]:
        flock(self._fd, operation)
        try:
            yield
        finally:
            flock(self._fd, LOCK_UN)

    def _refresh(self) -> None:
        """Index what was appended since the last look (the caller holds ``_lock``)."""
        size = os.fstat(self._fd).st_size
        torn = 0 if self._torn is None else self._torn.size
        if size != self._index.end + torn:
            with self._locked(LOCK_SH):
                self._catch_up()

    def _catch_up(self) -> None:
        """Index the lines after the indexed ones, and find a torn tail (under a file lock)."""
        index, fd = self._index, self._fd
        size = os.fstat(fd).st_size
        if size < index.end:
            raise CorruptLog(
                f"{self._path}: the file shrank from {index.end} to {size} bytes: "
                "something other than chronicle changed it"
            )
        pending = self._pending()
        cut = pending[0] if pending and index.end <= pending[0] < size < pending[1] else size
        self._torn = None
        with open(fd, "rb", closefd=False) as file:
            file.seek(index.end)
            if not index.newline:  # an append completes a hand-written last line first
                if file.read(1) == b"\n":
                    index.end += 1
                    index.newline = True
                else:
                    file.seek(index.end)
            offset = file.tell()
            try:
                while offset < cut:
                    line = file.readline(cut - offset)
                    if not line.endswith(b"\n") and not (cut == size and index.fits(line)):
                        break
                    index.add(line, offset)
                    offset += len(line)
            except RecursionError:  # JSON nested deeper than Python's parser can go
                raise CorruptLog(
                    f"{self._path}, line {index.count + 1}: not JSON that can be read:"
                    " nested too deeply"
                ) from None
        if offset < size:
            self._torn = TornTail(str(self._path), index.count + 1, offset, size - offset)

    def _pending(self) -> tuple[int, int] | None:
        """The sizes before and after the append in flight, from its marker, if any."""
        try:
            before, after = map(int, self._marker.read_bytes().split())
        except (OSError, ValueError):  # no marker, or one cut short before any data was written
            return None
        return before, after

    def append(self, batch: Batch) -> list[Record]:
        """Append atomically and durably (see :class:`~chronicle.Store`).

        Raises:
            TornTail: the file ends in an interrupted append; repair it first.
            StoreError: the file is read-only, or the write failed (the file is
                left as it was).
        """
        if not self._writable:
            raise StoreError(f"{self._path}: the file is read-only; cannot append")
        with self._lock, self._locked(LOCK_EX):
            self._catch_up()
            torn = self._torn
            if torn is not None:
                raise TornTail(torn.path, torn.line, torn.offset, torn.size)
            index = self._index
            records = batch.records(
                version=index.versions.get(batch.stream, 0),
                position=index.count,
                head=index.last_time,
            )
            lines = _lines(records, batch.stored)
            prefix = b"" if index.newline else b"\n"
            self._write(prefix + b"".join(lines))
            index.add_appended(records, [len(line) for line in lines], index.end + len(prefix))
            return records

    def _write(self, payload: bytes) -> None:
        """Write ``payload`` at the end of the file, all of it or none of it."""
        fd, before = self._fd, self._index.end
        after = before + len(payload)
        marker = self._open_marker()
        try:
            try:
                self._mark(marker, before, after)
                written = 0
                while written < len(payload):
                    written += os.pwrite(fd, payload[written:], before + written)
                if self._durable:
                    os.fsync(fd)
            except BaseException as error:
                os.ftruncate(fd, before)  # the marker then names a size the file never reached
                if isinstance(error, OSError):
                    raise StoreError(
                        f"{self._path}: append failed, nothing written: {error}"
                    ) from error
                raise
            with suppress(OSError):  # the append is on disk: done, marked or not
                self._mark(marker, after, after)
        finally:
            os.close(marker)

    def _open_marker(self) -> int:
        """A descriptor on the marker file, made (durably, with its name) if it is missing."""
        try:
            marker = os.open(self._marker, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            return os.open(self._marker, os.O_RDWR | os.O_CLOEXEC)
        if self._durable:
            fsync_dir(self._path.parent)
        return marker

    def _mark(self, marker: int, before: int, after: int) -> None:
        """State the sizes of the file before and after the append in flight.

        Before the batch is written, durably: a crash must never leave bytes of the
        batch on disk without the marker that makes them a torn tail. Sizes that are
        equal name no append in flight, and need no sync. The text has a fixed width,
        so each marking overwrites the whole of the last one.
        """
        text = f"{before:>{_MARK_WIDTH}} {after:>{_MARK_WIDTH}}\n".encode()
        os.pwrite(marker, text, 0)
        if os.fstat(marker).st_size != len(text):  # one left by another writer, or by hand
            os.ftruncate(marker, len(text))
        if self._durable and before != after:
            os.fsync(marker)

    def repair(self) -> RepairReport:
        """Move a torn tail to a side file and cut the log back to its intact records.

        The side file is ``<name>.torn-<UTC time>`` next to the log; it holds the
        torn bytes exactly. On a healthy log this does nothing.

        Raises:
            StoreError: the log is torn but read-only.
        """
        with self._lock, self._locked(LOCK_EX):
            self._catch_up()
            torn = self._torn
            if torn is None:
                return RepairReport(self._path)
            if not self._writable:
                raise StoreError(f"{self._path}: the file is read-only; cannot repair it")
            moved = os.pread(self._fd, torn.size, torn.offset)
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            side = self._path.with_name(f"{self._path.name}.torn-{stamp}")
            with open(side, "xb") as file:
                file.write(moved)
                file.flush()
                os.fsync(file.fileno())
            fsync_dir(self._path.parent)
            os.ftruncate(self._fd, torn.offset)
            os.fsync(self._fd)
            self._marker.unlink(missing_ok=True)
            self._torn = None
            return RepairReport(self._path, side, torn.line, torn.offset, len(moved))

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records from a position, lazily (see :class:`~chronicle.Store`).

        The read covers the records there are when it is called.

        Raises:
            CorruptLog: a line's entry does not decode (names the file and line).
        """
        with self._lock:
            self._refresh()
            index = self._index
            last = index.count if known_at is None else index.known_count(known_at)
            only = None if stream is None else index.stream_numbers.get(stream, -1)
        first = max(from_position, 1)
        if only == -1 or first > last:
            return iter(())
        return self._lines(first, last, only)

    def _lines(self, first: int, last: int, only: int | None) -> Iterator[Record]:
        stream_of = self._index.stream_of
        return self.records_at(
            position
            for position in range(first, last + 1)
            if only is None or stream_of[position - 1] == only
        )

    def records_at(self, positions: Iterable[int]) -> Iterator[Record]:
        """The records at ``positions`` (indexed ones, in any order), each read by its offset.

        Lazily: what a read or the fold order asks for, one record at a time. Each
        line is read with ``pread`` on a copy of the descriptor, which shares its
        file offset with every other copy: a read that moved it would move it under
        the other reads going on at the same time.
        """
        index = self._index
        with self._lock:  # a copy of the descriptor: the read outlives a close, or a rename
            copy = os.dup(self._fd)
        try:
            for position in positions:
                offset, length = index.span(position)
                yield self._decode(os.pread(copy, length, offset), position)
        finally:
            os.close(copy)

    def _raw_lines(self, first: int, last: int) -> Iterator[bytes]:
        """The lines of the records from ``first`` to ``last`` (indexed ones), as bytes.

        Read in blocks of about :data:`_READ` bytes, a few system calls for a large
        log, for a pass over it that decodes none of them (see :mod:`._jsonl_place`).
        """
        index = self._index
        with self._lock:  # a copy of the descriptor, as records_at takes one
            copy = os.dup(self._fd)
        try:
            offsets, position = index.offsets, first
            while position <= last:
                start = offsets[position - 1]
                upto = bisect.bisect_right(offsets, start + _READ, position, last)
                stop = offsets[upto] if upto < len(offsets) else index.end
                block = os.pread(copy, stop - start, start)
                for at in range(position, upto):
                    yield block[offsets[at - 1] - start : offsets[at] - start]
                yield block[offsets[upto - 1] - start :]
                position = upto + 1
        finally:
            os.close(copy)

    def _decode(self, line: bytes, position: int) -> Record:
        """The record on ``line``, at ``position``, decoded in full.

        Raises:
            CorruptLog: the line does not decode (the message names the file and line).
            UpcastError: its entry has no way up to its type's current version.
        """
        try:
            return record_from_text(line)
        except (CorruptLog, UpcastError) as error:
            raise type(error)(f"{self._path}, line {position}: {error}") from error

    def _line_at(self, position: int) -> bytes:
        """The line of an indexed position (the caller holds ``_lock``)."""
        offset, length = self._index.span(position)
        return os.pread(self._fd, length, offset)

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        with self._lock:
            self._refresh()
            position = self._index.ids.get(record_id)
            if position is None:
                return None
            offset, length = self._index.span(position)
            line = os.pread(self._fd, length, offset)
        return self._decode(line, position)

    def _position_of(self, record_id: UUID) -> int | None:
        """The position of the record with this id, or None."""
        with self._lock:
            return self._index.ids.get(record_id)

    def version(self, stream: str) -> int:
        """The number of records in ``stream``."""
        with self._lock:
            self._refresh()
            return self._index.versions.get(stream, 0)

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position and record time."""
        with self._lock:
            self._refresh()
            index = self._index
            return index.count, (from_micros(index.last_micros) if index.count else None)

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        with self._lock:
            self._refresh()
            return self._index.known_count(known_at)

    def fold_reader(self) -> JsonlFoldReader:
        """A reader of the log in fold order that holds a few numbers a record, not records."""
        return JsonlFoldReader(self)

    def streams(self) -> list[str]:
        """The names of the streams, sorted."""
        with self._lock:
            self._refresh()
            return sorted(self._index.versions)

    def checkpoint_storage(self) -> CheckpointStorage:
        """Snapshot checkpoints in an SQLite file beside the log, ``<name>.snapshots``.

        In memory instead if that file may not be written or made (a read-only
        file or directory).

        Raises:
            StoreError: the side file is there but is not a usable database (it is
                left as it is: only a cache, the message says to remove it).
        """
        side = self._path.with_name(self._path.name + ".snapshots")
        if not os.access(side if side.exists() else side.parent, os.W_OK):
            return MemoryCheckpointStorage()
        try:
            return SqliteCheckpointFile(side)
        except StoreError as error:
            raise StoreError(
                f"{error}; it only caches replay states: remove it to start a new cache"
            ) from error

    def close(self) -> None:
        """Close the file; the store cannot be used afterwards."""
        with self._lock:
            if self._descriptor >= 0:
                os.close(self._descriptor)
                self._descriptor = -1
