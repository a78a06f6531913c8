"""The command-line reference in the docs names every command and option the command has."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from chronicle._cli import app

REFERENCE = Path(__file__).parents[2] / "docs" / "cli.md"
TEXT = REFERENCE.read_text(encoding="utf-8")
COMMANDS = sorted(app.commands.items())


def section(name: str) -> str:
    """The text of the reference under ``## name``, up to the next section."""
    match = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", TEXT, flags=re.MULTILINE | re.DOTALL)
    assert match is not None, f"docs/cli.md has no section '## {name}'"
    return match.group(1)


class TestReference:
    @pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
    def test_every_option_is_documented(self, name: str, command: click.Command) -> None:
        """Each command has a section with its synopsis, and names each of its options."""
        text = section(name)
        assert f"chronicle {name} LOG" in text
        for parameter in command.params:
            if isinstance(parameter, click.Option) and parameter.name != "help":
                assert parameter.opts[0] in text, f"{name}: {parameter.opts[0]} is undocumented"

    def test_global_options_are_documented(self) -> None:
        """The options of the command itself are described before the commands."""
        preamble = TEXT.split("\n## ", 1)[0]
        for parameter in app.params:
            if isinstance(parameter, click.Option) and parameter.name != "help":
                assert parameter.opts[0] in preamble
