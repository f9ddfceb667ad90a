"""The dashboard's SVG charts (wiki.charts) from figures built here: every kind is a well-formed,
named picture; labels are escaped; numbers are written, not only shaded; gaps link to the
new-sheet form; countries get their shade; the axes and classes fall on round numbers."""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from practices.dashboard import Column, Figure
from wiki import charts
from wiki.charts import shades
from wiki.charts.draw import Scale
from wiki.charts.world_outlines import outlines

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'TECA <script>alert("x")</script> & co'


def figure(kind, columns, rows, name="test-figure"):
    return Figure(name, "knowledge", f"Title of {name}", "Summary with 42 sheets.", kind,
                  tuple(Column(*column) for column in columns), tuple(rows))


def parse(markup) -> ET.Element:
    """The chart's <svg> (well-formed XML, or the test fails here)."""
    text = str(markup)
    return ET.fromstring(text[:text.index("</svg>") + len("</svg>")])


def texts(svg: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in svg.iter(f"{SVG}text")]


def titles(svg: ET.Element) -> list[str]:
    return [element.text for element in svg.iter(f"{SVG}title")]


BARS = figure("bars", [("code", "Code"), ("label", "Source"), ("sheets", "Sheets", "sheets")],
              [{"code": "local", "label": "Written here", "sheets": 31},
               {"code": "teca", "label": HOSTILE, "sheets": 4}])
TIMELINE = figure("timeline", [("period", "Month"), ("comments", "Comments"),
                               ("endorsements", "Endorsements")],
                  [{"period": f"2024-{month:02d}", "comments": month, "endorsements": 1}
                   for month in range(1, 13)])
STACKED = figure("stacked-bars", [("x", "Group code"), ("x_label", "Group"), ("stack", "Region"),
                                  ("stack_label", "Region"), ("value", "Area", "ha")],
                 [{"x": "agroforestry", "x_label": "Agroforestry", "stack": "002",
                   "stack_label": "Africa", "value": 1200},
                  {"x": "agroforestry", "x_label": "Agroforestry", "stack": "150",
                   "stack_label": "Europe", "value": 300},
                  {"x": "windbreak", "x_label": "Windbreak", "stack": "150",
                   "stack_label": "Europe", "value": 50}])
MATRIX = figure("matrix", [("x", "Group code"), ("x_label", "Practice group"), ("y", "Zone code"),
                           ("y_label", "Zone"), ("value", "Sheets")],
                [{"x": group, "x_label": group.title(), "y": zone, "y_label": zone.title(),
                  "value": count, **({"gap": True, "new_sheet_args": {
                      "practice_groups": group, "agro_climatic_zones": zone}} if not count
                      else {})}
                 for (group, zone), count in {("agroforestry", "humid"): 3,
                                              ("agroforestry", "semi-arid"): 0,
                                              ("windbreak", "humid"): 0,
                                              ("windbreak", "semi-arid"): 12,
                                              ("pastoralism", "humid"): 1,
                                              ("pastoralism", "semi-arid"): 2}.items()])
MAP = figure("choropleth", [("country", "Country code"), ("label", "Country"),
                            ("value", "Sheets")],
             [{"country": "KE", "label": "Kenya", "value": 5},
              {"country": "BF", "label": "Burkina Faso", "value": 1}])
ALL = (BARS, TIMELINE, STACKED, MATRIX, MAP)


@pytest.mark.parametrize("chart", ALL, ids=lambda fig: fig.kind)
def test_every_chart_is_a_named_described_picture(chart):
    svg = parse(charts.render(chart))
    assert svg.get("role") == ("group" if chart.kind == "matrix" else "img")
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.text == chart.title and desc.text == chart.summary
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style=" not in str(charts.render(chart))  # the CSP forbids inline styles


def test_a_table_and_an_empty_figure_have_no_chart():
    assert charts.render(figure("table", [("title", "Sheet")], [{"title": "Zai"}])) == ""
    assert charts.render(figure("bars", [("label", "Source"), ("sheets", "Sheets")], [])) == ""


def test_labels_are_escaped_and_kept_whole_in_tooltips():
    markup = str(charts.render(BARS))
    assert "<script>" not in markup
    svg = parse(markup)
    assert not list(svg.iter(f"{SVG}script"))
    assert f"{HOSTILE}: 4 sheets" in titles(svg)


def test_bars_write_their_values():
    assert {"31", "4"} <= set(texts(parse(charts.render(BARS))))


def test_a_range_is_a_whisker_and_the_axis_reaches_below_zero():
    estimate = figure("bars", [("label", "Group"), ("t_c_yr", "Estimate", "t C/yr"),
                               ("t_c_yr_low", "Low"), ("t_c_yr_high", "High")],
                      [{"label": "Agroforestry", "t_c_yr": 1807.6, "t_c_yr_low": -941.7,
                        "t_c_yr_high": 4557.0}])
    svg = parse(charts.render(estimate))
    assert [path for path in svg.iter(f"{SVG}path") if path.get("class") == "chart__range"]
    assert "-2,000" in texts(svg) and "1,807.6" in texts(svg)


def test_lines_differ_by_dash_and_marker_not_only_colour():
    svg = parse(charts.render(TIMELINE))
    dashes = {path.get("stroke-dasharray") for path in svg.iter(f"{SVG}path")
              if path.get("fill") == "none"}
    assert len(dashes) == 2  # two series, two dash patterns
    assert {"Comments", "Endorsements"} <= set(texts(svg))  # the legend names them
    assert "2024-12 · Comments: 12" in titles(svg)


def test_a_single_period_is_drawn_without_failing():
    one = figure("timeline", [("period", "Month"), ("sheets", "Sheets")],
                 [{"period": "2026-12", "sheets": 35}])
    assert "35" in texts(parse(charts.render(one)))


def test_stacked_bars_name_every_part_and_write_totals():
    svg = parse(charts.render(STACKED))
    assert {"Africa", "Europe", "1,500", "50"} <= set(texts(svg))
    assert "Agroforestry · Africa: 1,200" in titles(svg)
    fills = {rect.get("fill") for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title")
             is not None}
    assert len(fills) == 2  # one texture per part


def test_matrix_writes_counts_and_links_each_gap_to_the_new_sheet_form():
    svg = parse(charts.render(MATRIX))
    assert {"3", "12", "1", "2"} <= set(texts(svg))
    links = {link.get("href") for link in svg.iter(f"{SVG}a")}
    assert len(links) == 2
    assert all(link.get("tabindex") == "-1" for link in svg.iter(f"{SVG}a"))  # the table's are
    queries = [parse_qs(urlsplit(href).query) for href in links]
    assert {"practice_groups": ["agroforestry"], "agro_climatic_zones": ["semi-arid"]} in queries
    assert all(urlsplit(href).path == "/practices/new" for href in links)
    assert "No sheet yet for Agroforestry × Semi-Arid: write the first one" in titles(svg)


def test_matrix_puts_the_longer_list_down_the_rows():
    rows, columns = charts.matrix_axes(MATRIX.rows)
    assert (rows, columns) == ("x", "y")  # three groups down, two zones across


def test_choropleth_shades_countries_with_sheets_and_writes_its_classes():
    markup = str(charts.render(MAP))
    svg = parse(markup)
    shaded = {path.find(f"{SVG}title").text: path.get("fill") for path in svg.iter(f"{SVG}path")}
    assert shaded["Kenya: 5"] != shaded["Burkina Faso: 1"] != shades.NO_DATA
    assert shaded["France: 0"] == shades.NO_DATA
    assert 'class="chart-legend"' in markup and "5</li>" in markup


def test_world_outlines_know_the_countries_iso_codes():
    codes = {outline.name: outline.code for outline in outlines()}
    assert codes["Dem. Rep. Congo"] == "CD" and codes["Burkina Faso"] == "BF"
    assert codes["France"] == "FR" and codes["Russia"] == "RU"
    assert [name for name, code in codes.items() if code is None] == ["Kosovo"]


@pytest.mark.parametrize(("low", "high", "ticks"), [
    (0, 35, (0, 10, 20, 30, 40)),
    (0, 0.7, (0, 0.2, 0.4, 0.6, 0.8)),
    (-972, 5616, (-2000, 0, 2000, 4000, 6000)),
    (0, 0, (0, 1)),
])
def test_axes_fall_on_round_numbers(low, high, ticks):
    assert Scale.nice(low, high, 0, 100).ticks == ticks


def test_count_classes_are_whole_numbers_and_never_more_than_the_values():
    assert [(shade.low, shade.high) for shade in shades.classes(1, integer=True)] == [(1, 1)]
    assert [(shade.low, shade.high) for shade in shades.classes(12, integer=True)] == [
        (1, 3), (4, 6), (7, 9), (10, 12)]
    assert shades.shade_of(0, shades.classes(12, integer=True)).fill == shades.NO_DATA
