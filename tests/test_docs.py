"""The docs' examples run: every ```python block of every docs/*.md page, in order.

The blocks of one page run one after the other in one module, as a reader would
paste them, in a fresh working directory. A block that cannot run here (it needs a
server, or shows a fragment) opts out with the HTML comment ``<!-- skip -->`` on
the line just before its fence; the comment does not show on the rendered page.

A page that reads the public datasets says so with ``<!-- needs: ../shared/data -->``:
it runs in a fresh directory beside which ``shared`` stands (a link to the real
one), so that ``../shared/data`` finds the files as from the repository root, and
it is skipped when they are absent, as the dataset tests are.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
SHARED = (DOCS.parent / ".." / "shared").resolve()
NEEDS_DATA = "<!-- needs: ../shared/data -->"
FENCE = re.compile(
    r"^(?P<skip><!-- skip -->\n)?```python[^\n]*\n(?P<code>.*?)^```[ \t]*$",
    flags=re.MULTILINE | re.DOTALL,
)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The ```python blocks of a page not marked ``<!-- skip -->``, with their first line."""
    return [
        (text.count("\n", 0, match.start("code")) + 1, match["code"])
        for match in FENCE.finditer(text)
        if not match["skip"]
    ]


PAGES = sorted(
    page for page in DOCS.glob("*.md") if python_blocks(page.read_text(encoding="utf-8"))
)


class TestPythonBlocks:
    def test_blocks_are_found_and_skipped_as_marked(self) -> None:
        """A block is found with its first line; one marked skip is not."""
        text = "# T\n\n```python\nx = 1\n```\n\n<!-- skip -->\n```python\nserver()\n```\n"
        assert [(4, "x = 1\n")] == python_blocks(text)

    @pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
    def test_page_runs(self, page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The page's blocks run in order in one module, their asserts included."""
        text = page.read_text(encoding="utf-8")
        if NEEDS_DATA in text:
            if not (SHARED / "data").is_dir():
                pytest.skip(f"{page.name} reads the public datasets, not in {SHARED / 'data'}")
            (tmp_path / "shared").symlink_to(SHARED, target_is_directory=True)
            tmp_path = tmp_path / "work"
            tmp_path.mkdir()
        monkeypatch.chdir(tmp_path)
        name = f"docs_{page.stem.replace('-', '_')}"
        module = types.ModuleType(name)
        # Registered while it runs, so that attrs, typing and pickle find its classes.
        monkeypatch.setitem(sys.modules, name, module)
        # Tracebacks name the page and its line numbers (blank lines in front keep them),
        # under a name no tool mistakes for a Python file to read.
        where = f"<{page.name}>"
        for line, code in python_blocks(text):
            exec(compile("\n" * (line - 1) + code, where, "exec"), module.__dict__)
