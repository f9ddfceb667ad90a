"""Reading a figure's rows (practices.dashboard's shapes): its series, its categories, and
grids of (row, column, value)."""

from collections.abc import Sequence
from dataclasses import dataclass

from wiki.charts.draw import is_number, value_of

RANGE_ENDS = ("_low", "_high")
CODES = frozenset({"iso_numeric"})


def numeric_columns(figure) -> list:
    """The series: the numeric columns, without the ends of ranges and numeric codes."""
    return [column for column in figure.columns
            if not column.key.endswith(RANGE_ENDS) and column.key not in CODES
            and any(is_number(row.get(column.key)) for row in figure.rows)]


def charted_column(figure):
    """The column a bar chart draws: the first with a range (the estimate, not the count of
    measures behind it), else the first numeric one."""
    series = numeric_columns(figure)
    keys = {column.key for column in figure.columns}
    ranged = [column for column in series if f"{column.key}_high" in keys]
    return (ranged or series or [None])[0]


def category(row: dict) -> str:
    """What a bar or a point stands for, as the reader reads it."""
    for key in ("label", "period", "code"):
        if row.get(key) not in (None, ""):
            return str(row[key])
    return ""


@dataclass(frozen=True)
class Grid:
    """Rows of (row code, column code, value) laid out as a grid, in the order they came."""

    rows: tuple[str, ...]
    row_labels: tuple[str, ...]
    columns: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    cells: dict  # (row code, column code) -> the figure's row


def pivot(rows: Sequence[dict], row_key: str, column_key: str) -> Grid:
    row_labels = _labels(rows, row_key)
    column_labels = _labels(rows, column_key)
    cells = {(str(row[row_key]), str(row[column_key])): row for row in rows}
    values = tuple(tuple(value_of(cells.get((r, c), {}), "value") for c in column_labels)
                   for r in row_labels)
    return Grid(tuple(row_labels), tuple(row_labels.values()), tuple(column_labels),
                tuple(column_labels.values()), values, cells)


def matrix_axes(rows: Sequence[dict]) -> tuple[str, str]:
    """(row key, column key) of a coverage matrix: the longer list goes down the rows, where
    its labels read across instead of being turned."""
    xs = {row["x"] for row in rows}
    ys = {row["y"] for row in rows}
    return ("x", "y") if len(xs) > len(ys) else ("y", "x")


def _labels(rows: Sequence[dict], key: str) -> dict[str, str]:
    """Each distinct code of `key` (first seen first) with its label (`<key>_label`)."""
    return {str(row[key]): str(row.get(f"{key}_label") or row[key]) for row in rows}
