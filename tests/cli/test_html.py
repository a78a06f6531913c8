"""``chronicle html``: one self-contained page of a chronology, tested in a real browser.

The page is opened in headless Chromium: its bands and marks are drawn with a size,
the known-at control changes what it shows (the Mali example's duplicate coup is
there as the record stood on 8 September 2025, gone after its retraction), the
footnotes link to their sources, and nothing from the log runs as code. A
screenshot of each page is saved in the ``artifacts`` folder.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

import chronicle
from chronicle import Source
from chronicle._cli._page import render
from chronicle._cli._page_data import MAX_CHOICES, page_data, safe_url
from chronicle.politics import CoupOccurred, HeadOfStateInstalled
from tests.cli.browser import screenshot
from tests.cli.conftest import run

DUPLICATE = "b94ac4cd-2414-5ead-9dd4-865cef5815d2"
"""The Mali example's coup of 21 May 2021, recorded on 8 September 2025, retracted on the 15th."""
HOSTILE = '<img src=x onerror="window.pwned = 1">'
SCRIPT_END = "</script><script>window.pwned = 2</script>"


def events_of(data: dict[str, Any], choice: dict[str, Any]) -> list[dict[str, Any]]:
    """The events a choice of record time shows."""
    return [data["events"][index] for index in choice["events"]]


def embedded(page: str) -> dict[str, Any]:
    """The data a page embeds."""
    found = re.search(
        r'<script type="application/json" id="chronicle-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture(scope="module")
def mali_page(shared_mali: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "mali.html"
    result = run("html", shared_mali, "-o", out)
    assert 0 == result.exit_code, result.output
    return out


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page of a log whose every text tries to be HTML or script."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "log.jsonl"
    sources = [
        Source(
            publisher=HOSTILE, title=SCRIPT_END, url="javascript:window.pwned = 3", note=HOSTILE
        ),
        Source(
            publisher="Agency & Co", title="<b>report</b>", url="https://example.org/?a=1&b=<2>"
        ),
    ]
    with chronicle.open(path) as log:
        log.append(
            "x",
            [
                HeadOfStateInstalled(
                    occurred="2019-01-02", name=HOSTILE, title=SCRIPT_END, sources=sources
                ),
                CoupOccurred(
                    occurred="2020-05", successful=True, seized_by=SCRIPT_END, sources=sources
                ),
            ],
        )
    out = folder / "page.html"
    assert 0 == run("html", path, "-o", out).exit_code
    return out


class TestPage:
    def test_self_contained(self, mali_page: Path) -> None:
        """One file: style and script inline, nothing loaded from elsewhere."""
        page = mali_page.read_text("utf-8")
        assert not re.search(r"<script[^>]+src=|<link\b|@import|url\(|<iframe|<img", page)
        assert "<style>" in page
        assert 'id="chronicle-data"' in page

    def test_a_choice_per_record_time(self, mali_page: Path, shared_mali: Path) -> None:
        """The page holds the record as known at each of the log's record times."""
        data = embedded(mali_page.read_text("utf-8"))
        instants = [choice["instant"] for choice in data["choices"]]
        with chronicle.open(shared_mali) as log:
            times = sorted({record.recorded_at.isoformat() for record in log.read()})
        assert times == instants
        ids = [{event["id"] for event in events_of(data, choice)} for choice in data["choices"]]
        # The duplicate coup came in on 8 September 2025 and was retracted on the 15th.
        assert [time.startswith("2025-09-08") for time in times] == [
            DUPLICATE in known for known in ids
        ]

    def test_uncertain_dates_are_spans(self, mali_page: Path) -> None:
        """A date known to its month spans the month; the correction to a day makes it exact."""
        data = embedded(mali_page.read_text("utf-8"))
        before, after = data["choices"][0], data["choices"][-1]
        (dissolved_before,) = [
            e for e in events_of(data, before) if e["headline"].startswith("Parties dissolved")
        ]
        (dissolved_after,) = [
            e for e in events_of(data, after) if e["headline"].startswith("Parties dissolved")
        ]
        assert {"from": "2025-05-01", "to": "2025-06-01", "exact": False} == {
            k: dissolved_before["when"][k] for k in ("from", "to", "exact")
        }
        assert {"from": "2025-05-13", "to": "2025-05-14", "exact": True} == {
            k: dissolved_after["when"][k] for k in ("from", "to", "exact")
        }
        assert dissolved_after["corrected"].startswith("Corrected on 1 Oct 2025: ")

    def test_escapes_what_the_log_holds(self, hostile_page: Path) -> None:
        """No text of the log can close the script it sits in; only http(s) addresses are links."""
        page = hostile_page.read_text("utf-8")
        data_part = page.split('id="chronicle-data">', 1)[1].split("</script>", 1)[0]
        assert "<" not in data_part
        assert "window.pwned = 2</script>" not in page
        urls = [note["url"] for note in embedded(page)["notes"]]
        assert {None, "https://example.org/?a=1&b=<2>"} == set(urls)

    @pytest.mark.parametrize(
        ("url", "safe"),
        [
            ("https://example.org/x", True),
            ("HTTP://example.org", True),
            ("javascript:alert(1)", False),
            ("data:text/html,x", False),
            ("//example.org", False),
            ("https://", False),
            ("", False),
            (None, False),
        ],
    )
    def test_only_http_links(self, url: str | None, safe: bool) -> None:
        """Only absolute http(s) addresses are linked to."""
        assert safe == (safe_url(url) is not None)

    def test_title_escaped(self, shared_mali: Path) -> None:
        """--title is shown as text, whatever it holds."""
        with chronicle.open(shared_mali) as log:
            page = render(page_data(log, "mali", None), title="<b>Mali</b> & co")
        assert "<title>&lt;b&gt;Mali&lt;/b&gt; &amp; co</title>" in page
        assert 'data-fixed-title="yes"' in page

    def test_written_whole_or_not_at_all(
        self, shared_mali: Path, tmp_path: Path, monkeypatch
    ) -> None:
        """A page that cannot be written leaves the old one as it was, and no stray file."""
        out = tmp_path / "page.html"
        out.write_text("the old page", "utf-8")

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", fail)
        result = run("html", shared_mali, "-o", out)
        monkeypatch.undo()
        assert 1 == result.exit_code
        assert "No space left on device" in result.stderr
        assert "the old page" == out.read_text("utf-8")
        assert ["page.html"] == [p.name for p in tmp_path.iterdir()]

    def test_stream_misspelt(self, datasets_db: Path, tmp_path: Path) -> None:
        """A stream that is not in the log is an error that names the close matches."""
        result = run("html", datasets_db, "-s", "BF", "-o", tmp_path / "x.html")
        assert 1 == result.exit_code
        assert "did you mean 'BFO'" in result.stderr
        assert not (tmp_path / "x.html").exists()

    def test_record_times_thinned(self, tmp_path: Path) -> None:
        """A log appended to many times offers at most MAX_CHOICES record times, first and last."""
        log = chronicle.Log()
        for year in range(1950, 2000):
            log.append("x", [HeadOfStateInstalled(occurred=str(year), name=f"L{year}", title="t")])
        data = page_data(log, "x", None)
        assert MAX_CHOICES == len(data["choices"])
        first, last = data["choices"][0], data["choices"][-1]
        assert "L1950" == data["tenures"][first["tenures"][-1]]["name"]
        assert "L1999" == data["tenures"][last["tenures"][-1]]["name"]


def _select(driver: Any, label_index: int) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "known-at")).select_by_index(label_index)


def _sized(elements: list[Any]) -> list[Any]:
    return [e for e in elements if e.size["width"] > 0 and e.size["height"] > 0]


class TestInBrowser:
    def test_bands_and_marks_render(self, browser: Any, mali_page: Path, artifacts: Path) -> None:
        """The bands, the coups and the other marks are drawn, each with a size."""
        browser.get(mali_page.as_uri())
        bands = browser.find_elements("css selector", "#timeline g.band rect")
        coups = browser.find_elements("css selector", "#timeline g.mark.coup")
        marks = browser.find_elements("css selector", "#timeline g.mark")
        assert 4 == len(_sized(bands))  # Keïta, Goïta, Bah N'Daw, Goïta again
        assert 2 == len(_sized(coups))
        assert len(_sized(marks)) > 10
        assert _sized(browser.find_elements("css selector", "#drift g.promise"))
        assert (
            "Mali: the promised vote keeps receding" == browser.find_element("id", "headline").text
        )
        screenshot(browser, artifacts / "page-mali.png")

    def test_known_at_changes_what_is_shown(
        self, browser: Any, mali_page: Path, artifacts: Path
    ) -> None:
        """The duplicate coup is shown as the record stood on 8 September, gone at the latest."""
        browser.get(mali_page.as_uri())
        duplicate = f'[data-id="{DUPLICATE}"]'
        assert not browser.find_elements("css selector", duplicate)
        _select(browser, 1)
        assert "2025-09-08T09:00:00+00:00" == browser.find_element(
            "tag name", "body"
        ).get_attribute("data-known-at")
        assert 2 == len(
            _sized(
                browser.find_elements(
                    "css selector", f"#timeline g.mark.coup{duplicate}, #events li{duplicate}"
                )
            )
        )
        assert 3 == len(browser.find_elements("css selector", "#timeline g.mark.coup"))
        screenshot(browser, artifacts / "page-mali-known-at-2025-09-08.png")
        _select(browser, 3)
        assert not browser.find_elements("css selector", duplicate)
        assert "Corrected on 1 Oct 2025" in browser.find_element("id", "events").text

    def test_footnotes_link_to_sources(self, browser: Any, mali_page: Path) -> None:
        """Each event's footnote marks lead to a numbered source; sources link to their pages."""
        browser.get(mali_page.as_uri())
        marks = browser.find_elements("css selector", "#events sup a")
        notes = {
            item.get_attribute("id") for item in browser.find_elements("css selector", "#notes li")
        }
        assert marks
        assert {m.get_attribute("href").rsplit("#", 1)[1] for m in marks} <= notes
        links = browser.find_elements("css selector", "#notes a")
        assert links
        assert all(link.get_attribute("href").startswith(("http://", "https://")) for link in links)

    def test_nothing_from_the_log_runs(
        self, browser: Any, hostile_page: Path, artifacts: Path
    ) -> None:
        """Texts that look like HTML are shown as text; none runs, no javascript: link is made."""
        browser.get(hostile_page.as_uri())
        assert browser.execute_script("return window.pwned === undefined")
        assert HOSTILE in browser.find_element("id", "events").text
        hrefs = [a.get_attribute("href") for a in browser.find_elements("tag name", "a")]
        assert not [href for href in hrefs if href and href.startswith("javascript")]
        screenshot(browser, artifacts / "page-hostile.png")

    def test_dataset_stream(
        self, browser: Any, datasets_db: Path, tmp_path: Path, artifacts: Path
    ) -> None:
        """A dataset stream's page draws its sixty years: bands, coups, votes."""
        out = tmp_path / "mli.html"
        assert 0 == run("html", datasets_db, "-s", "MLI", "-o", out).exit_code
        browser.get(out.as_uri())
        assert "Mali: a chronology" == browser.find_element("id", "headline").text
        assert len(_sized(browser.find_elements("css selector", "#timeline g.band rect"))) >= 8
        assert 8 == len(browser.find_elements("css selector", "#timeline g.mark.coup"))
        screenshot(browser, artifacts / "page-datasets-MLI.png")
