"""The labels of ``chronicle plot``'s figure, placed once the panels are laid out.

Each kind of label is placed by a :class:`~chronicle._cli._plot_layout.Placer`, in
order of importance: names on the bands, coups, the promises (the latest first),
then the notes. A label goes where it overlaps no text and no mark already there,
trying a few places around its anchor, and is left out if none is free: on a
crowded figure some promises are left without a caption, never with two captions
on top of each other.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Final

from chronicle._cli._plot_data import Chronology, caption, human
from chronicle._cli._plot_layout import (
    BAND_LOW,
    COUP,
    INK,
    MUTED,
    PROMISE,
    Across,
    Placer,
    Spot,
    Up,
    day_x,
    mark_row,
    spread,
)
from chronicle.politics import CoupOccurred, Promise

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

__all__ = [
    "label_bands",
    "label_coups",
    "label_diagonal",
    "label_marks",
    "label_past",
    "label_promises",
    "widest_gaps",
]

_TRIED: Final = 40
"""The most captions of one kind tried, the most recent first: on a long record the rest
could not fit anyway, and trying each costs a measurement."""
_NARROWEST: Final = 3.5
"""The least width (points) a letter of a band's name takes at the smallest size tried."""
_FARTHEST: Final = 4
"""How many label widths a coup's label may be set off its line, at most."""
_LEADER_LINE: Final = {"arrowstyle": "-", "color": COUP, "lw": 0.7, "shrinkA": 0, "shrinkB": 0}
"""How a label set apart from its line is tied to it."""
_Offset = tuple[float, float, Across, Up]
"""Where a caption goes from its mark: offset in points across and up, then its alignment."""
_AROUND: Final[tuple[_Offset, ...]] = (
    (7, 6, "left", "bottom"),
    (-7, 6, "right", "bottom"),
    (7, -6, "left", "top"),
    (-7, -6, "right", "top"),
    (9, 0, "left", "center"),
    (-9, 0, "right", "center"),
    (7, 24, "left", "bottom"),
    (-7, 24, "right", "bottom"),
    (7, -24, "left", "top"),
    (-7, -24, "right", "top"),
)
"""Where a caption may go around its mark (offset in points, alignment), the first preferred."""


def _pixels(ax: Axes, x: float) -> float:
    """The horizontal display coordinate of ``x`` (days) on ``ax``."""
    return float(ax.transData.transform((x, 0.0))[0])


def label_bands(ax: Axes, chronology: Chronology, placer: Placer) -> set[str]:
    """Each band's name, title and start (if before the axis), where they fit inside the band.

    A name too long is shortened to the surname, then set smaller; titles are left
    out when every tenure has the same one (REIGN's "leader").

    Returns:
        The names written on at least one band (the key names the others).
    """
    from matplotlib.transforms import Bbox

    start = chronology.start
    titled = len({tenure.title for tenure in chronology.tenures}) > 1
    panel = ax.get_window_extent(placer.renderer)
    pad = (day_x(chronology.end) - day_x(start)) / 250
    named: set[str] = set()
    for tenure in chronology.tenures:
        left, right = day_x(max(tenure.since.latest, start)), day_x(tenure.until)
        x0, x1 = _pixels(ax, left), _pixels(ax, right)
        shortest = min(len(part) for part in tenure.name.split())
        if x1 - x0 < shortest * _NARROWEST * ax.figure.dpi / 72:  # no name fits: not measured
            continue
        within = Bbox.from_extents(x0 + 2, panel.y0, x1 - 2, panel.y1)
        since = f"since {human(tenure.since)}" if tenure.since.latest < start else ""
        surname = tenure.name.split()[-1]
        name = ax.text(left + pad, 0.84, tenure.name, fontsize=9.5, fontweight="bold", color=INK)
        name.set_verticalalignment("center")
        shorter = [functools.partial(name.set_text, surname)] if surname != tenure.name else []
        if not placer.place(name, [*shorter, functools.partial(name.set_fontsize, 7.5)], within):
            continue
        named.add(tenure.name)
        for text, y in ((tenure.title if titled else "", 0.66), (since, 0.52)):
            if text:
                note = ax.text(left + pad, y, text, fontsize=7.5, color=MUTED, va="center")
                placer.place(note, within=within)
    return named


def _coup_text(coup: CoupOccurred) -> str:
    return f"{'coup' if coup.successful else 'failed coup'}, {human(coup.occurred)}"


def _beside(
    labelled: list[tuple[CoupOccurred, float]], lines: list[float], width: float, box: Bbox
) -> Iterator[tuple[tuple[CoupOccurred, float], float, float]]:
    """Each coup with its label's centre and where it was wanted: right of its line, else left.

    Near the right edge there is no room to the right of a line, so the labels of
    the last eighth of the axis go to the left of theirs (spread leftwards).
    """
    edge = box.x1 - box.width / 8
    right = [item for item in labelled if item[1] < edge]
    left = [item for item in labelled if item[1] >= edge]
    low, high = box.x0 + width / 2, box.x1 - width / 2
    wanted = [line + width / 2 for _, line in right]
    yield from zip(right, spread(wanted, width, low, high, lines), wanted, strict=True)
    mirrored = [-(line - width / 2) for _, line in reversed(left)]
    centres = spread(mirrored, width, -high, -low, [-line for line in lines])
    yield from zip(reversed(left), [-c for c in centres], [-m for m in mirrored], strict=True)


def label_coups(ax: Axes, chronology: Chronology, placer: Placer, *, diagonal: bool) -> None:
    """A vertical label by each coup's line, spread apart so that none covers another.

    On the drift panel (``diagonal``) a label hangs from the top where the diagonal
    runs low enough below it, and else stands on the bottom, under the diagonal,
    where the past is empty; on the upper panel alone, it hangs from below the bands.
    Labels of coups close in time are set side by side, each tied to its line by a
    thin leader line; where coups are so many that a label would land more than a
    few widths from its line, it is left out (the line stays). A label too long for
    the panel gives the date alone (the line's style says whether the coup failed).
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.patheffects import withStroke

    renderer = placer.renderer
    box = ax.get_window_extent(renderer)
    font = FontProperties(size=8, weight="bold")
    dpi = ax.figure.dpi
    width = 8 * 1.25 * dpi / 72 + 2  # a line of 8 pt text, turned upright, and a gap
    top = 1.0 if diagonal else BAND_LOW - 0.02
    sides: dict[float, list[tuple[CoupOccurred, float]]] = {top: [], 0.0: []}
    coups = sorted(chronology.coups, key=lambda coup: coup.occurred.latest)
    longest = max((_coup_text(coup) for coup in coups), key=len, default="")
    length = renderer.get_text_width_height_descent(longest, font, ismath=False)[0]
    for coup in coups:
        day = day_x(coup.occurred.latest)
        clear = float(ax.transData.transform((day, day))[1]) < box.y1 - length - 30
        sides[top if clear or not diagonal else 0.0].append((coup, _pixels(ax, day)))
    halo = [withStroke(linewidth=2.5, foreground="white")]
    lines = [line for labelled in sides.values() for _, line in labelled]
    for anchor, labelled in sides.items():
        for (coup, line), centre, wanted in _beside(labelled, lines, width, box):
            if abs(centre - wanted) > _FARTHEST * width:
                continue  # too many coups too close: a label so far off would mislead
            moved = abs(centre - wanted) > 1
            drop = 14 if moved else 4
            label = ax.annotate(
                _coup_text(coup),
                (day_x(coup.occurred.latest), anchor),
                xycoords=("data", "axes fraction"),
                xytext=((centre - line) * 72 / dpi, -drop if anchor else drop),
                textcoords="offset points",
                rotation=90,
                ha="center",
                va="top" if anchor else "bottom",
                fontproperties=font,
                color=COUP,
                path_effects=halo,
                arrowprops=_LEADER_LINE if moved else None,
            )
            shorter = functools.partial(label.set_text, human(coup.occurred))
            placer.place(label, [shorter], within=box)


def _caption(promise: Promise, chronology: Chronology) -> str:
    """The caption of a promise: the date promised (or none), then when it was promised.

    A promise whose unknown order decides which one stands names every date that
    may stand now ("2027 or no date"), and says the order is unknown.
    """
    if chronology.open and promise in chronology.undecided:
        dates = " or ".join(
            "no date" if date is None else human(date) for date in chronology.alternatives
        )
        verb = "postponed" if promise.postponement else "promised"
        return f"{dates}\n{verb} {human(promise.made)}, order unknown"
    if promise.date is None:
        return f"postponed, no new date\n{human(promise.made)}"
    verb = "postponed" if promise.postponement else "promised"
    return f"{human(promise.date)}\n{verb} {human(promise.made)}"


def label_promises(ax: Axes, chronology: Chronology, placer: Placer) -> None:
    """Caption the promises, the latest first, each where it overlaps nothing (or not at all).

    A dated promise is captioned above its mark, to the right unless the mark is near
    the right edge or a later mark is close by; a postponement without a date below
    the diagonal, where the past is empty. A caption set further off is tied to its
    mark by a thin line. Every caption has a white halo, so that a line under it
    does not hide it.
    """
    from matplotlib.patheffects import withStroke

    halo = [withStroke(linewidth=3, foreground="white")]
    box = ax.get_window_extent(placer.renderer)
    promises = chronology.promises
    marks = [(day_x(p.made.latest), day_x((p.date or p.made).latest)) for p in promises]
    near_edge = day_x(chronology.end) - (chronology.end - chronology.start).days * 0.2
    for index in range(len(promises) - 1, max(len(promises) - 1 - _TRIED, -1), -1):
        promise, mark = promises[index], marks[index]
        if promise.date is None:
            offsets = [_AROUND[2], _AROUND[3], _AROUND[8], _AROUND[9]]
        else:
            crowded = any(
                abs(a - mark[0]) < 400 and abs(b - mark[1]) < 400
                for (a, b), later in zip(marks[index + 1 :], promises[index + 1 :], strict=True)
                if later.date is not None
            )
            first = 1 if mark[0] > near_edge or crowded else 0
            offsets = [_AROUND[first], *(o for i, o in enumerate(_AROUND) if i != first)]
        label = ax.annotate(
            _caption(promise, chronology),
            mark,
            xytext=offsets[0][:2],
            textcoords="offset points",
            fontsize=7.5 if promise.date is None else 8,
            color=COUP if promise.date is None else PROMISE,
            path_effects=halo,
            arrowprops={**_LEADER_LINE, "color": MUTED, "lw": 0.6},
        )
        spot = placer.place_at(label, [Spot(mark, *offset) for offset in offsets], box)
        if spot is not None and label.arrow_patch is not None:
            label.arrow_patch.set_visible(abs(spot.dy) > 12)  # tie a caption set further off


def widest_gaps(points: Sequence[float], first: float, last: float) -> list[float]:
    """The middles of the stretches of [first, last] free of ``points``, the widest first."""
    edges = sorted([first, *(p for p in points if first < p < last), last])
    gaps = sorted(itertools.pairwise(edges), key=lambda pair: pair[0] - pair[1])
    return [(left + right) / 2 for left, right in gaps]


def label_diagonal(ax: Axes, chronology: Chronology, placer: Placer) -> None:
    """Name the diagonal where its label overlaps nothing: in the widest stretches free of marks."""
    first, last = day_x(chronology.start), day_x(chronology.end)
    busy = [day_x(p.made.latest) for p in chronology.promises]
    busy += [day_x(coup.occurred.latest) for coup in chronology.coups]
    lift = (last - first) / 150  # just above the line, not on it
    middles = widest_gaps(busy, first, last)[:6]
    label = ax.text(
        middles[0] - lift,
        middles[0] + lift,
        "promised date = day of the promise",
        rotation=45,
        transform_rotates_text=True,
        rotation_mode="anchor",
        ha="center",
        va="bottom",
        fontsize=8,
        color=MUTED,
    )
    moves = [functools.partial(label.set_position, (m - lift, m + lift)) for m in middles[1:]]
    placer.place(label, moves, ax.get_window_extent(placer.renderer))


def label_past(ax: Axes, placer: Placer) -> None:
    """Say what lies below the diagonal, along the bottom (all past), where nothing else is."""
    note = ax.text(
        0.99,
        0.02,
        "below the dashed line, the promised date has passed",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7.5,
        color=MUTED,
    )
    moves = [functools.partial(note.set_x, x) for x in (0.8, 0.6)]
    placer.place(note, moves, ax.get_window_extent(placer.renderer))


def label_marks(ax: Axes, chronology: Chronology, placer: Placer) -> None:
    """Caption arrests and dissolutions, the latest first, left of the mark or else right."""
    box = ax.get_window_extent(placer.renderer)
    marks = chronology.marks
    for index in range(len(marks) - 1, max(len(marks) - 1 - _TRIED, -1), -1):
        event = marks[index]
        when, y = event.occurred, mark_row(index)
        left, right = (day_x(when.earliest), y), (day_x(when.latest), y)
        label = ax.annotate(
            f"{caption(event)}, {human(when)}",
            left,
            xytext=(-5, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=INK,
        )
        spots = [Spot(left, -5, 0, "right", "center"), Spot(right, 6, 0, "left", "center")]
        placer.place_at(label, spots, box)
