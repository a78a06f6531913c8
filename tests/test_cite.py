"""Citations: the events and sources behind a state, as CSL-JSON and BibTeX."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from chronicle import Log, Source, bibtex, citations, csl_json, replay
from chronicle.testing import chronologies
from tests.domain import Appointed, offices
from tests.strategies import events

REUTERS = Source(
    publisher="Reuters", title="Coup in Mali", url="https://r.example/1", published="2020-08-19"
)
DATASET = Source(
    publisher="Jonathan M. Powell and Clayton L. Thyne",
    title="Global Instances of Coups V2023.09.08, row 184",
    published="2023-09-08",
    note="50% sure & {braced}",
)


class TestCitations:
    @given(chronologies(events, streams=("s",), max_events=8), st.data())
    def test_the_state_is_replays_and_the_events_made_it(self, chronology, data) -> None:
        """The state is replay's; folding only the cited events gives the same state."""
        log = chronology.build()
        result = citations(log, offices)
        assert replay(log, offices) == result.state
        assert offices.fold(result.events) == result.state

    def test_sources_once_in_order_and_unchanging_events_left_out(self) -> None:
        """An event that leaves the state as it was is not cited; a source appears once."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2020-01-01", office="p", name="A", sources=(REUTERS,)),
                Appointed(occurred="2020-02-01", office="p", name="A", sources=(DATASET,)),
                Appointed(occurred="2020-03-01", office="q", name="B", sources=(REUTERS, DATASET)),
            ],
        )
        result = citations(log, offices, as_of="2020-03-01")
        assert (REUTERS, DATASET) == result.sources
        assert 2 == len(result.events)


class TestFormats:
    def test_csl_json(self) -> None:
        """Types, names, dates at their precision, keys by publisher and year."""
        approximate = Source(publisher="Reuters", published="2020~")
        items = csl_json([REUTERS, DATASET, approximate])
        assert ["reuters2020a", "jonathan2023", "reuters2020b"] == [i["id"] for i in items]
        assert ["document", "dataset", "document"] == [i["type"] for i in items]
        assert {"date-parts": [[2020, 8, 19]]} == items[0]["issued"]
        assert {"date-parts": [[2020]], "circa": True} == items[2]["issued"]
        assert [{"literal": "Reuters"}] == items[0]["author"]
        assert "https://r.example/1" == items[0]["URL"]
        json.dumps(items)

    def test_bibtex(self) -> None:
        """@misc entries; the publisher in double braces; LaTeX specials escaped."""
        text = bibtex([REUTERS, DATASET])
        assert text.startswith(
            "@misc{reuters2020,\n  author = {{Reuters}},\n  title = {Coup in Mali},"
        )
        assert "  month = {aug},\n  date = {2020-08-19},\n  url = {https://r.example/1}\n}" in text
        assert "note = {50\\% sure \\& \\{braced\\}}" in text
        assert 2 == text.count("@misc{")
