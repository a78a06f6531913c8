"""The distribution: its name is ours (chronicle-history), and every install hint says so."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.cli.conftest import run

ROOT = Path(__file__).parents[1]
HINTED = [
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "src").rglob("*.py")),
]
# `pip install chronicle` and `chronicle[extra]` install PyPI's "chronicle", another project.
OTHERS = re.compile(r"pip install\s+['\"]?chronicle(?!-history)\b|(?<![\w-])chronicle\[")


def test_the_distribution_is_chronicle_history() -> None:
    """pyproject names the distribution chronicle-history (extras too); the command is chronicle."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "chronicle-history" == project["name"]
    assert {"chronicle": "chronicle._cli:main"} == project["scripts"]
    extras = [req for reqs in project["optional-dependencies"].values() for req in reqs]
    assert [r for r in extras if "chronicle" in r] == [
        r for r in extras if r.startswith("chronicle-history[")
    ]


def test_no_install_hint_names_another_project() -> None:
    """No doc, docstring or message says `pip install chronicle` or `chronicle[...]`."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in HINTED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OTHERS.search(line)
    ]
    assert [] == found


def test_the_version_names_the_distribution() -> None:
    """`chronicle --version` works (the distribution is found) and names it."""
    result = run("--version")
    assert 0 == result.exit_code
    assert "(the chronicle-history distribution)" in result.output


WITHOUT_PSYCOPG = """
import sys
sys.modules["psycopg"] = None
import chronicle
from chronicle import *
assert "PostgresStore" not in chronicle.__all__
assert not hasattr(chronicle, "PostgresStore")
try:
    chronicle.PostgresStore
except AttributeError as error:
    print(error)
"""


def test_without_psycopg_postgres_store_is_a_missing_attribute() -> None:
    """Without the extra, `import *` works, hasattr is False, and the error names the extra."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_PSYCOPG], capture_output=True, text=True, check=False
    )
    assert 0 == done.returncode, done.stderr
    assert "pip install 'chronicle-history[postgres]'" in done.stdout
