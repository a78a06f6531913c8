"""Answers that say how sure they are: the other states the record allows, and why.

``state`` asks, for each projector and stream, every state the record allows at
the date (:func:`chronicle.possibilities`); an answer with more than one is shown
as uncertain, with its alternatives and the events whose placement splits them.
``--why`` adds the events that made the state, with their sources. For people,
two states count as two only if they read differently; for programs (``--json``),
if they differ at all.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from chronicle._cli import _politics_words
from chronicle._cli._render import occurrence_dict
from chronicle._cli._words import date_text, type_label
from chronicle._codec import encode
from chronicle._errors import TooUncertain
from chronicle._event import Event
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Occurrence, Policy, iter_timeline
from chronicle._replay._possible import explore
from chronicle._replay._why import changes
from chronicle._replay._windows import items_of

__all__ = ["LIMIT", "Answer", "answers", "event_text", "json_fields", "rows", "type_text"]

LIMIT = 5_000
"""The most partial states a command explores to tell whether an answer is certain.

A command answers in seconds, however wide the record's uncertainty: past this, the
answer is shown as not checked, with the events whose order is left open."""

Rows = list[tuple[str, str]]
"""(label, sentence) pairs: the rows of a state's table."""


@attrs.frozen
class Answer:
    """One projector's answer for one stream, and how sure it is.

    Attributes:
        projector: The projector.
        state: The state shown (the replay's, by the policy asked for).
        states: Every state the record allows, the replay's (certain policy) first.
        undecided: The events whose unknown order or occurrence splits them.
        made_by: The events that made ``state``, in fold order (asked for with --why).
        refused: Why the states could not all be enumerated (:class:`TooUncertain`), if so.
        day: The date asked about.
    """

    projector: Projector[Any]
    state: Any
    states: tuple[Any, ...]
    undecided: tuple[Occurrence, ...] = ()
    made_by: tuple[Occurrence, ...] = ()
    refused: str | None = None
    day: datetime.date | None = None

    @property
    def certain(self) -> bool:
        """Whether the record allows this answer only."""
        return len(self.states) <= 1 and self.refused is None


def _shown(projector: Projector[Any]) -> Callable[[Any], object]:
    """What a person sees of a state: its rows of sentences."""
    return lambda state: tuple(_politics_words.state_rows(projector.name, state))


def answers(
    log: Log,
    projectors: Sequence[Projector[Any]],
    states: Sequence[Any],
    *,
    stream: str,
    day: datetime.date | None,
    known_at: datetime.datetime | None,
    policy: Policy,
    why: bool,
    for_people: bool,
) -> list[Answer]:
    """Each projector's answer in ``stream``, with the states the record allows (one read)."""
    occurrences = list(
        iter_timeline(
            log, stream=stream, as_of=day, known_at=known_at, policy="possible", missing_ok=True
        )
    )
    found = []
    for projector, state in zip(projectors, states, strict=True):
        items = list(items_of(occurrences, projector, day))
        made = changes(projector, items, possible=policy == "possible")[1] if why else ()
        view = _shown(projector) if for_people else None
        try:
            possible = explore(items, projector, view=view, limit=LIMIT)
        except TooUncertain as error:
            found.append(Answer(projector, state, (state,), (), made, str(error), day))
            continue
        found.append(
            Answer(
                projector,
                state,
                tuple(each.state for each in possible),
                possible.undecided,
                made,
                None,
                day,
            )
        )
    return found


def type_text(event: Event) -> str:
    """An event's type in words: ``election postponed``."""
    return type_label(typing.cast("str", encode(event)["type"]))


def _publishers(event: Event) -> str:
    return ", ".join(dict.fromkeys(source.publisher for source in event.sources))


def event_text(occurrence: Occurrence, day: datetime.date | None = None) -> str:
    """``25 Sep 2023, election postponed (Government of Mali)``: an event, its date, its sources.

    An event that only possibly happened by ``day`` says so: ``perhaps not yet``.
    """
    event = occurrence.event
    maybe = day is not None and event.occurred.latest > day
    publishers = _publishers(event)
    return (
        f"{date_text(event.occurred)}, {type_text(event)}"
        + (", perhaps not yet" if maybe else "")
        + (f" ({publishers})" if publishers else "")
        + f" [#{occurrence.record.position}]"
    )


_LISTED = 8
"""How many of the events behind an uncertain answer a table names (the latest; --json has all)."""


def _undecided_text(answer: Answer) -> str:
    shown = answer.undecided[-_LISTED:]
    listed = "; ".join(event_text(each, answer.day) for each in shown)
    more = len(answer.undecided) - len(shown)
    earlier = f"{more:,} earlier events and " if more else ""
    return f"when these happened, which their dates leave open: {earlier}{listed}"


def _because(projector: Projector[Any], made_by: Iterable[Occurrence]) -> Rows:
    """The events that made the state, each with what it did and its sources."""
    found: Rows = []
    state = projector.initial
    for occurrence in made_by:
        new = projector.apply(state, occurrence.event)
        did = "; ".join(_politics_words.change_sentences(state, new, projector.name))
        event = occurrence.event
        sources = _publishers(event)
        text = f"{date_text(event.occurred)}: {did}" + (f" ({sources})" if sources else "")
        found.append(("because" if not found else "", f"{text} [#{occurrence.record.position}]"))
        state = new
    return found or [("because", "no event changed it")]


def rows(answer: Answer, *, why: bool) -> Rows:
    """An answer as labelled sentences: the state, or its alternatives and what splits them."""
    name = answer.projector.name
    if answer.certain or answer.refused is not None:
        shown = _politics_words.state_rows(name, answer.state)
    else:
        shown = [
            *_politics_words.uncertain_rows(name, answer.states),
            ("depends on", _undecided_text(answer)),
        ]
    if answer.refused is not None:
        shown.append(("certainty", f"not checked: {answer.refused}"))
    if why:
        shown += _because(answer.projector, answer.made_by)
    return shown


def json_fields(found: Sequence[Answer], *, why: bool) -> dict[str, Any]:
    """The keys an answer adds to a stream's JSON line: alternatives, undecided, why."""
    fields: dict[str, Any] = {}
    uncertain = [answer for answer in found if not answer.certain]
    if uncertain:
        fields["possible"] = {a.projector.name: list(a.states) for a in uncertain}
        fields["undecided"] = {
            a.projector.name: [occurrence_dict(each) for each in a.undecided] for a in uncertain
        }
    refused = {a.projector.name: a.refused for a in found if a.refused is not None}
    if refused:
        fields["unchecked"] = refused
    if why:
        fields["why"] = {
            a.projector.name: [occurrence_dict(each) for each in a.made_by] for a in found
        }
    return fields
