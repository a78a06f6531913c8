"""Uses the public API as a user would; type-checked by mypy --strict, never run by pytest.

If a public signature loses its types, this file stops type-checking.
"""

from __future__ import annotations

import datetime

import attrs

import chronicle


@chronicle.event("typing.appointed", version=1)
class Appointed(chronicle.Event):
    office: str
    name: str


@attrs.frozen
class Holders:
    names: tuple[str, ...] = ()


holders: chronicle.Projector[Holders] = chronicle.Projector("typing.Holders", initial=Holders())
count: chronicle.Projector[int] = chronicle.Projector("typing.Count", initial=0)


@holders.on(Appointed)
def _appointed(state: Holders, event: Appointed) -> Holders:
    return Holders((*state.names, event.name))


@count.on(chronicle.Event)
def _count(state: int, event: chronicle.Event) -> int:
    return state + 1


def use() -> None:
    with chronicle.open() as log:
        records: list[chronicle.Record] = log.append(
            "s",
            [Appointed(occurred=chronicle.When("2020-08-18"), office="p", name="a")],
            expected_version=chronicle.NO_STREAM,
        )
        log.append("s", [chronicle.Retracted(target=records[0].id, reason="wrong")])
        state: Holders = chronicle.replay(log, holders, as_of=datetime.date(2021, 1, 1))
        both: tuple[Holders, int] = chronicle.replay(log, (holders, count), known_at="2024-01-01")
        steps: list[tuple[chronicle.When, Holders]] = chronicle.history(log, holders)
        latest: datetime.date = steps[-1][0].latest if steps else datetime.date.min
        print(state, both, latest)
        grid: chronicle.Panel[Holders] = chronicle.panel(
            log, holders, every="month", on=15, start="2020", end="2021", known_at="2024-01-01"
        )
        cell: chronicle.Cell[Holders] = grid.cells[0]
        row: dict[str, chronicle.Value] = chronicle.flatten(cell.state)
        table: chronicle.Table = chronicle.Table.from_dicts([row])
        table.write_csv("holders.csv")
        changed: chronicle.Diff[Holders] = chronicle.diff(
            log, "2024-01-01", "2025-01-01", projector=holders
        )
        kinds: list[str] = [change.kind for change in changed.changes]
        cited: chronicle.Citations[Holders] = chronicle.citations(log, holders, as_of="2021")
        text: str = cited.bibtex() + chronicle.bibtex(cited.sources)
        items: list[dict[str, object]] = chronicle.csl_json(cited.sources)
        print(kinds, text, items, chronicle.record_row(records[0]))
        allowed: chronicle.Possibilities[Holders] = chronicle.possibilities(
            log, holders, as_of="2021", view=lambda held: held.names[-1:], limit=1_000
        )
        first: chronicle.Possibility[Holders] = allowed.states[0]
        placed: tuple[chronicle.Occurrence, ...] = first.order + first.omitted + allowed.undecided
        replayed: Holders = allowed.replayed
        because: chronicle.Why[Holders] = chronicle.why(log, holders, as_of="2021")
        sources: tuple[chronicle.Source, ...] = because.sources
        certain: bool = allowed.certain and because.certain
        try:
            chronicle.possibilities(log, holders, limit=1)
        except chronicle.TooUncertain as error:
            print(error.events, error.start, error.end, error.limit, error.projector)
        print(placed, replayed, because.events, because.state, sources, certain)
