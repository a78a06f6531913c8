"""Where users reach for the command: ``python -m chronicle``, its version, shell completion."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

import chronicle
from chronicle._cli import app
from chronicle._version import DISTRIBUTION, UNKNOWN, installed_version
from tests.cli.conftest import run
from tests.cli.test_errors import one_error_line


class TestEntryPoints:
    def test_python_dash_m(self, shared_mali: Path) -> None:
        """python -m chronicle is the chronicle command."""
        done = subprocess.run(
            [sys.executable, "-m", "chronicle", "verify", str(shared_mali)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert done.stdout.endswith("records, no problems\n")

    def test_python_dash_m_reports_one_line(self, tmp_path: Path) -> None:
        """Its errors are one line on stderr, as the console script's are."""
        missing = tmp_path / "missing.jsonl"
        done = subprocess.run(
            [sys.executable, "-m", "chronicle", "state", str(missing)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (1, f"chronicle: error: no log at '{missing}': the file does not exist\n") == (
            done.returncode,
            done.stderr,
        )


class TestVersion:
    def test_version_is_the_distributions(self) -> None:
        """chronicle.__version__ is the installed distribution's version, or says it is unknown."""
        try:
            expected = metadata.version(DISTRIBUTION)
        except metadata.PackageNotFoundError:
            expected = UNKNOWN
        assert expected == chronicle.__version__

    def test_not_installed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A copy that is not installed has a version saying so, rather than failing to import."""

        def missing(name: str) -> str:
            raise metadata.PackageNotFoundError(name)

        monkeypatch.setattr(metadata, "version", missing)
        assert UNKNOWN == installed_version()

    def test_version_option(self) -> None:
        """chronicle --version prints the same version."""
        assert (
            f"chronicle, version {chronicle.__version__} (the chronicle-history distribution)\n"
            == run("--version").stdout
        )


class TestCompletion:
    @pytest.mark.parametrize(
        ("shell", "marker"),
        [("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete --no-files")],
    )
    def test_completion_script(self, shell: str, marker: str) -> None:
        """_CHRONICLE_COMPLETE=<shell>_source prints the script that completes chronicle."""
        result = CliRunner().invoke(
            app, [], prog_name="chronicle", env={"_CHRONICLE_COMPLETE": f"{shell}_source"}
        )
        assert 0 == result.exit_code
        assert "_CHRONICLE_COMPLETE" in result.stdout
        assert marker in result.stdout

    def test_commands_complete(self) -> None:
        """Completion proposes the commands, promises among them."""
        result = CliRunner().invoke(
            app,
            [],
            prog_name="chronicle",
            env={
                "_CHRONICLE_COMPLETE": "bash_complete",
                "COMP_WORDS": "chronicle pro",
                "COMP_CWORD": "1",
            },
        )
        assert "plain,promises" in result.stdout


class TestUndeclaredEvents:
    def test_module_appending_an_undeclared_event(self, tmp_path: Path, monkeypatch) -> None:
        """A --module whose event class lacks @chronicle.event is refused with how to declare it."""
        (tmp_path / "cli_undeclared.py").write_text(
            "import attrs, chronicle\n"
            "@attrs.frozen(kw_only=True)\n"
            "class Elected(chronicle.Event):\n"
            "    name: str\n"
            "chronicle.Log().append('x', [Elected(occurred='2024', name='Ada')])\n",
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        monkeypatch.delitem(sys.modules, "cli_undeclared", raising=False)
        result = run("--module", "cli_undeclared", "verify", tmp_path / "none.jsonl")
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert (
            "--module cli_undeclared: cannot import it: Elected is not a registered event" in line
        )
        assert "declare it with @chronicle.event('a.type_name') on the line above" in line

    def test_append_of_an_unknown_type(self, tmp_path: Path) -> None:
        """An entry of a type nobody declared points at --module and @chronicle.event."""
        source = tmp_path / "in.jsonl"
        source.write_text(
            '{"stream": "x", "type": "council.elected", "v": 1, "data": {"occurred": "2024"}}\n',
            encoding="utf-8",
        )
        line = one_error_line(run("append", tmp_path / "log.jsonl", source).stderr)
        assert "unknown event type 'council.elected'" in line
        assert "give it with --module" in line
        assert "@chronicle.event" in line
