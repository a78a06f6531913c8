"""``check_projector``: run hypothesis over the projector laws, in one call."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from chronicle._errors import EventTypeError, InvalidArgument, shorten
from chronicle._event import Event
from chronicle._projector import Projector
from chronicle.testing._chronologies import chronologies as chronologies_of
from chronicle.testing._chronology import Chronology
from chronicle.testing._events import event_classes, events_of
from chronicle.testing._laws import LAWS, Case, Law, LawViolation
from chronicle.testing._profiles import heavy_examples

__all__ = ["check_projector"]

S = TypeVar("S")


def _laws(chosen: Iterable[Law | str]) -> list[Law]:
    by_name = {law.name: law for law in LAWS}
    laws: list[Law] = []
    for law in chosen:
        if isinstance(law, Law):
            laws.append(law)
        elif law in by_name:
            laws.append(by_name[law])
        else:
            raise InvalidArgument(f"no law named {shorten(law)}; the laws are {', '.join(by_name)}")
    return laws


def _handled_events(projector: Projector[Any]) -> st.SearchStrategy[Event]:
    classes = [cls for cls in event_classes() if projector.handler_for(cls) is not None]
    if not classes:
        raise EventTypeError(
            f"{projector.name} handles no registered event type: pass events= to check it"
        )
    return st.one_of([events_of(cls) for cls in classes])


def _fresh(projector: Projector[S], initial: S) -> Projector[S]:
    """A projector with the same handlers from its own copy of the initial state.

    The laws fold copies, so a handler that mutates its state damages neither the
    caller's projector nor the next example.
    """
    twin: Projector[S] = Projector(projector.name, initial, version=projector.version)
    for cls in projector.handled:
        handler = projector.handler_for(cls)
        if handler is not None:
            twin.on(cls)(handler)
    return twin


def check_projector(
    projector: Projector[Any],
    events: st.SearchStrategy[Event] | None = None,
    *,
    chronologies: st.SearchStrategy[Chronology] | None = None,
    laws: Iterable[Law | str] = LAWS,
    max_examples: int | None = None,
    seed: int | None = None,
) -> None:
    """Check that a projector obeys the projector laws, on chronologies hypothesis draws.

    Each drawn chronology is checked against each law in turn (see :data:`LAWS`);
    the first law that fails is shrunk to a smallest example and reported. The
    projector itself is never folded: the laws fold copies of it, each from a deep
    copy of its initial state.

    Call it from a plain test function, not from a test that is itself
    ``@given``: it runs hypothesis inside. It uses the current hypothesis
    settings profile (see :func:`register_profiles`), with fewer examples (see
    ``max_examples``), without the example database and without deadlines.

    Args:
        projector: The projector to check.
        events: The events to draw chronologies of; by default, those of every
            registered event type the projector handles.
        chronologies: Instead of ``events``, the chronologies themselves, such as
            ``chronologies(stories=...)`` for events that depend on each other.
        laws: The laws to check, as :class:`Law` values or names; all of
            :data:`LAWS` by default. Leave one out only for a stated reason (a
            projector where the later-appended of two simultaneous events wins on
            purpose breaks ``append_order``).
        max_examples: How many chronologies to draw; by default a quarter of the
            current profile's ``max_examples`` (and at least 10), since each one
            is a whole history checked against every law.
        seed: Draw from this seed (as ``@hypothesis.seed`` does): the same
            chronologies on every run, whatever the profile; by default the
            profile decides (random, or derandomized in the CI profile).

    Raises:
        LawViolation: a law does not hold; the message names it and shows the
            smallest chronology (and the other draws) that breaks it.
        EventTypeError: no events are given and the projector handles no
            registered event type.
        InvalidArgument: both ``events`` and ``chronologies`` are given, or a law name
            is unknown.

    Example::

        def test_stock_obeys_the_laws():
            check_projector(stock, events=events_of(Received) | events_of(Sold))
    """
    chosen = _laws(laws)
    if events is not None and chronologies is not None:
        raise InvalidArgument("check_projector(): give events or chronologies, not both")
    if chronologies is None:
        # Two events at least: a single one has no order to get wrong.
        drawn = _handled_events(projector) if events is None else events
        chronologies = chronologies_of(drawn, min_events=2)
    try:
        pristine = copy.deepcopy(projector.initial)
    except Exception as error:
        raise LawViolation(
            "no_mutation",
            f"the initial state {projector.initial!r} cannot be deep-copied ({error}): "
            "a state must be an immutable value",
        ) from error

    @settings(
        max_examples=max_examples or heavy_examples(),
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(chronology=chronologies, data=st.data())
    def the_laws_hold(chronology: Chronology, data: st.DataObject) -> None:
        case = Case(_fresh(projector, copy.deepcopy(pristine)), chronology, data)
        for law in chosen:
            law.check(case)

    if seed is not None:
        the_laws_hold = hypothesis.seed(seed)(the_laws_hold)
    the_laws_hold()
