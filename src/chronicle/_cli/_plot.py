"""``chronicle plot``: one figure of a country's chronology, fit to print.

Two panels share the time axis. Above, who held power: a band for each head of
state, a red line for each coup, markers for arrests of officers and the
dissolution of parties. Below, the promised election's drift: the date promised
for the vote (up) against when it was promised (across), a staircase that climbs
at each postponement, and the diagonal where the promised date is the day the
promise is made. The staircase creeping toward the diagonal, then jumping up, is
the vote receding; a vote held is a diamond on the diagonal. A stream with no
election has the upper panel only. The key, below the panels, names the leaders
whose names do not fit on their bands, and the marks the figure holds.

Dates are drawn at their own precision: an imprecise date (a month, a year, an
interval) is a pale bar over the days it may denote, with its mark on the day it
becomes certain, as in the fold order. A promise whose order with others is unknown,
and decides which promise stands, is dashed to the end of the record and captioned
with every date that may be promised now ("2027 or no date").

The figure survives real data (sixty years, forty leaders, a dozen coups): year
labels are spaced to fit, each leader has a colour of their own, and every label
is placed where it overlaps no other (see :mod:`chronicle._cli._plot_labels`).
Marks are drawn as one collection per kind, so that a stream of a hundred
thousand events draws in seconds.

matplotlib is an optional dependency (``chronicle-history[plot]``), imported only
here and only through its object API: no pyplot, no global backend. Coordinates
are days since 1970, and the figure draws its own year ticks.
"""

from __future__ import annotations

import datetime
import importlib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal

from chronicle._cli._plot_data import Chronology, human, vote, year_end_after
from chronicle._cli._plot_labels import (
    label_bands,
    label_coups,
    label_diagonal,
    label_marks,
    label_past,
    label_promises,
)
from chronicle._cli._plot_layout import (
    BAND_LOW,
    COUP,
    INK,
    MUTED,
    PROMISE,
    Placer,
    band_colours,
    day_x,
    mark_row,
    year_ticks,
)
from chronicle._errors import ChronicleError
from chronicle._when import When

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "MissingExtra", "check_format", "draw", "save"]

FORMATS: Final = (".png", ".svg", ".pdf")
"""The file types ``plot --out`` writes, chosen by suffix."""

_WIDTH: Final = 11.0
"""The figure's width in inches."""
_RULERS: Final = 1.55
"""The upper panel's height in inches (twice that when it is the only one)."""
_DRIFT: Final = 5.0
"""The lower panel's height in inches."""
_LEADER_COLUMNS: Final = 3
_SYMBOL_COLUMNS: Final = 2
_FOOTER: Final = 0.4
"""The footer's height in inches, below the key."""
_LEADER_ROWS: Final = 5
"""The most rows of leaders the key has; the earliest others are counted, not named."""


class MissingExtra(ChronicleError):  # noqa: N818 -- reads as "missing extra"
    """A command that needs an optional dependency which is not installed."""


def _draw_rulers(ax: Axes, chronology: Chronology, colours: dict[str, str]) -> None:
    """The upper panel: a band per tenure, and arrests and dissolutions below them.

    Each leader's bands are one collection, labelled with the leader's name. A mark
    is where an arrest or dissolution is certain, a pale bar before it.
    """
    start = chronology.start
    spans: dict[str, list[tuple[float, float]]] = {}
    for tenure in chronology.tenures:
        left = day_x(max(tenure.since.latest, start))
        spans.setdefault(tenure.name, []).append((left, day_x(tenure.until) - left))
    for name, ranges in spans.items():
        ax.broken_barh(ranges, (BAND_LOW, 1 - BAND_LOW), facecolors=colours[name], lw=0, label=name)
    ax.vlines([left for ranges in spans.values() for left, _ in ranges], BAND_LOW, 1, color="white")
    if not chronology.tenures:
        ax.text(0.5, 0.7, "no head of state in the record", transform=ax.transAxes, ha="center")
    marks = chronology.marks
    points = [(day_x(event.occurred.latest), mark_row(i)) for i, event in enumerate(marks)]
    bars = [
        [(day_x(event.occurred.earliest), y), (x, y)]
        for event, (x, y) in zip(marks, points, strict=True)
        if event.occurred.earliest != event.occurred.latest
    ]
    _segments(ax, bars, color=INK, lw=4, alpha=0.25, solid_capstyle="butt")
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, marker="v", color=INK, ms=6, ls="none")
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)


def _segments(ax: Axes, segments: list[list[tuple[float, float]]], **style: Any) -> None:
    """Draw line segments as one line broken by gaps: fast for tens of thousands of them."""
    if not segments:
        return
    xs: list[float] = []
    ys: list[float] = []
    for (x0, y0), (x1, y1) in segments:
        xs += (x0, x1, math.nan)
        ys += (y0, y1, math.nan)
    ax.plot(xs, ys, **style)


def _promised(chronology: Chronology) -> list[datetime.date]:
    """The last day of each date promised."""
    return [promise.date.latest for promise in chronology.promises if promise.date is not None]


def _drift_points(chronology: Chronology) -> list[tuple[float, float]]:
    """Where the drift panel's marks are: each promise's dot or cross, each vote's diamond."""
    points = [(day_x(p.made.latest), day_x((p.date or p.made).latest)) for p in chronology.promises]
    points += [
        (day_x(step.when.latest), day_x(step.when.latest))
        for step in chronology.steps
        if step.promise is None
    ]
    return points


def _draw_drift(ax: Axes, chronology: Chronology) -> None:
    """The lower panel: each promise from the day it was made until the next step of the vote.

    A promise is a dot at (day made, date promised) and a line to the right until
    the next promise, the vote, or the end of the record; a postponement without a
    date is a red cross on the diagonal; a vote held is a dark diamond there, one
    called off a hollow one. The diagonal is where the date promised is the day of
    the promise: below it, the past.
    """
    room = max(90, (chronology.end - chronology.start).days // 15)  # above the highest mark
    top = year_end_after(max([chronology.end, *_promised(chronology)]), room)
    first, high = day_x(chronology.start), day_x(top)
    ax.plot([first, high], [first, high], color=MUTED, lw=1, ls="--", zorder=1)
    ax.fill_between([first, high], [first, first], [first, high], color="#efefef", lw=0, zorder=0)
    steps = chronology.steps
    lines, bars, dots, crosses, open_lines = [], [], [], [], []
    for index, step in enumerate(steps):
        if step.promise is None:
            continue
        made, promised = step.promise.made, step.promise.date
        x = day_x(made.latest)
        if promised is None:
            crosses.append((x, x))
            continue
        y = day_x(promised.latest)
        until = steps[index + 1].when.latest if index + 1 < len(steps) else chronology.last
        if chronology.open and step.promise in chronology.undecided:
            # Made at an unknown place among others: it may, or may not, stand now.
            open_lines.append([(day_x(made.earliest), y), (day_x(chronology.last), y)])
        else:
            lines.append([(x, y), (day_x(until), y)])
        dots.append((x, y))
        if promised.earliest != promised.latest:
            bars.append([(x, day_x(promised.earliest)), (x, y)])
        if made.earliest != made.latest:
            bars.append([(day_x(made.earliest), y), (x, y)])
    _segments(ax, bars, color=PROMISE, lw=6, alpha=0.22, solid_capstyle="butt")
    _segments(ax, lines, color=PROMISE, lw=2.2, zorder=4)
    _segments(ax, open_lines, color=PROMISE, lw=2.2, zorder=4, ls="--")
    votes = {
        kind: [(day_x(s.when.latest),) * 2 for s in steps if s.kind == kind]
        for kind in ("held", "voided")
    }
    for points, marker, colour, size, face in (
        (dots, "o", PROMISE, 6.5, PROMISE),
        (crosses, "X", COUP, 8, COUP),
        (votes["held"], "D", INK, 5, INK),
        (votes["voided"], "D", MUTED, 5, "white"),
    ):
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, ls="none", zorder=5, marker=marker, color=colour, ms=size, mfc=face)
    ax.set_ylim(first, high)
    _years(ax, "y", chronology.start, top)
    ax.set_ylabel(f"Date set for the {vote(chronology.office or '')}", fontsize=9, color=INK)
    for side in ("right", "top"):
        ax.spines[side].set_visible(False)


def _draw_coup_lines(axes: Sequence[Axes], chronology: Chronology) -> None:
    """A red line across the panels on the day of each coup (dotted if it failed)."""
    for successful, style in ((True, "-"), (False, ":")):
        days = [day_x(c.occurred.latest) for c in chronology.coups if c.successful == successful]
        for ax in axes:
            axis = ax.get_xaxis_transform()
            ax.vlines(days, 0, 1, transform=axis, color=COUP, lw=1.3, ls=style, zorder=3)


def _years(ax: Axes, which: Literal["x", "y"], first: datetime.date, last: datetime.date) -> None:
    """Year ticks spaced to fit: every year labelled in its middle, or every 2, 5, 10... years."""
    ticks = year_ticks(first, last)
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_ticks([day_x(day) for day in ticks.ticks])
    places = [day_x(day) for day, _ in ticks.labels]
    labels = [label for _, label in ticks.labels]
    if ticks.step == 1:
        axis.set_ticks(places, labels, minor=True)
        ax.tick_params(axis=which, which="major", labelbottom=False, labelleft=False, length=5)
        ax.tick_params(axis=which, which="minor", length=0, labelsize=8.5, labelcolor=INK)
    else:
        axis.set_ticks(places, labels)
        ax.tick_params(axis=which, which="major", length=5, labelsize=8.5, labelcolor=INK)
    ax.grid(axis=which, which="major", color="#dddddd", lw=0.6)


def _symbols(chronology: Chronology, drift: bool) -> list[tuple[Any, str]]:
    """The key's entries for the marks the figure holds, (handle, label): only those drawn."""
    from matplotlib.lines import Line2D

    kinds = {step.kind for step in chronology.steps}
    dated = _promised(chronology)
    coups = chronology.coups
    line = Line2D
    entries: list[tuple[bool, Any, str]] = [
        (any(c.successful for c in coups), line([], [], color=COUP, lw=1.3), "coup"),
        (any(not c.successful for c in coups), line([], [], color=COUP, ls=":"), "failed coup"),
        (bool(dated), line([], [], color=PROMISE, lw=2.2, marker="o"), "date promised"),
        (
            len(dated) < len(chronology.promises),
            line([], [], color=COUP, marker="X", ls="none", ms=8),
            "postponed, no new date",
        ),
        ("held" in kinds, line([], [], color=INK, marker="D", ls="none", ms=5), "vote held"),
        (
            "voided" in kinds,
            line([], [], color=MUTED, marker="D", mfc="white", ls="none", ms=5),
            "vote called off",
        ),
        (
            bool(chronology.marks),
            line([], [], color=INK, marker="v", ls="none"),
            "arrests, dissolutions",
        ),
        (
            chronology.open,
            line([], [], color=PROMISE, lw=2.2, ls="--"),
            "may no longer stand (order unknown)",
        ),
        (drift, line([], [], color=MUTED, lw=1, ls="--"), "promised date = day of the promise"),
    ]
    return [(handle, label) for shown, handle, label in entries if shown]


def _key_rows(leaders: int, symbols: int) -> int:
    """The rows of the key below the panels: enough for every leader (up to a cap) and mark."""
    return max(min(-(-leaders // _LEADER_COLUMNS), _LEADER_ROWS), -(-symbols // _SYMBOL_COLUMNS), 1)


def _draw_key(
    ax: Axes,
    colours: dict[str, str],
    symbols: list[tuple[Any, str]],
    rows: int,
    named: set[str],
) -> None:
    """The key below the panels: the leaders not named on a band, then the marks drawn.

    If the leaders do not fit in ``rows`` rows, the latest are named and the others
    counted.
    """
    from matplotlib.patches import Patch

    common: dict[str, Any] = {
        "fontsize": 8,
        "frameon": False,
        "title_fontsize": 8,
        "alignment": "left",
        "borderaxespad": 0,
    }
    names = list(colours)
    room = min(rows, _LEADER_ROWS) * _LEADER_COLUMNS
    shown = names if len(names) <= room else names[len(names) - room + 1 :]
    handles: list[Any] = [Patch(color=colours[name], label=name) for name in shown]
    if len(shown) < len(names):
        earlier = len(names) - len(shown)
        what = f"and {earlier} earlier leader{'s' if earlier > 1 else ''}"
        handles.insert(0, Patch(color="none", label=what))
    if handles:
        title = "Heads of state not named on their band" if named else "Heads of state"
        leaders = ax.legend(
            handles=handles, loc="upper left", ncols=_LEADER_COLUMNS, title=title, **common
        )
    if handles and symbols:
        ax.add_artist(leaders)  # kept: the next legend replaces the axes' own
    if symbols:
        marks, labels = zip(*symbols, strict=True)
        ax.legend(
            handles=list(marks),
            labels=list(labels),
            loc="upper right",
            ncols=_SYMBOL_COLUMNS,
            title="Marks",
            **common,
        )


def _title(chronology: Chronology) -> str:
    """The default title: the vote receding only if it does, else what the figure shows."""
    if chronology.receding:
        return f"{chronology.name}: the promised vote keeps receding"
    if chronology.office is None:
        return f"{chronology.name}: who ruled" + (", and the coups" if chronology.coups else "")
    return f"{chronology.name}: who ruled, and the dates set for the {vote(chronology.office)}"


def _footer(chronology: Chronology) -> str:
    """What the pale bars mean, how far the record runs, and the sources (if any are cited)."""
    lines = [
        "Dates at the precision reported: a pale bar spans a month, a year or an interval,"
        f" the mark is where it is certain. The record runs to {human(When(chronology.last))}."
    ]
    publishers = chronology.publishers
    if publishers:
        more = f" and {len(publishers) - 4} others" if len(publishers) > 4 else ""
        lines.append(f"Sources: {', '.join(publishers[:4])}{more}.")
    return "\n".join(lines)


def _layout(figure: Figure) -> Placer:
    """Lay the figure out once and for all, and a placer for the labels put on it next."""
    figure.draw_without_rendering()
    figure.set_layout_engine("none")  # the labels placed next must not move the panels
    return Placer(figure.canvas.get_renderer())  # type: ignore[attr-defined]  # Agg's renderer


def _obstacles(placer: Placer, rulers: Axes, drift: Axes | None, chronology: Chronology) -> None:
    """Make every mark's dot an obstacle to captions: a caption never hides a mark."""
    points = [(day_x(e.occurred.latest), mark_row(i)) for i, e in enumerate(chronology.marks)]
    if points:
        placer.avoid(rulers.transData.transform(points), 6)
    if drift is not None:
        placer.avoid(drift.transData.transform(_drift_points(chronology) or [(0, 0)]), 6)


def _figure(office: str | None, rows: int) -> tuple[Figure, Axes, Axes | None, Axes]:
    """An empty figure: the upper panel, the drift panel (if an office is drawn), the key."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    panels = [_RULERS, _DRIFT] if office is not None else [_RULERS * 2]
    key = 0.25 + 0.16 * rows
    height = sum(panels) + key + 1.7
    figure = Figure(
        figsize=(_WIDTH, height),
        dpi=150,
        layout=ConstrainedLayoutEngine(rect=(0.0, _FOOTER / height, 1.0, 1.0 - 0.5 / height)),
    )
    FigureCanvasAgg(figure)  # the Agg renderer, for this figure only
    grid = figure.add_gridspec(len(panels) + 1, 1, height_ratios=[*panels, key])
    rulers = figure.add_subplot(grid[0])
    drift = figure.add_subplot(grid[1], sharex=rulers) if office is not None else None
    key_axes = figure.add_subplot(grid[-1])
    key_axes.set_axis_off()
    return figure, rulers, drift, key_axes


def _frame(
    figure: Figure, rulers: Axes, drift: Axes | None, chronology: Chronology, title: str | None
) -> None:
    """The coups' lines, the time axis, the titles and the footer."""
    office = chronology.office
    panels = [rulers] if drift is None else [rulers, drift]
    _draw_coup_lines(panels, chronology)
    panels[-1].set_xlim(day_x(chronology.start), day_x(chronology.end))
    _years(panels[-1], "x", chronology.start, chronology.end)
    if drift is not None:
        drift.set_xlabel("Date the promise was made", fontsize=9, color=INK)
        rulers.tick_params(axis="x", which="both", length=0, labelbottom=False)
    figure.suptitle(
        title or _title(chronology), x=0.01, ha="left", fontsize=16, fontweight="bold", color=INK
    )
    below = f"; below, each date set for the {vote(office or '')}, against the day it was set"
    rulers.set_title(
        "Who ruled" + (below if office is not None else ""),
        loc="left",
        fontsize=10,
        color=MUTED,
        pad=6,
    )
    bottom = 0.08 * _FOOTER / figure.get_figheight()
    figure.text(0.01, bottom, _footer(chronology), fontsize=7.5, color=MUTED, va="bottom")


def _label_drift(ax: Axes, chronology: Chronology, placer: Placer) -> None:
    """The drift panel's labels: coups, the note on the past, the promises, the diagonal."""
    label_coups(ax, chronology, placer, diagonal=True)
    label_past(ax, placer)
    label_promises(ax, chronology, placer)
    label_diagonal(ax, chronology, placer)
    if not chronology.promises:
        nothing = f"no date set for the {vote(chronology.office or '')} in the record"
        note = ax.text(0.5, 0.6, nothing, transform=ax.transAxes, ha="center", color=MUTED)
        placer.place(note)


def draw(chronology: Chronology, *, title: str | None) -> Figure:
    """The figure of a chronology, ready to save.

    Raises:
        MissingExtra: matplotlib is not installed.
    """
    try:
        for module in ("matplotlib.figure", "matplotlib.backends.backend_agg"):
            importlib.import_module(module)
    except ImportError:
        raise MissingExtra("plot needs matplotlib: pip install 'chronicle-history[plot]'") from None
    leaders = list(dict.fromkeys(tenure.name for tenure in chronology.tenures))
    colours = dict(zip(leaders, band_colours(len(leaders)), strict=True))
    symbols = _symbols(chronology, drift=chronology.office is not None)
    rows = _key_rows(len(leaders), len(symbols))
    figure, rulers, drift, key = _figure(chronology.office, rows)
    _draw_rulers(rulers, chronology, colours)
    if drift is not None:
        _draw_drift(drift, chronology)
    _frame(figure, rulers, drift, chronology, title)
    placer = _layout(figure)
    _obstacles(placer, rulers, drift, chronology)
    named = label_bands(rulers, chronology, placer)
    _draw_key(key, {n: c for n, c in colours.items() if n not in named}, symbols, rows, named)
    if drift is not None:
        _label_drift(drift, chronology, placer)
    else:
        label_coups(rulers, chronology, placer, diagonal=False)
    label_marks(rulers, chronology, placer)
    return figure


def check_format(out: Path) -> None:
    """Check that ``out`` names a format the figure can be saved in, before any work.

    Raises:
        ChronicleError: the suffix is not one of :data:`FORMATS`.
    """
    if out.suffix.lower() not in FORMATS:
        raise ChronicleError(
            f"--out {out}: cannot tell the format; end the name in {', '.join(FORMATS)}"
        )


def save(figure: Figure, out: IO[bytes], suffix: str) -> None:
    """Write the figure to ``out``, in the format ``suffix`` names (see :func:`check_format`).

    The file is written whole or not at all, through a temporary file.

    Raises:
        OSError: the file cannot be written.
    """
    figure.savefig(out, format=suffix.lower().removeprefix("."), facecolor="white")
