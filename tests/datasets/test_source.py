"""Provenance of imported events: the dataset, its release and the row, read back from a Source."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chronicle import Source, When
from chronicle.datasets import Dataset, DatasetRow

WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip)


class TestDataset:
    @given(WORDS, WORDS, st.integers(1, 10**6), st.text())
    def test_a_row_source_reads_back_as_its_row(self, title, version, number, note) -> None:
        """The source of row n of a release cites that release and row n, whatever the note."""
        dataset = Dataset(
            name=title, version=version, publisher="P", url="https://example.org", published="2021"
        )
        source = dataset.source(number, note)
        assert DatasetRow("P", f"{title} {version}", number) == DatasetRow.of(source)
        assert (note, When("2021"), "https://example.org") == (
            source.note,
            source.published,
            source.url,
        )

    @given(st.sampled_from(["", "Le Monde, 2021", "row 5", "list, row 0", "list, row 05x"]))
    def test_other_sources_cite_no_row(self, title) -> None:
        """A source whose title does not end in ', row <n>' (n from 1) cites no dataset row."""
        assert None is DatasetRow.of(Source(publisher="P", title=title))
