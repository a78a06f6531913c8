"""The README: its Python blocks run, and its Quick start is the two promised commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", TEXT, flags=re.MULTILINE | re.DOTALL)
PYTHON = [code for language, code in BLOCKS if language == "python"]


class TestReadme:
    @pytest.mark.parametrize("code", PYTHON, ids=[f"block{n}" for n in range(len(PYTHON))])
    def test_python_blocks_run(self, code: str) -> None:
        """Each ```python block runs as it is, its asserts included."""
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})

    def test_quick_start_is_two_commands(self) -> None:
        """The Quick start is the example run and the test run, in one shell block."""
        section = TEXT.split("## Quick start", 1)[1].split("\n## ", 1)[0]
        commands = [code for language, code in BLOCKS if language == "sh" and code in section]
        expected = [
            "pip install -e . && python examples/mali.py\npip install -e '.[test]' && pytest\n"
        ]
        assert expected == commands

    def test_ci_runs_the_test_command_verbatim(self) -> None:
        """.ci/run ends with the Quick start's test command, as written."""
        script = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
        assert "pip install -e '.[test]' && pytest" in script.splitlines()
