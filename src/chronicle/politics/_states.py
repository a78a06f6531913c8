"""The states the politics projectors fold events into: immutable, with short reprs.

Each state is a frozen attrs class; a handler returns a new one. Long histories
(former leaders, every promise, every attack) are kept whole but shown in a
``repr`` by their length, so that a state prints on a line or two. What grows
with the log is held in persistent sequences (:class:`~chronicle.Vector`,
:class:`~chronicle.Keyed`), so that a handler adds to it without copying it:
replay stays linear in the log. Each such field also takes a tuple (of the
items, or of ``(key, value)`` pairs), converted on construction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any, Literal, TypeAlias

import attrs

from chronicle import Keyed, Source, Vector, When
from chronicle._fastinit import fast_init, maker
from chronicle._fieldtypes import implied_by_type
from chronicle.politics._events import AttackOccurred, CasualtiesReported
from chronicle.politics._values import Count, Officer

__all__ = [
    "Detention",
    "Drift",
    "Elections",
    "Leader",
    "Leadership",
    "Parties",
    "PartyState",
    "Promise",
    "Toll",
]


def _length(items: Vector[object]) -> str:
    return f"<{len(items)}>"


def _vector(items: Iterable[Any]) -> Vector[Any]:
    """A field's converter: a vector as it is, any other iterable as a vector of its items."""
    return items if type(items) is Vector else Vector(items)


def _keyed(pairs: Keyed[Any, Any] | Iterable[tuple[Any, Any]]) -> Keyed[Any, Any]:
    """A field's converter: a :class:`Keyed` as it is, ``(key, value)`` pairs put in turn."""
    return pairs if type(pairs) is Keyed else Keyed(pairs)


implied_by_type(_vector, _keyed)


@attrs.frozen(kw_only=True)
class Leader:
    """One tenure at the head of the state, or of the government.

    Attributes:
        name: Who.
        title: In what capacity ("President of the Transition", "coup leader").
        since: When the tenure began.
        by_coup: Whether it began with a coup.
    """

    name: str
    title: str
    since: When
    by_coup: bool = False

    def __str__(self) -> str:
        return f"{self.name}, {self.title} (since {self.since})"


@attrs.frozen(kw_only=True)
class Leadership:
    """Who leads, and who led before: the state of the head of state and of government.

    The state of :data:`~chronicle.politics.HeadOfState` and of
    :data:`~chronicle.politics.HeadOfGovernment`.

    Attributes:
        current: The sitting head (of state, or of government); ``None`` until the record
            names one, and while the office is vacant.
        former: Earlier tenures, oldest first (a change of title opens a new tenure).
    """

    current: Leader | None = None
    former: Vector[Leader] = attrs.field(default=Vector(), converter=_vector, repr=_length)

    def succeeded_by(self, leader: Leader | None) -> Leadership:
        """The leadership after ``leader`` takes over (``None``: after the office falls vacant)."""
        former = self.former if self.current is None else self.former.append(self.current)
        return make_leadership(current=leader, former=former)


@attrs.frozen(kw_only=True)
class Promise:
    """A date promised for a vote: by a schedule, or by a postponement.

    Attributes:
        made: When the promise was made.
        date: The date promised; ``None`` for a postponement without a new date.
        postponement: Whether it postponed an earlier promise.
        reason: The reason given for a postponement.
        sources: The sources of the event that made it.
    """

    made: When
    date: When | None
    postponement: bool = False
    reason: str = ""
    sources: tuple[Source, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True, repr=False)
class Drift:
    """Every date promised for one office's vote, in fold order: how far the vote drifted.

    Dates are compared by their latest day, the last day each promise allows: a
    promise "within 18 months" ends with its deadline, one "in 2027" on 31 December.

    Attributes:
        office: The office voted for.
        promises: Each promise in the order it took effect.
        held: When the vote was finally held, if it was.
        voided: When the vote was called off or annulled, if it was.
    """

    office: str
    promises: Vector[Promise] = attrs.field(default=Vector(), converter=_vector)
    held: When | None = None
    voided: When | None = None

    @property
    def current(self) -> When | None:
        """The date now promised: ``None`` if there is none, or once the vote is held or voided."""
        if self.held is not None or self.voided is not None or not self.promises:
            return None
        return self.promises[-1].date

    @property
    def postponements(self) -> int:
        """How many times the vote was postponed."""
        return sum(promise.postponement for promise in self.promises)

    def _dated(self) -> Iterator[datetime.date]:
        return (p.date.latest for p in self.promises if p.date is not None)

    def slips(self) -> tuple[int | None, ...]:
        """For each promise, how many days later it ends than the previous dated promise.

        ``None`` for the first dated promise and for promises without a date; a
        negative number for a promise that ends earlier (a precise day set inside
        a promised window).
        """
        slips: list[int | None] = []
        previous: datetime.date | None = None
        for promise in self.promises:
            if promise.date is None:
                slips.append(None)
                continue
            latest = promise.date.latest
            slips.append(None if previous is None else (latest - previous).days)
            previous = latest
        return tuple(slips)

    @property
    def total_slip(self) -> int | None:
        """Days from the first dated promise to the last one (``None`` if none is dated)."""
        dated = list(self._dated())
        return (dated[-1] - dated[0]).days if dated else None

    def __repr__(self) -> str:
        return (
            f"Drift(office={self.office!r}, current={self.current!r}, "
            f"postponements={self.postponements}, promises=<{len(self.promises)}>, "
            f"held={self.held!r}, voided={self.voided!r})"
        )


@attrs.frozen
class Elections:
    """The state of :data:`~chronicle.politics.PromisedElection`: a :class:`Drift` per office.

    ``elections["president"]`` is the drift of the presidential vote (empty if the
    record holds no promise for it).

    Attributes:
        drifts: One drift per office, sorted by office.
    """

    drifts: tuple[Drift, ...] = ()

    def __getitem__(self, office: str) -> Drift:
        for drift in self.drifts:
            if drift.office == office:
                return drift
        return Drift(office=office)

    @property
    def offices(self) -> tuple[str, ...]:
        """The offices with promises, sorted."""
        return tuple(drift.office for drift in self.drifts)

    def with_drift(self, drift: Drift) -> Elections:
        """These elections with ``drift`` in place of its office's drift."""
        drifts, office = self.drifts, drift.office
        for index, other in enumerate(drifts):
            if other.office == office:
                replaced = list(drifts)
                replaced[index] = drift
                return make_elections(tuple(replaced))
        return make_elections(tuple(sorted([*drifts, drift], key=lambda item: item.office)))


@attrs.frozen(kw_only=True)
class Detention:
    """The state of :data:`~chronicle.politics.DetainedOfficers`: names held, totals reported.

    Names are facts, totals are reports: the two are kept apart, and totals are
    never derived from names or the other way round.

    Attributes:
        held: The named officers held, in the order they were arrested, each under
            their name (``held.get(name)``).
        reported_detained: The sum of the totals reported detained by each arrest
            (``None`` if no arrest gave one).
        reported_released: Likewise for releases.
    """

    held: Keyed[str, Officer] = attrs.field(
        default=Keyed(), converter=_keyed, repr=lambda held: repr(tuple(held))
    )
    reported_detained: Count | None = None
    reported_released: Count | None = None

    def holds(self, name: str) -> bool:
        """Whether an officer of this name is held."""
        return self.held.has(name)


PartyState: TypeAlias = Literal["active", "suspended", "dissolved"]
"""What political parties may do: act, nothing for now, or nothing (they no longer exist)."""


@attrs.frozen(kw_only=True)
class Parties:
    """The state of :data:`~chronicle.politics.PartyStatus`.

    Parties are taken to be active until the record says otherwise.

    Attributes:
        status: ``"active"``, ``"suspended"`` or ``"dissolved"``.
        since: When the status began (``None`` for the initial "active").
        scope: Which organisations the last change concerned.
    """

    status: PartyState = "active"
    since: When | None = None
    scope: str = ""


def figure_key(report: CasualtiesReported) -> tuple[str, str, str, str]:
    """What a casualty figure counts: its period, region, counter and perpetrator."""
    return str(report.period), report.region, report.reported_by, report.perpetrator


@attrs.frozen(kw_only=True, repr=False)
class Toll:
    """The state of :data:`~chronicle.politics.ConflictToll`: attacks, and counted casualties.

    Attack tolls and casualty reports overlap (an attack is counted in a report of
    its region), so they are kept apart and never added together.

    Attributes:
        attacks: Every attack, in fold order.
        reports: Casualty figures, one per (period, region, counter, perpetrator), under
            that key (see :func:`figure_key`): a later figure for the same replaces the
            earlier (a revision) and moves last.
    """

    attacks: Vector[AttackOccurred] = attrs.field(default=Vector(), converter=_vector)
    reports: Keyed[tuple[str, str, str, str], CasualtiesReported] = attrs.field(
        default=Keyed(), converter=_keyed
    )

    @property
    def killed_in_attacks(self) -> Count:
        """The deaths reported in the attacks recorded, summed (attacks without a figure add 0)."""
        total = Count(0)
        for attack in self.attacks:
            if attack.killed is not None:
                total += attack.killed
        return total

    def __repr__(self) -> str:
        figures = ", ".join(
            f"{report.region} {report.period}: {report.killed} ({report.reported_by})"
            for report in self.reports
        )
        killed = str(self.killed_in_attacks)
        return (
            f"Toll(attacks=<{len(self.attacks)}>, killed_in_attacks={killed!r}, "
            f"reports=[{figures}])"
        )


fast_init(Leader, Leadership, Promise, Drift, Elections, Detention, Parties, Toll)

# What the handlers make on every event, made as calling the class does, in less time
# (see chronicle._fastinit.maker).
make_leader = maker(Leader)
make_leadership = maker(Leadership)
make_promise = maker(Promise)
make_drift = maker(Drift)
make_elections = maker(Elections)
make_detention = maker(Detention)
make_parties = maker(Parties)
make_toll = maker(Toll)
