"""Every kind of bad input is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run

READERS = [
    ["state"],
    ["timeline"],
    ["history", "--projector", "politics.HeadOfState"],
    ["export"],
    ["verify"],
]


def one_error_line(stderr: str) -> str:
    """The single line of an error report (failing if there are more or fewer)."""
    lines = stderr.splitlines()
    assert 1 == len(lines), stderr
    assert lines[0].startswith("chronicle: error: ")
    return lines[0]


class TestErrors:
    @pytest.mark.parametrize("command", READERS)
    def test_missing_log_file(self, command: list[str], tmp_path: Path) -> None:
        """A log path that does not exist is reported, and no file is created there."""
        missing = tmp_path / "typo.jsonl"
        result = run(*command[:1], missing, *command[1:])
        assert 1 == result.exit_code
        assert f"no log at '{missing}'" in one_error_line(result.stderr)
        assert not missing.exists()

    def test_unknown_kind_of_store(self, tmp_path: Path) -> None:
        """A target whose kind of store cannot be told is reported."""
        target = tmp_path / "mali.txt"
        target.write_text("")
        result = run("state", target)
        assert 1 == result.exit_code
        assert "cannot tell which store" in one_error_line(result.stderr)

    @pytest.mark.parametrize("option", ["--as-of", "--known-at"])
    @pytest.mark.parametrize("value", ["2021-13-01", "yesterday", "2021-02-30"])
    def test_malformed_date(self, mali: Path, option: str, value: str) -> None:
        """A malformed --as-of or --known-at is reported with the option and the value."""
        result = run("state", mali, option, value)
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert option in line
        assert value in line

    @pytest.mark.parametrize("option", ["--from", "--to"])
    def test_malformed_timeline_bound(self, mali: Path, option: str) -> None:
        """A malformed --from or --to is reported with the option."""
        result = run("timeline", mali, option, "2021-00")
        assert 1 == result.exit_code
        assert f"{option}: invalid EDTF date '2021-00'" in one_error_line(result.stderr)

    def test_unknown_projector_lists_the_known(self, mali: Path) -> None:
        """An unknown --projector is reported with the names that are known."""
        from chronicle.politics import PROJECTORS

        result = run("state", mali, "--projector", "politics.Nobody")
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert "unknown projector 'politics.Nobody'" in line
        assert all(name in line for name in PROJECTORS)

    @pytest.mark.parametrize(
        ("name", "problem"),
        [
            ("no.such.module:offices", "No module named 'no'"),
            ("tests.domain:nothing", "has no attribute 'nothing'"),
            ("tests.domain:Appointed", "is a type, not a chronicle.Projector"),
        ],
    )
    def test_unloadable_projector(self, mali: Path, name: str, problem: str) -> None:
        """A module:attribute --projector that cannot be loaded says why."""
        result = run("history", mali, "--projector", name)
        assert 1 == result.exit_code
        assert problem in one_error_line(result.stderr)

    def test_unimportable_module(self, mali: Path) -> None:
        """A --module that does not import is reported."""
        result = run("--module", "no_such_module_here", "verify", mali)
        assert 1 == result.exit_code
        assert "--module no_such_module_here" in one_error_line(result.stderr)

    def test_corrupt_log_line(self, mali: Path) -> None:
        """A log with a line that is not JSON is reported with the file and the line."""
        lines = mali.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[4] = "garbage\n"
        mali.write_text("".join(lines), encoding="utf-8")
        for command in READERS:
            result = run(command[0], mali, *command[1:])
            assert 1 == result.exit_code
            assert f"{mali}, line 5" in one_error_line(result.stderr)

    @pytest.mark.parametrize(
        "args",
        [
            ["state"],
            ["history", "LOG"],
            ["state", "LOG", "--policy", "sometimes"],
            ["export", "LOG", "--format", "xml"],
            ["nosuchcommand"],
            ["state", "LOG", "--no-such-option"],
        ],
    )
    def test_usage_errors_exit_2(self, mali: Path, args: list[str]) -> None:
        """A command line that does not parse is one line, exit code 2."""
        result = run(*(mali if arg == "LOG" else arg for arg in args))
        assert 2 == result.exit_code
        assert "--help" in one_error_line(result.stderr)

    def test_no_arguments_print_help(self) -> None:
        """The bare command prints its help, listing every command."""
        result = run()
        for command in ("state", "timeline", "history", "append", "import", "export", "verify"):
            assert command in result.output


class TestMain:
    def test_console_script_reports_one_line(self, tmp_path: Path) -> None:
        """The entry point, run as a program, prints one error line and exits 1: no traceback."""
        import subprocess
        import sys

        missing = tmp_path / "missing.jsonl"
        done = subprocess.run(
            [sys.executable, "-c", "from chronicle._cli import main; main()", "verify", missing],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 1 == done.returncode
        assert f"chronicle: error: no log at '{missing}': the file does not exist\n" == done.stderr
