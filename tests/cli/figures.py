"""What a laid-out figure shows, read back from matplotlib's renderer: for the layout tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import attrs
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

TOLERANCE = 0.5
"""Pixels two boxes may share at an edge without counting as overlapping."""


@attrs.frozen
class Shown:
    """A text drawn on the figure and its box in pixels."""

    text: str
    box: Bbox

    def __str__(self) -> str:
        box = self.box
        return f"{self.text!r} at ({box.x0:.0f}, {box.y0:.0f})-({box.x1:.0f}, {box.y1:.0f})"


def _drawn(artist: Artist) -> Iterator[Artist]:
    """``artist`` and the artists under it that are drawn (visible, in a visible parent)."""
    if not artist.get_visible():
        return
    if isinstance(artist, Axes) and not artist.axison:
        children = [c for c in artist.get_children() if c not in (artist.xaxis, artist.yaxis)]
    else:
        children = artist.get_children()
    yield artist
    for child in children:
        yield from _drawn(child)


def texts(figure: Figure) -> list[Shown]:
    """Every non-blank text the figure draws, with its box (an annotation's without its arrow)."""
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    shown = []
    for artist in _drawn(figure):
        if isinstance(artist, Text) and artist.get_text().strip():
            if isinstance(artist, Annotation):
                artist.update_positions(renderer)
            shown.append(Shown(artist.get_text(), Text.get_window_extent(artist, renderer)))
    return shown


def overlapping(figure: Figure) -> list[tuple[Shown, Shown]]:
    """The pairs of texts whose boxes overlap (by more than :data:`TOLERANCE`)."""
    found = []
    for one, other in itertools.combinations(texts(figure), 2):
        a, b = one.box, other.box
        if (
            min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE
            and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE
        ):
            found.append((one, other))
    return found


def panels(figure: Figure) -> list[Axes]:
    """The axes that show data (the key's axes, drawn without axis, left out)."""
    return [ax for ax in figure.axes if ax.axison]


def legends(figure: Figure) -> list[Legend]:
    """Every legend drawn on the figure."""
    return [artist for artist in _drawn(figure) if isinstance(artist, Legend)]


def year_labels(figure: Figure) -> dict[str, list[str]]:
    """The tick labels drawn on each panel's axes, keyed "panel N x" or "panel N y"."""
    labels: dict[str, list[str]] = {}
    for index, ax in enumerate(panels(figure)):
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            labels[f"panel {index} {name}"] = [
                tick.label1.get_text()
                for tick in ticks
                if tick.get_visible() and tick.label1.get_visible() and tick.label1.get_text()
            ]
    return labels


def band_colours(figure: Figure) -> dict[str, str]:
    """Each leader's band colour, read from the bands' collections (labelled by leader)."""
    colours = {}
    for ax in figure.axes:
        for collection in ax.collections:
            if isinstance(collection, PolyCollection):
                label = collection.get_label()
                if label and not label.startswith("_"):
                    colours[label] = to_hex(collection.get_facecolor()[0])
    return colours


def inside(inner: Bbox, outer: Bbox) -> bool:
    """Whether ``inner`` lies within ``outer`` (to :data:`TOLERANCE`)."""
    return (
        inner.x0 >= outer.x0 - TOLERANCE
        and inner.y0 >= outer.y0 - TOLERANCE
        and inner.x1 <= outer.x1 + TOLERANCE
        and inner.y1 <= outer.y1 + TOLERANCE
    )


def save(figure: Figure, folder: Path, name: str) -> Path:
    """Save the figure as a PNG in ``folder``, for a person to look at."""
    path = folder / f"{name}.png"
    figure.savefig(path, facecolor="white")
    return path
