"""Files the commands write: never one of their inputs, and never left half written.

Two rules hold for every file a command writes (``export --out``, ``plot --out``,
the LOG of ``append`` and ``import``):

- **An output is not an input.** Before anything is read or written, a command
  whose output is one of its inputs refuses to run: the same file by another
  name (a symlink, a hard link, ``./``), or a side file of a log (SQLite's
  ``-wal``, ``-shm`` and ``-journal``, a JSON Lines log's ``.pending`` marker, a
  ``.snapshots`` file). Writing it would destroy what is being read. The refusal is
  a usage error: one line on stderr, exit code 2. Standard output redirected
  into an input (``chronicle export log.jsonl >> log.jsonl``) is refused too.
- **An output is replaced whole.** It is written to a temporary file beside it
  (in the same directory, so on the same file system), flushed to disk, and
  renamed over the target (:func:`os.replace`, atomic on POSIX) only once it is
  complete; an error midway removes the temporary file and leaves the target as
  it was. A target that is a symlink is written through: the file it names is
  replaced, keeping its permissions.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

import click

from chronicle._stores._files import fsync_dir

__all__ = ["SIDE_FILES", "check_not_an_input", "check_stdout", "replacing", "replacing_bytes"]

SIDE_FILES: Final = (
    "-wal",
    "-shm",
    "-journal",
    ".pending",
    ".snapshots",
    ".snapshots-wal",
    ".snapshots-shm",
    ".snapshots-journal",
)
"""The suffixes of the files a log keeps beside its own: SQLite's, and JSON Lines' marker."""


def _is_file_target(target: str | os.PathLike[str]) -> bool:
    """Whether a log target is a file (not a PostgreSQL URL, not memory)."""
    text = os.fspath(target)
    return "://" not in text and text != ":memory:"


def _same(first: Path, second: Path) -> bool:
    """Whether two paths name one file: one inode if both exist, else one resolved path."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet): compare where they lead
        return os.path.realpath(first) == os.path.realpath(second)


def _what(output: Path, name: str, target: str | os.PathLike[str]) -> str | None:
    """How ``output`` is part of the input ``name`` at ``target``, if it is."""
    if not _is_file_target(target):
        return None
    path = Path(target)
    if _same(output, path):
        return f"is {name} itself"
    side = next(
        (suffix for suffix in SIDE_FILES if _same(output, path.with_name(path.name + suffix))),
        None,
    )
    return None if side is None else f"is a side file ({side}) of {name}"


def check_not_an_input(
    output: str | os.PathLike[str], *, option: str, inputs: Mapping[str, str | os.PathLike[str]]
) -> None:
    """Refuse an output that is one of the command's inputs, or a side file of one.

    Args:
        output: The path the command would write.
        option: How the command line names the output (``--out``, ``LOG``).
        inputs: The inputs, by how the command line names them (``{"LOG": "mali.db"}``).

    Raises:
        click.BadParameter: the output is one of the inputs (a usage error, exit code 2).
    """
    if not _is_file_target(output):
        return
    for name, target in inputs.items():
        found = _what(Path(output), name, target)
        if found is not None:
            raise click.BadParameter(
                f"{os.fspath(output)!r} {found}: writing it would destroy what is read",
                ctx=click.get_current_context(silent=True),
                param_hint=option,
            )


def check_stdout(inputs: Mapping[str, str | os.PathLike[str]]) -> None:
    """Refuse to write to standard output when it is redirected into one of the inputs.

    Raises:
        click.BadParameter: standard output is one of the inputs (exit code 2).
    """
    try:
        written = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):  # not a file descriptor (captured output): nothing to compare
        return
    if not stat.S_ISREG(written.st_mode):
        return
    for name, target in inputs.items():
        if not _is_file_target(target):
            continue
        path = Path(target)
        for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
            with contextlib.suppress(OSError):
                if os.path.samestat(written, os.stat(candidate)):
                    raise click.BadParameter(
                        f"standard output is redirected into {name} ({os.fspath(candidate)!r}):"
                        " writing it would destroy what is read; use --out with another file",
                        ctx=click.get_current_context(silent=True),
                        param_hint="standard output",
                    )


def replacing(target: Path) -> contextlib.AbstractContextManager[IO[str]]:
    """A new text file (UTF-8) that replaces ``target`` when the ``with`` block ends without error.

    See the module for the temporary file, the rename, and symlinks.

    Raises:
        OSError: the directory cannot be written, or the rename failed.
    """
    return typing.cast("contextlib.AbstractContextManager[IO[str]]", _replacing(target, "w"))


def replacing_bytes(target: Path) -> contextlib.AbstractContextManager[IO[bytes]]:
    """Like :func:`replacing`, for a binary file (a figure)."""
    return typing.cast("contextlib.AbstractContextManager[IO[bytes]]", _replacing(target, "wb"))


@contextlib.contextmanager
def _replacing(target: Path, mode: str) -> Iterator[IO[Any]]:
    final = Path(os.path.realpath(target))  # through a symlink, to the file it names
    temporary = final.with_name(f".{final.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):  # an existing file keeps its permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(final).st_mode))
        text = "b" not in mode  # text: UTF-8, newlines as written (csv writes its own)
        encoding, newline = ("utf-8", "") if text else (None, None)
        with open(descriptor, mode, encoding=encoding, newline=newline) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_dir(final.parent)
