"""Fixtures of the testing kit's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import chronicle
from chronicle import _event


@pytest.fixture
def forget_new_types() -> Iterator[None]:
    """Unregister the event types a test declares, so that events() elsewhere never draws them."""
    before = set(chronicle.registered_types())
    yield
    for name in set(chronicle.registered_types()) - before:
        del _event._registry[name]
