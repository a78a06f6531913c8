"""Layout for ``chronicle plot``: ticks that fit, a colour per leader, labels that never collide.

The figures are drawn from real data: 60 years of a state's history, a dozen
coups, forty leaders. Everything here keeps such a figure legible whatever the
data: at most a few year labels on an axis, distinct colours however many
leaders, and labels placed only where they overlap no other text (spread apart
along an axis, or moved around their anchor, or left out).

The pure functions (:func:`year_ticks`, :func:`band_colours`, :func:`spread`) need
no matplotlib; :class:`Placer` works on a laid-out figure's renderer.
"""

from __future__ import annotations

import colorsys
import datetime
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Annotation, Text
    from matplotlib.transforms import Bbox

__all__ = [
    "BAND_LOW",
    "COUP",
    "INK",
    "MAX_TICKS",
    "MUTED",
    "PROMISE",
    "Across",
    "Placer",
    "Spot",
    "Up",
    "YearTicks",
    "band_colours",
    "day_x",
    "extent",
    "mark_row",
    "spread",
    "year_ticks",
]

INK: Final = "#222222"
"""The colour of names and marks."""
MUTED: Final = "#6b6b6b"
"""The colour of notes, titles and the diagonal."""
COUP: Final = "#b8322a"
"""The colour of coups and of postponements without a date."""
PROMISE: Final = "#1f5f8b"
"""The colour of the dates promised."""
BAND_LOW: Final = 0.42
"""The bands fill the upper panel from this height (axes fraction) up; marks go below."""
_EPOCH: Final = datetime.date(1970, 1, 1)

MAX_TICKS: Final = 12
"""The most year labels an axis gets, whatever its span."""
_STEPS: Final = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
_PALE: Final = ("#c9d9e6", "#f0d3b5", "#d5e5c8", "#e2d0e6", "#efe6b4", "#cfe0e0")
"""The first bands' colours: pale, so that the names written on them stay legible."""
_GOLDEN: Final = (math.sqrt(5) - 1) / 2
"""The hue step between generated colours: consecutive ones far apart on the wheel."""


def day_x(day: datetime.date) -> float:
    """A day as a coordinate of the figures: days since 1970."""
    return float((day - _EPOCH).days)


def mark_row(index: int) -> float:
    """The height (axes fraction) of the ``index``-th arrest or dissolution: two rows in turn."""
    return 0.26 - 0.16 * (index % 2)


@attrs.frozen
class YearTicks:
    """Where an axis of years is ticked and labelled.

    Attributes:
        step: Years between labels. At 1, each year is labelled in its middle, between
            ticks on its 1 January; above, each label is on its 1 January tick.
        ticks: The ticked days.
        labels: The labelled days, and their labels.
    """

    step: int
    ticks: tuple[datetime.date, ...]
    labels: tuple[tuple[datetime.date, str], ...]


def year_ticks(first: datetime.date, last: datetime.date, most: int = MAX_TICKS) -> YearTicks:
    """The ticks of an axis from ``first`` to ``last``: at most ``most`` labels, evenly spaced.

    The step is the smallest of 1, 2, 5, 10, 20, 25, 50... years that keeps the
    labels to ``most``.
    """
    for step in _STEPS:
        ticks = tuple(
            datetime.date(year, 1, 1)
            for year in range(first.year, last.year + 1)
            if year % step == 0 and first <= datetime.date(year, 1, 1) <= last
        )
        if step == 1:
            middles = [datetime.date(year, 7, 2) for year in range(first.year, last.year + 1)]
            labels = tuple((day, str(day.year)) for day in middles if first <= day <= last)
        else:
            labels = tuple((day, str(day.year)) for day in ticks)
        if len(labels) <= most:
            return YearTicks(step, ticks, labels)
    raise ValueError(f"{first} to {last} spans too many years for {most} labels")


def band_colours(count: int) -> list[str]:
    """``count`` distinct pale colours (``#rrggbb``), one per leader, neighbours far apart.

    The first six are a hand-picked palette; the others are generated around the
    colour wheel by the golden angle, at alternating lightness.
    """
    colours = list(_PALE[:count])
    index = 0
    while len(colours) < count:
        hue = (0.58 + index * _GOLDEN) % 1.0
        lightness = (0.80, 0.72, 0.86)[index % 3]
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.48)
        colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        if colour not in colours:
            colours.append(colour)
        index += 1
    return colours


def spread(
    wanted: Sequence[float], width: float, low: float, high: float, avoid: Sequence[float] = ()
) -> list[float]:
    """Centres for labels of one ``width``, in the order given, at least ``width`` apart.

    Each label goes where it is wanted, or to the right of the label before it, and
    further right past any of the lines ``avoid`` it would cover. Labels pushed past
    ``high`` are moved back left, the ones before them with them, as far as ``low``.
    Where the labels do not fit between ``low`` and ``high``, the first lie before ``low``.

    Raises:
        ValueError: ``wanted`` is not sorted.
    """
    if any(b < a for a, b in itertools.pairwise(wanted)):
        raise ValueError("the wanted centres must be sorted")
    lines = sorted(avoid)
    centres: list[float] = []
    for place in wanted:
        centre = max(place, centres[-1] + width) if centres else place
        for line in lines:  # sorted: a push only meets lines further right
            if centre - width / 2 < line < centre + width / 2:
                centre = line + width / 2
        centres.append(centre)
    limit = high
    for index in reversed(range(len(centres))):
        centres[index] = min(centres[index], limit)
        limit = centres[index] - width
    return centres


def extent(text: Text, renderer: RendererBase) -> Bbox:
    """The box of a text's characters on the figure (an annotation's arrow left out)."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


Across = Literal["left", "center", "right"]
"""Which side of its anchor a caption starts from, across."""
Up = Literal["bottom", "center", "top"]
"""Which side of its anchor a caption starts from, up."""


@attrs.frozen
class Spot:
    """A place for an annotation: its anchor (data) and where its text sits from it.

    Attributes:
        xy: The point annotated, in data coordinates.
        dx: The text's offset across, in points.
        dy: The text's offset up, in points.
        ha: The text's horizontal alignment at that offset.
        va: Its vertical alignment.
    """

    xy: tuple[float, float]
    dx: float
    dy: float
    ha: Across
    va: Up


def _box(x0: float, y0: float, x1: float, y1: float) -> Bbox:
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(x0, y0, x1, y1)


class Placer:
    """Places texts on a laid-out figure so that no two overlap, leaving out those that cannot.

    Besides texts, marks are obstacles (:meth:`avoid`): a caption is not put over
    another mark's dot.

    Args:
        renderer: The figure's renderer (after a first layout, which must not change).
    """

    def __init__(self, renderer: RendererBase) -> None:
        self.renderer = renderer
        self._boxes: list[tuple[float, float, float, float]] = []
        self._obstacles: list[npt.NDArray[np.float64]] = []

    def _overlaps(self, taken: npt.NDArray[np.float64], box: Bbox) -> bool:
        return bool(
            (
                (taken[:, 0] < box.x1)
                & (box.x0 < taken[:, 2])
                & (taken[:, 1] < box.y1)
                & (box.y0 < taken[:, 3])
            ).any()
        )

    def avoid(self, points: npt.ArrayLike, radius: float) -> None:
        """Count a square of ``radius`` pixels around each point (display coordinates) as taken."""
        import numpy as np  # with matplotlib, an optional dependency

        centres = np.asarray(points, dtype=float).reshape(-1, 2)
        self._obstacles.append(np.hstack([centres - radius, centres + radius]))

    def free(self, box: Bbox, within: Bbox | None = None) -> bool:
        """Whether ``box`` overlaps nothing placed yet (and lies inside ``within``, if given)."""
        import numpy as np

        if within is not None and not (
            within.x0 <= box.x0
            and box.x1 <= within.x1
            and within.y0 <= box.y0
            and box.y1 <= within.y1
        ):
            return False
        if any(self._overlaps(obstacles, box) for obstacles in self._obstacles):
            return False
        return not self._boxes or not self._overlaps(np.array(self._boxes), box)

    def _take(self, box: Bbox) -> None:
        self._boxes.append((box.x0, box.y0, box.x1, box.y1))

    def place(
        self, text: Text, moves: Iterable[Callable[[], object]] = (), within: Bbox | None = None
    ) -> bool:
        """Keep ``text`` at the first place it is free: where it is, else after each of ``moves``.

        Each move changes the text (its offset, alignment or wording); a text free
        nowhere is removed from the figure.

        Args:
            text: A text already on the figure.
            moves: Changes to try, in order, if it is not free where it is.
            within: The box it must stay inside (its axes, its band).

        Returns:
            Whether it was kept.
        """
        for move in itertools.chain([lambda: None], moves):
            move()
            box = extent(text, self.renderer)
            if self.free(box, within):
                self._take(box)
                return True
        text.remove()
        return False

    def place_at(
        self, label: Annotation, spots: Sequence[Spot], within: Bbox | None
    ) -> Spot | None:
        """Move an annotation to the first of ``spots`` where it is free, or remove it.

        The text is measured once: its box at each spot follows from its size, so
        that trying many spots costs no drawing.

        Returns:
            The spot it was left at, if any.
        """
        assert label.axes is not None  # an annotation of the axes it is placed on
        size = extent(label, self.renderer)
        width, height = size.width, size.height
        scale = label.axes.figure.dpi / 72
        for spot in spots:
            x, y = label.axes.transData.transform(spot.xy)
            x, y = x + spot.dx * scale, y + spot.dy * scale
            left = x - width * {"left": 0.0, "center": 0.5, "right": 1.0}[spot.ha]
            bottom = y - height * {"bottom": 0.0, "center": 0.5, "top": 1.0}[spot.va]
            box = _box(left, bottom, left + width, bottom + height)
            if self.free(box, within):
                label.xy = spot.xy
                label.xyann = (spot.dx, spot.dy)
                label.set_horizontalalignment(spot.ha)
                label.set_verticalalignment(spot.va)
                self._take(box)
                return spot
        label.remove()
        return None
