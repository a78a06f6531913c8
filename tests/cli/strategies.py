"""Cheap strategies for the command-line tests: the library's laws are tested with richer ones.

These tests check what the commands do with a log (check it, copy it), so they
need many logs quickly rather than every form of event.
"""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from chronicle import Corrected, Correction, Event, Log, MemoryStore, Record, Retracted
from tests.domain import Appointed
from tests.strategies import stepping_clock

STREAMS = st.sampled_from(["mali", "niger", "burkina"])
DAYS = st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31))
appointments = st.builds(
    Appointed,
    occurred=DAYS | DAYS.map(lambda day: day.strftime("%Y-%m")) | DAYS.map(lambda d: str(d.year)),
    office=st.just("president"),
    name=st.sampled_from(["Keïta", "Goïta", "N'Daw"]),
)


@st.composite
def sound_logs(draw: st.DrawFn) -> Log:
    """A well-formed log of a few streams: appends of events, and corrections of earlier ones."""
    log = Log(MemoryStore(), clock=stepping_clock())
    targets: dict[str, list[Record]] = {}
    for _ in range(draw(st.integers(1, 8))):
        stream = draw(STREAMS)
        earlier = targets.setdefault(stream, [])
        if earlier and draw(st.booleans()):
            target = draw(st.sampled_from(earlier)).id
            replacement = draw(appointments)
            entries: list[Event | Correction] = [
                draw(
                    st.sampled_from(
                        [
                            Retracted(target=target, reason="wrong"),
                            Corrected(target=target, reason="fixed", replacement=replacement),
                        ]
                    )
                )
            ]
        else:
            entries = draw(st.lists(appointments, min_size=1, max_size=4))
        records = log.append(stream, entries)
        earlier += [record for record in records if isinstance(record.event, Event)]
    return log
