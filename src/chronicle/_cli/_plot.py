"""``chronicle plot``: one figure of a country's chronology, fit to print.

Two panels share the time axis. Above, who held power: a band for each head of
state, a red line for each coup, markers for arrests of officers and the
dissolution of parties. Below, the promised election's drift: the date promised
for the vote (up) against when it was promised (across), a staircase that climbs
at each postponement, and the diagonal where the promised date is the day the
promise is made. The staircase creeping toward the diagonal, then jumping up, is
the vote receding.

Dates are drawn at their own precision: an imprecise date (a month, a year, an
interval) is a pale bar over the days it may denote, with its mark on the day it
becomes certain, as in the fold order. A promise whose order with others is unknown,
and decides which promise stands, is dashed to the right edge and captioned with
every date that may be promised now ("2027 or no date").

matplotlib is an optional dependency (``chronicle[plot]``), imported only here and
only through its object API: no pyplot, no global backend. Coordinates are days
since 1970, and the figure draws its own year ticks.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from chronicle._cli._plot_data import Chronology, human, year_end_after
from chronicle._errors import ChronicleError
from chronicle._when import When
from chronicle.politics import Promise

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = ["FORMATS", "MissingExtra", "check_format", "draw", "save"]

FORMATS: Final = (".png", ".svg", ".pdf")
"""The file types ``plot --out`` writes, chosen by suffix."""

_INK: Final = "#222222"
_MUTED: Final = "#6b6b6b"
_COUP: Final = "#b8322a"
_PROMISE: Final = "#1f5f8b"
_BANDS: Final = ("#c9d9e6", "#f0d3b5", "#d5e5c8", "#e2d0e6", "#efe6b4", "#cfe0e0")
_EPOCH: Final = datetime.date(1970, 1, 1)
_WIDTH: Final = 11.0
"""The figure's width in inches; labels are fitted to bands by it."""


_Fitted = tuple["Text", float, tuple[str, ...]]
"""A label, the x coordinate it must end before, and shorter texts to try if it does not."""


class MissingExtra(ChronicleError):  # noqa: N818 -- reads as "missing extra"
    """A command that needs an optional dependency which is not installed."""


def _x(day: datetime.date) -> float:
    """A day as a coordinate: days since 1970."""
    return float((day - _EPOCH).days)


def _draw_rulers(ax: Axes, chronology: Chronology) -> tuple[dict[str, str], list[_Fitted]]:
    """The top panel: a band per head of state, arrests and dissolutions below it.

    Returns the colour of each person's bands, for the legend, and the band labels,
    to be removed where they do not fit once the figure is laid out.
    """
    start, span = chronology.start, (chronology.end - chronology.start).days
    colors: dict[str, str] = {}
    labels: list[_Fitted] = []
    for tenure in chronology.tenures:
        color = colors.setdefault(tenure.name, _BANDS[len(colors) % len(_BANDS)])
        left = max(tenure.since.latest, start)
        ax.axvspan(_x(left), _x(tenure.until), ymin=0.42, ymax=1.0, color=color, lw=0)
        ax.axvline(_x(left), ymin=0.42, ymax=1.0, color="white", lw=1.5)
        since = f"since {human(tenure.since)}" if tenure.since.latest < start else ""
        surname = tenure.name.split()[-1]
        for text, shorter, y, size, weight in (
            (tenure.name, (surname,) if surname != tenure.name else (), 0.82, 9.5, "bold"),
            (tenure.title, (), 0.64, 7.5, "normal"),
            (since, (), 0.50, 7.5, "normal"),
        ):
            if text:
                label = ax.text(
                    _x(left) + span / 250,
                    y,
                    text,
                    fontsize=size,
                    fontweight=weight,
                    color=_INK if weight == "bold" else _MUTED,
                    va="center",
                )
                labels.append((label, _x(tenure.until) - span / 250, shorter))
    for row, (event, caption) in enumerate(chronology.marks):
        when, y = event.occurred, 0.26 - 0.16 * (row % 2)
        ax.plot(
            [_x(when.earliest), _x(when.latest)],
            [y, y],
            color=_INK,
            lw=4,
            alpha=0.25,
            solid_capstyle="butt",
        )
        ax.plot([_x(when.latest)], [y], marker="v", color=_INK, ms=6, ls="none")
        ax.annotate(
            f"{caption}, {human(when)}",
            (_x(when.earliest), y),
            xytext=(-5, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=7.5,
            color=_INK,
        )
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return colors, labels


def _drop_overflowing(canvas: FigureCanvasAgg, ax: Axes, labels: list[_Fitted]) -> None:
    """Lay the figure out, then shorten or remove each label that runs past its band's end."""
    canvas.figure.draw_without_rendering()
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]  # untyped in matplotlib
    for label, right, shorter in labels:
        end = ax.transData.transform((right, 0.0))[0]
        for text in shorter:
            if label.get_window_extent(renderer).x1 <= end:
                break
            label.set_text(text)
        if label.get_window_extent(renderer).x1 > end:
            label.remove()


def _draw_coups(axes: Sequence[Axes], chronology: Chronology) -> None:
    """A red line across both panels on the day of each coup (dotted if it failed)."""
    for coup in chronology.coups:
        day = _x(coup.occurred.latest)
        for ax in axes:
            ax.axvline(day, color=_COUP, lw=1.3, ls="-" if coup.successful else ":", zorder=3)
        what = "coup" if coup.successful else "failed coup"
        axes[-1].annotate(
            f"{what}, {human(coup.occurred)}",
            (day, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -4),
            textcoords="offset points",
            rotation=90,
            ha="left",
            va="top",
            fontsize=8,
            color=_COUP,
            fontweight="bold",
        )


def _label(promise: Promise) -> str:
    """The caption of a dated promise: the date promised, then when it was promised."""
    promised = promise.date
    assert promised is not None  # only dated promises are captioned
    verb = "postponed" if promise.postponement else "promised"
    return f"{human(promised)}\n{verb} {human(promise.made)}"


def _uncertain_label(promise: Promise, alternatives: Sequence[When | None]) -> str:
    """The caption of a promise whose order is unknown: every date that may stand now."""
    dates = " or ".join("no date" if date is None else human(date) for date in alternatives)
    verb = "postponed" if promise.postponement else "promised"
    return f"{dates}\n{verb} {human(promise.made)}, order unknown"


def _widest_gap(points: Sequence[float], first: float, last: float) -> float:
    """The middle of the widest stretch of [first, last] free of ``points``."""
    edges = sorted([first, *(p for p in points if first < p < last), last])
    left, right = max(itertools.pairwise(edges), key=lambda pair: pair[1] - pair[0])
    return (left + right) / 2


def _draw_diagonal(ax: Axes, chronology: Chronology, top: datetime.date) -> None:
    """The line where the date promised is the day of the promise, and the past below it."""
    first, last, high = _x(chronology.start), _x(chronology.end), _x(top)
    ax.plot([first, high], [first, high], color=_MUTED, lw=1, ls="--", zorder=1)
    ax.fill_between([first, high], [first, first], [first, high], color="#efefef", lw=0, zorder=0)
    busy = [_x(p.made.latest) for p in chronology.drift.promises if p.date is None]
    busy += [_x(coup.occurred.latest) for coup in chronology.coups]
    middle = _widest_gap(busy, first, last)
    lift = (last - first) / 150  # just above the line, not on it
    ax.text(
        middle - lift,
        middle + lift,
        "promised date = day of the promise",
        rotation=45,
        transform_rotates_text=True,
        rotation_mode="anchor",
        ha="center",
        va="bottom",
        fontsize=8,
        color=_MUTED,
    )
    ax.text(
        0.99,
        0.02,
        "below the dashed line, the promised date has passed",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7.5,
        color=_MUTED,
    )


def _draw_drift(ax: Axes, chronology: Chronology, top: datetime.date) -> None:
    """The bottom panel: the staircase of the date promised over the diagonal of "today".

    Captions of promises go above and to the right of their mark (to the left near
    the right edge, or when the next mark is close, leaving it the right); captions of
    postponements without a date go below the diagonal, where the past is empty.
    Every caption has a white halo, so that a line under it does not hide it.
    """
    from matplotlib.patheffects import withStroke

    halo = [withStroke(linewidth=3, foreground="white")]
    start, end = chronology.start, chronology.end
    promises = chronology.drift.promises
    _draw_diagonal(ax, chronology, top)
    near_edge = _x(end) - (end - start).days * 0.2
    marks = [
        (_x(p.made.latest), _x(p.date.latest if p.date is not None else p.made.latest))
        for p in promises
    ]  # where each promise's mark is: a later dated mark close by takes the right side
    for index, promise in enumerate(promises):
        made = promise.made
        x = _x(made.latest)
        until = promises[index + 1].made.latest if index + 1 < len(promises) else chronology.last
        crowded = any(
            all(abs(a - b) < 400 for a, b in zip(mark, marks[index], strict=True))
            for mark, later in zip(marks[index + 1 :], promises[index + 1 :], strict=True)
            if later.date is not None
        )
        side = (-7, "right") if x > near_edge or crowded else (7, "left")
        if promise.date is None:
            ax.plot([x], [x], marker="X", color=_COUP, ms=8, zorder=5, ls="none")
            ax.annotate(
                f"postponed, no new date\n{human(made)}",
                (x, x),
                xytext=(7, -6),
                textcoords="offset points",
                fontsize=7.5,
                color=_COUP,
                va="top",
                path_effects=halo,
            )
            continue
        promised = promise.date
        y = _x(promised.latest)
        open_order = promise in chronology.undecided and len(chronology.alternatives) > 1
        if open_order:  # made at an unknown place among others: it may, or may not, stand
            ends = [_x(made.earliest), _x(chronology.end)]
            ax.plot(ends, [y, y], color=_PROMISE, lw=2.2, zorder=4, ls="--")
        else:
            ax.plot([x, _x(until)], [y, y], color=_PROMISE, lw=2.2, zorder=4)
        if promised.earliest != promised.latest:
            ax.plot(
                [x, x],
                [_x(promised.earliest), y],
                color=_PROMISE,
                lw=6,
                alpha=0.22,
                solid_capstyle="butt",
            )
        if made.earliest != made.latest:
            ax.plot(
                [_x(made.earliest), x],
                [y, y],
                color=_PROMISE,
                lw=6,
                alpha=0.22,
                solid_capstyle="butt",
            )
        ax.plot([x], [y], marker="o", color=_PROMISE, ms=6.5, zorder=5, ls="none")
        ax.annotate(
            _uncertain_label(promise, chronology.alternatives) if open_order else _label(promise),
            (x, y),
            xytext=(side[0], 6),
            textcoords="offset points",
            fontsize=8,
            color=_PROMISE,
            ha=side[1],
            va="bottom",
            path_effects=halo,
        )
    if not promises:
        ax.text(0.5, 0.5, "no election promised", transform=ax.transAxes, ha="center", color=_MUTED)
    ax.set_ylim(_x(start), _x(top))
    for side_name in ("right", "top"):
        ax.spines[side_name].set_visible(False)


def _years(ax: Axes, which: Literal["x", "y"], first: datetime.date, last: datetime.date) -> None:
    """Ticks on 1 January of each year, each year's label in the middle of its span."""
    years = range(first.year, last.year + 1)
    bounds = [_x(datetime.date(year, 1, 1)) for year in years if datetime.date(year, 1, 1) >= first]
    middles = [_x(datetime.date(year, 7, 2)) for year in years if datetime.date(year, 7, 2) <= last]
    labels = [str(year) for year in years if datetime.date(year, 7, 2) <= last]
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_ticks(bounds)
    axis.set_ticks(middles, labels, minor=True)
    ax.tick_params(axis=which, which="major", labelbottom=False, labelleft=False, length=5)
    ax.tick_params(axis=which, which="minor", length=0, labelsize=8.5, labelcolor=_INK)
    ax.grid(axis=which, which="major", color="#dddddd", lw=0.6)


def _legend(ax: Axes, colors: dict[str, str], *, uncertain: bool = False) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Patch(color=color, label=name) for name, color in colors.items()]
    handles += [
        Line2D([], [], color=_COUP, lw=1.3, label="coup"),
        Line2D([], [], color=_PROMISE, lw=2.2, marker="o", label="date promised for the vote"),
        Line2D([], [], color=_COUP, marker="X", ls="none", ms=8, label="postponed, no new date"),
        Line2D([], [], color=_INK, marker="v", ls="none", label="arrests, dissolutions"),
    ]
    if uncertain:
        handles.append(
            Line2D(
                [], [], color=_PROMISE, lw=2.2, ls="--", label="may no longer stand (order unknown)"
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=8,
        frameon=False,
        title="Heads of state and events",
        title_fontsize=8,
        alignment="left",
    )


def _vote(office: str) -> str:
    """How a caption names the vote for ``office``."""
    return "presidential election" if office == "president" else f"{office} election"


def draw(chronology: Chronology, *, office: str, title: str | None) -> Figure:
    """The figure of a chronology, ready to save.

    Raises:
        MissingExtra: matplotlib is not installed.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.layout_engine import ConstrainedLayoutEngine
    except ImportError:
        raise MissingExtra("plot needs matplotlib: pip install 'chronicle[plot]'") from None
    figure = Figure(
        figsize=(_WIDTH, 8.2), dpi=150, layout=ConstrainedLayoutEngine(rect=(0.0, 0.05, 1.0, 0.95))
    )
    canvas = FigureCanvasAgg(figure)  # the Agg renderer, for this figure only
    rulers, drift = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 3.4]})
    dated = [p.date.latest for p in chronology.drift.promises if p.date is not None]
    top = year_end_after(max([*dated, chronology.end]), 90)
    colors, labels = _draw_rulers(rulers, chronology)
    _draw_drift(drift, chronology, top)
    _draw_coups([rulers, drift], chronology)
    _legend(drift, colors, uncertain=len(chronology.alternatives) > 1)
    drift.set_xlim(_x(chronology.start), _x(chronology.end))
    _years(drift, "x", chronology.start, chronology.end)
    _years(drift, "y", chronology.start, top)
    rulers.tick_params(axis="x", which="both", length=0)
    drift.set_ylabel(f"Date set for the {_vote(office)}", fontsize=9, color=_INK)
    drift.set_xlabel("Date the promise was made", fontsize=9, color=_INK)
    figure.suptitle(
        title or f"{chronology.name.title()}: the promised vote keeps receding",
        x=0.01,
        ha="left",
        fontsize=16,
        fontweight="bold",
        color=_INK,
    )
    rulers.set_title(
        f"Who ruled; below, each date set for the {_vote(office)}, against the day it was set",
        loc="left",
        fontsize=10,
        color=_MUTED,
        pad=6,
    )
    sources = ", ".join(chronology.publishers[:4])
    more = " and others" if len(chronology.publishers) > 4 else ""
    figure.text(
        0.01,
        0.012,
        "Dates at the precision reported: a pale bar spans a month, a year"
        " or an interval, the mark is where it is certain."
        f" The record runs to {human(When(chronology.last))}."
        f"\nSources: {sources}{more}.",
        fontsize=7.5,
        color=_MUTED,
        va="bottom",
    )
    _drop_overflowing(canvas, rulers, labels)
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


def save(figure: Figure, out: Path) -> None:
    """Write the figure to ``out``, in the format its suffix names (see :func:`check_format`).

    Raises:
        OSError: the file cannot be written.
    """
    figure.savefig(out, facecolor="white")
