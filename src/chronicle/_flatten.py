"""Flat rows for tables: events, states and records as ``{column: plain value}``.

A data frame wants one column per field and plain values in its cells. The rules,
the same for events, states and records:

- an attrs value's fields become columns, nested attrs values by dotted names
  (``current.name``); a field declared as an attrs class (or as one or None) gives
  its sub-columns even when it is None, so every row of a table has the same columns;
- a mapping's entries become columns by their keys, dotted in the same way;
- a :class:`~chronicle.When` becomes its EDTF text (``2025-05``, ``2020?``), the
  one form that keeps its precision; ``When(text).earliest`` and ``.latest`` give
  its bounds back;
- dates, datetimes, strings, whole numbers, floats, booleans and None stay as they
  are; a UUID or an enum member becomes its text (an enum: its value);
- a tuple, list, :class:`~chronicle.Vector`, :class:`~chronicle.Keyed` (its values) or
  set becomes one cell holding JSON text (a set's members sorted),
  attrs values in it as objects of their fields: a sequence has no fixed width,
  and JSON keeps names that hold any character (a ``;`` or a comma) intact;
- anything else becomes ``str(value)``.
"""

from __future__ import annotations

import datetime
import enum
import json
import types
import typing
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import attrs

from chronicle._codec import encode
from chronicle._event import Corrected, Correction, Entry, UnknownEvent
from chronicle._persistent import Keyed, Vector
from chronicle._record import Record
from chronicle._when import When

__all__ = ["RECORD_COLUMNS", "Value", "cell", "flatten", "record_row"]

Value = str | int | float | bool | datetime.date | datetime.datetime | None
"""What a cell of a flat row holds."""

RECORD_COLUMNS = ("position", "stream", "version", "recorded_at", "id", "type", "v")
"""The record's own columns, first in every row :func:`record_row` gives."""

_PLAIN = (str, int, float, bool, datetime.date, type(None))


def flatten(value: Any) -> dict[str, Value]:
    """An attrs value or a mapping as one flat row: ``{dotted column: plain value}``.

    Args:
        value: An event, a state, any attrs instance, or a mapping.

    Raises:
        TypeError: ``value`` is neither an attrs instance nor a mapping.

    Example::

        leader = Leader(name="Goïta", title="President", since=When("2021-06-07"))
        flatten(Leadership(current=leader))
        # {"current.name": "Goïta", "current.title": "President",
        #  "current.since": "2021-06-07", "current.by_coup": False, "former": "[]"}
    """
    if isinstance(value, UnknownEvent):
        row: dict[str, Value] = {"occurred": str(value.occurred)}
        _into(row, "", {k: v for k, v in value.data.items() if k != "occurred"}, None)
        return row
    if not (attrs.has(type(value)) or isinstance(value, Mapping)):
        raise TypeError(f"flatten() takes an attrs instance or a mapping, not {value!r:.80}")
    row = {}
    _into(row, "", value, None)
    return row


def record_row(record: Record) -> dict[str, Value]:
    """A record as one flat row: its own columns, then its entry's fields flattened.

    The record's columns come first (:data:`RECORD_COLUMNS`: ``position``, ``stream``,
    ``version``, ``recorded_at`` as a UTC datetime, ``id`` as text, and the entry's
    stored ``type`` name and schema version ``v``), then the entry's fields by
    :func:`flatten`. A correction's ``target`` is the id it amends; a
    :class:`~chronicle.Corrected`'s replacement event gives ``replacement.type`` and
    its fields under ``replacement.``.
    """
    stored = encode(record.event)
    row: dict[str, Value] = {
        "position": record.position,
        "stream": record.stream,
        "version": record.version,
        "recorded_at": record.recorded_at,
        "id": str(record.id),
        "type": stored["type"],
        "v": stored["v"],
    }
    row.update(_entry(record.event))
    return row


def _entry(entry: Entry) -> dict[str, Value]:
    if not isinstance(entry, Correction):
        return flatten(entry)
    row: dict[str, Value] = {
        "target": str(entry.target),
        "reason": entry.reason,
        "sources": _json(entry.sources),
    }
    if isinstance(entry, Corrected):
        row["replacement.type"] = encode(entry.replacement)["type"]
        row.update({f"replacement.{k}": v for k, v in flatten(entry.replacement).items()})
    return row


def _into(row: dict[str, Value], prefix: str, value: Any, hint: Any) -> None:
    """Add ``value``'s columns to ``row`` under ``prefix``; ``hint`` is its declared type."""
    if value is None and (declared := _attrs_class(hint)) is not None:
        for field in attrs.fields(declared):
            _into(row, f"{prefix}{field.name}.", None, _hints(declared).get(field.name))
        return
    if attrs.has(type(value)) and not isinstance(value, When):
        hints = _hints(type(value))
        for field in attrs.fields(type(value)):
            _into(row, f"{prefix}{field.name}.", getattr(value, field.name), hints.get(field.name))
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _into(row, f"{prefix}{key}.", item, None)
        return
    row[prefix.removesuffix(".") or "value"] = cell(value)


def cell(value: Any) -> Value:
    """One plain value: a When as EDTF text, a sequence as JSON text (see the module)."""
    if isinstance(value, enum.Enum):
        return cell(value.value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, When | UUID):
        return str(value)
    if isinstance(value, tuple | list | set | frozenset | Vector | Keyed):
        return _json(value)
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=False)


def _jsonable(value: Any) -> Any:
    """``value`` as JSON data: attrs values as objects of their fields, sets sorted."""
    if isinstance(value, enum.Enum):
        value = value.value
    if attrs.has(type(value)) and not isinstance(value, When):
        value = {f.name: getattr(value, f.name) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        items = [_jsonable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, tuple | list | Vector | Keyed):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


_resolved: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved field types of an attrs class ({} where they cannot be resolved)."""
    hints = _resolved.get(cls)
    if hints is None:
        try:
            hints = typing.get_type_hints(cls)
        except (NameError, TypeError):
            hints = {}
        _resolved[cls] = hints
    return hints


def _attrs_class(hint: Any) -> type | None:
    """The attrs class ``hint`` declares, alone or with None; None for anything else."""
    if isinstance(hint, type) and attrs.has(hint) and hint is not When:
        return hint
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        classes = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(classes) == 1:
            return _attrs_class(classes[0])
    return None
