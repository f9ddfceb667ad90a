"""Write wiki/static/map/countries-110m.geojson from world-atlas's countries-110m.json.

world-atlas (ISC, `npm pack world-atlas@2.0.2`) is Natural Earth's 1:110m countries (public
domain) as TopoJSON; Leaflet reads GeoJSON, so this decodes the arcs once. Usage:
    python bench/natural_earth_geojson.py path/to/countries-110m.json OUT.geojson
"""

import json
import sys


def decode_arcs(topology: dict) -> list[list[list[float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(
                [round(x * scale[0] + translate[0], 3), round(y * scale[1] + translate[1], 3)]
            )
        arcs.append(points)
    return arcs


def ring(arcs, indexes) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        part = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(part if not points else part[1:])
    return points


def unwrap(points: list[list[float]]) -> list[list[float]]:
    """Rings cut at the antimeridian (Fiji, Chukotka) would be drawn straight across the world:
    make their longitudes continuous instead (past 180 where needed). Rings around a pole
    (Antarctica) really span every longitude and stay as they are."""
    lons = [points[0][0]]
    for lon, _lat in points[1:]:
        step = lon - lons[-1]
        lons.append(lon - 360 * round(step / 360))
    if max(lons) - min(lons) >= 300:
        return points
    return [[round(lon, 3), lat] for lon, (_old, lat) in zip(lons, points, strict=True)]


def geometry(arcs, geom: dict) -> dict | None:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [unwrap(ring(arcs, r)) for r in geom["arcs"]]}
    if geom["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[unwrap(ring(arcs, r)) for r in poly] for poly in geom["arcs"]],
        }
    return None


def main(source: str, target: str) -> None:
    with open(source) as handle:
        topology = json.load(handle)
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        shape = geometry(arcs, geom)
        if shape:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": geom.get("properties", {}).get("name", "")},
                    "geometry": shape,
                }
            )
    with open(target, "w") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
