"""No command destroys its input: outputs that are inputs refused, others replaced whole."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import chronicle
from chronicle._cli import _outputs
from tests.cli.conftest import run
from tests.cli.test_errors import one_error_line

STORES = [".jsonl", ".db"]


@pytest.fixture(params=STORES)
def log(request: pytest.FixtureRequest, mali: Path, tmp_path: Path) -> Path:
    """The Mali chronology in each file store."""
    if request.param == ".jsonl":
        return mali
    database = tmp_path / "mali.db"
    assert 0 == run("import", database, mali).exit_code
    return database


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file of a directory by name, with its bytes (symlinks as their target)."""
    return {
        path.name: os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        for path in sorted(directory.iterdir())
    }


def same(log: Path) -> Path:
    return log


def symlink(log: Path) -> Path:
    link = log.with_name("link" + log.suffix)
    link.symlink_to(log.name)
    return link


def symlink_png(log: Path) -> Path:
    link = log.with_name("figure.png")
    link.symlink_to(log.name)
    return link


def hard_link(log: Path) -> Path:
    link = log.with_name("hard" + log.suffix)
    os.link(log, link)
    return link


def dotted(log: Path) -> Path:
    return log.parent / "." / log.name


def side_file(log: Path) -> Path:
    return log.with_name(log.name + ("-wal" if log.suffix == ".db" else ".pending"))


# Every command that writes a file, with its output pointed at its input:
# (name, the arguments given the log and the output path, the ways to name the input).
Arguments = Callable[[Path, Path], list[str | Path]]
WRITERS: list[tuple[str, Arguments, list[Callable[[Path], Path]]]] = [
    (
        "export jsonl",
        lambda log, out: ["export", log, "--out", out],
        [same, symlink, hard_link, dotted, side_file],
    ),
    (
        "export csv",
        lambda log, out: ["export", log, "--format", "csv", "-o", out],
        [same, symlink, hard_link],
    ),
    ("plot", lambda log, out: ["plot", log, "--out", out], [symlink_png]),
    ("import", lambda log, out: ["import", out, log], [same, symlink, hard_link, dotted]),
    ("append", lambda log, out: ["append", out, log], [same, symlink, hard_link, dotted]),
]
CASES = [
    pytest.param(args, name_it, id=f"{name}-{name_it.__name__}")
    for name, args, ways in WRITERS
    for name_it in ways
]


class TestOutputIsNotAnInput:
    @pytest.mark.parametrize(("args", "name_it"), CASES)
    def test_a_writing_command_pointed_at_its_input_leaves_it_byte_identical(
        self,
        log: Path,
        args: Arguments,
        name_it: Callable[[Path], Path],
    ) -> None:
        """Refused in one line with exit code 2; every file of the directory is as it was."""
        output = name_it(log)
        before = files_of(log.parent)
        result = run(*args(log, output))
        assert 2 == result.exit_code, result.output
        line = one_error_line(result.stderr)
        assert "writing it would destroy what is read" in line
        assert before == files_of(log.parent)

    def test_import_of_a_log_into_itself_is_refused(self, mali: Path) -> None:
        """`chronicle import LOG LOG`: the message names both places."""
        result = run("import", mali, mali)
        assert 2 == result.exit_code
        assert f"'{mali}' is FILE.jsonl itself" in one_error_line(result.stderr)

    def test_stdout_redirected_into_the_log_is_refused(self, log: Path) -> None:
        """`chronicle export LOG >> LOG` is refused before a byte is read or written."""
        before = log.read_bytes()
        with log.open("ab") as appended:
            done = subprocess.run(
                [sys.executable, "-c", "from chronicle._cli import main; main()", "export", log],
                stdout=appended,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert 2 == done.returncode
        assert "standard output is redirected into LOG" in one_error_line(done.stderr)
        assert before == log.read_bytes()

    def test_another_file_is_written(self, log: Path) -> None:
        """An output that is not an input is written as before."""
        out = log.with_name("copy.jsonl")
        result = run("export", log, "--out", out)
        assert 0 == result.exit_code
        with chronicle.open(log) as opened:
            records = opened.head
        assert records == len(out.read_text(encoding="utf-8").splitlines())


class TestReplacedWhole:
    def test_a_failed_export_leaves_the_old_output(self, mali: Path) -> None:
        """An export that fails midway (a damaged line) leaves the old file and no temporary."""
        lines = mali.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[10] = lines[10].replace('"v":1', '"v":1,"extra":true')
        mali.write_text("".join(lines), encoding="utf-8")
        out = mali.with_name("out.csv")
        out.write_text("the previous export\n", encoding="utf-8")
        result = run("export", mali, "--format", "csv", "--out", out)
        assert 1 == result.exit_code
        assert "line 11" in one_error_line(result.stderr)
        assert "the previous export\n" == out.read_text(encoding="utf-8")
        assert {"mali.jsonl", "out.csv"} == {path.name for path in mali.parent.iterdir()}

    def test_a_symlinked_output_is_written_through_keeping_its_mode(self, mali: Path) -> None:
        """--out naming a symlink replaces the file it names, with that file's permissions."""
        target = mali.with_name("target.jsonl")
        target.write_text("old\n", encoding="utf-8")
        target.chmod(0o640)
        link = mali.with_name("link.jsonl")
        link.symlink_to(target.name)
        assert 0 == run("export", mali, "--out", link).exit_code
        assert link.is_symlink()
        assert mali.read_bytes().count(b"\n") == target.read_bytes().count(b"\n")
        assert 0o640 == stat.S_IMODE(target.stat().st_mode)

    def test_replacing_removes_its_temporary_on_error(self, tmp_path: Path) -> None:
        """An error inside the block leaves no file behind, and no target."""
        target = tmp_path / "out.txt"

        def fail_midway() -> None:
            with _outputs.replacing(target) as file:
                file.write("half")
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_midway()
        assert [] == list(tmp_path.iterdir())
