"""A generated politics log: deterministic (seeded), of any length.

Eight countries, one stream each, with chronologies from 1990 whose days advance
as the log grows, so that a log of any length spans about 35 years. Most events
are dated to the day and appended in time order; some are dated to the month or
the year, or as an interval; some arrive late (dated up to three years back);
``fill`` also retracts or corrects about one event in 200.

The mix of event types is a plausible one: few attacks and few changes of
leader, elections held regularly, a bounded roster of officers and of casualty
figures. ``ConflictToll`` keeps every attack and ``HeadOfState`` every former
leader, in persistent vectors that a new one does not copy, so their states grow
with the log while each event costs the same.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from typing import cast

import attrs

from chronicle import Corrected, Event, InvalidEvent, Log, Retracted, When
from chronicle.politics import (
    AttackOccurred,
    CasualtiesReported,
    Count,
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

COUNTRIES = ("mali", "niger", "burkina", "chad", "guinea", "sudan", "gabon", "tunisia")
START = datetime.date(1990, 1, 1)
SPAN_DAYS = 35 * 365
BATCH = 1000
"""Events per append: each append is one country's next events."""

_NAMES = tuple(
    f"{first} {last}"
    for first in ("Amadou", "Moussa", "Ibrahim", "Assimi", "Mamadi")
    for last in ("Traoré", "Diallo", "Touré", "Keïta", "Goïta", "Doumbouya")
)
_OFFICES = ("president", "legislature", "referendum")
_SCOPES = ("all political parties", "opposition parties", "parties and associations")
_REGIONS = ("north", "centre", "south", "east", "west")
_GROUPS = ("JNIM", "ISGS", "unidentified gunmen")
_PLACES = tuple(f"village {n}" for n in range(40))
_COUNTERS = ("ACLED", "UN OCHA")
_OFFICERS = tuple(Officer(name=f"Officer {n}", rank="Colonel", branch="army") for n in range(30))

Maker = Callable[[random.Random, When, datetime.date], Event]
"""Makes an event of one type dated ``when``, in a chronology whose front is at a day."""


def _later(rng: random.Random, day: datetime.date) -> When:
    ahead = day + datetime.timedelta(days=rng.randint(90, 700))
    return When(ahead.strftime("%Y-%m")) if rng.random() < 0.5 else When(ahead)


def _count(rng: random.Random, at_least: int = 0) -> Count:
    value = at_least + rng.randint(1, 40)
    return Count(value) if rng.random() < 0.7 else Count(value, "at least")


def _officers(rng: random.Random) -> tuple[Officer, ...]:
    return tuple(rng.sample(_OFFICERS, rng.randint(0, 2)))


def _arrested(rng: random.Random, when: When, _day: datetime.date) -> Event:
    officers = _officers(rng)
    return OfficersArrested(occurred=when, officers=officers, count=_count(rng, len(officers)))


def _released(rng: random.Random, when: When, _day: datetime.date) -> Event:
    officers = _officers(rng)
    return OfficersReleased(occurred=when, officers=officers, count=_count(rng, len(officers)))


def _coup(rng: random.Random, when: When, _day: datetime.date) -> Event:
    ousted, seized = rng.sample(_NAMES, 2)
    return CoupOccurred(occurred=when, ousted=ousted, seized_by=seized, successful=True)


# Weights per thousand events, by type.
_MIX: tuple[tuple[int, Maker], ...] = (
    (
        170,
        lambda r, w, d: ElectionScheduled(
            occurred=w, office=r.choice(_OFFICES), for_date=_later(r, max(d, w.latest))
        ),
    ),
    (
        150,
        lambda r, w, d: ElectionPostponed(
            occurred=w,
            office=r.choice(_OFFICES),
            new_date=_later(r, max(d, w.latest)),
            reason="security",
        ),
    ),
    (90, lambda r, w, _d: ElectionHeld(occurred=w, office=r.choice(_OFFICES))),
    (10, lambda r, w, _d: ElectionVoided(occurred=w, office=r.choice(_OFFICES))),
    (160, _arrested),
    (160, _released),
    (60, lambda r, w, _d: PartiesSuspended(occurred=w, scope=r.choice(_SCOPES))),
    (40, lambda r, w, _d: PartiesDissolved(occurred=w, scope=r.choice(_SCOPES))),
    (120, lambda r, w, _d: PartiesRestored(occurred=w, scope=r.choice(_SCOPES))),
    (
        15,
        lambda r, w, _d: AttackOccurred(
            occurred=w, perpetrator=r.choice(_GROUPS), place=r.choice(_PLACES), killed=_count(r)
        ),
    ),
    (
        15,
        lambda r, w, _d: CasualtiesReported(
            occurred=w,
            period=When(str(w.earliest.year - 1)),
            region=r.choice(_REGIONS),
            killed=_count(r),
            reported_by=r.choice(_COUNTERS),
        ),
    ),
    (
        4,
        lambda r, w, _d: HeadOfStateInstalled(occurred=w, name=r.choice(_NAMES), title="President"),
    ),
    (3, lambda r, w, _d: HeadOfStateLeft(occurred=w, name=r.choice(_NAMES))),
    (3, _coup),
)


def _when(rng: random.Random, day: datetime.date) -> When:
    """A valid time around ``day``: mostly the day, sometimes its month, year or a span."""
    roll = rng.random()
    if roll < 0.85:
        return When(day)
    if roll < 0.93:
        return When(day.strftime("%Y-%m"))
    if roll < 0.97:
        return When(day.strftime("%Y"))
    return When.between(day, day + datetime.timedelta(days=rng.randint(1, 60)))


def batches(count: int, *, seed: int = 2012) -> Iterator[tuple[str, list[Event]]]:
    """``count`` events in appends of :data:`BATCH`, each a country's next events."""
    rng = random.Random(seed)
    makers = [maker for weight, maker in _MIX for _ in range(weight)]
    step = SPAN_DAYS * len(COUNTRIES) / max(count, 1)
    fronts = dict.fromkeys(COUNTRIES, 0.0)
    made = 0
    while made < count:
        country = COUNTRIES[(made // BATCH) % len(COUNTRIES)]
        size = min(BATCH, count - made)
        batch = []
        for _ in range(size):
            fronts[country] += rng.expovariate(1 / step)
            front = START + datetime.timedelta(days=int(fronts[country]))
            late = rng.random() < 0.03
            day = front - datetime.timedelta(days=rng.randint(1, 3 * 365)) if late else front
            batch.append(rng.choice(makers)(rng, _when(rng, max(day, START)), front))
        made += size
        yield country, batch


def events(count: int, *, seed: int = 2012) -> list[Event]:
    """``count`` events, in the order :func:`batches` appends them."""
    return [event for _, batch in batches(count, seed=seed) for event in batch]


def fill(log: Log, count: int, *, seed: int = 2012) -> None:
    """Append ``count`` events to ``log``, with a retraction or correction for one in 200.

    Each correction is appended right after its country's batch, and targets one
    of that batch's events.
    """
    rng = random.Random(seed + 1)
    for country, batch in batches(count, seed=seed):
        records = log.append(country, batch)
        fixes: list[Retracted | Corrected] = []
        for record in rng.sample(records, len(records) // 200):
            if rng.random() < 0.5:
                fixes.append(Retracted(target=record.id, reason="not confirmed"))
                continue
            event = cast("Event", record.event)
            earlier = event.occurred.earliest - datetime.timedelta(days=rng.randint(1, 30))
            try:
                moved = attrs.evolve(event, occurred=When(max(earlier, START)))
            except InvalidEvent:  # a date its type refuses (a figure before its period ends)
                fixes.append(Retracted(target=record.id, reason="not confirmed"))
                continue
            fixes.append(Corrected(target=record.id, reason="misdated", replacement=moved))
        if fixes:
            log.append(country, fixes)
