"""chronicle.testing.politics: strategies and a state machine for the politics domain.

Importing it registers a strategy of valid events for each politics event type, so
that :func:`chronicle.testing.events_of` and :func:`chronicle.testing.events` draw
events the domain accepts.

Values drawn from
    :data:`PEOPLE` (and :data:`people`, drawing one), :data:`OFFICER_NAMES`,
    :data:`OFFICES`, :data:`VALID_TIMES` (and :data:`whens`, drawing from it),
    :data:`counts`, :data:`officers`.
Events of one type
    :func:`coups`, :data:`installations`, :data:`departures`, :data:`appointments`,
    :data:`government_departures`, :func:`schedules`,
    :func:`postponements`, :func:`helds`, :func:`voidings`, :func:`arrests`,
    :func:`releases`, :data:`attacks`, :func:`casualty_reports`; all of them by type in
    :data:`STRATEGIES`, and :data:`political_events` for any type.
Histories
    :func:`histories` (plausible stories of one country) and
    :func:`political_chronologies` (their chronologies, corrections included).
State machine
    :class:`PoliticsMachine`.
"""

from chronicle.testing._politics import (
    OFFICER_NAMES,
    OFFICES,
    PEOPLE,
    STRATEGIES,
    VALID_TIMES,
    appointments,
    arrests,
    attacks,
    casualty_reports,
    counts,
    coups,
    departures,
    government_departures,
    helds,
    histories,
    installations,
    officers,
    people,
    political_chronologies,
    political_events,
    postponements,
    releases,
    schedules,
    voidings,
    whens,
)
from chronicle.testing._politics_machine import PoliticsMachine

__all__ = [
    "OFFICER_NAMES",
    "OFFICES",
    "PEOPLE",
    "STRATEGIES",
    "VALID_TIMES",
    "PoliticsMachine",
    "appointments",
    "arrests",
    "attacks",
    "casualty_reports",
    "counts",
    "coups",
    "departures",
    "government_departures",
    "helds",
    "histories",
    "installations",
    "officers",
    "people",
    "political_chronologies",
    "political_events",
    "postponements",
    "releases",
    "schedules",
    "voidings",
    "whens",
]
