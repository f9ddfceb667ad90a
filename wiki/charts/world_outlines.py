"""The world's country outlines as SVG paths, for the dashboard's choropleth.

Read once from the offline map (`static/map/countries-110m.geojson`, Natural Earth 1:110m,
the same outlines as /map), projected equirectangular (x from longitude, y from latitude, two
units a degree), rounded to half a degree, and cached for the life of the process. Natural Earth
names countries in its own short way ("Dem. Rep. Congo"); each is matched to its ISO 3166-1
code through the country vocabulary, with the abbreviations spelled out below.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from practices.vocab import vocabulary

GEOJSON = Path(__file__).parent.parent / "static" / "map" / "countries-110m.geojson"
SCALE = 2  # SVG units a degree
NORTH, SOUTH = 84, -57  # Antarctica is left out: no practice sheet is documented there
WIDTH = 360 * SCALE
HEIGHT = (NORTH - SOUTH) * SCALE

# Natural Earth's abbreviated names; N. Cyprus and Somaliland are drawn with the countries
# ISO 3166 counts them in. Kosovo has no ISO code and stays without one.
NATURAL_EARTH_NAMES = {
    "Bosnia and Herz.": "BA", "Central African Rep.": "CF", "Dem. Rep. Congo": "CD",
    "Congo": "CG", "Dominican Rep.": "DO", "Eq. Guinea": "GQ", "Falkland Is.": "FK",
    "Fr. S. Antarctic Lands": "TF", "N. Cyprus": "CY", "S. Sudan": "SS", "Solomon Is.": "SB",
    "Somaliland": "SO", "W. Sahara": "EH", "eSwatini": "SZ", "Macedonia": "MK",
    "North Korea": "KP", "South Korea": "KR", "Laos": "LA", "Brunei": "BN", "Palestine": "PS",
    "Kosovo": None,
}


@dataclass(frozen=True)
class Outline:
    name: str  # Natural Earth's name
    code: str | None  # ISO 3166-1 alpha-2
    path: str  # SVG path data


@cache
def outlines() -> tuple[Outline, ...]:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    shapes = []
    for feature in features:
        name = feature["properties"]["name"]
        path = _path(feature["geometry"])
        if path:
            shapes.append(Outline(name, country_code(name), path))
    return tuple(shapes)


def country_code(name: str) -> str | None:
    if name in NATURAL_EARTH_NAMES:
        return NATURAL_EARTH_NAMES[name]
    return vocabulary("countries").from_label(name)


def _path(geometry: dict) -> str:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = (_ring(ring) for polygon in polygons for ring in polygon)
    return "".join(ring for ring in rings if ring)


def _ring(ring: list) -> str:
    """One closed ring; points that round to the previous one are dropped."""
    points: list[tuple[int, int]] = []
    for lon, lat in ring:
        if lat < SOUTH:
            continue
        point = (round((min(180.0, max(-180.0, lon)) + 180) * SCALE),
                 round((NORTH - lat) * SCALE))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) < 3:
        return ""
    # Relative steps ("l2-1 3 0…") take half the bytes of absolute points: two maps a page.
    steps = [f"{x - px} {y - py}".replace(" -", "-")
             for (px, py), (x, y) in zip(points, points[1:], strict=False)]
    return f"M{points[0][0]} {points[0][1]}l" + " ".join(steps).replace(" -", "-") + "z"
