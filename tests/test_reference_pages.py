"""The API reference documents every public name once, and the docs' tables render as written."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
API = sorted((DOCS / "api").glob("*.md"))
MODULES = [
    "chronicle",
    "chronicle.politics",
    "chronicle.datasets",
    "chronicle.testing",
    "chronicle.stores",
]


def documented() -> list[str]:
    """Every name the API pages render: ``::: module.Name`` and the ``members:`` of a module."""
    names: list[str] = []
    for page in API:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"^::: (\S+)\n((?:    .*\n)*)", text, flags=re.MULTILINE):
            target, options = match[1], match[2]
            members = re.findall(r"^        - (\S+)$", options, flags=re.MULTILINE)
            names += [f"{target}.{member}" for member in members] or [target]
    return names


class TestApiReference:
    @pytest.mark.parametrize("module", MODULES)
    def test_every_public_name_once(self, module: str) -> None:
        """Each name of the module's __all__ is on one page of the reference, and only one."""
        shown = documented()
        public = importlib.import_module(module).__all__
        missing = [name for name in public if f"{module}.{name}" not in shown]
        twice = [name for name in public if shown.count(f"{module}.{name}") > 1]
        assert ([], []) == (missing, twice)

    def test_the_core_is_split_by_topic(self) -> None:
        """The core's reference is one page per topic, not one page of everything."""
        assert not (DOCS / "api" / "chronicle.md").exists()
        assert {"events.md", "log.md", "replay.md", "codec.md", "errors.md"} <= {
            p.name for p in API
        }


class TestTables:
    @pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda page: page.name)
    def test_no_escaped_bar_in_code(self, page: Path) -> None:
        r"""No table row puts ``\|`` in code: Markdown shows the backslash there, literally."""
        rows = [
            line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("|")
        ]
        assert [] == [row for row in rows if re.search(r"`[^`]*\\\|[^`]*`", row)]
