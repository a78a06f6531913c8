"""The events of the politics domain, each checked at construction.

An event that cannot be true raises :class:`chronicle.InvalidEvent`, naming the
field and the value, when it is made (and so when a stored one is read back).
The rules, beyond "names, titles, offices, places and scopes are not empty":

- :class:`CoupOccurred`: ``ousted`` and ``seized_by``, when both are named, differ
  (nobody ousts themselves).
- :class:`ElectionScheduled`: the vote is not scheduled wholly before the day it was
  scheduled (``for_date.latest >= occurred.earliest``).
- :class:`ElectionPostponed`: the new date, if any, is not wholly in the past either;
  and when the postponed date (``replaces``) is given, the new date can fall after it
  (``new_date.latest > replaces.earliest``): a postponement never brings a vote forward.
- :class:`OfficersArrested`, :class:`OfficersReleased`: there is someone (a named officer
  or a count of at least one), each name appears once, and an exact count is not
  smaller than the number of officers named (the named are among the counted).
- :class:`CasualtiesReported`: a figure for a period is not reported wholly before the
  period ends (``occurred.latest >= period.latest``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs

import chronicle
from chronicle import Event, InvalidEvent, When
from chronicle._fieldtypes import implied_by_type, non_blank
from chronicle.politics._values import Count, Officer

__all__ = [
    "AttackOccurred",
    "CasualtiesReported",
    "CoupOccurred",
    "ElectionHeld",
    "ElectionPostponed",
    "ElectionScheduled",
    "ElectionVoided",
    "HeadOfGovernmentAppointed",
    "HeadOfGovernmentLeft",
    "HeadOfStateInstalled",
    "HeadOfStateLeft",
    "OfficersArrested",
    "OfficersReleased",
    "PartiesDissolved",
    "PartiesRestored",
    "PartiesSuspended",
]


def _optional_when(value: When | datetime.date | str | None) -> When | None:
    return None if value is None else When(value)


def _blank_or_name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """An attrs validator: empty (not stated) or a name, never blanks alone."""
    if not isinstance(value, str) or (value and not value.strip()):
        raise InvalidEvent(
            f"{type(instance).__name__}.{attribute.name} must be a name or empty (not stated),"
            f" not {value!r}"
        )


def _boolean(instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise InvalidEvent(
            f"{type(instance).__name__}.{attribute.name} must be True or False, not {value!r}"
        )


def _count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    optional = attribute.default is None
    if not isinstance(value, Count) and not (optional and value is None):
        raise InvalidEvent(
            f"{type(instance).__name__}.{attribute.name} must be a Count, not {value!r}"
        )


def _officers(value: Iterable[Officer]) -> tuple[Officer, ...]:
    officers = tuple(value)
    for officer in officers:
        if not isinstance(officer, Officer):
            raise InvalidEvent(f"officers must be Officer values, not {officer!r}")
    return officers


implied_by_type(_optional_when, _boolean, _count, _officers)


def _check_people(event: OfficersArrested | OfficersReleased) -> None:
    """The rules shared by arrests and releases (see the module docstring).

    Run on every arrest and release read from a log: the names are counted only when
    one is repeated.
    """
    officers, count = event.officers, event.count
    if count is None:
        if not officers:
            raise InvalidEvent(
                f"{type(event).__name__} names no officer and gives no count: it concerns nobody"
            )
    elif count.minimum < 1:
        raise InvalidEvent(f"{type(event).__name__}.count is {count}: it concerns nobody")
    named = len(officers)
    if named > 1:
        names = [officer.name for officer in officers]
        if len(set(names)) != named:
            repeated = sorted({name for name in names if names.count(name) > 1})
            raise InvalidEvent(
                f"{type(event).__name__} names {', '.join(map(repr, repeated))} more than once"
            )
    if count is not None and count.value < named and count.exact:
        raise InvalidEvent(
            f"{type(event).__name__}.count is exactly {count.value}, fewer than the"
            f" {named} officers it names"
        )


@chronicle.event("politics.coup_occurred")
class CoupOccurred(Event):
    """An attempt by (part of) the armed forces to seize power.

    Attributes:
        ousted: Who was (or was to be) overthrown: the sitting head of state; empty when
            the source does not name them (a dataset that records only the attempt).
        seized_by: The leader of the attempt; empty when the source does not name them.
        successful: Whether power changed hands.
        junta: The body the plotters formed, if they named one ("CNSP").
    """

    ousted: str = attrs.field(default="", validator=_blank_or_name)
    seized_by: str = attrs.field(default="", validator=_blank_or_name)
    successful: bool = attrs.field(validator=_boolean)
    junta: str = ""

    def __attrs_post_init__(self) -> None:
        if self.ousted and self.ousted == self.seized_by:
            raise InvalidEvent(f"CoupOccurred: {self.ousted!r} cannot both oust and be ousted")


@chronicle.event("politics.head_of_state_installed")
class HeadOfStateInstalled(Event):
    """Someone became head of state (sworn in, proclaimed, appointed).

    Attributes:
        name: The new head of state.
        title: The office's title ("President of the Transition").
    """

    name: str = attrs.field(validator=non_blank)
    title: str = attrs.field(validator=non_blank)


@chronicle.event("politics.head_of_state_left")
class HeadOfStateLeft(Event):
    """A head of state left office, with no successor named by this event.

    The end of a tenure that a source dates on its own (a leader list's end month,
    a resignation, a death); a successor, when there is one, is installed by a
    :class:`HeadOfStateInstalled` of its own.

    Attributes:
        name: Who left: it ends the tenure only if this person holds it.
    """

    name: str = attrs.field(validator=non_blank)


@chronicle.event("politics.head_of_government_appointed")
class HeadOfGovernmentAppointed(Event):
    """Someone became head of government (appointed, reinstated, or named to act).

    Attributes:
        name: The new head of government.
        title: The office's title ("Prime Minister", "interim Prime Minister").
    """

    name: str = attrs.field(validator=non_blank)
    title: str = attrs.field(validator=non_blank)


@chronicle.event("politics.head_of_government_left")
class HeadOfGovernmentLeft(Event):
    """A head of government left office (resigned, was dismissed), with no successor named here.

    A successor, when there is one, is appointed by a :class:`HeadOfGovernmentAppointed`
    of its own.

    Attributes:
        name: Who left: it ends the tenure only if this person holds it.
    """

    name: str = attrs.field(validator=non_blank)


@chronicle.event("politics.election_scheduled")
class ElectionScheduled(Event):
    """A vote was promised for a date: a day, a month, or a window ("within 18 months").

    Attributes:
        office: What the vote is for ("president", "legislature").
        for_date: The date promised, at the precision of the promise.
    """

    office: str = attrs.field(validator=non_blank)
    for_date: When = attrs.field(converter=When)

    def __attrs_post_init__(self) -> None:
        if self.for_date.latest < self.occurred.earliest:
            raise InvalidEvent(
                f"ElectionScheduled: for_date {self.for_date} is wholly before the day it was "
                f"scheduled ({self.occurred})"
            )


@chronicle.event("politics.election_postponed")
class ElectionPostponed(Event):
    """A promised vote was put off, to a new date or to none.

    Attributes:
        office: What the vote is for.
        new_date: The date now promised; ``None`` when no date was given (indefinitely).
        replaces: The date that was postponed, when the source states it.
        reason: The reason given, in the words of whoever postponed it.
    """

    office: str = attrs.field(validator=non_blank)
    new_date: When | None = attrs.field(default=None, converter=_optional_when)
    replaces: When | None = attrs.field(default=None, converter=_optional_when)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        new, old = self.new_date, self.replaces
        if new is None:
            return
        if new.latest < self.occurred.earliest:
            raise InvalidEvent(
                f"ElectionPostponed: new_date {new} is wholly before the postponement "
                f"({self.occurred})"
            )
        if old is not None and new.latest <= old.earliest:
            raise InvalidEvent(
                f"ElectionPostponed: new_date {new} cannot fall after the date it replaces "
                f"({old}): that is not a postponement"
            )


@chronicle.event("politics.election_held")
class ElectionHeld(Event):
    """A vote took place.

    Attributes:
        office: What the vote was for.
        winner: Who won, once known.
    """

    office: str = attrs.field(validator=non_blank)
    winner: str = ""


@chronicle.event("politics.election_voided")
class ElectionVoided(Event):
    """A vote was called off or annulled: it will not take place, or its result stands void.

    Attributes:
        office: What the vote was for.
        reason: The reason given, in the words of whoever voided it.
    """

    office: str = attrs.field(validator=non_blank)
    reason: str = ""


@chronicle.event("politics.parties_suspended")
class PartiesSuspended(Event):
    """Political parties were barred from activity, without being dissolved.

    Attributes:
        scope: Which organisations ("all political parties and associations").
    """

    scope: str = attrs.field(validator=non_blank)


@chronicle.event("politics.parties_dissolved")
class PartiesDissolved(Event):
    """Political parties were dissolved.

    Attributes:
        scope: Which organisations, in the words of the decree or the source.
    """

    scope: str = attrs.field(validator=non_blank)


@chronicle.event("politics.parties_restored")
class PartiesRestored(Event):
    """Political parties were allowed to act again (a suspension lifted, a ban repealed).

    Attributes:
        scope: Which organisations.
    """

    scope: str = attrs.field(validator=non_blank)


@chronicle.event("politics.officers_arrested")
class OfficersArrested(Event):
    """Members of the armed forces were detained.

    Attributes:
        officers: Those named, each once.
        count: How many were detained in all, named or not, as reported ("at least 45").
        accusation: What they are accused of, as reported.
    """

    officers: tuple[Officer, ...] = attrs.field(default=(), converter=_officers)
    count: Count | None = attrs.field(default=None, validator=_count)
    accusation: str = ""

    def __attrs_post_init__(self) -> None:
        _check_people(self)


@chronicle.event("politics.officers_released")
class OfficersReleased(Event):
    """Detained members of the armed forces were freed.

    Attributes:
        officers: Those named, each once.
        count: How many were released in all, named or not, as reported.
    """

    officers: tuple[Officer, ...] = attrs.field(default=(), converter=_officers)
    count: Count | None = attrs.field(default=None, validator=_count)

    def __attrs_post_init__(self) -> None:
        _check_people(self)


@chronicle.event("politics.attack_occurred")
class AttackOccurred(Event):
    """An armed attack.

    Attributes:
        perpetrator: Who carried it out (or claimed it), as reported.
        place: Where.
        killed: How many were killed, as reported; ``None`` when no figure is known.
    """

    perpetrator: str = attrs.field(validator=non_blank)
    place: str = attrs.field(validator=non_blank)
    killed: Count | None = attrs.field(default=None, validator=_count)


@chronicle.event("politics.casualties_reported")
class CasualtiesReported(Event):
    """A body that counts casualties published a figure for a region and a period.

    ``occurred`` is when the figure was reported; ``period`` is what it covers.

    Attributes:
        period: The span the figure covers ("2024-01/2024-06").
        region: The region it covers.
        killed: The number killed.
        reported_by: Who counted ("ACLED"); the publication it was read in is a source.
        perpetrator: Whose killings are counted, if the figure is restricted to some.
    """

    period: When = attrs.field(converter=When)
    region: str = attrs.field(validator=non_blank)
    killed: Count = attrs.field(validator=_count)
    reported_by: str = attrs.field(validator=non_blank)
    perpetrator: str = ""

    def __attrs_post_init__(self) -> None:
        if self.occurred.latest < self.period.latest:
            raise InvalidEvent(
                f"CasualtiesReported: a figure for {self.period} cannot be reported wholly "
                f"before the period ends (reported {self.occurred})"
            )
