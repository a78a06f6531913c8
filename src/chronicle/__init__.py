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
    :class:`PostgresStore` (with the extra ``chronicle-history[postgres]``).
Projectors and replay
    :class:`Projector`, :func:`replay`, :func:`history`, :func:`timeline`,
    :func:`iter_history`, :func:`iter_timeline` (lazy), :class:`Occurrence`,
    :data:`Policy`, :data:`SourceFilter` (``sources=``: one source's view),
    :class:`Snapshots` (checkpoints that make replay to any date fast),
    :class:`CheckpointAudit`; :class:`Vector` and :class:`Keyed` (persistent sequences
    for states that grow with the log: a handler adds to them without a copy).
Uncertainty
    :func:`possibilities` (every state the record allows at a date: :class:`Possibilities`,
    :class:`Possibility`), :func:`why` (the events behind a state, and those whose
    placement splits it: :class:`Why`).
Panels and tables
    :func:`panel` (a projector's state per stream on a grid of days), :class:`Panel`,
    :class:`Cell`, :class:`Table` (to CSV, pandas, Arrow, Parquet), :data:`Value` (what a
    cell holds), :func:`flatten`
    (an event or a state as one flat row), :func:`record_row`.
What changed, and on what it rests
    :func:`diff` (between two record times: :class:`Diff`, :class:`Change`,
    :class:`StateChange`), :func:`compare` (two views of a projector, day by day:
    :class:`View`, :class:`Difference`), :func:`citations` (the events and sources behind a state:
    :class:`Citations`), :func:`csl_json` and :func:`bibtex` (sources for footnotes).
Codec
    :func:`encode`, :func:`decode`, :func:`upcaster`.
Errors
    :class:`ChronicleError` and its subclasses :class:`InvalidDate`,
    :class:`InvalidEvent`, :class:`EventTypeError`, :class:`UnknownEventType`,
    :class:`CorruptLog` (and its :class:`TornTail`), :class:`StoreError` (and its
    :class:`NotStored`), :class:`ConcurrencyError`,
    :class:`RecordTimeError`, :class:`CorrectionError`, :class:`UpcastError`,
    :class:`DatasetError`, :class:`CountryCodeError`, :class:`InvalidArgument`,
    :class:`UnknownStream`, :class:`CheckpointError`, :class:`TooUncertain`.

``chronicle.__version__`` is the installed version (of the distribution
``chronicle-history``). Public topic modules: ``chronicle.stores`` (the store
protocol and the capabilities a store may offer, for writing a store),
``chronicle.testing`` (hypothesis strategies and projector laws),
``chronicle.politics`` (the first domain) and ``chronicle.datasets`` (importers of
public coup, leader and election datasets).
"""

import importlib.util
from typing import TYPE_CHECKING

from chronicle._cite import Citations, bibtex, citations, csl_json
from chronicle._codec import decode, encode, upcaster
from chronicle._diff import Change, Diff, StateChange, diff
from chronicle._errors import (
    CheckpointError,
    ChronicleError,
    ConcurrencyError,
    CorrectionError,
    CorruptLog,
    CountryCodeError,
    DatasetError,
    EventTypeError,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    NotStored,
    RecordTimeError,
    StoreError,
    TooUncertain,
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
from chronicle._flatten import Value, flatten, record_row
from chronicle._log import Log
from chronicle._open import open_log as open
from chronicle._open import repair
from chronicle._panel import Cell, Panel, panel
from chronicle._persistent import Keyed, Vector
from chronicle._projector import Projector
from chronicle._record import ANY, NO_STREAM, STREAM_EXISTS, Clock, ExpectedVersion, Record, utc_now
from chronicle._replay import (
    CheckpointAudit,
    Occurrence,
    Policy,
    Possibilities,
    Possibility,
    Snapshots,
    SourceFilter,
    Why,
    history,
    iter_history,
    iter_timeline,
    possibilities,
    replay,
    timeline,
    why,
)
from chronicle._stores._base import Store
from chronicle._stores._jsonl import JsonlStore, RepairReport
from chronicle._stores._memory import MemoryStore
from chronicle._stores._sqlite import SqliteStore
from chronicle._table import Table
from chronicle._version import __version__ as __version__
from chronicle._views import Difference, View, compare
from chronicle._when import When

if TYPE_CHECKING:
    from chronicle._stores._postgres import PostgresStore

__all__ = [
    "ANY",
    "NO_STREAM",
    "STREAM_EXISTS",
    "Cell",
    "Change",
    "CheckpointAudit",
    "CheckpointError",
    "ChronicleError",
    "Citations",
    "Clock",
    "ConcurrencyError",
    "Corrected",
    "Correction",
    "CorrectionError",
    "CorruptLog",
    "CountryCodeError",
    "DatasetError",
    "Diff",
    "Difference",
    "Event",
    "EventType",
    "EventTypeError",
    "ExpectedVersion",
    "InapplicableCorrection",
    "InvalidArgument",
    "InvalidDate",
    "InvalidEvent",
    "JsonlStore",
    "Keyed",
    "Log",
    "MemoryStore",
    "NotStored",
    "Occurrence",
    "Panel",
    "Policy",
    "Possibilities",
    "Possibility",
    "Projector",
    "Record",
    "RecordTimeError",
    "RepairReport",
    "Retracted",
    "Snapshots",
    "Source",
    "SourceFilter",
    "SqliteStore",
    "StateChange",
    "Store",
    "StoreError",
    "Table",
    "TooUncertain",
    "TornTail",
    "UnknownEvent",
    "UnknownEventType",
    "UnknownStream",
    "UpcastError",
    "Value",
    "Vector",
    "View",
    "When",
    "Why",
    "bibtex",
    "citations",
    "compare",
    "csl_json",
    "decode",
    "diff",
    "encode",
    "event",
    "event_type",
    "flatten",
    "history",
    "iter_history",
    "iter_timeline",
    "open",
    "panel",
    "possibilities",
    "record_row",
    "registered_types",
    "repair",
    "replay",
    "timeline",
    "upcaster",
    "utc_now",
    "why",
]


_POSTGRES_HINT = "pip install 'chronicle-history[postgres]'"


def _postgres_installed() -> bool:
    """Whether the extra ``chronicle-history[postgres]`` is installed (without importing it)."""
    return importlib.util.find_spec("psycopg") is not None


if _postgres_installed():  # `from chronicle import *` gets it only when it can be imported
    __all__ += ["PostgresStore"]


def __getattr__(name: str) -> object:
    """``PostgresStore``, imported when first asked for.

    It needs the optional extra ``chronicle-history[postgres]`` (psycopg); the rest of
    chronicle works without it. Without it, ``chronicle.PostgresStore`` is an
    AttributeError naming the extra (so ``hasattr`` says False), and ``__all__``
    does not list it.
    """
    if name == "PostgresStore":
        try:
            from chronicle._stores._postgres import PostgresStore
        except (StoreError, ImportError) as missing:
            cause = missing.__cause__ or missing
            raise AttributeError(
                f"chronicle.PostgresStore needs the extra chronicle-history[postgres]"
                f" ({_POSTGRES_HINT}): {cause}"
            ) from None
        return PostgresStore
    raise AttributeError(f"module 'chronicle' has no attribute {name!r}")
