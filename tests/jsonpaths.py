"""The two ways chronicle reads and writes JSON: through orjson where it may, or json alone.

Tests that must hold on both take ``PATHS`` as a parameter and run their body in
``json_path(name)``. The orjson path is skipped where orjson is not installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chronicle import _json

HAS_ORJSON = importlib.util.find_spec("orjson") is not None

PATHS = [
    pytest.param("orjson", marks=pytest.mark.skipif(not HAS_ORJSON, reason="orjson not installed")),
    "json",
]
"""``orjson``: orjson where it gives the same values (the default with the extra); ``json``:
Python's json alone (the default without it)."""


@contextmanager
def json_path(name: str) -> Iterator[None]:
    """Read and write JSON on the path ``name`` (see :data:`PATHS`) inside the block."""
    saved = _json._orjson
    if name == "json":
        _json._orjson = None
    else:
        assert saved is not None, "orjson is not installed"
    try:
        yield
    finally:
        _json._orjson = saved
