"""Timelines: one line a series over the periods, in row order."""

import math

from markupsafe import Markup

from wiki.charts.draw import (
    DASHES,
    WIDTH,
    Formatter,
    Scale,
    colour,
    frame,
    join,
    legend,
    marker,
    n,
    tag,
    text,
    value_of,
    y_axis,
)
from wiki.charts.series import category, numeric_columns

PLOT_HEIGHT = 200
LEFT, RIGHT = 52, 14
MAX_MARKERS = 40  # more points than this and the markers touch: the line and table say it


def timeline(figure, fmt: Formatter) -> Markup:
    """Lines that differ by colour, dash and marker shape, a legend when there are several,
    the latest value of each at its end; a single period is one point in the middle."""
    series = numeric_columns(figure)
    if not series:
        return Markup("")
    periods = [category(row) for row in figure.rows]
    names = [str(column.label) for column in series]
    legend_svg, legend_height = legend(f"chart-{figure.name}", names, 2, lines=True) \
        if len(series) > 1 else (Markup(""), 0)
    top = 12 + legend_height
    values = [value_of(row, column.key) for row in figure.rows for column in series]
    scale = Scale.nice(min(values), max(values), top + PLOT_HEIGHT, -PLOT_HEIGHT)
    xs = _positions(len(periods))
    parts = [legend_svg, y_axis(scale, LEFT, WIDTH - RIGHT, fmt),
             _x_labels(periods, xs, top + PLOT_HEIGHT + 18)]
    for index, column in enumerate(series):
        points = [(x, scale(value_of(row, column.key))) for x, row in zip(xs, figure.rows,
                                                                          strict=True)]
        parts.append(_line(index, points, area=len(series) == 1, base=scale(0)))
        if len(points) <= MAX_MARKERS:
            parts.extend(tag("g", join([marker(index, x, y), tag(
                "title", f"{period} · {column.label}: {fmt(value_of(row, column.key))}")]))
                for (x, y), period, row in zip(points, periods, figure.rows, strict=True))
        last = value_of(figure.rows[-1], column.key)
        parts.append(text(min(points[-1][0] + 4, WIDTH - 2), points[-1][1] - 8, fmt(last),
                          anchor="end", cls="chart__value", fill=colour(index)))
    return frame(figure, top + PLOT_HEIGHT + 28, join(parts))


def _positions(count: int) -> list[float]:
    room = WIDTH - LEFT - RIGHT
    if count == 1:
        return [LEFT + room / 2]
    return [LEFT + index * room / (count - 1) for index in range(count)]


def _x_labels(periods: list[str], xs: list[float], y: float) -> Markup:
    """About six labels along the axis, always the first and the last, never overlapping."""
    every = max(1, math.ceil(len(periods) / 6))
    shown = [index for index in range(len(periods))
             if index % every == 0 or index == len(periods) - 1]
    if len(shown) > 1 and shown[-1] - shown[-2] < every:
        shown.pop(-2)  # the last label would run into the one before it
    anchors = {0: "start", len(periods) - 1: "end"} if len(periods) > 1 else {}
    return join(text(xs[index], y, periods[index], anchor=anchors.get(index, "middle"),
                     cls="chart__tick") for index in shown)


def _line(index: int, points: list[tuple[float, float]], *, area: bool, base: float) -> Markup:
    path = "".join(f"{'M' if i == 0 else 'L'}{n(x)} {n(y)}" for i, (x, y) in enumerate(points))
    shapes = []
    if area and len(points) > 1:
        shapes.append(tag("path", d=f"{path}L{n(points[-1][0])} {n(base)}"
                                    f"L{n(points[0][0])} {n(base)}Z",
                          fill=colour(index), fill_opacity=".12"))
    shapes.append(tag("path", d=path, fill="none", stroke=colour(index), stroke_width="2.5",
                      stroke_linejoin="round",
                      stroke_dasharray=DASHES[index % len(DASHES)] or None))
    return join(shapes)
