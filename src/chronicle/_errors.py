"""The exceptions chronicle raises: one base class, one subclass per kind of problem.

Every message names the offending value and, where there is one, the file and
position, so that an error read in a log file is enough to find the problem. A
value is quoted by :func:`shorten`, so a long input does not drown its message.

Every error pickles and unpickles whole, attributes included (so it survives a
process pool or a logging handler): an error with attributes passes them all to
``Exception.__init__`` and builds its text in ``__str__``, as cattrs' errors do.
"""

from __future__ import annotations

import shlex
from typing import Final

__all__ = [
    "ChronicleError",
    "ConcurrencyError",
    "CorrectionError",
    "CorruptLog",
    "DatasetError",
    "EventTypeError",
    "InvalidArgument",
    "InvalidDate",
    "InvalidEvent",
    "NotStored",
    "RecordTimeError",
    "StoreError",
    "TornTail",
    "UnknownEventType",
    "UpcastError",
    "shorten",
]

QUOTE_LIMIT: Final = 80
"""The most characters of a value an error message quotes (see :func:`shorten`)."""


def shorten(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut to at most ``limit`` characters with an ellipsis.

    Error messages quote the values they are about; a 10,000-character date or
    line would bury the message, so every message quotes through this.
    """
    if isinstance(value, (str, bytes)) and len(value) > limit:
        value = value[:limit]  # the repr of a long text is cut below; no need to build it all
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class ChronicleError(Exception):
    """Base class of every error chronicle raises on purpose."""


class InvalidArgument(ChronicleError, ValueError):  # noqa: N818 -- reads as "invalid argument"
    """An argument a chronicle function cannot use (raised by the function it was given to).

    For example an empty stream name, a malformed projector name, a snapshot
    interval below 1. It is a :class:`ValueError` too, so ``except ValueError`` still catches it.
    """


class InvalidDate(ChronicleError, ValueError):  # noqa: N818 -- the name users asked for
    """A date or EDTF string that is malformed or names no real day."""


class InvalidEvent(ChronicleError, ValueError):  # noqa: N818 -- reads as "invalid event"
    """An event whose fields cannot be true (raised at construction)."""


class EventTypeError(ChronicleError, TypeError):
    """An event class that is declared wrongly, or registered twice under one name."""


class UnknownEventType(ChronicleError, KeyError):  # noqa: N818 -- reads as "unknown event type"
    """A stored event whose type name (or schema version) this program does not know.

    Raised only in strict decoding; by default such an event is read as an
    :class:`~chronicle.UnknownEvent` that projectors skip.
    """

    def __str__(self) -> str:
        # KeyError quotes its argument; a message should read as a sentence.
        return str(self.args[0]) if self.args else ""


class CorruptLog(ChronicleError):  # noqa: N818 -- reads as "corrupt log"
    """Stored data that cannot be read back: a torn line, undecodable JSON, a bad payload."""


class TornTail(CorruptLog):
    """A JSON Lines log that ends in an append a crash cut short.

    The records before it are intact and readable; appending is refused until
    :func:`chronicle.repair` moves the torn bytes to a side file.

    Attributes:
        path: The log file.
        line: The line number where the torn bytes start (1-based).
        offset: Their byte offset in the file.
        size: How many bytes are torn, up to the end of the file.
    """

    def __init__(self, path: str, line: int, offset: int, size: int) -> None:
        super().__init__(path, line, offset, size)
        self.path = path
        self.line = line
        self.offset = offset
        self.size = size

    @property
    def problem(self) -> str:
        """What is wrong, without the remedy: the file, the line and the bytes torn."""
        return (
            f"{self.path}: line {self.line} (byte {self.offset}, {self.size} bytes to the end)"
            " is an append cut short by a crash"
        )

    @property
    def command_line_message(self) -> str:
        """The message for a command-line user: the remedy is ``chronicle repair FILE``.

        ``str()`` of the error names the Python call, :func:`chronicle.repair`.
        """
        command = f"chronicle repair {shlex.quote(self.path)}"
        return f"{self.problem}; run `{command}` to move it to a side file"

    def __str__(self) -> str:
        return f"{self.problem}; run chronicle.repair({self.path!r}) to move it to a side file"


class StoreError(ChronicleError):
    """A store that cannot be opened or used: wrong kind of file, unknown schema, unusable path."""


class NotStored(StoreError):  # noqa: N818 -- reads as "not stored"
    """An append that failed, and whose records are certainly not in the log: append again.

    Raised when the connection to a PostgreSQL server was lost after an append's
    write may have been sent: the store checks on a new connection whether the
    append's records committed, and returns them if they did. This error is the
    other answer: nothing of the append is stored, and its ids are free.
    """


class ConcurrencyError(ChronicleError):
    """An append whose expected stream version no longer holds: another writer got there first.

    Attributes:
        stream: The stream appended to.
        expected: The version the caller expected (an int or a sentinel such as ``NO_STREAM``).
        actual: The stream's version found at append time (0 if the stream does not exist).
    """

    def __init__(self, stream: str, expected: object, actual: int) -> None:
        super().__init__(stream, expected, actual)
        self.stream = stream
        self.expected = expected
        self.actual = actual

    def __str__(self) -> str:
        return (
            f"stream {shorten(self.stream)}: expected version {self.expected},"
            f" but the stream is at version {self.actual}"
        )


class RecordTimeError(ChronicleError, ValueError):
    """A ``recorded_at`` that is not after the log's head, or is not timezone-aware UTC."""


class CorrectionError(ChronicleError, ValueError):
    """A correction whose target is unknown, in another stream, or itself a correction."""


class UpcastError(ChronicleError):
    """A chain of upcasters that is broken (a missing step) or that failed on a stored payload."""


class DatasetError(ChronicleError, ValueError):
    """A dataset file that cannot be imported at all: unreadable, or without the expected columns.

    A single bad row does not raise it: the import skips the row and its report says why.
    """


class CountryCodeError(ChronicleError, LookupError):
    """A country code or stream the crosswalk cannot map on the date asked.

    The stream or code is unknown, or the date falls in no span of it, or in
    several (a code that stood for two streams at once).
    """


class UnknownStream(ChronicleError, LookupError):  # noqa: N818 -- reads as "unknown stream"
    """A stream the log does not hold, asked for by name (a typo, most often).

    Attributes:
        stream: The name asked for.
        matches: The log's stream names closest to it, best first (maybe none).
    """

    def __init__(self, stream: str, matches: tuple[str, ...] = ()) -> None:
        super().__init__(stream, matches)
        self.stream = stream
        self.matches = matches

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(map(repr, self.matches))}?" if self.matches else ""
        return f"the log has no stream {self.stream!r:.80}{hint}"


class CheckpointError(ChronicleError):
    """A projector whose states cannot be kept in durable snapshot checkpoints.

    Durable checkpoints hold states as data (JSON, through the codec), never as
    pickled objects: a state the codec cannot encode as the projector's
    ``state_type``, and decode back equal, is refused rather than stored.
    """


class TooUncertain(ChronicleError):  # noqa: N818 -- reads as "too uncertain"
    """A record whose possible states cannot be enumerated within the stated bound.

    Raised by :func:`chronicle.possibilities` (and :func:`chronicle.why`) when a window
    of events whose order is unknown has more ways to be folded than ``limit``
    allows: the answer would take too long to give, so none is given.

    Attributes:
        projector: The name of the projector whose states were enumerated.
        events: How many events the window holds.
        start: The earliest day of the window's first event (ISO text).
        end: The latest day of its last event (ISO text).
        limit: The bound: the most partial states the enumeration may explore.
    """

    def __init__(self, projector: str, events: int, start: str, end: str, limit: int) -> None:
        super().__init__(projector, events, start, end, limit)
        self.projector = projector
        self.events = events
        self.start = start
        self.end = end
        self.limit = limit

    def __str__(self) -> str:
        return (
            f"{self.projector}: the {self.events} events from {self.start} to {self.end},"
            f" whose order the record leaves open, can be folded in more ways than the"
            f" limit of {self.limit:,} states explored; ask about an earlier date, give"
            f" the events closer dates, or raise the limit"
        )
