"""Hypothesis settings profiles: one for CI, one for development."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["heavy_examples", "register_profiles"]

# Built on hypothesis' defaults, not on whichever profile is loaded when this is imported.
_DEFAULT = settings.get_profile("default")
CI = settings(
    _DEFAULT,
    max_examples=200,
    stateful_step_count=20,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
DEV = settings(_DEFAULT, max_examples=50, stateful_step_count=20, deadline=None)


def register_profiles(*, ci: str = "ci", dev: str = "dev", load: bool = True) -> str | None:
    """Register chronicle's two hypothesis profiles, and load the one the environment names.

    ``ci`` is deterministic and thorough: 200 examples, derandomized (the same
    examples on every run, so a failure in CI is a failure on every machine), no
    example database, and a failing example printed as a blob to reproduce it.
    Its time is bounded by its counts of examples and of state-machine steps, not
    by deadlines, which would make results depend on the machine's speed.
    ``dev`` is quick (50 examples) and random, and keeps the example database, so
    a failure found once is tried first on the next run.

    Args:
        ci: The name to register the CI profile under.
        dev: The name to register the development profile under.
        load: Also load the profile named by the ``HYPOTHESIS_PROFILE`` environment
            variable (``dev`` if it is not set).

    Returns:
        The name of the profile loaded, or None if ``load`` is false.

    Example (a ``conftest.py``)::

        from chronicle.testing import register_profiles

        register_profiles()
    """
    settings.register_profile(ci, CI)
    settings.register_profile(dev, DEV)
    if not load:
        return None
    name = os.environ.get("HYPOTHESIS_PROFILE", dev)
    settings.load_profile(name)
    return name


def heavy_examples() -> int:
    """How many examples a heavy test draws: a quarter of the profile's, at least 10.

    An example of :func:`check_projector` is a whole chronology replayed a dozen
    ways against six laws, and one of a :class:`ChronicleMachine` a whole run of
    steps: each weighs as much as dozens of ordinary examples (so 50 of them in the
    CI profile).
    """
    profile: int = settings().max_examples
    return max(10, profile // 4)
