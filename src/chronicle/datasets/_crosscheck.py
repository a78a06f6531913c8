"""Two sources on one question: is a successful coup followed by a change of leader?

Powell & Thyne date coups; REIGN dates leaders' spells. Where both are imported
into one log, each successful coup of one state is set against that state's REIGN
installations: the coup agrees with REIGN when a new leader starts on the coup's
day or within the following days (7 by default). Each coup is listed with the
first such start, or else with the REIGN start nearest to it, before or after, so
that a disagreement shows how far apart the two sources are (Mali 2021: coup on 21
May, new leader from 24 May, 3 days: an agreement; a REIGN start the day before a
coup: a disagreement of -1 day).

Both claims stay in the log, each with its source; this only compares them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import attrs

from chronicle._event import Source
from chronicle._log import Log
from chronicle._replay import timeline
from chronicle._when import When
from chronicle.datasets._source import DatasetRow
from chronicle.politics import CoupOccurred, HeadOfStateInstalled

__all__ = ["CoupCheck", "CrossCheck", "coup_leader_changes"]

COUPS = "Global Instances of Coups"
"""The name of the Powell & Thyne dataset, which the coups' sources cite."""
LEADERS = "REIGN leader list"
"""The name of the REIGN leader list, which the installations' sources cite."""


@attrs.frozen(kw_only=True)
class CoupCheck:
    """One successful coup, and the REIGN change of leader that follows it, or the nearest.

    Attributes:
        stream: The state's stream.
        coup: The coup's date, as Powell & Thyne give it.
        coup_row: The coup's row in the Powell & Thyne file.
        leader: The first leader REIGN starts in the window after the coup, or else the one
            it starts nearest to the coup (None if it lists none for the state).
        started: That leader's start.
        leader_row: Its row in the REIGN leader list.
        days: Days from the coup to that start (negative if before).
        agrees: Whether the start falls on the coup's day or within the window after it.
    """

    stream: str
    coup: When
    coup_row: DatasetRow
    leader: str | None = None
    started: When | None = None
    leader_row: DatasetRow | None = None
    days: int | None = None
    agrees: bool = False

    def __str__(self) -> str:
        head = f"{self.stream} coup {self.coup} (row {self.coup_row.row})"
        if self.leader_row is None:
            return f"{head}: REIGN lists no leader for this state"
        which = "followed by REIGN's start of" if self.agrees else "nearest REIGN start:"
        days = "day" if abs(self.days or 0) == 1 else "days"
        return (
            f"{head}: {which} {self.leader} {self.started} "
            f"(row {self.leader_row.row}), {self.days:+d} {days}"
        )


@attrs.frozen(kw_only=True)
class CrossCheck:
    """Every successful coup in a period, checked against REIGN's changes of leader.

    Attributes:
        start: The first day of the period.
        until: The last day of the period.
        within: The days after a coup in which a new leader counts as following it.
        checks: One per successful coup, by date then stream.
    """

    start: datetime.date
    until: datetime.date
    within: int
    checks: tuple[CoupCheck, ...]

    @property
    def agreements(self) -> tuple[CoupCheck, ...]:
        """The coups followed by a new leader within the window."""
        return tuple(check for check in self.checks if check.agrees)

    @property
    def disagreements(self) -> tuple[CoupCheck, ...]:
        """The coups that are not."""
        return tuple(check for check in self.checks if not check.agrees)

    @property
    def share(self) -> float:
        """The fraction of coups that agree (0 when there is no coup)."""
        return len(self.agreements) / len(self.checks) if self.checks else 0.0


def _cited(sources: Iterable[Source], dataset: str) -> DatasetRow | None:
    """The row of ``dataset`` (any release) that one of ``sources`` cites."""
    for source in sources:
        row = DatasetRow.of(source)
        if row is not None and row.dataset.startswith(f"{dataset} "):
            return row
    return None


def _check(
    stream: str,
    coup: When,
    row: DatasetRow,
    starts: list[tuple[When, str, DatasetRow]],
    within: int,
) -> CoupCheck:
    """The coup checked against its state's starts: the first in the window, else the nearest."""
    if not starts:
        return CoupCheck(stream=stream, coup=coup, coup_row=row)
    deadline = coup.latest + datetime.timedelta(days=within)
    following = [s for s in starts if coup.earliest <= s[0].earliest and s[0].latest <= deadline]

    def distance(start: tuple[When, str, DatasetRow]) -> tuple[int, int]:
        days = (start[0].earliest - coup.earliest).days
        return abs(days), -days  # the nearer; of two as near, the one after the coup

    started, leader, leader_row = min(following or starts, key=distance)
    return CoupCheck(
        stream=stream,
        coup=coup,
        coup_row=row,
        leader=leader,
        started=started,
        leader_row=leader_row,
        days=(started.earliest - coup.earliest).days,
        agrees=bool(following),
    )


def coup_leader_changes(
    log: Log,
    *,
    start: datetime.date = datetime.date(1950, 1, 1),
    until: datetime.date,
    within: int = 7,
) -> CrossCheck:
    """Check each successful Powell & Thyne coup against REIGN's changes of leader.

    Reads the log as it stands (corrections applied). Coups are the successful
    ``CoupOccurred`` citing a Powell & Thyne row and certainly in the period (from
    ``start`` to ``until``); changes of leader are the ``HeadOfStateInstalled``
    citing a REIGN leader-list row, in the same stream.

    Args:
        log: A log into which both datasets were imported.
        start: The first day of the period.
        until: The last day of the period: no later than REIGN covers, or coups after
            its last release are counted as disagreements.
        within: How many days after a coup a new leader may start and still follow it.

    Returns:
        Every coup with its nearest REIGN start, and whether they agree.
    """
    coups: list[tuple[str, When, DatasetRow]] = []
    starts: dict[str, list[tuple[When, str, DatasetRow]]] = {}
    for occurrence in timeline(log):
        event, stream = occurrence.event, occurrence.record.stream
        if isinstance(event, CoupOccurred) and event.successful:
            row = _cited(event.sources, COUPS)
            inside = start <= event.occurred.earliest and event.occurred.latest <= until
            if row is not None and inside:
                coups.append((stream, event.occurred, row))
        elif isinstance(event, HeadOfStateInstalled):
            row = _cited(event.sources, LEADERS)
            if row is not None:
                starts.setdefault(stream, []).append((event.occurred, event.name, row))
    checks = [
        _check(stream, coup, row, starts.get(stream, []), within) for stream, coup, row in coups
    ]
    checks.sort(key=lambda check: (check.coup.key, check.stream))
    return CrossCheck(start=start, until=until, within=within, checks=tuple(checks))
