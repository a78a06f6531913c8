"""Uses chronicle.testing as a user would; type-checked by mypy --strict, never run by pytest.

If a public signature of the kit loses its types, this file stops type-checking.
"""

from __future__ import annotations

import datetime

import attrs
from hypothesis import strategies as st

import chronicle
from chronicle.testing import (
    LAWS,
    Append,
    Case,
    ChronicleMachine,
    Chronology,
    Law,
    LawViolation,
    Retract,
    check_projector,
    chronologies,
    events,
    events_of,
    logs,
    register_profiles,
    register_strategy,
    stepping_clock,
    whens,
)


@chronicle.event("typing.counted", version=1)
class Counted(chronicle.Event):
    amount: int


@attrs.frozen
class Total:
    amount: int = 0


total: chronicle.Projector[Total] = chronicle.Projector("typing.Total", initial=Total())


@total.on(Counted)
def _counted(state: Total, event: Counted) -> Total:
    return Total(state.amount + event.amount)


def _never(case: Case) -> None:
    raise LawViolation("never", case.projector.name)


class TotalMachine(ChronicleMachine):
    projectors = (total,)
    events = events_of(Counted)


def use() -> None:
    profile: str | None = register_profiles(load=False)
    valid: st.SearchStrategy[chronicle.When] = whens(datetime.date(2000, 1, 1))
    counted: st.SearchStrategy[Counted] = events_of(Counted, amount=st.integers(0, 9))
    register_strategy(Counted, counted)
    anything: st.SearchStrategy[chronicle.Event] = events([Counted])
    drawn: st.SearchStrategy[Chronology] = chronologies(counted, streams=["a", "b"])
    built: st.SearchStrategy[chronicle.Log] = logs(counted)
    laws: list[Law | str] = [*LAWS, "determinism", Law("never", "Never holds.", _never)]
    check_projector(total, counted, laws=laws, max_examples=10)
    check_projector(total, chronologies=drawn)
    plan = Chronology(
        (Append("s", (Counted(occurred=chronicle.When("2020"), amount=1), Retract(0))),)
    )
    log: chronicle.Log = plan.build(chronicle.MemoryStore())
    moment: datetime.datetime = stepping_clock()()
    print(profile, valid, anything, built, log, moment, TotalMachine.TestCase)
