"""The ``chronicle`` command group: its global options, its error reporting, shared options.

Every error a user can cause (a missing file, a malformed date, an unknown
projector, a corrupt log, a command line that does not parse) is reported as
one line on stderr, ``chronicle: error: ...``, never as a traceback. The exit
code is 1 for a problem with the data or the log, 2 for a bad command line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, NoReturn

import click
from rich.console import Console

from chronicle._cli import _inputs
from chronicle._errors import ChronicleError, TornTail
from chronicle._version import __version__

__all__ = [
    "app",
    "as_json",
    "as_of",
    "console",
    "fail",
    "known_at",
    "log_argument",
    "policy",
    "source",
    "stream",
]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``chronicle: error: message`` on stderr, on one line, and exit with ``code``.

    A message of several lines (a database driver's, say) is joined into one.
    """
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    click.echo(f"chronicle: error: {line}", err=True)
    raise click.exceptions.Exit(code)


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    """Report chronicle, file-system and usage errors as one line on stderr, and exit."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # not an error: the help text, printed by click
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx is not None else "chronicle"
        fail(f"{error.format_message()} (see '{command} --help')", error.exit_code)
    except TornTail as error:  # its message names the Python call; here, the command
        fail(error.command_line_message)
    except ChronicleError as error:
        fail(str(error))
    except BrokenPipeError:
        raise  # the reader went away (`| head`): click exits quietly
    except OSError as error:
        fail(f"{error.filename}: {error.strerror}" if error.filename else str(error))


class _Group(click.Group):
    """A command group that reports every error as one line instead of a traceback."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _one_line_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_errors():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--module",
    "-m",
    "modules",
    metavar="MODULE",
    multiple=True,
    help="Import a module that declares your event types, upcasters or projectors (repeatable).",
)
@click.version_option(
    __version__,
    prog_name="chronicle",
    message="%(prog)s, version %(version)s (the chronicle-history distribution)",
)
def app(modules: tuple[str, ...]) -> None:
    """Ask an event-sourced chronology questions: state, timeline, history, plots.

    LOG is where the log lives: a .db or .jsonl file, or a PostgreSQL URL.

    Shell completion: eval "$(_CHRONICLE_COMPLETE=bash_source chronicle)" (or
    zsh_source, fish_source) in your shell's start-up file.
    """
    _inputs.known_projectors()  # imports the politics domain, registering its event types
    for name in modules:
        _inputs.import_module(name)


def console() -> Console:
    """The console answers are printed on (stdout; no guessing of syntax colours)."""
    return Console(highlight=False)


log_argument = click.argument("log", metavar="LOG")
"""The log every command works on: a path or URL for :func:`chronicle.open`."""
stream = click.option("--stream", "-s", help="Only this stream (default: all).")
"""``--stream``: restrict a command to one stream."""
as_of = click.option(
    "--as-of", help="The state at the end of this EDTF date (2021-06-01, 2021-06, 2021)."
)
"""``--as-of``: valid time, an EDTF date."""
known_at = click.option(
    "--known-at",
    help="As the log stood at this instant: an ISO date (the end of that day, UTC) or a"
    " date and time (2024-01-01T12:00Z; without a zone, UTC).",
)
"""``--known-at``: record time, an ISO 8601 instant."""
policy = click.option(
    "--policy",
    type=click.Choice(["certain", "possible"]),
    default="certain",
    show_default=True,
    help="Count the events that had certainly happened by --as-of, or those that possibly had.",
)
"""``--policy``: which events count as of a date."""
source = click.option(
    "--source",
    help="Only the events of this source: a text its publisher or title contains"
    " (REIGN, Powell & Thyne): one source's view of a merged log.",
)
"""``--source``: one source's (or dataset's) view."""
as_json = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON Lines (one object a line) for programs."
)
"""``--json``: machine-readable output, one JSON object a line."""
