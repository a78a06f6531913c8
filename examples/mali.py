"""Mali from 2020 to 2025, replayed from its chronology: who ruled, what was promised, who was held.

The chronology, ``mali.jsonl`` next to this script, is a JSON Lines log: one record
a line, each event with its sources. Its record times say when the chronicle
learned each fact: it was compiled on 1 September 2025, after the news article it
starts from, then amended by a retraction and by corrections to the days the sources
give, so a replay can show the record as it stood before them (``--known-at``).

Where the record allows more than one answer, the report says so: the article says
the vote was pushed to 2027 without saying when, and the charter of 8 July 2025 gave
the head of state five years without an election, so whether 2027 is still promised
depends on an order nobody knows. Such an answer reads "uncertain: ... or ...", with
the events whose dates leave it open (``chronicle.possibilities``, ``chronicle.why``).

Run::

    python examples/mali.py                      # several dates, the election drift, corrections
    python examples/mali.py --as-of 2021-05      # one date (a day, a month or a year)
    python examples/mali.py --as-of 2025-05-20 --known-at 2025-09-30

The command line gives the same answers for any log, stream and office:
``chronicle state``, and ``chronicle promises`` for the drift table below.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

import chronicle
from chronicle.politics import (
    ConflictToll,
    DetainedOfficers,
    Detention,
    Drift,
    Elections,
    HeadOfGovernment,
    HeadOfState,
    Leadership,
    Parties,
    PartyStatus,
    Promise,
    PromisedElection,
    Toll,
)

CHRONOLOGY = Path(__file__).with_name("mali.jsonl")
STREAM = "mali"
DATES = (
    "2020-08-17",  # the eve of the first coup
    "2020-08-19",  # the day after it
    "2020-10-01",  # the transition under Bah N'Daw
    "2021-05-23",  # the eve of the second coup
    "2021-06-08",  # the day after Goïta's swearing-in
    "2023-09",  # the month the February 2024 vote was postponed (and the 2027 claim may start)
    "2025-05-10",  # "in May 2025" the parties were dissolved: not yet certain on the 10th
    "2025-05-31",  # ... certain by the end of the month
)
PROJECTORS = (
    HeadOfState,
    HeadOfGovernment,
    PromisedElection,
    PartyStatus,
    DetainedOfficers,
    ConflictToll,
)
LABELS = (
    "head of state",
    "head of government",
    "election promised",
    "political parties",
    "detained officers",
    "conflict",
)

KnownAt = datetime.datetime | datetime.date | str | None


def today() -> datetime.date:
    """Today's date in UTC."""
    return datetime.datetime.now(datetime.UTC).date()


def describe_head(leadership: Leadership) -> str:
    if leadership.current is not None:
        return str(leadership.current)
    if leadership.former:
        return f"vacant; last: {leadership.former[-1]}"
    return "none recorded"


def describe_promise(drift: Drift) -> str:
    if drift.held is not None:
        return f"held on {drift.held}"
    if drift.voided is not None:
        return f"none: the vote was voided on {drift.voided}"
    if not drift.promises:
        return "none recorded"
    last = drift.promises[-1]
    source = f", {last.sources[0].publisher}" if last.sources else ""
    if last.date is None:
        return f"no date (postponed {last.made}{source})"
    how = "postponed to it" if last.postponement else "scheduled"
    return f"{last.date} ({how} {last.made}{source})"


def describe_election(elections: Elections) -> str:
    return describe_promise(elections["president"])


def describe_parties(parties: Parties) -> str:
    if parties.since is None:
        return parties.status
    return f"{parties.status} since {parties.since}: {parties.scope}"


def describe_detention(detention: Detention) -> str:
    named = "; ".join(map(str, detention.held)) or "none named"
    if detention.reported_detained is None:
        return named
    return f"{named} ({detention.reported_detained} soldiers reported detained)"


def describe_toll(toll: Toll) -> str:
    count = len(toll.attacks)
    attacks = (
        f"{count} attack{'s' if count > 1 else ''} recorded, {toll.killed_in_attacks} killed"
        if count
        else "no attack recorded"
    )
    figures = "".join(
        f"; {report.reported_by}: {report.killed} killed in the {report.region}, {report.period}"
        for report in toll.reports
    )
    return attacks + figures


DESCRIBE = (
    describe_head,
    describe_head,
    describe_election,
    describe_parties,
    describe_detention,
    describe_toll,
)


def describe_event(occurrence: chronicle.Occurrence, as_of: str) -> str:
    event = occurrence.event
    publishers = ", ".join(dict.fromkeys(source.publisher for source in event.sources))
    text = f"{event.occurred} {type(event).__name__}" + (f" ({publishers})" if publishers else "")
    maybe = event.occurred.latest > chronicle.When(as_of).latest
    return text + (", perhaps not yet by then" if maybe else "")


Fact = tuple[str, list[str], tuple[chronicle.Occurrence, ...]]
"""A label, every answer the record allows (one if certain), and the events that split them."""


def facts_at(log: chronicle.Log, as_of: str, known_at: KnownAt = None) -> list[Fact]:
    """What the record says of Mali at the end of ``as_of``, as it stood at ``known_at``.

    Each fact is every answer the record allows: one if it is certain; several, with
    the events whose dates leave it open, if not.
    """
    facts = []
    for label, projector, describe in zip(LABELS, PROJECTORS, DESCRIBE, strict=True):
        found = chronicle.possibilities(
            log, projector, stream=STREAM, as_of=as_of, known_at=known_at, view=describe
        )
        facts.append((label, [describe(p.state) for p in found], found.undecided))
    return facts


def fact_text(answers: list[str]) -> str:
    """One answer as it is; several as ``uncertain: A or B``."""
    return answers[0] if len(answers) == 1 else "uncertain: " + " or ".join(answers)


def state_at(log: chronicle.Log, as_of: str, known_at: KnownAt = None) -> list[str]:
    """The lines describing Mali at the end of ``as_of``, as the record stood at ``known_at``.

    An uncertain fact shows each answer on a line, then why: the events whose dates
    leave open when they came (before or after the others, or after ``as_of``).
    """
    day = chronicle.When(as_of).latest
    heading = f"Mali as of {as_of}" + ("" if str(day) == as_of else f" (the end of {day})")
    if known_at is not None:
        heading += f", as the record stood at {known_at}"
    lines = [heading]
    for label, answers, undecided in facts_at(log, as_of, known_at):
        if len(answers) == 1:
            lines.append(f"  {label:<18} {answers[0]}")
            continue
        lines.append(f"  {label:<18} uncertain: {answers[0]}")
        lines += [f"  {'':<18}         or: {answer}" for answer in answers[1:]]
        events = "; ".join(describe_event(occurrence, as_of) for occurrence in undecided)
        why = (
            "its date leaves open when it"
            if len(undecided) == 1
            else "their dates leave open when they"
        )
        lines.append(f"  {'':<18}        why: {why} came: {events}")
    return lines


def describe_change(promise: Promise, slip: int | None) -> str:
    if promise.date is None:
        return "postponed, no new date"
    moved = "" if slip is None else f"{abs(slip):,} days {'later' if slip > 0 else 'earlier'}"
    postponed = "postponed" if promise.postponement else ""
    return ", ".join(filter(None, [postponed, moved])) or "first promise"


def promised_now(elections: Elections) -> str:
    date = elections["president"].current
    return "no date" if date is None else str(date)


def drift_report(log: chronicle.Log) -> list[str]:
    """Every date promised for the presidential vote, and how far it slipped.

    The promises whose order the record leaves open are marked, and the summary
    gives every date that may be promised now.
    """
    answer = chronicle.why(log, PromisedElection, stream=STREAM, view=promised_now)
    drift = answer.state["president"]
    undecided = {(o.event.occurred, o.event.sources) for o in answer.undecided}
    made = max((len(str(promise.made)) for promise in drift.promises), default=0)
    promised = max((len(str(promise.date)) for promise in drift.promises), default=0)
    lines = [
        "The presidential vote, promise by promise",
        f"  {'made':<{made}} {'promised':<{promised}} {'change':<43} source",
    ]
    for promise, slip in zip(drift.promises, drift.slips(), strict=True):
        date = "-" if promise.date is None else str(promise.date)
        sources = ", ".join(dict.fromkeys(source.publisher for source in promise.sources))
        change = describe_change(promise, slip)
        if (promise.made, promise.sources) in undecided:
            change += "; order unknown"
        lines.append(f"  {promise.made!s:<{made}} {date:<{promised}} {change:<43} {sources}")
    dated = [promise.date for promise in drift.promises if promise.date is not None]
    total = drift.total_slip
    if total is None or not dated:
        return lines
    moved = (
        f"{total:,} days (about {total / 365.25:.1f} years), from {dated[0].latest}"
        f" to {dated[-1].latest}"
    )
    if answer.certain:
        lines.append(f"  Postponed {drift.postponements} times: the promised date moved {moved}.")
        return lines
    now = " or ".join(promised_now(possibility.state) for possibility in answer.possibilities)
    order = " and ".join(str(o.event.occurred) for o in answer.undecided)
    lines += [
        f"  Postponed {drift.postponements} times: the dates promised moved {moved}.",
        f"  But the promise in force is uncertain: {now}. The promises of {order}",
        "  came in an order their dates leave open, and the later one stands.",
    ]
    return lines


def corrections_report(log: chronicle.Log) -> list[str]:
    """Each correction in the log, and what it changed on the day it matters most.

    That day is the last day of the amended event (or of its replacement, if that
    is earlier): the state there is replayed as known just before the correction
    and just after it, for the projectors that handle the amended event (corrections
    appended together would otherwise show each other's changes).
    """
    lines = ["What the corrections changed"]
    for record in log.read(STREAM):
        correction = record.event
        if not isinstance(correction, chronicle.Correction):
            continue
        target = log.get(correction.target)
        if target is None or not isinstance(target.event, chronicle.Event):
            continue
        day = target.event.occurred.latest
        if isinstance(correction, chronicle.Corrected):
            day = min(day, correction.replacement.occurred.latest)
        lines.append(
            f"  {record.recorded_at:%Y-%m-%d}: {type(correction).__name__} the "
            f"{type(target.event).__name__} of {target.event.occurred}, recorded "
            f"{target.recorded_at:%Y-%m-%d}"
        )
        lines.append(f"    because: {correction.reason}")
        just_before = record.recorded_at - datetime.timedelta(microseconds=1)
        before = facts_at(log, str(day), just_before)
        after = facts_at(log, str(day), record.recorded_at)
        concerned = [p.handler_for(type(target.event)) is not None for p in PROJECTORS]
        for (label, old, _), (_, new, _), shown in zip(before, after, concerned, strict=True):
            if shown and old != new:
                lines.append(f"    {label} on {day}, known before: {fact_text(old)}")
                lines.append(f"    {label} on {day}, known after:  {fact_text(new)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", help="one date to show: YYYY, YYYY-MM or YYYY-MM-DD (EDTF)")
    parser.add_argument("--known-at", help="replay the record as it stood then (an ISO date)")
    args = parser.parse_args(argv)
    with chronicle.open(CHRONOLOGY) as log:
        try:
            if args.as_of is not None:
                lines = state_at(log, args.as_of, args.known_at)
            else:
                lines = []
                for day in (*DATES, str(today())):
                    lines += [*state_at(log, day, args.known_at), ""]
                lines += [*drift_report(log), "", *corrections_report(log)]
        except chronicle.ChronicleError as error:
            parser.error(str(error))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
