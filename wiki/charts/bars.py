"""Bar charts: horizontal bars (names read across, on any screen), plain or stacked."""

from dataclasses import dataclass

from markupsafe import Markup

from wiki.charts.draw import (
    WIDTH,
    Formatter,
    Scale,
    clipped,
    colour,
    frame,
    is_number,
    join,
    legend,
    n,
    tag,
    text,
    textures,
    value_of,
    x_axis,
)
from wiki.charts.series import category, charted_column, pivot

SIDE_LABEL_CHARS = 24  # longer names go above their bar, across the whole width
VALUE_ROOM = 64  # right of the longest bar, for its value


@dataclass(frozen=True)
class Rows:
    """Where a bar chart's rows go: short names beside the bars, long ones above them."""

    left: float  # where the plot starts
    height: float  # of one row
    bar: float  # the bar's top within its row
    labels_above: bool

    @classmethod
    def for_labels(cls, labels) -> "Rows":
        longest = max((len(label) for label in labels), default=0)
        if longest > SIDE_LABEL_CHARS:
            return cls(left=4, height=40, bar=18, labels_above=True)
        return cls(left=14 + 7 * longest, height=26, bar=3, labels_above=False)

    def label(self, y: float, name: str) -> Markup:
        if self.labels_above:
            return text(self.left, y + 13, clipped(name, int(WIDTH / 7)), cls="chart__label")
        return text(self.left - 8, y + self.bar + 12, name, anchor="end", cls="chart__label")

    def rect(self, x1: float, x2: float, y: float, body: str | Markup = "", **attrs) -> Markup:
        left, right = min(x1, x2), max(x1, x2)
        return tag("rect", body, x=n(left), y=n(y + self.bar), width=n(max(right - left, 1.5)),
                   height="16", **attrs)

    def value(self, x: float, y: float, body: str, **attrs) -> Markup:
        return text(x, y + self.bar + 12, body, **attrs)


def bars(figure, fmt: Formatter) -> Markup:
    """One bar a row from zero, its value at its end; a `_low`/`_high` pair of columns draws
    the range as a whisker (ranges may reach below zero: estimates can be losses)."""
    column = charted_column(figure)
    if column is None:
        return Markup("")
    low_key, high_key = f"{column.key}_low", f"{column.key}_high"
    names = [category(row) for row in figure.rows]
    rows = Rows.for_labels(names)
    ends = [value_of(row, key) for row in figure.rows
            for key in (column.key, low_key, high_key) if is_number(row.get(key))]
    scale = Scale.nice(min(ends), max(ends), rows.left, WIDTH - rows.left - VALUE_ROOM)
    bottom = len(figure.rows) * rows.height + 4
    parts = [x_axis(scale, 2, bottom, fmt)]
    for index, (row, name) in enumerate(zip(figure.rows, names, strict=True)):
        y = 2 + index * rows.height
        value = value_of(row, column.key)
        unit = f" {column.unit}" if column.unit else ""
        shapes = [tag("title", f"{name}: {fmt(value)}{unit}"), rows.label(y, name),
                  rows.rect(scale(0), scale(value), y, fill=colour(0))]
        end = max(scale(0), scale(value))
        if is_number(row.get(high_key)):
            low, high = scale(value_of(row, low_key)), scale(value_of(row, high_key))
            shapes.append(_whisker(low, high, y + rows.bar + 8))
            end = max(end, high)
        shapes.append(rows.value(end + 6, y, fmt(value), cls="chart__value"))
        parts.append(tag("g", join(shapes)))
    return frame(figure, bottom + 22, join(parts))


def _whisker(x1: float, x2: float, y: float) -> Markup:
    return tag("path", d=f"M{n(x1)} {n(y - 5)}V{n(y + 5)}M{n(x1)} {n(y)}H{n(x2)}"
                         f"M{n(x2)} {n(y - 5)}V{n(y + 5)}", class_="chart__range")


def stacked_bars(figure, fmt: Formatter) -> Markup:
    """Bars split into one segment a part (colour and texture, named in the legend), the
    total at the end; a segment wide enough prints its value."""
    ident = f"chart-{figure.name}"
    grid = pivot(figure.rows, "x", "stack")
    rows = Rows.for_labels(grid.row_labels)
    legend_svg, legend_height = legend(ident, grid.column_labels, 2)
    totals = [sum(values) for values in grid.values]
    scale = Scale.nice(0, max(totals, default=0), rows.left, WIDTH - rows.left - VALUE_ROOM)
    top = legend_height + 4
    bottom = top + len(grid.rows) * rows.height + 4
    parts = [textures(ident, len(grid.columns)), legend_svg, x_axis(scale, top, bottom, fmt)]
    for index, (name, values, total) in enumerate(zip(grid.row_labels, grid.values, totals,
                                                      strict=True)):
        y = top + 2 + index * rows.height
        shapes, start = [rows.label(y, name)], 0.0
        for number, (part, value) in enumerate(zip(grid.column_labels, values, strict=True)):
            if value <= 0:
                continue
            x1, x2 = scale(start), scale(start + value)
            shapes.append(rows.rect(x1, x2, y, tag("title", f"{name} · {part}: {fmt(value)}"),
                                    fill=f"url(#{ident}-s{number})", stroke="#fff",
                                    stroke_width="1"))
            if x2 - x1 >= 8 * len(fmt(value)) + 8:
                shapes.append(rows.value((x1 + x2) / 2, y, fmt(value), anchor="middle",
                                         cls="chart__inside", halo=colour(number)))
            start += value
        shapes.append(rows.value(scale(total) + 6, y, fmt(total), cls="chart__value"))
        parts.append(tag("g", join(shapes)))
    return frame(figure, bottom + 22, join(parts))
