"""Server-rendered SVG charts for the dashboard (issue 15): one small pure function per kind
of figure, from a `practices.dashboard.Figure` to SVG markup.

Each chart is a picture (`role="img"`) named by the figure's title and described by its text
summary; the page shows the same numbers in a real table beside it (wiki.figure_tables). Colour
never carries meaning alone: bars and cells print their values, lines differ by dash and
marker shape, stacked segments by texture, and legends name every series.

Row shapes are practices.dashboard's: a timeline's rows have a "period" and one number a series
column; bars a "label" and numbers (a column whose key ends in `_low` / `_high` is the range of
the column it extends, drawn as a whisker); stacked bars one row a (bar, part) with "x_label",
"stack_label" and "value"; a matrix one row a cell with "x_label", "y_label", "value" (and
"gap", "new_sheet_args"); a choropleth one row a country with "country" (ISO alpha-2),
"label" and "value". A "table" has no chart.
"""

from markupsafe import Markup

from wiki.charts.bars import bars, stacked_bars
from wiki.charts.draw import Formatter, plain_number
from wiki.charts.grid import matrix, new_sheet_url
from wiki.charts.lines import timeline
from wiki.charts.series import matrix_axes, pivot
from wiki.charts.world import choropleth

__all__ = ["KINDS", "matrix_axes", "new_sheet_url", "pivot", "render"]

KINDS = {
    "timeline": timeline,
    "bars": bars,
    "stacked-bars": stacked_bars,
    "matrix": matrix,
    "choropleth": choropleth,
}


def render(figure, fmt: Formatter = plain_number) -> Markup:
    """The chart of a figure: empty for a table (shown as a table only) and for no rows."""
    draw = KINDS.get(figure.kind)
    if draw is None or not figure.rows:
        return Markup("")
    return draw(figure, fmt)
