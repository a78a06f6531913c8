"""Writing an output file whole or not at all: through a temporary file renamed into place.

A page or figure cut short (a full disk, an interrupted command) must not replace a
good one that a reader may be looking at: the new file is written beside its target
under a temporary name, then renamed over it, which the file system does at once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``.

    The temporary file keeps ``path``'s suffix (a writer may choose its format by
    it) and is removed if ``write`` fails.

    Raises:
        OSError: the file cannot be written or renamed; ``path`` is left as it was.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
