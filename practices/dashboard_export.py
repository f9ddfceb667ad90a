"""A figure's data as CSV and as JSON: what a reader downloads to check or reuse a chart."""

import csv
import io

from practices.dashboard_model import Figure


def _header(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else str(column.label)


def to_csv(fig: Figure) -> str:
    """One line per row, the columns in order; the header gives labels with their units."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_header(column) for column in fig.columns])
    for row in fig.rows:
        writer.writerow(["" if row.get(column.key) is None else _cell(row.get(column.key))
                         for column in fig.columns])
    return out.getvalue()


def _cell(value) -> str:
    text = str(value)
    # A cell starting with = + - @ would be run as a formula by spreadsheets; numbers are safe.
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_json(fig: Figure) -> dict:
    return {
        "name": fig.name,
        "section": fig.section,
        "title": str(fig.title),
        "summary": str(fig.summary),
        "kind": fig.kind,
        "columns": [{"key": column.key, "label": str(column.label), "unit": column.unit}
                    for column in fig.columns],
        "rows": [dict(row) for row in fig.rows],
        "notes": [str(note) for note in fig.notes],
    }
