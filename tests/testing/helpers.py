"""Helpers of the kit's tests: settings for heavy examples, and drawing many values at once."""

from __future__ import annotations

from typing import TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from chronicle.testing._profiles import heavy_examples

T = TypeVar("T")

HEAVY = settings(max_examples=heavy_examples())
"""For tests whose every example is a whole chronology: as many as check_projector draws."""


def sample(strategy: st.SearchStrategy[T], count: int = 200) -> list[T]:
    """``count`` values drawn from ``strategy``, the same on every run, and not shrunk."""
    drawn: list[T] = []

    @settings(
        max_examples=count,
        phases=(Phase.generate,),
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        drawn.append(value)

    collect()
    return drawn
