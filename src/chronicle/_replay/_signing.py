"""The key that signs durable checkpoints: this machine's (or this team's), never the log's.

A checkpoint stored beside a log travels with it (in the SQLite file, the JSON
Lines log's side file, the PostgreSQL schema), so a log received from elsewhere
may carry checkpoints its sender made, or forged. chronicle trusts only the
checkpoints it signed with a key that is not in the log:

- ``CHRONICLE_CHECKPOINT_KEY``: the key as hexadecimal text (32 bytes or more),
  for a team whose processes share a PostgreSQL log and its checkpoints;
- else the file named by ``CHRONICLE_CHECKPOINT_KEY_FILE``, or
  ``$XDG_DATA_HOME/chronicle/checkpoint.key`` (``~/.local/share/...`` by default),
  made with 32 random bytes, readable by its owner only, on first use;
- else, where no such file can be made, a key of the process's own: its
  checkpoints serve the process, and the next one rebuilds them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
from pathlib import Path
from typing import Final

from chronicle._errors import StoreError

__all__ = ["fingerprint", "signing_key"]

_KEY_BYTES: Final = 32


def _key_file() -> Path:
    named = os.environ.get("CHRONICLE_CHECKPOINT_KEY_FILE")
    if named:
        return Path(named)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "chronicle" / "checkpoint.key"


def _from_text(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise StoreError(f"{where}: the checkpoint key is not hexadecimal text") from None
    if len(key) < _KEY_BYTES:
        raise StoreError(f"{where}: the checkpoint key has {len(key)} bytes, fewer than 32")
    return key


def _from_file(path: Path) -> bytes | None:
    """The key in ``path``, made there first if there is none (None if it cannot be)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(_KEY_BYTES) + "\n")
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.strip():  # another process is writing it this very moment
        return None
    return _from_text(text, str(path))


@functools.cache
def signing_key() -> bytes:
    """The key this process signs and checks durable checkpoints with.

    Raises:
        StoreError: ``CHRONICLE_CHECKPOINT_KEY`` or the key file holds no usable key.
    """
    given = os.environ.get("CHRONICLE_CHECKPOINT_KEY")
    if given:
        return _from_text(given, "CHRONICLE_CHECKPOINT_KEY")
    found = _from_file(_key_file())
    return secrets.token_bytes(_KEY_BYTES) if found is None else found


def fingerprint(key: bytes) -> str:
    """A short name of a key that does not reveal it: whose checkpoints a series holds."""
    return hashlib.sha256(b"chronicle checkpoint key " + key).hexdigest()[:16]
