"""The fold order, and the days and instants that queries name in it.

The fold order is ``(occurred.latest, occurred.earliest, position)``: an
imprecise event takes effect when it is certain, ties broken by append order,
so the state never depends on the order events were appended in. ``as_of=D``
keeps a prefix of it (``latest <= D``), or with ``policy="possible"`` the events
whose ``earliest <= D``; ``known_at=T`` keeps the records appended by T.
"""

from __future__ import annotations

import datetime
from typing import Literal

from chronicle._errors import InvalidArgument, InvalidDate
from chronicle._record import as_instant
from chronicle._stores._base import FoldKey, key_of
from chronicle._when import When

__all__ = [
    "AsOf",
    "Key",
    "KnownAt",
    "Policy",
    "as_day",
    "check_policy",
    "instant",
    "key_of",
]

Key = FoldKey
"""A place in the fold order: ``(occurred.latest, occurred.earliest, position)``."""

Policy = Literal["certain", "possible"]
"""Which events count as of a date: those certainly past, or those possibly past."""

AsOf = datetime.date | When | str
"""What ``as_of`` accepts: a date, a When (its latest day) or an EDTF string."""

KnownAt = datetime.datetime | datetime.date | str
"""What ``known_at`` accepts: a UTC datetime, a date (its end, UTC) or an ISO 8601 string."""


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
    raise InvalidDate(f"as_of must be a date, a When or an EDTF string, not {value!r:.80}")


def instant(value: KnownAt | None) -> datetime.datetime | None:
    """A ``known_at`` value as a UTC instant (None stays None: the log as it is)."""
    return None if value is None else as_instant(value)


def check_policy(policy: str) -> None:
    """Raise :class:`InvalidArgument` unless ``policy`` is ``"certain"`` or ``"possible"``."""
    if policy not in ("certain", "possible"):
        raise InvalidArgument(f"policy must be 'certain' or 'possible', not {policy!r:.80}")
