"""The projector laws: what every projector must obey for replay to mean anything.

Each law is data, a :class:`Law`: a name, a statement, and a check run on one
drawn chronology. :data:`LAWS` lists them in the order they are checked; each
assumes the ones before it hold (a state that a handler mutates cannot be
expected to replay the same twice), so the first law broken is the one reported.
"""

from __future__ import annotations

import copy
import datetime
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from chronicle._codec import from_json, to_json
from chronicle._errors import ChronicleError
from chronicle._event import Event
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Snapshots, replay, timeline
from chronicle._stores._memory import MemoryStore
from chronicle.testing._chronology import Chronology, Correct, moved, stepping_clock

__all__ = ["LAWS", "Case", "Law", "LawViolation"]


class LawViolation(ChronicleError, AssertionError):  # noqa: N818 -- reads as "law violation"
    """A projector law that does not hold, with the smallest example hypothesis found.

    Attributes:
        law: The name of the law broken (see :data:`LAWS`).
        message: How it fails, with the example.
    """

    def __init__(self, law: str, message: str) -> None:
        super().__init__(law, message)
        self.law = law
        self.message = message

    def __str__(self) -> str:
        return f"law {self.law!r} does not hold: {self.message}"


@attrs.define
class Case:
    """One example the laws are checked on.

    Attributes:
        projector: A fresh copy of the projector checked, from its own copy of the
            initial state.
        chronology: The chronology drawn.
        data: To draw more (an order, a day), shrunk along with the chronology.
    """

    projector: Projector[Any]
    chronology: Chronology
    data: st.DataObject
    _log: Log | None = attrs.field(default=None, init=False, repr=False)

    @property
    def log(self) -> Log:
        """The chronology built into a memory log, once for all the laws (which only read it)."""
        if self._log is None:
            self._log = self.chronology.build()
        return self._log


Check = Callable[[Case], None]
"""Checks a law on one case: returns if it holds, raises :class:`LawViolation` if not."""


@attrs.frozen
class Law:
    """A property every projector must have, checked on drawn chronologies.

    Attributes:
        name: The name reports give it (``"append_order"``).
        statement: What it asserts, in a sentence.
        check: Returns if the law holds on a :class:`Case`, raises
            :class:`LawViolation` if not.
    """

    name: str
    statement: str
    check: Check = attrs.field(repr=False)


def _every_event(chronology: Chronology) -> list[Event]:
    """The chronology's events and its corrections' replacements."""
    replacements = [
        entry.replacement
        for append in chronology.appends
        for entry in append.entries
        if isinstance(entry, Correct)
    ]
    return [*chronology.events, *replacements]


def _codec_round_trip(case: Case) -> None:
    for event in _every_event(case.chronology):
        try:
            stored = to_json(event)
            back = from_json(stored, strict=True)
        except Exception as error:
            raise LawViolation(
                "codec_round_trip", f"{event!r} cannot be stored and read back: {error}"
            ) from error
        if back != event:
            raise LawViolation(
                "codec_round_trip", f"{event!r} is stored as {stored} and read back as {back!r}"
            )


def _no_mutation(case: Case) -> None:
    state = case.projector.initial
    for occurrence in timeline(case.log):
        before = copy.deepcopy(state)
        if before != state:
            raise LawViolation(
                "no_mutation",
                f"the state {state!r} does not equal its own deep copy, so a change to it "
                "cannot be seen: a state must be a value that compares by value "
                "(a frozen attrs class, a tuple, a frozenset, a number, a string)",
            )
        new = case.projector.apply(state, occurrence.event)
        if before != state:
            raise LawViolation(
                "no_mutation",
                f"the handler of {type(occurrence.event).__name__} changed the state it was "
                f"given, from {before!r} to {state!r}, on {occurrence.event!r}; a handler must "
                f"return a new state instead\n{case.chronology.describe()}",
            )
        state = new


def _determinism(case: Case) -> None:
    first, again = replay(case.log, case.projector), replay(case.log, case.projector)
    other = replay(case.chronology.build(), case.projector)
    if not first == again == other:
        raise LawViolation(
            "determinism",
            f"replaying one log twice, then a log built the same way, gave {first!r}, "
            f"then {again!r}, then {other!r}; a handler must not read a clock, a counter "
            f"or any other state outside its arguments\n{case.chronology.describe()}",
        )


def _tie(events: list[Event], data: st.DataObject) -> list[Event]:
    """``events`` with some given the valid time of the one before, so that fold keys tie.

    At least one is: the pair tied is drawn first, the others as flags. Ties to the
    neighbour in append order keep their meaning while the chronology shrinks.
    """
    tied = list(events)
    first = data.draw(st.integers(1, len(events) - 1), "tied to the one before")
    flags = data.draw(st.lists(st.booleans(), min_size=len(events), max_size=len(events)))
    for index in range(1, len(tied)):
        if index == first or flags[index]:
            # An event whose class refuses the other's date stays as it was.
            tied[index] = moved(tied[index], tied[index - 1].occurred) or tied[index]
    return tied


def _appended(batches: Sequence[Sequence[Event]]) -> Log:
    log = Log(MemoryStore(), clock=stepping_clock())
    for batch in batches:
        log.append("main", batch)
    return log


def _batches(events: list[Event], data: st.DataObject) -> list[list[Event]]:
    """``events`` in a drawn order, cut into drawn batches."""
    order = data.draw(st.permutations(events), "append order")
    cuts = data.draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)), "cuts")
    batches: list[list[Event]] = [[]]
    for event, cut in zip(order, cuts, strict=True):
        batches[-1].append(event)
        if cut:
            batches.append([])
    return [batch for batch in batches if batch]


def _ties(events: list[Event]) -> list[list[Event]]:
    """The groups of two or more events whose fold keys tie."""
    by_key = sorted(events, key=lambda event: event.occurred.key)
    groups = (list(group) for _, group in itertools.groupby(by_key, lambda e: e.occurred.key))
    return [group for group in groups if len(group) > 1]


def _append_order(case: Case) -> None:
    events = list(case.chronology.events)
    if len(events) < 2:
        return
    events = _tie(events, case.data)
    expected = replay(_appended([events]), case.projector)
    # The reverse order puts every pair of tied events the other way round; the drawn
    # order and batches try the rest.
    for batches in ([[event] for event in reversed(events)], _batches(events, case.data)):
        actual = replay(_appended(batches), case.projector)
        if expected == actual:
            continue
        order = [event for batch in batches for event in batch]
        ties = _ties(events)
        hint = (
            f"\nThese events tie on their fold key (latest, earliest) and so fold in "
            f"append order: {ties!r}; the state must not depend on which of them "
            "comes first (or leave this law out, saying why)"
            if ties
            else ""
        )
        raise LawViolation(
            "append_order",
            f"the same events fold to {expected!r} appended in the order {events!r}, but to "
            f"{actual!r} appended in the order {order!r}{hint}",
        )


def _as_of_prefix(case: Case) -> None:
    order = [occurrence.event for occurrence in timeline(case.log)]
    bounds = {event.occurred.latest for event in order} | {
        event.occurred.earliest - datetime.timedelta(days=1)
        for event in order
        if event.occurred.earliest > datetime.date.min
    }
    days = st.sampled_from(sorted(bounds)) | st.dates() if bounds else st.dates()
    day = case.data.draw(days, "as_of")
    prefix = [event for event in order if event.occurred.latest <= day]
    expected = case.projector.fold(prefix)
    actual = replay(case.log, case.projector, as_of=day)
    if expected != actual:
        raise LawViolation(
            "as_of_prefix",
            f"replay as of {day} gives {actual!r}, but the fold of the events certainly "
            f"past by then, {prefix!r}, gives {expected!r}\n{case.chronology.describe()}",
        )


def _known_at_truncation(case: Case) -> None:
    times = sorted({record.recorded_at for record in case.log.read()})
    known = case.data.draw(st.integers(0, len(times)), "appends known")
    moment = times[known - 1] if known else case.chronology.start
    expected = replay(case.chronology.prefix(known).build(), case.projector)
    actual = replay(case.log, case.projector, known_at=moment)
    if expected != actual:
        raise LawViolation(
            "known_at_truncation",
            f"replay known at {moment.isoformat()} gives {actual!r}, but the log of the "
            f"first {known} appends gives {expected!r}\n{case.chronology.describe()}",
        )


def _snapshot_equivalence(case: Case) -> None:
    log = case.chronology.build()
    cache = Snapshots(log, every=1)
    times = sorted({record.recorded_at for record in log.read()})
    days = sorted({event.occurred.latest for event in _every_event(case.chronology)})
    # Several replays through one cache, so that later ones start from checkpoints
    # that earlier ones left, as of other days and as known at other times.
    for _ in range(3):
        known = case.data.draw(st.integers(0, len(times)), "appends known")
        day = case.data.draw(st.none() | st.sampled_from(days) if days else st.none(), "as_of")
        policy = case.data.draw(st.sampled_from(["certain", "possible"]), "policy")
        moment = times[known - 1] if known else case.chronology.start
        options: dict[str, Any] = {"as_of": day, "known_at": moment, "policy": policy}
        expected = replay(log, case.projector, **options)
        actual = replay(log, case.projector, snapshots=cache, **options)
        if expected != actual:
            raise LawViolation(
                "snapshot_equivalence",
                f"replay as of {day} ({policy}) known at {moment.isoformat()} gives "
                f"{expected!r}, but through a snapshot cache {actual!r}"
                f"\n{case.chronology.describe()}",
            )


LAWS: tuple[Law, ...] = (
    Law(
        "codec_round_trip",
        "Every event comes back equal from its stored JSON form.",
        _codec_round_trip,
    ),
    Law(
        "no_mutation",
        "A handler leaves the state it is given unchanged (it returns a new one).",
        _no_mutation,
    ),
    Law(
        "determinism",
        "Replaying the same log, or an equal one, gives equal states.",
        _determinism,
    ),
    Law(
        "append_order",
        "The same events give the same state whatever the order and batches they are "
        "appended in. Events whose fold keys (latest, earliest) tie fold in append "
        "order, so the law asks that such events give the same state in either order.",
        _append_order,
    ),
    Law(
        "as_of_prefix",
        "Replay as of a day equals the fold of the events certainly past by then "
        "(a prefix of the fold order).",
        _as_of_prefix,
    ),
    Law(
        "known_at_truncation",
        "Replay known at the time of an append equals the replay of the log cut after it.",
        _known_at_truncation,
    ),
    Law(
        "snapshot_equivalence",
        "Replay through a snapshot cache (starting from the checkpoints earlier replays "
        "left) equals the naive replay, as of any day and as known at any time.",
        _snapshot_equivalence,
    ),
)
"""The laws :func:`check_projector` checks by default, in the order it checks them."""
