r"""Where a JSON Lines record goes in fold order, read from its line without decoding it.

Replay folds event records by their events' ``occurred`` dates, and a line holds
its event's ``occurred`` as EDTF text at the top of its ``data``. Decoding a whole
record (its header, its ``When``, its ``UUID``, the structuring of its event) only
to read that date costs several times what finding the text costs, and replay
decodes each record again when it folds it. So the fold-order reader places each
line from what it needs and nothing more:

- A line as the store writes it (its header keys in the store's order, ``data``
  starting with ``occurred``) is read by a regular expression anchored at its start,
  whose match can only be the record's own ``type``, ``v`` and ``occurred``: the
  line is JSON (the index parsed it when it was opened), and a JSON string holds no
  bare quote. A line in which any of these keys might occur twice (JSON keeps the
  last of two equal keys, the expression would see the first), or written with a
  ``\u`` escape (which can spell a key's letters), takes the next way instead.
- Any other line is parsed as JSON, and read as :func:`~chronicle._codec.decode`
  reads it.
- A line whose event an upcaster must bring to its current version (which may
  change its date), whose class states ``occurred`` otherwise than as a ``When``, or
  that does not read as a record at all, is decoded in full: it is placed by its
  event, or raises the error a read of it raises.

A correction is placed by the id of its target, read the same way.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from uuid import UUID

from chronicle._codec import parse_json
from chronicle._errors import CorruptLog, InvalidDate
from chronicle._event import Correction, Event, lookup
from chronicle._record import Record
from chronicle._strict import structure_uuid
from chronicle._when import When

__all__ = ["Place", "place"]

Place = tuple[int, int] | UUID
"""Where a record goes: its event's ``(occurred.latest, occurred.earliest)`` as day
ordinals, or, for a correction, the id of its target."""

_WRITTEN = re.compile(
    rb'\{"position":[0-9]+,"stream":"[^"\\]*(?:\\.[^"\\]*)*","version":[0-9]+,'
    rb'"recorded_at":"[^"\\]*","id":"[^"\\]*",'
    rb'"type":"([^"\\]*)","v":([1-9][0-9]*),"data":\{"occurred":"([^"\\]*)"[,}]'
)
"""The start of a line as :mod:`._jsonl` writes it, up to its event's ``occurred``."""

_AGAIN = re.compile(rb'"(?:type|v|data|occurred)"|\\u')
"""What after :data:`_WRITTEN`'s match may be one of its keys again (a ``\\u`` escape
can spell a key's letters): if anything is, the line is parsed as JSON instead."""

_DAYS: dict[str, tuple[int, int]] = {}
"""The days of ``occurred`` texts placed lately (a log repeats its dates), at most
:data:`_DAYS_HELD` of them."""

_DAYS_HELD = 4096

_WHEN_TYPED: dict[type, bool] = {}
"""Per event class: whether its ``occurred`` is a ``When``, structured from the text as is."""


def place(line: bytes, position: int, decode: Callable[[bytes, int], Record]) -> Place:
    """Where the record on ``line``, at ``position``, goes in fold order.

    Args:
        line: The record's line.
        position: Its position (the error of a line that does not decode names it).
        decode: Decodes a line in full, raising the error that names it, for a line
            that cannot be placed otherwise.

    Raises:
        CorruptLog: from ``decode``, for a line that does not read as a record.
        UpcastError: from ``decode``.
    """
    found = _WRITTEN.match(line)
    if found is not None and _AGAIN.search(line, found.end()) is None:
        # The keys of the match occur nowhere else: it holds the record's own values.
        name, version, occurred = found.groups()
        try:
            days = _event_days(name.decode(), int(version), occurred.decode())
        except UnicodeDecodeError:
            days = None
        if days is not None:
            return days
    return _parsed(line, position, decode)


def _parsed(line: bytes, position: int, decode: Callable[[bytes, int], Record]) -> Place:
    """Where the record on ``line`` goes, from the line parsed as JSON."""
    try:
        stored = parse_json(line)
    except CorruptLog:
        return _by_decoding(line, position, decode)
    if type(stored) is not dict:
        return _by_decoding(line, position, decode)
    name, version, data = stored.get("type"), stored.get("v"), stored.get("data")
    if type(name) is not str or type(version) is not int or version < 1 or type(data) is not dict:
        return _by_decoding(line, position, decode)
    info = lookup(name)
    if info is not None and version == info.version and issubclass(info.cls, Correction):
        try:
            return structure_uuid(data.get("target"))
        except CorruptLog:
            return _by_decoding(line, position, decode)
    occurred = data.get("occurred")
    days = _event_days(name, version, occurred) if type(occurred) is str else None
    return _by_decoding(line, position, decode) if days is None else days


def _event_days(name: str, version: int, occurred: str) -> tuple[int, int] | None:
    """The days of an event of type ``name`` stored at ``version`` with this ``occurred`` text.

    None if they cannot be told from the text: the type is a correction's, or needs
    an upcaster, or its class does not state ``occurred`` as a ``When``, or the text
    is not a date.
    """
    info = lookup(name)
    if info is not None and version <= info.version:
        cls = info.cls
        if version < info.version or not issubclass(cls, Event) or not _when_typed(cls):
            return None
    # An unknown type, or a newer version of a known one, is read as an UnknownEvent,
    # dated by this text.
    days = _DAYS.get(occurred)
    if days is None:
        try:
            when = When(occurred)
        except InvalidDate:
            return None
        if len(_DAYS) >= _DAYS_HELD:
            _DAYS.clear()
        days = _DAYS[occurred] = when.latest.toordinal(), when.earliest.toordinal()
    return days


def _when_typed(cls: type[Event]) -> bool:
    """Whether ``cls`` declares ``occurred`` as a ``When`` (so its text is all that dates it)."""
    found = _WHEN_TYPED.get(cls)
    if found is None:
        try:
            found = typing.get_type_hints(cls).get("occurred") is When
        except Exception:  # hints that do not resolve: such events are decoded
            found = False
        _WHEN_TYPED[cls] = found
    return found


def _by_decoding(line: bytes, position: int, decode: Callable[[bytes, int], Record]) -> Place:
    """Where a record goes, from the record decoded in full."""
    entry = decode(line, position).event
    if isinstance(entry, Correction):
        return entry.target
    occurred = entry.occurred
    return occurred.latest.toordinal(), occurred.earliest.toordinal()
