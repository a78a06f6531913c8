"""The politics states in sentences: who leads and how, the promised vote and its drift, ...

``state`` shows each politics state as a few labelled sentences ("head of state":
"Assimi Goïta, President of the Transition, since 7 Jun 2021"), and ``history`` each
change as one ("the vote for president was set for 4 Feb 2024, 707 days later than
promised"). Any other state falls back to :mod:`chronicle._cli._words`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chronicle._cli import _words
from chronicle._cli._words import date_text
from chronicle._event import Source
from chronicle._when import When
from chronicle.politics import Detention, Drift, Elections, Leader, Leadership, Parties, Toll

__all__ = [
    "change_sentences",
    "drift_summary",
    "slip_text",
    "source_text",
    "state_rows",
    "target_text",
    "uncertain_rows",
]

Rows = list[tuple[str, str]]
"""(label, sentence) pairs: the rows of a state's table."""


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _leader(leader: Leader) -> str:
    return f"{leader.name}, {leader.title}, since {date_text(leader.since)}" + (
        ", after a coup" if leader.by_coup else ""
    )


_OFFICES = {"politics.HeadOfGovernment": "head of government"}
"""The office a projector's :class:`Leadership` is of, by projector name (else head of state)."""


def _office(name: str) -> str:
    return _OFFICES.get(name, "head of state")


def _leadership_rows(name: str, state: Leadership) -> Rows:
    if state.current is not None:
        rows = [(_office(name), _leader(state.current))]
    else:
        rows = [(_office(name), "vacant" if state.former else "none recorded")]
    if state.former:
        rows.append(
            (
                "before",
                "; ".join(
                    f"{leader.name} ({leader.title}, from {date_text(leader.since)})"
                    for leader in reversed(state.former)
                ),
            )
        )
    return rows


def target_text(when: When) -> str:
    """A promised date, after "for" or "to": ``4 Feb 2024``, ``a day between Sep 2020 and 2022``."""
    return f"a day {date_text(when)}" if when.is_interval else date_text(when)


def slip_text(days: int) -> str:
    """``707 days later``, ``12 days earlier``, or ``the same day``."""
    if days == 0:
        return "the same day"
    return f"{_plural(abs(days), 'day')} {'later' if days > 0 else 'earlier'}"


def drift_summary(drift: Drift) -> str:
    """How far the promised date moved; empty if it never did.

    ``postponed 4 times, 2,101 days later than the first promise (Mar 2022)``.
    """
    dated = [promise.date for promise in drift.promises if promise.date is not None]
    total = drift.total_slip
    parts = []
    if drift.postponements:
        parts.append(f"postponed {_plural(drift.postponements, 'time')}")
    if total and dated:
        parts.append(f"{slip_text(total)} than the first promise ({target_text(dated[0])})")
    return ", ".join(parts)


def _drift_now(drift: Drift) -> str:
    if drift.held is not None:
        now = f"held on {date_text(drift.held)}"
    elif drift.voided is not None:
        now = f"called off on {date_text(drift.voided)}"
    elif not drift.promises:
        return "no date promised"
    elif drift.current is None:
        now = f"postponed on {date_text(drift.promises[-1].made)}, with no new date"
    else:
        now = f"set for {target_text(drift.current)}"
    summary = drift_summary(drift)
    return f"{now}; {summary}" if summary else now


def _elections_rows(state: Elections) -> Rows:
    if not state.drifts:
        return [("promised vote", "no vote promised")]
    return [(f"vote for {drift.office}", _drift_now(drift)) for drift in state.drifts]


def _parties_rows(state: Parties) -> Rows:
    if state.since is None:
        return [("political parties", state.status)]
    if state.status == "active":
        return [("political parties", f"active again since {date_text(state.since)}")]
    return [("political parties", f"{state.status} since {date_text(state.since)} ({state.scope})")]


def _detention_rows(state: Detention) -> Rows:
    rows = [("officers held", "; ".join(map(str, state.held)) or "none named")]
    if state.reported_detained is not None:
        rows.append(("reported detained", f"{state.reported_detained} in all"))
    if state.reported_released is not None:
        rows.append(("reported released", f"{state.reported_released} in all"))
    return rows


def _toll_rows(state: Toll) -> Rows:
    count = len(state.attacks)
    attacks = (
        f"{_plural(count, 'attack')} recorded, {state.killed_in_attacks} killed in them"
        if count
        else "no attack recorded"
    )
    rows = [("attacks", attacks)]
    if state.reports:
        rows.append(
            (
                "casualties reported",
                "; ".join(
                    f"{report.reported_by}: {report.killed} killed in {report.region},"
                    f" {date_text(report.period)}"
                    for report in state.reports
                ),
            )
        )
    return rows


_ROWS: dict[type, Callable[[str, Any], Rows]] = {
    Leadership: _leadership_rows,
    Elections: lambda _name, state: _elections_rows(state),
    Parties: lambda _name, state: _parties_rows(state),
    Detention: lambda _name, state: _detention_rows(state),
    Toll: lambda _name, state: _toll_rows(state),
}


def state_rows(name: str, state: Any) -> Rows:
    """A projector's state as labelled sentences.

    A politics state has sentences of its own; any other state is a row naming the
    projector, then a row for each of its fields (or the whole state on that row).
    """
    rows = _ROWS.get(type(state))
    if rows is not None:
        return rows(name, state)
    fields = _words.rows(state)
    if [label for label, _ in fields] == ["state"]:
        return [(name, fields[0][1])]
    return [(name, ""), *((f"  {label}", text) for label, text in fields)]


def source_text(source: Source) -> str:
    """A source as a reference: ``Republic of Mali, 'Charte de la Transition', 8 Jul 2025``."""
    parts = [source.publisher]
    if source.title:
        parts.append(f"'{source.title}'")
    if source.published is not None:
        parts.append(date_text(source.published))
    return ", ".join(parts)


def _now_promised(drift: Drift) -> tuple[str, str]:
    """What one possible drift promises now, and on whose word (its first source)."""
    if drift.held is not None:
        return f"held on {date_text(drift.held)}", ""
    if drift.voided is not None:
        return f"called off on {date_text(drift.voided)}", ""
    if not drift.promises:
        return "no date promised", ""
    promise = drift.promises[-1]
    what = "no date" if promise.date is None else target_text(promise.date)
    who = source_text(promise.sources[0]) if promise.sources else f"made {date_text(promise.made)}"
    return what, who


def _uncertain_drift(drifts: Sequence[Drift]) -> str:
    """``uncertain: 2027 (an article, Aug 2025) or no date (a charter, 8 Jul 2025); ...``.

    The alternatives are what each possible drift promises now, each with the
    sources of the promises that give it; then what all of them agree on: how many
    times the vote was postponed, and how far the last date promised lies from the
    first.
    """
    if all(drift == drifts[0] for drift in drifts):
        return _drift_now(drifts[0])
    alternatives: dict[str, list[str]] = {}
    for drift in drifts:
        what, who = _now_promised(drift)
        behind = alternatives.setdefault(what, [])
        if who and who not in behind:
            behind.append(who)
    said = " or ".join(
        f"{what} ({'; '.join(behind)})" if behind else what for what, behind in alternatives.items()
    )
    if len(alternatives) == 1:
        [(what, behind)] = alternatives.items()
        said = f"{what} either way, by one of these promises: {'; '.join(behind)}"
    else:
        said = f"uncertain: {said}"
    agreed = []
    if len({drift.postponements for drift in drifts}) == 1 and drifts[0].postponements:
        agreed.append(f"postponed {_plural(drifts[0].postponements, 'time')}")
    spans = {(drift.total_slip, _first_and_last(drift)) for drift in drifts}
    if len(spans) == 1:
        [(total, ends)] = spans
        if total and ends is not None:
            first, last = ends
            agreed.append(
                f"{_plural(abs(total), 'day')} from the first date promised"
                f" ({target_text(first)}) to the last ({target_text(last)})"
            )
    return "; ".join([said, *agreed])


def _first_and_last(drift: Drift) -> tuple[When, When] | None:
    dated = [promise.date for promise in drift.promises if promise.date is not None]
    return (dated[0], dated[-1]) if dated else None


def uncertain_rows(name: str, states: Sequence[Any]) -> Rows:
    """Several possible states of projector ``name`` as labelled sentences, their differences said.

    A row all the states agree on reads as for one state; a row they differ on
    reads ``uncertain: A or B``. The promised vote says what each alternative
    promises now, and on whose word.
    """
    if states and all(isinstance(state, Elections) for state in states):
        offices = list(dict.fromkeys(office for state in states for office in state.offices))
        return [
            (
                f"vote for {office}",
                _uncertain_drift([state[office] for state in states]),
            )
            for office in offices
        ] or [("promised vote", "no vote promised")]
    each = [dict(state_rows(name, state)) for state in states]
    labels = list(dict.fromkeys(label for rows in each for label in rows))
    merged: Rows = []
    for label in labels:
        texts = list(dict.fromkeys(rows.get(label, "none") for rows in each))
        merged.append((label, texts[0] if len(texts) == 1 else "uncertain: " + " or ".join(texts)))
    return merged


def _leadership_changes(name: str, old: Leadership, new: Leadership) -> list[str]:
    leader, before = new.current, old.current
    if leader == before:
        return []
    if leader is None:
        return ["the office fell vacant" if before is None else f"{before.name} left office"]
    if before is not None and before.name == leader.name:
        return [f"{leader.name} became {leader.title}"]
    if leader.by_coup:
        return [f"{leader.name} took power in a coup ({leader.title})"]
    return [f"{leader.name} became {_office(name)} ({leader.title})"]


def _drift_changes(old: Drift, new: Drift) -> list[str]:
    vote = f"the vote for {new.office}"
    sentences = []
    slips = new.slips()
    dated_before = any(promise.date is not None for promise in old.promises)
    for index in range(len(old.promises), len(new.promises)):
        promise, slip = new.promises[index], slips[index]
        if promise.date is None:
            reason = f": {promise.reason}" if promise.reason else ""
            sentences.append(f"{vote} was postponed, with no new date{reason}")
        elif slip is None:
            verb = "postponed to" if promise.postponement and dated_before else "promised for"
            sentences.append(f"{vote} was {verb} {target_text(promise.date)}")
        else:
            verb = "postponed to" if promise.postponement else "set for"
            moved = "" if slip == 0 else f", {slip_text(slip)} than promised"
            sentences.append(f"{vote} was {verb} {target_text(promise.date)}{moved}")
        dated_before = dated_before or promise.date is not None
    if new.held is not None and new.held != old.held:
        sentences.append(f"{vote} was held")
    if new.voided is not None and new.voided != old.voided:
        sentences.append(f"{vote} was called off")
    return sentences


def _elections_changes(old: Elections, new: Elections) -> list[str]:
    return [
        sentence
        for drift in new.drifts
        if drift != old[drift.office]
        for sentence in _drift_changes(old[drift.office], drift)
    ]


_PARTY_VERBS = {"suspended": "suspended", "dissolved": "dissolved", "active": "restored"}


def _parties_changes(old: Parties, new: Parties) -> list[str]:
    if (old.status, old.since) == (new.status, new.since):
        return []
    return [f"political parties were {_PARTY_VERBS[new.status]} ({new.scope})"]


def _detention_changes(old: Detention, new: Detention) -> list[str]:
    sentences = []
    held_before = {officer.name for officer in old.held}
    held_now = {officer.name for officer in new.held}
    arrested = [officer for officer in new.held if officer.name not in held_before]
    released = [officer for officer in old.held if officer.name not in held_now]
    for officers, what in ((arrested, "arrested"), (released, "released")):
        if officers:
            verb = "was" if len(officers) == 1 else "were"
            sentences.append(f"{'; '.join(map(str, officers))} {verb} {what}")
    if new.reported_detained != old.reported_detained and new.reported_detained is not None:
        sentences.append(f"{new.reported_detained} reported detained in all")
    if new.reported_released != old.reported_released and new.reported_released is not None:
        sentences.append(f"{new.reported_released} reported released in all")
    return sentences


def _toll_changes(old: Toll, new: Toll) -> list[str]:
    sentences = []
    for attack in new.attacks[len(old.attacks) :]:
        toll = "no toll reported" if attack.killed is None else f"{attack.killed} killed"
        sentences.append(f"an attack by {attack.perpetrator} at {attack.place}: {toll}")
    sentences += [
        f"{report.reported_by} reported {report.killed} killed in {report.region},"
        f" {date_text(report.period)}"
        for report in new.reports
        if report not in old.reports
    ]
    return sentences


_CHANGES: dict[type, Callable[[str, Any, Any], list[str]]] = {
    Leadership: _leadership_changes,
    Elections: lambda _name, old, new: _elections_changes(old, new),
    Parties: lambda _name, old, new: _parties_changes(old, new),
    Detention: lambda _name, old, new: _detention_changes(old, new),
    Toll: lambda _name, old, new: _toll_changes(old, new),
}


def change_sentences(old: Any, new: Any, name: str = "") -> list[str]:
    """What changed from ``old`` to ``new`` in projector ``name``'s state, as sentences.

    (``_words.changes`` for a state that is not a politics state.)
    """
    sentences = _CHANGES.get(type(new))
    found = sentences(name, old, new) if sentences is not None and type(old) is type(new) else []
    return found or _words.changes(old, new)
