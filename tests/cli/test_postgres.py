"""The command line on a PostgreSQL log: the Mali chronology imported, then asked the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import json_lines, run
from tests.cli.test_errors import READERS, one_error_line
from tests.postgres import DSN, SKIP_REASON, drop_schema, execute, new_schema

pytestmark = pytest.mark.skipif(not DSN, reason=SKIP_REASON)


@pytest.fixture
def url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL log, dropped afterwards."""
    schema = new_schema()
    yield f"{DSN}{'&' if '?' in DSN else '?'}schema={schema}"
    drop_schema(schema)


def without_ids(value: object) -> object:
    """``value`` without the records' ids, at any depth: an import gives each record a new one."""
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


class TestPostgres:
    def test_import_then_query(self, mali: Path, tmp_path: Path, url: str) -> None:
        """An exported log imported into PostgreSQL verifies, and answers as the file does."""
        exported = tmp_path / "export.jsonl"
        assert 0 == run("export", mali, "--out", exported).exit_code
        assert 0 == run("import", url, exported).exit_code
        assert 0 == run("verify", url).exit_code
        for query in (
            ["state", "--as-of", "2021-06-01", "--json"],
            ["state", "--as-of", "2025-05-13", "--known-at", "2025-09-15", "--json"],
            ["history", "--projector", "politics.PromisedElection", "--json"],
        ):
            here, there = run(query[0], mali, *query[1:]), run(query[0], url, *query[1:])
            assert without_ids(json_lines(here.stdout)) == without_ids(json_lines(there.stdout))
        here, there = run("timeline", mali, "--json"), run("timeline", url, "--json")
        assert without_ids(json_lines(here.stdout)) == without_ids(json_lines(there.stdout))

    def test_unreachable_server_is_one_line(self) -> None:
        """A server that cannot be reached is reported on one line."""
        result = run("verify", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
        assert 1 == result.exit_code
        assert 1 == len(result.stderr.splitlines())
        assert "cannot open PostgreSQL" in result.stderr

    @pytest.mark.parametrize(
        "command",
        [
            *READERS,
            ["panel", "--projector", "politics.HeadOfState"],
            ["diff", "--known-at", "2021-01-01", "--known-at", "2022-01-01"],
            ["cite", "--projector", "politics.HeadOfState"],
        ],
    )
    def test_a_mistyped_schema_is_not_created(self, command: list[str]) -> None:
        """A command that only reads names a schema with no log, and does not create it."""
        schema = new_schema()
        url = f"{DSN}{'&' if '?' in DSN else '?'}schema={schema}"
        try:
            result = run(*command[:1], url, *command[1:])
            created = execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        finally:
            drop_schema(schema)
        assert 1 == result.exit_code
        assert f"no chronicle log in PostgreSQL schema '{schema}'" in one_error_line(result.stderr)
        assert [] == created
