"""The area of a measure (issue 14): typed as GeoJSON or "longitude, latitude" lines, checked,
and measured in hectares."""

import pytest

from practices import areas

# About 1 km × 1 km at the equator: 0.009° of latitude and of longitude.
SQUARE = [[10.0, 0.0], [10.009, 0.0], [10.009, 0.009], [10.0, 0.009]]


def test_lines_and_geojson_give_the_same_closed_ring():
    lines = "10, 0\n10.009, 0\n10.009; 0.009\n10, 0.009\n"
    geojson = ('{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": '
               '[[[10, 0], [10.009, 0], [10.009, 0.009], [10, 0.009], [10, 0]]]}}')
    assert areas.clean(lines) == areas.clean(geojson) == [[*SQUARE, SQUARE[0]]]
    assert areas.clean("  ") is None


def test_a_square_kilometre_is_about_a_hundred_hectares():
    assert areas.hectares(areas.clean(SQUARE)) == pytest.approx(100.4, rel=0.01)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("10, 0\n11, 0", "at least three"),
        ("[[[0, 90], [90, 90], [180, 90], [0, 90]]]", "at least three"),  # all the North Pole
        ("0, -90\n90, -90\n-45, -90", "at least three"),
        ("0, 90\n90, 90\n10, 0", "at least three"),  # two corners: the pole and one more
        ("180, 10\n-180, 10\n180, 20", "at least three"),  # ±180 is one meridian
        ("10, 0, 3\n11, 0\n11, 1", "one point per line"),
        ("200, 0\n11, 0\n11, 1", "within ±180"),
        ("0, 0\n1, 1\n1, 0\n0, 1", "crosses itself"),
        ("-179, 0\n179, 0\n179, 1", "180° meridian"),
        ('{"type": "Point", "coordinates": [1, 2]}', "one GeoJSON Polygon"),
        ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1]], [[0,0],[1,0],[1,1]]]}',
         "no holes"),
        ("[" * 100_000, "too long"),
        ("[" * 5000, "not valid GeoJSON"),
        ("\n".join(f"{n / 1000}, 0" for n in range(300)), "too long"),
        ('[[["a", 0], [1, 0], [1, 1]]]', "a longitude and a latitude"),
    ],
)
def test_an_unusable_area_says_why(text, reason):
    with pytest.raises(areas.AreaError) as refused:
        areas.clean(text)
    assert reason in str(refused.value)


def test_a_pole_is_one_corner_of_an_area():
    ring = areas.clean("0, 90\n10, 0\n20, 0\n90, 90")
    assert ring == [[[0, 90], [10, 0], [20, 0], [90, 90], [0, 90]]]
