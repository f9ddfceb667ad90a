"""The area where a measure is applied, drawn on the map or typed (issue 14): one polygon.

Stored as the coordinates of a GeoJSON Polygon with one closed ring of [lon, lat] pairs.
People may type (or paste) either GeoJSON (a Polygon, or a Feature holding one) or one
"longitude, latitude" pair per line, longitude first as in GeoJSON. Parsing is linear in the
text (json.loads, or one split per line) and the text is capped before it is read.
"""

import json
import math
from typing import Any

from practices.fields import N_

MAX_TEXT = 50_000  # characters: 200 vertices of GeoJSON need well under 10,000
MAX_VERTICES = 200
EARTH_RADIUS_M = 6_378_137.0  # WGS 84 semi-major axis, as web maps use


class AreaError(ValueError):
    """The area cannot be used; the message is an N_ string for the reader."""


def clean(value: Any) -> list[list[list[float]]] | None:
    """Polygon coordinates ([[ [lon, lat], …, first again ]]) from text or a list, or None
    for nothing; AreaError with the reason otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = _parse_text(value)
    ring = _ring(value)
    if not ring:
        return None
    return [_checked(ring)]


def hectares(coordinates: list[list[list[float]]] | None) -> float:
    """The polygon's area on the sphere (the outer ring), in hectares.

    The spherical-excess sum of Chamberlain & Duquette, "Some algorithms for polygons on a
    sphere" (JPL, 2007), as Leaflet.draw and OpenLayers compute it."""
    if not coordinates:
        return 0.0
    ring = coordinates[0]
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:], strict=False):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total) * EARTH_RADIUS_M**2 / 2 / 10_000


def rounded_hectares(coordinates: list[list[list[float]]] | None) -> float:
    """The area as stored in `area_ha` when it is computed (0.1 ha; never 0 for an area)."""
    return max(round(hectares(coordinates), 1), 0.1)


def as_text(coordinates: list[list[list[float]]] | None) -> str:
    """What the form's text box shows: one "longitude, latitude" per line, ring not closed."""
    if not coordinates:
        return ""
    return "\n".join(f"{lon:g}, {lat:g}" for lon, lat in coordinates[0][:-1])


def centre(coordinates: list[list[list[float]]]) -> list[float]:
    """The mean of the ring's vertices: where a map puts the area's marker."""
    ring = coordinates[0][:-1]
    return [sum(lon for lon, _lat in ring) / len(ring), sum(lat for _lon, lat in ring) / len(ring)]


# Reading ---------------------------------------------------------------------------------


def _parse_text(text: str) -> Any:
    if len(text) > MAX_TEXT:
        raise AreaError(N_("The area is too long: draw it with fewer points."))
    stripped = text.strip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(stripped)
        except (ValueError, RecursionError):
            raise AreaError(N_("The area is not valid GeoJSON.")) from None
    pairs = []
    for line in stripped.splitlines():
        if not line.strip():
            continue
        parts = line.replace(";", ",").split(",")
        if len(parts) != 2:
            raise AreaError(N_("Write one point per line as longitude, latitude."))
        pairs.append(parts)
    return pairs


def _ring(value: Any) -> list:
    """The outer ring of a Polygon, Feature or bare list of pairs."""
    if isinstance(value, dict):
        if value.get("type") == "Feature":
            value = value.get("geometry") or {}
        if not isinstance(value, dict) or value.get("type") != "Polygon":
            raise AreaError(N_("Give one GeoJSON Polygon."))
        rings = value.get("coordinates")
        if not isinstance(rings, list) or len(rings) != 1:
            raise AreaError(N_("Give one polygon with one outline (no holes)."))
        value = rings[0]
    if isinstance(value, list) and value and isinstance(value[0], list) and value[0] \
            and isinstance(value[0][0], list):
        if len(value) != 1:  # Polygon coordinates: a list of rings
            raise AreaError(N_("Give one polygon with one outline (no holes)."))
        value = value[0]
    if not isinstance(value, list):
        raise AreaError(N_("Give one GeoJSON Polygon."))
    return value


def _checked(ring: list) -> list[list[float]]:
    if len(ring) > MAX_VERTICES + 1:
        raise AreaError(N_("The area is too long: draw it with fewer points."))
    points = []
    for pair in ring:
        try:
            lon, lat = (float(str(number).strip()) for number in pair)
        except (TypeError, ValueError):
            raise AreaError(N_("Each point needs a longitude and a latitude.")) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise AreaError(N_("Longitude must be within ±180 and latitude within ±90."))
        points.append([round(lon, 6), round(lat, 6)])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len({_place(point) for point in points}) < 3:
        raise AreaError(N_("An area needs at least three different points."))
    longitudes = [lon for lon, _lat in points]
    if max(longitudes) - min(longitudes) > 180:
        raise AreaError(N_("An area may not cross the 180° meridian; draw it in two measures."))
    if _crosses_itself(points):
        raise AreaError(N_("The outline crosses itself: move or remove a point."))
    return [*points, points[0]]


def _place(point: list[float]) -> tuple[float, float]:
    """Where on the Earth a point is: at a pole every longitude names the same place, and
    longitudes -180 and 180 are one meridian."""
    lon, lat = point
    if abs(lat) == 90:
        return (0.0, lat)
    return (180.0 if lon == -180 else lon, lat)


def _crosses_itself(points: list[list[float]]) -> bool:
    """Whether two edges that do not share a vertex intersect (at most 200² checks)."""
    edges = list(zip(points, points[1:] + points[:1], strict=True))
    count = len(edges)
    for i in range(count):
        for j in range(i + 2, count):
            if i == 0 and j == count - 1:
                continue  # the first and last edges share the first vertex
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


def _segments_cross(a, b, c, d) -> bool:
    def side(p, q, r) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4):
        return True
    return any(
        value == 0 and _between(p, q, r)
        for value, p, q, r in ((d1, c, d, a), (d2, c, d, b), (d3, a, b, c), (d4, a, b, d))
    )


def _between(p, q, r) -> bool:
    """r lies on segment pq (given that the three are collinear)."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(
        p[1], q[1]
    )
