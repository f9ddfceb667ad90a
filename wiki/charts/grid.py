"""The coverage matrix: how many sheets document each combination of two vocabularies, the
empty combinations marked as gaps that lead to the new-sheet form."""

from urllib.parse import urlencode

from flask import has_request_context, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from wiki.charts import shades
from wiki.charts.draw import Formatter, clipped, frame, join, n, tag, text, value_of
from wiki.charts.series import matrix_axes, pivot

WIDTH = 640  # wider than the other charts: its page scrolls it sideways on a phone
CELL_HEIGHT = 24
TURN_BELOW = 70  # columns narrower than this have their names turned


def matrix(figure, fmt: Formatter) -> Markup:
    """One row and one column a code, each cell its count (written, and shaded); a gap is a
    dashed white cell with a "+" linking to the new-sheet form with both fields set. Pointer
    users click it; keyboard and screen-reader users have the same links in the table (to
    them the drawing is hidden, its links out of the tab order: a named group)."""
    grid = pivot(figure.rows, *matrix_axes(figure.rows))
    longest = max((len(label) for label in grid.row_labels), default=0)
    left = min(WIDTH * 0.45, 12 + 7 * longest)
    cell = max(26.0, min(90.0, (WIDTH - left) / max(1, len(grid.columns))))
    turned = cell < TURN_BELOW
    header = 14 + 5 * min(22, max(len(label) for label in grid.column_labels)) if turned else 28
    scale = shades.scale_for(value for values in grid.values for value in values)
    parts = []
    for index, label in enumerate(grid.column_labels):
        x = left + index * cell + cell / 2
        if turned:
            parts.append(tag("text", clipped(label, 22), x="0", y="0", class_="chart__label",
                             transform=f"translate({n(x + 4)} {n(header - 6)}) rotate(-50)"))
        else:
            parts.append(text(x, header - 10, clipped(label, int(cell / 7)), anchor="middle",
                              cls="chart__label"))
    for index, label in enumerate(grid.row_labels):
        parts.append(text(left - 8, header + index * CELL_HEIGHT + 16,
                          clipped(label, int((left - 20) / 7)), anchor="end",
                          cls="chart__label"))
    cells = []  # one group of them: their look is the stylesheet's (.chart__cells), not
    # repeated on each of the hundreds of cells
    for row_index, (row_code, row_label) in enumerate(zip(grid.rows, grid.row_labels,
                                                          strict=True)):
        for column_index, (column_code, column_label) in enumerate(
                zip(grid.columns, grid.column_labels, strict=True)):
            row = grid.cells.get((row_code, column_code))
            if row is not None:
                x, y = left + column_index * cell, header + row_index * CELL_HEIGHT
                name = f"{row_label} × {column_label}"
                cells.append(_gap(row, x, y, cell, name) if row.get("gap")
                             else _count(row, x, y, cell, name, scale, fmt))
    parts.append(tag("g", join(cells), class_="chart__cells"))
    width = max(WIDTH, left + len(grid.columns) * cell + 4)
    return frame(figure, header + len(grid.rows) * CELL_HEIGHT + 6, join(parts), width=width,
                 role="group")


def _count(row: dict, x: float, y: float, width: float, name: str, scale, fmt) -> Markup:
    value = value_of(row, "value")
    shade = shades.shade_of(value, scale)
    return tag("g", join([
        tag("title", f"{name}: {fmt(value)}"),
        tag("rect", x=n(x + 1), y=n(y + 1), width=n(width - 2), height=str(CELL_HEIGHT - 2),
            fill=shade.fill),
        text(x + width / 2, y + 16, fmt(value), fill=shade.ink),
    ]))


def _gap(row: dict, x: float, y: float, width: float, name: str) -> Markup:
    return tag("a", join([
        tag("title", _("No sheet yet for %(cell)s: write the first one", cell=name)),
        tag("rect", x=n(x + 1.5), y=n(y + 1.5), width=n(width - 3),
            height=str(CELL_HEIGHT - 3)),
        text(x + width / 2, y + 17, "+"),
    ]), href=new_sheet_url(row), tabindex="-1")


def new_sheet_url(row: dict) -> str:
    """The new-sheet form with the gap's fields set (`/practices/new?practice_groups=…`), at
    the wiki's own address when there is a request (a wiki served under a path prefix)."""
    path = url_for("sheets.new") if has_request_context() else "/practices/new"
    return f"{path}?{urlencode(row.get('new_sheet_args') or {}, doseq=True)}"
