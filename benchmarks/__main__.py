"""Run the benchmarks: ``python -m benchmarks [--quick] [--only NAME ...]``.

Every ``benchmarks/bench_*.py`` module is a benchmark; its ``main()`` measures
and prints its figures. ``--quick`` asks for the small sizes only: it is passed
as ``main(quick=True)`` to the benchmarks whose ``main`` takes a ``quick``
argument (the others run as they are). ``--only replay`` runs ``bench_replay``
alone. Run from the repository root, with chronicle installed
(``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    """The benchmarks found: the ``bench_*`` modules of this package, without the prefix."""
    return sorted(
        module.name.removeprefix("bench_")
        for module in pkgutil.iter_modules([str(HERE)])
        if module.name.startswith("bench_")
    )


def run(name: str, *, quick: bool) -> None:
    """Import ``benchmarks.bench_<name>`` and call its ``main()``."""
    module = importlib.import_module(f"benchmarks.bench_{name}")
    main = module.main
    began = time.perf_counter()
    print(f"== {name} ==", flush=True)
    if "quick" in inspect.signature(main).parameters:
        main(quick=quick)
    else:
        main()
    print(f"== {name}: {time.perf_counter() - began:.0f} s ==\n", flush=True)


def cli(argv: list[str] | None = None) -> int:
    """Parse the command line and run the benchmarks it names."""
    found = names()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument(
        "--only", action="append", choices=found, metavar="NAME", help=f"one of {found}"
    )
    options = parser.parse_args(argv)
    for name in options.only or found:
        run(name, quick=options.quick)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
