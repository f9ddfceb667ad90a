"""The choropleth: countries shaded by their count on the offline world map."""

from markupsafe import Markup

from wiki.charts import shades
from wiki.charts.draw import Formatter, frame, join, tag, value_of
from wiki.charts.series import category
from wiki.charts.world_outlines import HEIGHT, WIDTH, outlines

SHOWN_WIDTH = 1000  # pixels at most; it shrinks with the page


def choropleth(figure, fmt: Formatter) -> Markup:
    """Every country outline, shaded by the row of its ISO code ("country"), with its name and
    count as its tooltip; the classes are written out in a legend under the map."""
    values = {str(row.get("country", "")).upper(): value_of(row, "value") for row in figure.rows}
    names = {str(row.get("country", "")).upper(): category(row) for row in figure.rows}
    scale = shades.scale_for(values.values())
    countries = []
    for outline in outlines():
        value = values.get(outline.code or "", 0.0)
        countries.append(tag("path", tag("title", f"{names.get(outline.code or '', outline.name)}"
                                                  f": {fmt(value)}"),
                             d=outline.path, fill=shades.shade_of(value, scale).fill,
                             class_="chart__country"))
    picture = frame(figure, HEIGHT, join(countries), width=WIDTH, shown_width=SHOWN_WIDTH)
    return picture + shades.legend(scale, fmt)
