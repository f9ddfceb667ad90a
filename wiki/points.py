"""Points typed in a textarea, one "latitude, longitude" per line (as people write them),
to and from the [lon, lat] pairs stored. The interactive map fills the same textarea."""

from typing import Any

from wiki.forms import _lines, _parse_point


def parse_points(text: Any) -> list[list]:
    """Malformed lines stay as one-item lists, so that the validator names the problem."""
    return [_parse_point(line) for line in _lines(text)]


def show_points(points: list[list[float]]) -> str:
    return "\n".join(f"{lat:g}, {lon:g}" for lon, lat in points)
