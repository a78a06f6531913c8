"""What the store tests share: richer events, feeding a plan to a log, running as nobody."""

from __future__ import annotations

import datetime
import itertools
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import strategies as st

from chronicle import ANY, Clock, Corrected, Event, Log, Record, Retracted, Source, Store, When
from tests.domain import Appointed, Counted, Vacated
from tests.strategies import Step, stepping_clock

START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


WHENS = [
    When(text)
    for year in range(2010, 2026)
    for text in (f"{year}", f"{year}-06", f"{year}-03-15", f"{year}-01/{year}-12", f"{year}-08-18?")
]
"""Valid times of every precision, many overlapping: drawn from a list (faster than built)."""
whens = st.sampled_from(WHENS)
offices = st.sampled_from(["president", "prime minister"])
texts = st.text(max_size=12)
"""Any text: quotes, newlines, line separators, emoji, combining marks."""
names = st.text(min_size=1, max_size=12).filter(str.strip)

events: st.SearchStrategy[Event] = st.one_of(
    st.builds(Appointed, occurred=whens, office=offices, name=st.sampled_from(["Keïta", "Goïta"])),
    st.builds(Vacated, occurred=whens, office=offices),
    st.builds(Counted, occurred=whens, amount=st.integers(-9, 9)),
)
"""The core's test events, quickly drawn."""
sources = st.builds(Source, publisher=names, title=texts, url=st.none() | texts, published=whens)
rich_events: st.SearchStrategy[Event] = st.one_of(
    events,
    st.builds(
        Appointed,
        occurred=whens,
        office=names,
        name=names,
        sources=st.lists(sources, max_size=2).map(tuple),
    ),
)
"""Those events, and events whose text and sources are anything at all."""


@st.composite
def plans(draw: st.DrawFn, max_steps: int = 5) -> list[Step]:
    """Appends of events, and retractions and corrections of earlier events (by index)."""
    steps: list[Step] = []
    count = 0
    for _ in range(draw(st.integers(1, max_steps))):
        if count and draw(st.booleans()):
            earlier = st.integers(0, count - 1)
            retract = draw(st.lists(earlier, max_size=2, unique=True))
            correct = draw(st.lists(st.tuples(earlier, events), max_size=2))
            steps.append(Step(retract=tuple(retract), correct=tuple(correct)))
        else:
            batch = draw(st.lists(events, min_size=1, max_size=4))
            count += len(batch)
            steps.append(Step(events=tuple(batch)))
    return steps


stream_names = st.sampled_from(["mali", "niger", "Burkina Faso", "côte d'ivoire", "a\nb"])


def feed(log: Log, plan: list[Step], stream: str) -> list[list[Record]]:
    """Append a plan (see ``tests.strategies.plans``) to ``stream``; the records of each append."""
    appended: list[list[Record]] = []
    event_records = [r for r in log.read(stream) if not isinstance(r.event, Retracted | Corrected)]
    for step in plan:
        entries: list[Event | Retracted | Corrected] = list(step.events)
        entries += [Retracted(target=event_records[i].id, reason="wrong") for i in step.retract]
        entries += [
            Corrected(target=event_records[i].id, reason="fixed", replacement=replacement)
            for i, replacement in step.correct
        ]
        if entries:
            records = log.append(stream, entries, expected_version=ANY)
            event_records += [r for r in records if isinstance(r.event, Event)]
            appended.append(records)
    return appended


class Part:
    """Where one example starts on a shared store: after its head, in streams of its own.

    Attributes:
        base: The position of the head when the example started.
        start: A record time one hour after the head's, where the example's clock starts.
    """

    _numbers = itertools.count(1)

    def __init__(self, store: Store) -> None:
        self.store = store
        self.base, head_time = store.head()
        self.start = (head_time or START) + datetime.timedelta(hours=1)
        self._prefix = f"{next(self._numbers)}/"

    def stream(self, name: str) -> str:
        """The example's own stream called ``name``."""
        return self._prefix + name

    def mine(self, stream: str) -> bool:
        """Whether ``stream`` is one of the example's own."""
        return stream.startswith(self._prefix)

    def clock(self) -> Clock:
        """A clock that starts at ``start`` and moves one hour on every reading."""
        return stepping_clock(self.start)

    def log(self) -> Log:
        """A log over the store with the example's clock."""
        return Log(self.store, clock=self.clock())

    def records(self) -> list[Record]:
        """The records appended since the example started."""
        return list(self.store.read(from_position=self.base + 1))


T = TypeVar("T")


def unprivileged(action: Callable[[], T]) -> T:
    """``action()``, run without the power to write files that are not writable.

    The superuser writes read-only files anyway, so when the tests run as root
    the action runs in a forked child that has become ``nobody``, and its result
    (or exception) comes back through a pipe. The files it uses must be
    readable by everyone: make them in a :func:`shared_directory`.
    """
    if os.geteuid() != 0:
        return action()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: drop root, act, report, and leave without cleaning up
        os.close(reading)
        try:
            os.setgid(65534)
            os.setuid(65534)
            outcome: tuple[bool, Any] = (True, action())
        except BaseException as error:  # handed back to the parent
            outcome = (False, error)
        with os.fdopen(writing, "wb") as pipe:
            pickle.dump(outcome, pipe)
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        succeeded, value = pickle.load(pipe)  # written by our own child
    os.waitpid(child, 0)
    if not succeeded:
        raise value
    return value  # type: ignore[no-any-return]


@contextmanager
def shared_directory() -> Iterator[Path]:
    """A new directory everyone may read, and only its owner may write."""
    directory = Path(tempfile.mkdtemp(prefix="chronicle-test-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory)


def snapshot(path: Path) -> dict[str, bytes]:
    """The name and bytes of every file in the directory of ``path``: to see nothing changed."""
    return {child.name: child.read_bytes() for child in sorted(path.parent.iterdir())}
