"""The fold: its order, the days ``as_of`` names, and folding through several projectors.

Replay and the snapshot cache share these pieces, so that both fold exactly
the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from chronicle._errors import InvalidDate
from chronicle._event import Event
from chronicle._projector import Projector
from chronicle._when import When

__all__ = ["AsOf", "Key", "Policy", "as_day", "check_policy", "fold_into", "key_of"]

Key = tuple[datetime.date, datetime.date, int]
"""A place in the fold order: ``(occurred.latest, occurred.earliest, position)``."""

Policy = Literal["certain", "possible"]
"""Which events count as of a date: those certainly past, or those possibly past."""

AsOf = datetime.date | When | str
"""What ``as_of`` accepts: a date, a When (its latest day) or an EDTF string."""


def key_of(event: Event, position: int) -> Key:
    """The fold-order key of ``event`` held by the record at ``position``."""
    occurred = event.occurred
    return occurred.latest, occurred.earliest, position


def as_day(value: AsOf) -> datetime.date:
    """An ``as_of`` value as the day it ends with: a date, a When's latest day, or EDTF text."""
    if isinstance(value, datetime.datetime):
        raise InvalidDate(f"as_of takes a date, not a datetime ({value.isoformat()}): use .date()")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, When):
        return value.latest
    if isinstance(value, str):
        return When(value).latest
    raise InvalidDate(f"as_of must be a date, a When or an EDTF string, not {value!r}")


def check_policy(policy: str) -> None:
    """Raise ValueError unless ``policy`` is ``"certain"`` or ``"possible"``."""
    if policy not in ("certain", "possible"):
        raise ValueError(f"policy must be 'certain' or 'possible', not {policy!r}")


Steps = tuple[tuple[int, Callable[[Any, Any], Any]], ...]
"""For one event class: the index of each projector that handles it, with its handler."""


def fold_into(
    projectors: Sequence[Projector[Any]], states: list[Any], events: Iterable[Event]
) -> None:
    """Apply ``events``, in the order given, to ``states`` (one per projector), in place.

    One pass over the events serves every projector: for each event class, the
    projectors that handle it and their handlers are looked up once.
    """
    if len(projectors) == 1:
        states[0] = projectors[0].fold(events, states[0])
        return
    tables: dict[type, Steps] = {}
    for event in events:
        try:
            steps = tables[type(event)]
        except KeyError:
            cls = type(event)
            steps = tables[cls] = tuple(
                (index, handler)
                for index, projector in enumerate(projectors)
                if (handler := projector.handler_for(cls)) is not None
            )
        for index, handler in steps:
            states[index] = handler(states[index], event)
