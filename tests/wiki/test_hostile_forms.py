"""Form fields read line by line, in shapes that made their patterns quadratic (issue 11)."""

from wiki.forms import _parse_point, _parse_reference

N = 60_000


def test_points_are_read_whatever_the_blanks():
    assert _parse_point("13.58, -2.37") == [-2.37, 13.58]
    assert _parse_point("13.58 -2.37") == [-2.37, 13.58]
    assert _parse_point("13.58;-2.37") == [-2.37, 13.58]
    assert _parse_point("1358") == ["1358"]  # one number is not a point
    bad = "1" + " " * N + "x"
    assert _parse_point(bad) == [bad]


def test_the_url_at_the_end_of_a_reference_is_found_whatever_comes_before():
    assert _parse_reference("Smith 2020." + " " * N + "https://doi.org/10.1/x") == {
        "citation": "Smith 2020.", "url": "https://doi.org/10.1/x"}
    assert _parse_reference("Smith doi: 10.1234/ab") == {
        "citation": "Smith.", "url": "https://doi.org/10.1234/ab"}
    line = "http://" * N + " x"
    assert _parse_reference(line) == {"citation": line}
    line = "a" + " " * N + "x"
    assert _parse_reference(line) == {"citation": line}
