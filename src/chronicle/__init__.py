"""chronicle: event-sourced chronologies.

Record a history as immutable events appended to a log; fold the log into
state with projectors; replay it to any date, as the record stood at any time.

The public API:

Events and time
    :class:`When` (EDTF valid time), :class:`Event`, :func:`event` (declare an event
    type), :class:`Source`, :class:`Retracted`, :class:`Corrected`, :class:`Correction`,
    :class:`UnknownEvent`, :class:`EventType`, :func:`event_type`, :func:`registered_types`.
Log and stores
    :class:`Log`, :class:`Record`, :func:`open`, :class:`Store` (the store protocol),
    :class:`MemoryStore`, :data:`ANY`, :data:`NO_STREAM`, :data:`STREAM_EXISTS`,
    :data:`ExpectedVersion`, :data:`Clock`, :func:`utc_now`, :class:`SqliteStore`,
    :class:`JsonlStore`, :func:`repair` (of a JSON Lines log's torn tail), :class:`RepairReport`,
    :class:`PostgresStore` (with the extra ``chronicle[postgres]``).
Projectors and replay
    :class:`Projector`, :func:`replay`, :func:`history`, :func:`timeline`,
    :func:`iter_history`, :func:`iter_timeline` (lazy), :class:`Occurrence`,
    :data:`Policy`, :class:`Snapshots` (checkpoints that make replay to any date fast).
Codec
    :func:`encode`, :func:`decode`, :func:`upcaster`.
Errors
    :class:`ChronicleError` and its subclasses :class:`InvalidDate`,
    :class:`InvalidEvent`, :class:`EventTypeError`, :class:`UnknownEventType`,
    :class:`CorruptLog` (and its :class:`TornTail`), :class:`StoreError`, :class:`ConcurrencyError`,
    :class:`RecordTimeError`, :class:`CorrectionError`, :class:`UpcastError`,
    :class:`DatasetError`, :class:`InvalidArgument`, :class:`UnknownStream`.

Public topic modules: ``chronicle.stores`` (the store protocol and the
capabilities a store may offer, for writing a store), ``chronicle.testing``
(hypothesis strategies and projector laws), ``chronicle.politics`` (the first
domain) and ``chronicle.datasets`` (importers of public coup, leader and
election datasets).
"""

from typing import TYPE_CHECKING

from chronicle._codec import decode, encode, upcaster
from chronicle._errors import (
    ChronicleError,
    ConcurrencyError,
    CorrectionError,
    CorruptLog,
    DatasetError,
    EventTypeError,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    RecordTimeError,
    StoreError,
    TornTail,
    UnknownEventType,
    UnknownStream,
    UpcastError,
)
from chronicle._event import (
    Corrected,
    Correction,
    Event,
    EventType,
    InapplicableCorrection,
    Retracted,
    Source,
    UnknownEvent,
    event,
    event_type,
    registered_types,
)
from chronicle._log import Log
from chronicle._open import open_log as open
from chronicle._open import repair
from chronicle._projector import Projector
from chronicle._record import ANY, NO_STREAM, STREAM_EXISTS, Clock, ExpectedVersion, Record, utc_now
from chronicle._replay import (
    Occurrence,
    Policy,
    Snapshots,
    history,
    iter_history,
    iter_timeline,
    replay,
    timeline,
)
from chronicle._stores._base import Store
from chronicle._stores._jsonl import JsonlStore, RepairReport
from chronicle._stores._memory import MemoryStore
from chronicle._stores._sqlite import SqliteStore
from chronicle._when import When

if TYPE_CHECKING:
    from chronicle._stores._postgres import PostgresStore

__all__ = [
    "ANY",
    "NO_STREAM",
    "STREAM_EXISTS",
    "ChronicleError",
    "Clock",
    "ConcurrencyError",
    "Corrected",
    "Correction",
    "CorrectionError",
    "CorruptLog",
    "DatasetError",
    "Event",
    "EventType",
    "EventTypeError",
    "ExpectedVersion",
    "InapplicableCorrection",
    "InvalidArgument",
    "InvalidDate",
    "InvalidEvent",
    "JsonlStore",
    "Log",
    "MemoryStore",
    "Occurrence",
    "Policy",
    "PostgresStore",
    "Projector",
    "Record",
    "RecordTimeError",
    "RepairReport",
    "Retracted",
    "Snapshots",
    "Source",
    "SqliteStore",
    "Store",
    "StoreError",
    "TornTail",
    "UnknownEvent",
    "UnknownEventType",
    "UnknownStream",
    "UpcastError",
    "When",
    "decode",
    "encode",
    "event",
    "event_type",
    "history",
    "iter_history",
    "iter_timeline",
    "open",
    "registered_types",
    "repair",
    "replay",
    "timeline",
    "upcaster",
    "utc_now",
]


def __getattr__(name: str) -> object:
    """``PostgresStore``, imported when first asked for.

    It needs the optional extra ``chronicle[postgres]`` (psycopg); the rest of
    chronicle works without it. Without it, asking for it is a StoreError naming the extra.
    """
    if name == "PostgresStore":
        from chronicle._stores._postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module 'chronicle' has no attribute {name!r}")
