"""Fixtures of the store tests: each kind of store in turn (see ``tests.stores.kinds``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stores.kinds import KINDS, PERSISTENT, StoreKind, make_kind


@pytest.fixture(scope="session", params=KINDS)
def store_kind(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreKind]:
    """Each kind of store in turn (session-wide, so hypothesis tests can use it)."""
    kind = make_kind(request.param, tmp_path_factory)
    yield kind
    kind.close()


@pytest.fixture(scope="session", params=PERSISTENT)
def persistent_kind(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreKind]:
    """Each kind of store that keeps its log outside the process."""
    kind = make_kind(request.param, tmp_path_factory)
    yield kind
    kind.close()
