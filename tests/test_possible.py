"""Possible states: against a brute-force oracle, certain when dates are, bounded, folded once."""

from __future__ import annotations

import datetime
import itertools
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Corrected,
    Event,
    InvalidArgument,
    Log,
    Occurrence,
    Possibilities,
    Projector,
    TooUncertain,
    When,
    possibilities,
    replay,
    why,
)
from tests.domain import Appointed, Counted, Offices, Vacated, offices, total, trace

JANUARY = datetime.date(2020, 1, 1)


def day(number: int) -> datetime.date:
    return JANUARY + datetime.timedelta(days=number - 1)


@st.composite
def close_whens(draw: st.DrawFn) -> When:
    """Dates in the first ten days of January 2020, so that they often overlap or are equal."""
    first = draw(st.integers(1, 8))
    form = draw(st.sampled_from(["day", "day", "interval", "month"]))
    if form == "day":
        return When(day(first))
    if form == "month":
        return When("2020-01")
    return When.between(day(first), day(draw(st.integers(first + 1, 10))))


SMALL_EVENTS: st.SearchStrategy[Event] = st.one_of(
    st.builds(
        Appointed,
        occurred=close_whens(),
        office=st.sampled_from(["p", "q"]),
        name=st.sampled_from(["a", "b", "c"]),
    ),
    st.builds(Vacated, occurred=close_whens(), office=st.sampled_from(["p", "q"])),
    st.builds(Counted, occurred=close_whens(), amount=st.integers(-2, 3)),
)
AS_OF = st.one_of(st.none(), st.integers(0, 11).map(day), st.just(When("2020-01")))
PROJECTORS = [offices, trace, total]


@st.composite
def small_logs(draw: st.DrawFn) -> Log:
    """Up to six events appended in one or two appends, maybe one corrected or retracted."""
    events = draw(st.lists(SMALL_EVENTS, min_size=0, max_size=6))
    log = Log()
    split = draw(st.integers(0, len(events)))
    records = []
    for part in (events[:split], events[split:]):
        if part:
            records += log.append("s", part)
    if records and draw(st.booleans()):
        target = draw(st.sampled_from(records))
        if draw(st.booleans()):
            log.append("s", [chronicle.Retracted(target=target.id, reason="wrong")])
        else:
            replacement = draw(SMALL_EVENTS)
            log.append(
                "s", [Corrected(target=target.id, reason="redated", replacement=replacement)]
            )
    return log


def precedes(first: Occurrence, second: Occurrence) -> bool:
    """The rule, written out: dates that separate them, or equal dates and the log's order."""
    a, b = first.event.occurred, second.event.occurred
    if (a.earliest, a.latest) == (b.earliest, b.latest):
        return first.sort_key[2] < second.sort_key[2]
    return a.latest < b.earliest


def oracle(
    log: Log, projector: Projector[Any], as_of: Any, pinned: frozenset[int] = frozenset()
) -> list[Any]:
    """Every state of every choice of possibly-happened events and every order the rules allow.

    An event whose position is ``pinned`` keeps its place in the fold order, and is
    left out if it only possibly happened.
    """
    last = (
        None
        if as_of is None
        else When(as_of).latest
        if not isinstance(as_of, datetime.date)
        else as_of
    )
    handled = [
        occurrence
        for occurrence in chronicle.timeline(log, as_of=as_of, policy="possible")
        if projector.handler_for(type(occurrence.event)) is not None
    ]
    certain = [o for o in handled if last is None or o.event.occurred.latest <= last]
    maybe = [o for o in handled if o not in certain and o.record.position not in pinned]
    states: list[Any] = []
    for count in range(len(maybe) + 1):
        for chosen in itertools.combinations(maybe, count):
            for order in itertools.permutations([*certain, *chosen]):
                if any(
                    precedes(order[later], order[earlier])
                    or (
                        pinned & {order[later].record.position, order[earlier].record.position}
                        and order[later].sort_key < order[earlier].sort_key
                    )
                    for earlier, later in itertools.combinations(range(len(order)), 2)
                ):
                    continue
                state = projector.fold(o.event for o in order)
                if state not in states:
                    states.append(state)
    return states


def rebuilt(log: Log, found: Possibilities[Any], index: int, as_of: Any) -> list[Event]:
    """A possibility's way, as a whole order: the fold order with its undecided events placed.

    The events that split nothing keep the fold order (the possibly-happened ones left
    out, as replay does); the undecided ones fill their places in the order the
    possibility gives, less those it leaves out.
    """
    possibility = found.states[index]
    last = (
        None
        if as_of is None
        else When(as_of).latest
        if not isinstance(as_of, datetime.date)
        else as_of
    )
    undecided = {o.record.position for o in found.undecided}
    omitted = {o.record.position for o in possibility.omitted}
    placed = iter(possibility.order)
    events = []
    for occurrence in chronicle.timeline(log, as_of=as_of, policy="possible"):
        position = occurrence.record.position
        if position in undecided:
            if position not in omitted:
                events.append(next(placed).event)
        elif last is None or occurrence.event.occurred.latest <= last:
            events.append(occurrence.event)
    return events


class TestOracle:
    @given(small_logs(), AS_OF, st.sampled_from(PROJECTORS))
    def test_the_states_are_those_of_every_order_the_rules_allow(
        self, log: Log, as_of: Any, projector: Projector[Any]
    ) -> None:
        """The states are the distinct folds of every allowed choice and order; replay's first."""
        expected = oracle(log, projector, as_of)
        found = possibilities(log, projector, as_of=as_of)
        actual = [possibility.state for possibility in found]
        assert (len(expected), True) == (len(actual), all(state in expected for state in actual))
        assert replay(log, projector, as_of=as_of) == found.replayed

    @given(small_logs(), AS_OF, st.sampled_from(PROJECTORS))
    def test_each_way_folds_to_its_state(
        self, log: Log, as_of: Any, projector: Projector[Any]
    ) -> None:
        """A possibility's events, placed in its order among the others, fold to its state."""
        found = possibilities(log, projector, as_of=as_of)
        expected = [possibility.state for possibility in found]
        actual = [projector.fold(rebuilt(log, found, index, as_of)) for index in range(len(found))]
        assert expected == actual

    @given(small_logs(), AS_OF, st.sampled_from(PROJECTORS))
    def test_the_undecided_events_are_those_that_split_it(
        self, log: Log, as_of: Any, projector: Projector[Any]
    ) -> None:
        """Pin every other event and every state stays possible; pin one of these, and fewer do."""
        found = possibilities(log, projector, as_of=as_of)
        undecided = {o.record.position for o in found.undecided}
        others = frozenset(o.record.position for o in chronicle.timeline(log)) - undecided
        everything = len(found)
        pinned = [len(oracle(log, projector, as_of, others | {u})) for u in undecided]
        assert (everything, []) == (
            len(oracle(log, projector, as_of, others)),
            [count for count in pinned if count >= everything],
        )

    @given(small_logs(), AS_OF)
    def test_the_undecided_events_split_what_the_view_shows(self, log: Log, as_of: Any) -> None:
        """With a view, the undecided events are those that split the values of the view."""
        holder = lambda state: state.get("p")  # noqa: E731
        found = possibilities(log, offices, as_of=as_of, view=holder)
        undecided = {o.record.position for o in found.undecided}
        others = frozenset(o.record.position for o in chronicle.timeline(log)) - undecided

        def values(pinned: frozenset[int]) -> set[Any]:
            return {holder(state) for state in oracle(log, offices, as_of, pinned)}

        everything = {holder(p.state) for p in found}
        assert (everything, []) == (
            values(others),
            [u for u in undecided if values(others | {u}) == everything],
        )

    @given(small_logs(), AS_OF)
    def test_a_view_keeps_one_state_per_value(self, log: Log, as_of: Any) -> None:
        """With a view, the states are one per distinct value of the view, in the order met."""
        everything = possibilities(log, offices, as_of=as_of)
        holders = possibilities(log, offices, as_of=as_of, view=lambda state: state.get("p"))
        expected = list(dict.fromkeys(p.state.get("p") for p in everything))
        assert expected == [p.state.get("p") for p in holders]

    @given(small_logs(), AS_OF, st.sampled_from(PROJECTORS))
    def test_certain_means_nothing_undecided(
        self, log: Log, as_of: Any, projector: Projector[Any]
    ) -> None:
        """A certain answer names no undecided event; an uncertain one names some."""
        found = possibilities(log, projector, as_of=as_of)
        assert found.certain == (found.undecided == ())


DISTINCT_DAYS = st.lists(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)), unique=True, max_size=40
)


class TestCertainty:
    @given(DISTINCT_DAYS, st.randoms(use_true_random=False), st.sampled_from(PROJECTORS))
    def test_distinct_days_allow_one_state(
        self, days: list[datetime.date], random: Any, projector: Projector[Any]
    ) -> None:
        """Events each on a day of its own, appended in any order: one possible state, any date."""
        events: list[Event] = [
            Appointed(occurred=d, office="p", name=str(i))
            if i % 3
            else Counted(occurred=d, amount=i)
            for i, d in enumerate(days)
        ]
        random.shuffle(events)
        log = Log()
        if events:
            log.append("s", events)
        asked = [None, *(d for d in days[:3])]
        found = [possibilities(log, projector, as_of=as_of) for as_of in asked]
        assert [1] * len(asked) == [len(answer) for answer in found]

    def test_the_same_dates_keep_the_log_order(self) -> None:
        """Two events of the same month keep the order they were appended in: one state."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01", office="p", name="a"),
                Appointed(occurred="2020-01", office="p", name="b"),
            ],
        )
        found = possibilities(log, offices, as_of="2020-01-31")
        assert ([("p", "b")], True) == ([*found.replayed.holders], found.certain)

    def test_overlapping_dates_give_both_orders(self) -> None:
        """A month and a day inside it: either may have come first, so two holders are possible."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01", office="p", name="a"),
                Appointed(occurred="2020-01-10", office="p", name="b"),
            ],
        )
        found = possibilities(log, offices, as_of="2020-01-31", view=lambda s: s.get("p"))
        assert (["a", "b"], 2) == ([p.state.get("p") for p in found], len(found.undecided))

    def test_possibly_happened_is_a_choice(self) -> None:
        """On the 10th, an event of January may or may not have happened yet."""
        log = Log()
        log.append("s", [Counted(occurred="2020-01", amount=5)])
        found = possibilities(log, total, as_of="2020-01-10")
        assert [(0, 0, 1), (5, 1, 0)] == [(p.state, len(p.order), len(p.omitted)) for p in found]


class TestBound:
    def test_a_window_too_wide_raises_the_documented_error(self) -> None:
        """Twelve events of overlapping dates: more orders than the limit lets it explore."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred=When.between(day(1), day(12 + n)), office="p", name=str(n))
                for n in range(12)
            ],
        )
        with pytest.raises(TooUncertain) as raised:
            possibilities(log, trace, as_of=None, limit=1000)
        error = raised.value
        assert ("test.trace", 12, "2020-01-01", "2020-01-23", 1000) == (
            error.projector,
            error.events,
            error.start,
            error.end,
            error.limit,
        )
        assert "the 12 events from 2020-01-01 to 2020-01-23" in str(error)

    def test_the_error_pickles_whole(self) -> None:
        """TooUncertain survives a round trip through pickle, attributes and message."""
        error = TooUncertain("test.trace", 12, "2020-01-01", "2020-01-23", 1000)
        copy = pickle.loads(pickle.dumps(error))
        assert (str(error), error.events) == (str(copy), copy.events)

    def test_commuting_events_stay_within_the_bound(self) -> None:
        """Twelve overlapping counts that commute: the states placed so far stay few."""
        log = Log()
        log.append(
            "s", [Counted(occurred=When.between(day(1), day(12 + n)), amount=1) for n in range(12)]
        )
        found = possibilities(log, total, limit=10_000)
        assert (True, 12) == (found.certain, found.replayed)

    @pytest.mark.parametrize("limit", [0, -1, True, 1.5])
    def test_a_bad_limit_is_refused(self, limit: Any) -> None:
        """The limit is a positive int."""
        with pytest.raises(InvalidArgument, match="limit must be a positive int"):
            possibilities(Log(), total, limit=limit)


@attrs.define
class Calls:
    count: int = 0


def counting(calls: Calls) -> Projector[int]:
    """A projector that counts the events it is handed, and how many times its handler ran."""
    projector: Projector[int] = Projector("test.counting", initial=0)

    @projector.on(Counted)
    def _count(state: int, event: Counted) -> int:
        calls.count += 1
        return state + 1

    return projector


class TestFoldedOnce:
    def test_a_log_without_unknown_orders_is_folded_once(self) -> None:
        """2,000 events, a day each: each is folded once, none enumerated."""
        calls = Calls()
        log = Log()
        start = datetime.date(2000, 1, 1)
        log.append(
            "s",
            [Counted(occurred=start + datetime.timedelta(days=n), amount=1) for n in range(2000)],
        )
        found = possibilities(log, counting(calls))
        assert (True, 2000, 2000) == (found.certain, found.replayed, calls.count)

    def test_only_the_ambiguous_window_is_enumerated(self) -> None:
        """1,000 days and one month among them: only the month's days are folded more than once."""
        calls = Calls()
        log = Log()
        start = datetime.date(2000, 1, 1)
        days = [Counted(occurred=start + datetime.timedelta(days=n), amount=1) for n in range(1000)]
        log.append("s", [*days, Counted(occurred="2000-02", amount=1)])
        found = possibilities(log, counting(calls))
        # outside February: once each; February's 29 days and the month: a few times each
        assert (True, 1001) == (found.certain, found.replayed)
        assert calls.count < 1001 + 4 * 30

    def test_unhandled_events_are_not_read_into_windows(self) -> None:
        """An event the projector does not handle makes no window: a month of Vacated is nothing."""
        log = Log()
        log.append(
            "s",
            [Counted(occurred="2020-01-05", amount=1), Vacated(occurred="2020-01", office="p")],
        )
        assert (True, ()) == (
            possibilities(log, total).certain,
            possibilities(log, total).undecided,
        )


class TestUnhashableStates:
    def test_states_compared_by_equality(self) -> None:
        """A state that cannot be hashed (a list) is kept once by equality."""
        listing: Projector[list[str]] = Projector("test.listing", initial=[])

        @listing.on(Appointed)
        def _add(state: list[str], event: Appointed) -> list[str]:
            return sorted([*state, event.name])

        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01", office="p", name="a"),
                Appointed(occurred="2020-01-10", office="p", name="b"),
            ],
        )
        assert [["a", "b"]] == [p.state for p in possibilities(log, listing)]


class TestKnownAtAndStreams:
    def test_as_the_record_stood(self) -> None:
        """known_at reads the record as it stood: before a correction gave a day, two states."""
        log = Log()
        [first, _] = log.append(
            "s",
            [
                Appointed(occurred="2020-01", office="p", name="a"),
                Appointed(occurred="2020-01-10", office="p", name="b"),
            ],
            recorded_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        )
        fix = Appointed(occurred="2020-01-03", office="p", name="a")
        log.append(
            "s",
            [Corrected(target=first.id, reason="the 3rd", replacement=fix)],
            recorded_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC),
        )
        holder = lambda state: state.get("p")  # noqa: E731
        assert (2, 1) == (
            len(possibilities(log, offices, known_at="2025-01-15", view=holder)),
            len(possibilities(log, offices, view=holder)),
        )

    def test_one_stream(self) -> None:
        """stream= reads one stream: another stream's overlapping event does not count."""
        log = Log()
        log.append("s", [Counted(occurred="2020-01-05", amount=1)])
        log.append("t", [Counted(occurred="2020-01", amount=2)])
        assert (1, 1) == (
            len(possibilities(log, trace, stream="s")),
            len(possibilities(log, trace, stream="t")),
        )


class TestWhy:
    def test_the_events_that_made_the_state(self) -> None:
        """why names the events that changed the state, in fold order, and not the others."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01-02", office="p", name="a"),
                Appointed(occurred="2020-01-03", office="p", name="a"),  # no change
                Appointed(occurred="2020-01-04", office="q", name="b"),
            ],
        )
        answer = why(log, offices)
        assert (["2020-01-02", "2020-01-04"], True, ()) == (
            [str(o.event.occurred) for o in answer.events],
            answer.certain,
            answer.undecided,
        )
        assert Offices((("p", "a"), ("q", "b"))) == answer.state

    def test_the_events_that_split_it(self) -> None:
        """An uncertain answer names the events whose order is unknown, with their sources."""
        source = chronicle.Source(publisher="a paper", note="undated")
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01", office="p", name="a", sources=[source]),
                Appointed(occurred="2020-01-10", office="p", name="b"),
            ],
        )
        answer = why(log, offices, view=lambda state: state.get("p"))
        assert (False, ["2020-01-10", "2020-01"], (source,)) == (
            answer.certain,
            [str(o.event.occurred) for o in answer.undecided],
            answer.sources,
        )
