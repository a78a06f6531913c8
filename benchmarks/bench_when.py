"""Benchmark: parsing EDTF with chronicle's When against the edtf package.

Both sides parse the same 10,000 distinct strings (days, months, years, qualifiers,
intervals) and get the strict bounds: ours through the uncached inner parser, edtf
through ``parse_edtf`` then ``lower_strict()`` and ``upper_strict()``. Medians of
several repeats are reported, with the ratio. Run from the repository root with
chronicle importable: ``PYTHONPATH=src python benchmarks/bench_when.py``.
"""

from __future__ import annotations

import datetime
import random
import statistics
import timeit
from typing import TYPE_CHECKING

import edtf

from chronicle._when import When, _parse, _parse_uncached

if TYPE_CHECKING:
    from collections.abc import Callable

COUNT = 10_000
REPEATS = 7
EDTF_REPEATS = 3  # edtf takes milliseconds a string: minutes a repeat


def _side(rng: random.Random, day: datetime.date) -> str:
    text = day.isoformat()[: rng.choice((4, 7, 10, 10))]
    return text + rng.choice(("", "", "", "?", "~", "%"))


def edtf_texts(count: int = COUNT, seed: int = 2020) -> list[str]:
    """``count`` distinct EDTF strings of the supported subset, a fifth of them intervals."""
    rng = random.Random(seed)
    first = datetime.date(1800, 1, 1).toordinal()
    last = datetime.date(2100, 12, 31).toordinal()
    texts: dict[str, None] = {}
    while len(texts) < count:
        a, b = sorted(datetime.date.fromordinal(rng.randint(first, last)) for _ in range(2))
        text = f"{_side(rng, a)}/{_side(rng, b)}" if rng.random() < 0.2 else _side(rng, a)
        texts[text] = None
    return list(texts)


def _ours(texts: list[str]) -> None:
    for text in texts:
        when = _parse_uncached(text)
        _ = (when.earliest, when.latest)


def _theirs(texts: list[str]) -> None:
    for text in texts:
        parsed = edtf.parse_edtf(text)
        _ = (parsed.lower_strict(), parsed.upper_strict())


def _cached(texts: list[str]) -> None:
    for text in texts:
        _ = When(text).key


def _median(function: Callable[[list[str]], None], texts: list[str], repeats: int) -> float:
    times = timeit.repeat(lambda: function(texts), number=1, repeat=repeats)
    return statistics.median(times)


def main() -> None:
    """Time both parsers on the same strings and print the medians and their ratio."""
    texts = edtf_texts()
    held = texts[: _parse.cache_info().maxsize or COUNT]
    _cached(held)  # fill the cache for the cached measurement: as many texts as it holds
    ours = _median(_ours, texts, REPEATS)
    theirs = _median(_theirs, texts, EDTF_REPEATS)
    cached = _median(_cached, held, REPEATS)
    print(
        f"{COUNT:,} distinct EDTF strings; medians of {REPEATS} repeats ({EDTF_REPEATS} for edtf)"
    )
    _report("chronicle When, uncached parse", ours, COUNT)
    _report("edtf parse_edtf + strict bounds", theirs, COUNT)
    print(f"  {'ratio edtf / chronicle':<32}: {theirs / ours:9.1f}x")
    _report(f"chronicle When(text), cached ({len(held):,})", cached, len(held))


def _report(label: str, seconds: float, count: int) -> None:
    print(f"  {label:<32}: {seconds * 1e3:9.2f} ms ({seconds / count * 1e6:.2f} us each)")


if __name__ == "__main__":
    main()
