"""Events told in words, for pages and timelines people read: "Coup: Assimi Goïta seized power".

Each politics event has a sentence of its own and a kind, which a page colours and
groups by (coups, heads of state, elections, parties, arrests, violence). An event
of another domain is told by its type and fields, in the order they were declared.
Everything here is plain text: the page and the TimelineJS export escape it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, cast

import attrs

from chronicle._cli._plot_data import human, vote
from chronicle._event import Event, event_type
from chronicle._when import When
from chronicle.politics import (
    AttackOccurred,
    CasualtiesReported,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    Officer,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)

__all__ = ["GROUPS", "Told", "spoken", "tell"]

GROUPS: Final = {
    "coup": "Coups",
    "leader": "Heads of state",
    "vote": "Elections",
    "parties": "Parties",
    "arrest": "Arrests",
    "violence": "Violence",
    "other": "Other events",
}
"""Each kind of event, and how a timeline names its group."""


@attrs.frozen
class Told:
    """An event in words.

    Attributes:
        kind: One of :data:`GROUPS`' keys.
        headline: A short sentence: what happened.
        details: More, if the event says more (a reason, names, an accusation).
    """

    kind: str
    headline: str
    details: str = ""


def _names(officers: tuple[Officer, ...]) -> str:
    return "; ".join(str(officer) for officer in officers)


def _officers(verb: str, event: OfficersArrested | OfficersReleased) -> Told:
    count = f"{event.count} officers" if event.count is not None else "Officers"
    return Told("arrest", f"{count[:1].upper()}{count[1:]} {verb}", _names(event.officers))


def _coup(event: CoupOccurred) -> Told:
    if not event.successful:
        return Told(
            "coup", "Failed coup attempt", f"against {event.ousted}" if event.ousted else ""
        )
    who = event.seized_by or "the army"
    headline = f"Coup: {who} seized power" + (f" from {event.ousted}" if event.ousted else "")
    return Told("coup", headline, f"The junta: {event.junta}." if event.junta else "")


def _postponed(event: ElectionPostponed) -> Told:
    to = f"to {_for(event.new_date)}" if event.new_date is not None else "with no new date"
    details = f"Reason given: {event.reason}" if event.reason else ""
    return Told("vote", f"The {vote(event.office)} is postponed {to}", details)


_TELLERS: Final[dict[type[Event], Callable[[Any], Told]]] = {
    CoupOccurred: _coup,
    HeadOfStateInstalled: lambda e: Told("leader", f"{e.name} becomes {e.title}"),
    HeadOfStateLeft: lambda e: Told("leader", f"{e.name} leaves office"),
    ElectionScheduled: lambda e: Told(
        "vote", f"The {vote(e.office)} is set for {_for(e.for_date)}"
    ),
    ElectionPostponed: _postponed,
    ElectionHeld: lambda e: Told(
        "vote", f"The {vote(e.office)} is held", f"Won by {e.winner}." if e.winner else ""
    ),
    ElectionVoided: lambda e: Told(
        "vote",
        f"The {vote(e.office)} is called off",
        f"Reason given: {e.reason}" if e.reason else "",
    ),
    PartiesSuspended: lambda e: Told("parties", f"Parties suspended: {e.scope}"),
    PartiesDissolved: lambda e: Told("parties", f"Parties dissolved: {e.scope}"),
    PartiesRestored: lambda e: Told("parties", f"Parties allowed again: {e.scope}"),
    OfficersArrested: lambda e: _officers("arrested", e),
    OfficersReleased: lambda e: _officers("released", e),
    AttackOccurred: lambda e: Told(
        "violence",
        f"Attack by {e.perpetrator} at {e.place}"
        + (f": {e.killed} killed" if e.killed is not None else ""),
    ),
    CasualtiesReported: lambda e: Told(
        "violence",
        f"{e.reported_by} counts {e.killed} killed in {e.region}, {spoken(e.period)}",
        f"Attributed to {e.perpetrator}." if e.perpetrator else "",
    ),
}


def _for(when: When) -> str:
    """The date a vote is set for: "27 Feb 2022", "a date between 12 Sep 2020 and Mar 2022"."""
    if when.is_interval:
        return f"a date between {spoken(when.start)} and {spoken(when.end)}"
    return spoken(when)


def spoken(when: When) -> str:
    """A date as a page says it: "18 Aug 2020", "Aug 2025", "about 2027", "Sep 2020 to Mar 2022"."""
    if when.is_interval:
        return f"{spoken(when.start)} to {spoken(when.end)}"
    said = human(when)
    if when.approximate:
        said = f"about {said}"
    return f"{said} (uncertain)" if when.uncertain else said


def _value(value: object) -> str:
    if isinstance(value, When):
        return human(value)
    if isinstance(value, tuple | list):
        return ", ".join(_value(item) for item in value)
    return str(value)


def tell(event: Event) -> Told:
    """The kind, headline and details of ``event``."""
    for cls in type(event).__mro__:
        teller = _TELLERS.get(cls)
        if teller is not None:
            return teller(event)
    fields = [
        f"{field.name}: {_value(getattr(event, field.name))}"
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(event)))
        if field.name not in ("occurred", "sources")
    ]
    return Told("other", event_type(type(event)).name, "; ".join(fields))
