"""A writer process for the store tests: ``python -m tests.stores.writer MODE TARGET WRITER``.

It opens the log at TARGET with ``chronicle.open`` (as a user's program would),
prints ``ready``, waits for a line on its standard input, then appends:

- ``race``: 30 times, one event with the stream's version read just before as
  the expected version; prints ``ok <position>`` or ``conflict`` for each try.
- ``forever``: batches of three events, numbered from 1, until it is killed;
  prints ``ack <batch> <last position>`` once each append has returned.

Event amounts say who wrote what: ``WRITER * 1000 + try`` (race) and
``batch * 10 + index in batch`` (forever).
"""

from __future__ import annotations

import itertools
import sys

import chronicle
from chronicle import ConcurrencyError
from tests.domain import Counted

TRIES = 30
BATCH = 3


def main(mode: str, target: str, writer: int) -> None:
    log = chronicle.open(target)
    print("ready", flush=True)
    sys.stdin.readline()
    if mode == "race":
        for attempt in range(TRIES):
            event = Counted(occurred="2020", amount=writer * 1000 + attempt)
            try:
                (record,) = log.append("race", [event], expected_version=log.version("race"))
            except ConcurrencyError:
                print("conflict", flush=True)
            else:
                print(f"ok {record.position}", flush=True)
    elif mode == "forever":
        for batch in itertools.count(1):
            events = [Counted(occurred="2020", amount=batch * 10 + n) for n in range(BATCH)]
            records = log.append("crash", events)
            print(f"ack {batch} {records[-1].position}", flush=True)
    log.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
