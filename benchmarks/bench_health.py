"""Benchmark: how often check_projector's default strategies fail hypothesis' health checks.

For each politics projector, ``check_projector`` with its default strategies (no
``events=``), from seeds 0 to 19 (``--quick``: 0 to 4), with the current
hypothesis profile's number of examples; a run fails if hypothesis raises
``FailedHealthCheck``. ``--derived`` leaves the politics domain's strategies out,
so that events are derived from their fields, as for a domain that registers
none. Target: 0 failures in 20 runs per projector.

``append_order`` is left out of the laws, as in the politics tests: two
contradicting facts of one day fold in append order, by design.

``python -m benchmarks.bench_health [--quick] [--derived]``
"""

from __future__ import annotations

import sys
import time

from hypothesis.errors import FailedHealthCheck

from chronicle.politics import PROJECTORS
from chronicle.testing import LAWS, _fields, check_projector

RUNS = 20
QUICK = 5
LAWS_BUT_APPEND_ORDER = [law for law in LAWS if law.name != "append_order"]


def main(*, quick: bool = False, derived: bool = False) -> None:
    """Run the checks and print, per projector, the health-check failures out of the runs."""
    if derived:
        _fields._DOMAIN_STRATEGIES.clear()
    runs = QUICK if quick else RUNS
    print(f"{'projector':<28} {'failed':>8} {'time':>8}", flush=True)
    for name, projector in PROJECTORS.items():
        failed = 0
        began = time.perf_counter()
        for seed in range(runs):
            try:
                check_projector(projector, laws=LAWS_BUT_APPEND_ORDER, seed=seed)
            except FailedHealthCheck:
                failed += 1
        spent = time.perf_counter() - began
        print(f"{name:<28} {failed:>4}/{runs:<3} {spent:>7.1f}s", flush=True)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:], derived="--derived" in sys.argv[1:])
