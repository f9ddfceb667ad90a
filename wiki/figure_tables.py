"""A figure's numbers as a table people can read (beside its chart, and instead of it for a
screen reader): grids stay grids — the coverage matrix as zones × groups with its gaps as links,
stacked bars as bars × parts with their totals — and other figures show their columns, codes
left out (the CSV and JSON keep them)."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from wiki import charts

# Columns that identify rather than inform: in the downloads, not in the table.
CODE_COLUMNS = frozenset({"code", "x", "y", "stack", "iso_numeric", "map_name", "gap",
                          "new_sheet_args"})


@dataclass(frozen=True)
class Cell:
    value: object  # a number (formatted by the template) or a text
    href: str | None = None  # a sheet, or for a gap the new-sheet form with its fields set
    gap: str | None = None  # a gap's combination ("Agroforestry × Semi-arid"), for its link

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]  # the first names the row headers' column
    rows: tuple[tuple[Cell, ...], ...]  # the first cell of each is the row's header


def table(figure) -> Table:
    if figure.kind == "matrix":
        return _grid(figure, *charts.matrix_axes(figure.rows), totals=False)
    if figure.kind == "stacked-bars":
        return _grid(figure, "x", "stack", totals=True)
    columns = [column for column in figure.columns if column.key not in CODE_COLUMNS]
    if any(column.key == "label" for column in columns):
        columns = [column for column in columns if column.key != "country"]
    if any(column.key == "slug" for column in columns):  # a sheet: its title links to it
        columns = [column for column in columns if column.key != "slug"]
    return Table(
        tuple(_header(column) for column in columns),
        tuple(tuple(_cell(row, column.key) for column in columns) for row in figure.rows))


def _cell(row: dict, key: str) -> Cell:
    value = row.get(key)
    if key == "title" and row.get("slug"):
        return Cell(value, href=url_for("sheets.view", slug=row["slug"]))
    return Cell("" if value is None else value)


def _header(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else str(column.label)


def _grid(figure, row_key: str, column_key: str, *, totals: bool) -> Table:
    grid = charts.pivot(figure.rows, row_key, column_key)
    titles = {column.key: str(column.label) for column in figure.columns}
    headers = (titles.get(f"{row_key}_label", titles.get(row_key, "")), *grid.column_labels)
    rows = []
    for code, label, values in zip(grid.rows, grid.row_labels, grid.values, strict=True):
        cells = [Cell(label)]
        for column, column_label, value in zip(grid.columns, grid.column_labels, values,
                                               strict=True):
            row = grid.cells.get((code, column), {})
            cells.append(_gap(row, f"{label} × {column_label}") if row.get("gap")
                         else Cell(value))
        if totals:
            cells.append(Cell(sum(values)))
        rows.append(tuple(cells))
    if totals:
        headers = (*headers, _("Total"))
    return Table(tuple(headers), tuple(rows))


def _gap(row: dict, name: str) -> Cell:
    return Cell(_("write one"), href=charts.new_sheet_url(row), gap=name)
