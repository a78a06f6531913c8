"""The version of chronicle, as its installed distribution (``chronicle-history``) says."""

from __future__ import annotations

from importlib import metadata

__all__ = ["DISTRIBUTION", "UNKNOWN", "__version__", "installed_version"]

DISTRIBUTION = "chronicle-history"
"""The name chronicle is installed under (``pip install chronicle-history``)."""
UNKNOWN = "0+unknown"
"""The version of a copy that is not installed (run from a source tree)."""


def installed_version(distribution: str = DISTRIBUTION) -> str:
    """The installed version of ``distribution``, or :data:`UNKNOWN` if it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return UNKNOWN


__version__ = installed_version()
