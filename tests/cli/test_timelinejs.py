"""``chronicle export --format timelinejs``: a stream as Knight Lab TimelineJS's JSON.

The structure is checked against TimelineJS3's JSON format (timeline.knightlab.com,
"JSON format"): a ``title`` slide, ``events`` each with a ``start_date`` (a ``year``,
then ``month`` and ``day`` as the precision allows), an optional ``end_date``, a
``text`` of ``headline`` and ``text``, a ``group``; ``eras`` with a start, an end and
a headline.
"""

from __future__ import annotations

import datetime
import html
import json
from pathlib import Path
from typing import Any

from hypothesis import given

import chronicle
from chronicle import Source, When
from chronicle._cli._describe import GROUPS
from chronicle._cli._timelinejs import date
from chronicle.politics import CoupOccurred
from tests.cli.conftest import run
from tests.strategies import whens

DATE_KEYS = ("year", "month", "day")


def check_date(value: Any) -> datetime.date:
    """A TimelineJS date object: a year, then a month and a day only with what comes before."""
    assert isinstance(value, dict)
    assert set(value) <= {*DATE_KEYS, "display_date"}
    keys = [key for key in DATE_KEYS if key in value]
    assert keys == list(DATE_KEYS[: len(keys)]), f"{value}: a month needs a year, a day a month"
    assert all(isinstance(value[key], int) and not isinstance(value[key], bool) for key in keys)
    return datetime.date(value["year"], value.get("month", 1), value.get("day", 1))


def check_text(value: Any) -> None:
    assert isinstance(value, dict)
    assert set(value) <= {"headline", "text"}
    assert isinstance(value.get("headline", ""), str)
    assert isinstance(value.get("text", ""), str)


def check_timeline(document: Any) -> None:
    """The structure TimelineJS3 reads."""
    assert isinstance(document, dict)
    assert set(document) <= {"title", "events", "eras", "scale"}
    check_text(document["title"]["text"])
    assert isinstance(document["events"], list)
    assert document["events"]
    for slide in document["events"]:
        assert set(slide) <= {
            "start_date", "end_date", "text", "media", "group", "display_date",
            "background", "autolink", "unique_id",
        }  # fmt: skip
        start = check_date(slide["start_date"])
        if "end_date" in slide:
            assert start <= check_date(slide["end_date"])
        check_text(slide["text"])
        assert slide["text"]["headline"]
        assert slide["group"] in GROUPS.values()
        assert isinstance(slide["display_date"], str)
    for era in document.get("eras", []):
        assert check_date(era["start_date"]) <= check_date(era["end_date"])
        check_text(era["text"])
    ids = [slide["unique_id"] for slide in document["events"]]
    assert len(set(ids)) == len(ids)


def export(log: Path, *options: str) -> Any:
    result = run("export", log, "--format", "timelinejs", *options)
    assert 0 == result.exit_code, result.output
    return json.loads(result.stdout)


def in_force(path: Path) -> int:
    """How many events of the log are in force (a slide each)."""
    with chronicle.open(path) as log:
        return len(chronicle.timeline(log))


class TestExport:
    def test_mali_example(self, shared_mali: Path) -> None:
        """The Mali example exports as a TimelineJS timeline: its events, heads of state as eras."""
        document = export(shared_mali)
        check_timeline(document)
        assert "Mali" == document["title"]["text"]["headline"]
        assert in_force(shared_mali) == len(document["events"])
        names = [era["text"]["headline"] for era in document["eras"]]
        assert ["Ibrahim Boubacar Keïta", "Assimi Goïta", "Bah N'Daw", "Assimi Goïta"] == names
        coups = [s for s in document["events"] if s["group"] == "Coups"]
        assert [{"year": 2020, "month": 8, "day": 18}, {"year": 2021, "month": 5, "day": 24}] == [
            s["start_date"] for s in coups
        ]

    def test_known_at(self, shared_mali: Path) -> None:
        """As known on 8 September 2025, the duplicate coup of 21 May 2021 is a slide; later not."""
        then = export(shared_mali, "--known-at", "2025-09-08T12:00Z")
        check_timeline(then)
        assert 3 == len([s for s in then["events"] if s["group"] == "Coups"])

    def test_to_a_file(self, shared_mali: Path, tmp_path: Path) -> None:
        """--out writes the JSON to a file and says how many events."""
        out = tmp_path / "timeline.json"
        result = run("export", shared_mali, "--format", "timelinejs", "--out", out)
        assert 0 == result.exit_code
        check_timeline(json.loads(out.read_text("utf-8")))
        assert f"exported {in_force(shared_mali)} events to {out}" in result.stderr

    def test_interval_has_an_end(self, shared_mali: Path) -> None:
        """An event dated by an interval starts at its start and ends at its end."""
        slides = export(shared_mali)["events"]
        (slide,) = [s for s in slides if s["display_date"] == "Sep 2023 to Aug 2025"]
        assert {"year": 2023, "month": 9} == slide["start_date"]
        assert {"year": 2025, "month": 8} == slide["end_date"]

    def test_escaped(self, tmp_path: Path) -> None:
        """TimelineJS reads text as HTML: the log's texts are escaped, only http(s) are links."""
        path = tmp_path / "log.jsonl"
        hostile = "<script>alert(1)</script>"
        sources = [
            Source(publisher=hostile, title="a", url="javascript:alert(1)"),
            Source(publisher="P", title="<b>t</b>", url="https://example.org/?a=1&b=2"),
        ]
        with chronicle.open(path) as log:
            log.append(
                "x",
                [
                    CoupOccurred(
                        occurred="2020", successful=True, seized_by=hostile, sources=sources
                    )
                ],
            )
        (slide,) = export(path)["events"]
        assert "<script>" not in json.dumps(slide)
        assert html.escape(hostile, quote=False) in slide["text"]["headline"]
        assert "javascript:" not in slide["text"]["text"]
        assert (
            '<a href="https://example.org/?a=1&amp;b=2">&lt;b&gt;t&lt;/b&gt;</a>'
            in slide["text"]["text"]
        )

    def test_several_streams(self, datasets_db: Path) -> None:
        """On a log of several streams, one is chosen with --stream; a misspelt one is suggested."""
        check_timeline(export(datasets_db, "-s", "BFO"))
        result = run("export", datasets_db, "--format", "timelinejs", "-s", "Bfo")
        assert 1 == result.exit_code
        assert "did you mean 'BFO'?" in result.stderr


class TestDate:
    @given(whens())
    def test_precision_kept(self, when: When) -> None:
        """A date gives the fields of its precision, and denotes its first day."""
        value = date(when)
        side = when.start
        assert side.earliest == check_date(value)
        expected = {"year": 1, "month": 2, "day": 3}[side.precision or "day"]
        assert expected == len(value)
