"""chronicle.testing.check_projector: correct projectors pass; planted bugs are named by law."""

from __future__ import annotations

import itertools
import time
from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

import chronicle
from chronicle import Event, EventTypeError, Projector, When
from chronicle.testing import (
    LAWS,
    Law,
    LawViolation,
    _laws,
    check_projector,
    chronologies,
    events_of,
)
from tests.domain import Appointed, Counted, Vacated, offices, total, trace
from tests.testing.helpers import HEAVY

WHENS = st.sampled_from(
    [When(text) for text in ("2020", "2020-05", "2020-05-01", "2020-05-01~", "2020/2021", "2021")]
)
"""A few valid times of every form, with shared bounds: ties and near-ties come up often."""
NAMES = st.sampled_from(["Keïta", "Goïta", "N'Daou"])
appointed = events_of(Appointed, occurred=WHENS, office=NAMES, name=NAMES, sources=st.just(()))
counted = events_of(Counted, occurred=WHENS, amount=st.integers(-5, 5), sources=st.just(()))


@attrs.frozen
class Holders:
    """Everyone appointed to each office, whatever the order: a tie-robust state."""

    pairs: frozenset[tuple[str, str]] = frozenset()


holders = Projector("kit_test.Holders", initial=Holders())


@holders.on(Appointed)
def _appointed(state: Holders, event: Appointed) -> Holders:
    return Holders(state.pairs | {(event.office, event.name)})


def violated(projector: Projector[Any], events: st.SearchStrategy[Event], **options: Any) -> str:
    """The name of the law check_projector reports broken."""
    with pytest.raises(LawViolation) as caught:
        check_projector(projector, events, **options)
    return caught.value.law


class TestCorrectProjectors:
    def test_a_sum_obeys_every_law(self) -> None:
        """A commutative projector passes all the laws."""
        check_projector(total, counted, max_examples=HEAVY.max_examples)

    def test_a_set_of_holders_obeys_every_law(self) -> None:
        """A projector that keeps every appointment passes all the laws, ties included."""
        events = appointed | events_of(Vacated, occurred=WHENS)
        check_projector(holders, events, max_examples=HEAVY.max_examples)

    def test_default_events_are_those_the_projector_handles(self) -> None:
        """Without events, the registered types the projector handles are drawn."""
        check_projector(total, max_examples=20)

    def test_chronologies_can_be_given_whole(self) -> None:
        """A strategy of chronologies is used as given."""
        drawn = chronologies(counted, streams=["a", "b"])
        check_projector(total, chronologies=drawn, max_examples=HEAVY.max_examples)


class TestPlantedBugs:
    def test_last_one_wins_depends_on_append_order(self) -> None:
        """A projector where the later of two simultaneous appointments wins breaks append_order."""
        latest: Projector[str | None] = Projector("kit_test.latest", initial=None)
        latest.on(Appointed)(lambda _state, event: event.name)
        assert "append_order" == violated(latest, appointed)

    def test_the_report_names_the_tied_events(self) -> None:
        """The report shows the smallest example: two events whose fold keys tie."""
        with pytest.raises(LawViolation, match="tie on their fold key") as caught:
            check_projector(trace, counted)
        assert 2 == str(caught.value).count("appended in the order")

    def test_mutating_the_state_breaks_no_mutation(self) -> None:
        """A handler that changes a list inside the state it was given breaks no_mutation."""
        shallow: Projector[dict[str, list[str]]] = Projector("kit_test.shallow", initial={"n": []})

        @shallow.on(Appointed)
        def _append(state: dict[str, list[str]], event: Appointed) -> dict[str, list[str]]:
            new = dict(state)  # a shallow copy: the list inside is shared
            new["n"].append(event.name)
            return new

        assert "no_mutation" == violated(shallow, appointed)
        assert {"n": []} == shallow.initial

    def test_a_state_without_value_equality_breaks_no_mutation(self) -> None:
        """A state that compares by identity cannot be checked, and is reported."""

        class Box:
            pass

        boxes: Projector[Box] = Projector("kit_test.boxes", initial=Box())
        boxes.on(Counted)(lambda _state, _event: Box())
        with pytest.raises(LawViolation, match="does not equal its own deep copy"):
            check_projector(boxes, counted)

    def test_a_global_counter_breaks_determinism(self) -> None:
        """A handler that reads a counter outside its arguments breaks determinism."""
        calls = itertools.count()
        counting: Projector[int] = Projector("kit_test.counting", initial=0)
        counting.on(Counted)(lambda state, event: state + event.amount + next(calls))
        assert "determinism" == violated(counting, counted)

    def test_reading_the_clock_breaks_determinism(self) -> None:
        """A handler that reads the clock breaks determinism."""
        clocked: Projector[tuple[int, ...]] = Projector("kit_test.clocked", initial=())
        clocked.on(Counted)(lambda state, _event: (*state, time.perf_counter_ns()))
        assert "determinism" == violated(clocked, counted)

    @pytest.mark.usefixtures("forget_new_types")
    def test_a_lossy_event_breaks_codec_round_trip(self) -> None:
        """An event whose field converter is not idempotent does not come back equal."""

        @chronicle.event("kit_test.shouted")
        class Shouted(Event):
            word: str = attrs.field(converter=lambda text: text + "!")

        counting: Projector[int] = Projector("kit_test.shouts", initial=0)
        counting.on(Shouted)(lambda state, _event: state + 1)
        with pytest.raises(LawViolation, match=r"read back as Shouted\(.*!!'\)") as caught:
            check_projector(counting, events_of(Shouted, occurred=WHENS, sources=st.just(())))
        assert "codec_round_trip" == caught.value.law

    def test_a_replay_that_ignores_as_of_breaks_as_of_prefix(self, monkeypatch) -> None:
        """The as_of law compares replay with the fold of the prefix (here: a broken replay)."""
        real = _laws.replay
        monkeypatch.setattr(
            _laws, "replay", lambda log, p, **kw: real(log, p, known_at=kw.get("known_at"))
        )
        assert "as_of_prefix" == violated(total, counted.filter(lambda e: e.amount != 0))

    def test_a_replay_that_ignores_known_at_breaks_known_at_truncation(self, monkeypatch) -> None:
        """The known_at law compares replay with the truncated log (here: a broken replay)."""
        real = _laws.replay
        monkeypatch.setattr(
            _laws, "replay", lambda log, p, **kw: real(log, p, as_of=kw.get("as_of"))
        )
        assert "known_at_truncation" == violated(total, counted.filter(lambda e: e.amount != 0))

    def test_a_cache_that_ignores_known_at_breaks_snapshot_equivalence(self, monkeypatch) -> None:
        """The snapshot law compares a cache's replay with the naive one (here: a broken cache)."""
        real = chronicle.Snapshots.replay
        monkeypatch.setattr(
            chronicle.Snapshots,
            "replay",
            lambda cache, p, **kw: real(cache, p, **{**kw, "known_at": None}),
        )
        assert "snapshot_equivalence" == violated(total, counted.filter(lambda e: e.amount != 0))


class TestLaws:
    def test_the_laws_in_order(self) -> None:
        """The laws are checked in this order, each assuming those before it."""
        assert [
            "codec_round_trip",
            "no_mutation",
            "determinism",
            "append_order",
            "as_of_prefix",
            "known_at_truncation",
            "snapshot_equivalence",
        ] == [law.name for law in LAWS]

    def test_laws_can_be_chosen_by_name(self) -> None:
        """A law left out is not checked: a last-one-wins projector passes without append_order."""
        laws = [law.name for law in LAWS if law.name != "append_order"]
        check_projector(offices, appointed, laws=laws, max_examples=HEAVY.max_examples)

    def test_a_law_of_ones_own_is_checked(self) -> None:
        """A Law value given is checked like the built-in ones."""

        def never(case: _laws.Case) -> None:
            raise LawViolation("never", f"{case.projector.name}, {len(case.chronology.events)}")

        with pytest.raises(LawViolation) as caught:
            check_projector(total, counted, laws=[Law("never", "Never holds.", never)])
        assert "law 'never' does not hold: test.total, 2" == str(caught.value)

    def test_an_unknown_law_name_is_refused(self) -> None:
        """A law name that does not exist is a ValueError listing the laws."""
        with pytest.raises(
            chronicle.InvalidArgument, match="no law named 'purity'; the laws are codec_round_trip"
        ):
            check_projector(total, counted, laws=["purity"])

    def test_events_and_chronologies_are_exclusive(self) -> None:
        """Giving both events and chronologies is refused."""
        with pytest.raises(chronicle.InvalidArgument, match="events or chronologies"):
            check_projector(total, counted, chronologies=chronologies(counted))

    def test_a_projector_of_nothing_needs_events(self) -> None:
        """A projector that handles no registered type needs events to be checked."""
        idle: Projector[int] = Projector("kit_test.idle", initial=0)
        with pytest.raises(EventTypeError, match=r"kit_test\.idle handles no registered"):
            check_projector(idle)

    def test_a_violation_is_an_assertion_error(self) -> None:
        """LawViolation fails a test like an assert, and is a ChronicleError."""
        assert issubclass(LawViolation, AssertionError)
        assert issubclass(LawViolation, chronicle.ChronicleError)
