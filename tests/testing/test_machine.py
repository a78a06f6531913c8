"""chronicle.testing.ChronicleMachine: a real store against a model, for any domain."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from chronicle import MemoryStore, Record, Store, When
from chronicle.testing import ChronicleMachine, events_of
from tests.domain import Appointed, Counted, offices, total
from tests.testing.helpers import HEAVY

WHENS = st.sampled_from([When(t) for t in ("2020", "2020-05", "2020-05-01", "2021~", "2020/2021")])


class DomainMachine(ChronicleMachine):
    """The core's test domain, on two streams."""

    projectors = (offices, total)
    events = events_of(
        Appointed,
        occurred=WHENS,
        office=st.sampled_from(["president", "army chief"]),
        name=st.sampled_from(["Keïta", "Goïta"]),
        sources=st.just(()),
    ) | events_of(Counted, occurred=WHENS, amount=st.integers(0, 3), sources=st.just(()))
    streams = ("mali", "niger")


TestDomainMachine = DomainMachine.TestCase


class ForgetfulStore(MemoryStore):
    """A planted bug: a read as known at an instant misses the records appended exactly then."""

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        if known_at is not None:
            known_at -= datetime.timedelta(microseconds=1)
        return super().read(stream=stream, from_position=from_position, known_at=known_at)


class ForgetfulMachine(DomainMachine):
    def make_store(self) -> Store:
        return ForgetfulStore()


class TestPlantedStoreBug:
    def test_a_store_that_loses_records_fails_the_machine(self) -> None:
        """A store whose known_at reads miss the last append is caught against the model."""
        found = settings(HEAVY, phases=[Phase.generate])  # to be caught is enough: no shrinking
        with pytest.raises(AssertionError):
            run_state_machine_as_test(ForgetfulMachine, settings=found)
