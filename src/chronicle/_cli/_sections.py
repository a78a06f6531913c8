"""The sections of ``state`` and ``history``: one stream's answer, in words or as JSON Lines."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from chronicle._cli import _politics_words, _uncertain
from chronicle._cli._output import Output
from chronicle._projector import Projector
from chronicle._when import When

__all__ = ["question", "write_states", "write_steps"]


def question(as_of: str | None, known_at: str | None) -> str:
    """``, as of 2021-06-01, as known at 2025-09-15``: what a section's states answer."""
    return (f", as of {as_of}" if as_of else "") + (f", as known at {known_at}" if known_at else "")


def write_states(
    out: Output, title: str, stream: str, answers: Sequence[_uncertain.Answer], *, why: bool
) -> None:
    """One stream's states: a table of sentences, or one JSON object.

    An answer the record leaves uncertain shows its alternatives and the events
    that split them; ``why`` adds the events that made each state.
    """
    if out.as_json:
        named = {answer.projector.name: answer.state for answer in answers}
        out.json({"stream": stream, "states": named, **_uncertain.json_fields(answers, why=why)})
        return
    out.rows(title, [row for answer in answers for row in _uncertain.rows(answer, why=why)])


def write_steps(
    out: Output,
    title: str,
    stream: str,
    projector: Projector[Any],
    steps: Iterator[tuple[When, Any]],
) -> int:
    """One stream's history: dated sentences under a heading, or JSON objects; return how many."""
    if out.as_json:
        count = 0
        for when, value in steps:
            out.json({"stream": stream, "date": when, "state": value})
            count += 1
        return count
    first = next(steps, None)
    if first is None:
        return 0
    out.heading(title)

    def sentences() -> Iterator[tuple[When, str]]:
        previous = projector.initial
        for when, value in itertools.chain([first], steps):
            yield (
                when,
                "; ".join(_politics_words.change_sentences(previous, value, projector.name)) or "-",
            )
            previous = value

    count = out.dated(sentences())
    if not out.terminal:
        out.line()
    return count
