"""The zone lookup of a point (issue 13): only what visible sheets near the point document,
nearest and same-country first, never a guess."""

import pytest

from practices.models import Role
from search.place import PlaceError
from search.zones import distance_km, zones_near

OUAGADOUGOU = (12.37, -1.53)


@pytest.fixture
def sheets_around_ouagadougou(make_sheet):
    return {
        "near": make_sheet(
            "Zaï pits",
            countries=["BF"],
            locations=[[-1.60, 12.40]],
            ipcc_climate_zones=["tropical-dry"],
            ipcc_soil_classes=["low-activity-clay", "sandy"],
        ),
        "farther": make_sheet(
            "Stone lines",
            countries=["BF"],
            locations=[[-2.42, 13.58]],
            ipcc_climate_zones=["tropical-dry", "tropical-wet"],
            ipcc_soil_classes=["sandy"],
        ),
        "abroad": make_sheet(
            "Half-moons",
            countries=["GH"],
            locations=[[-1.50, 12.10]],
            ipcc_climate_zones=["tropical-moist"],
            ipcc_soil_classes=["high-activity-clay"],
        ),
        "far_away": make_sheet(
            "Hedges",
            countries=["FR"],
            locations=[[2.35, 48.85]],
            ipcc_climate_zones=["cool-temperate-moist"],
        ),
        "unlocated": make_sheet("Mulch", countries=["BF"], ipcc_climate_zones=["tropical-montane"]),
    }


def codes(found):
    return [(evidence.code, evidence.sheet.title) for evidence in found]


def test_zones_near_a_point_come_from_the_nearest_sheet_same_country_first(
    session, sheets_around_ouagadougou
):
    found = zones_near(session, None, *OUAGADOUGOU)
    assert found.country == "BF"
    # tropical-dry is documented twice: the nearer sheet is the evidence. The sheet from
    # Ghana, though nearer than "Stone lines", comes after all the same-country evidence.
    assert codes(found.found["climate_zone"]) == [
        ("tropical-dry", "Zaï pits"),
        ("tropical-wet", "Stone lines"),
        ("tropical-moist", "Half-moons"),
    ]
    assert codes(found.found["soil_class"]) == [
        ("low-activity-clay", "Zaï pits"),
        ("sandy", "Zaï pits"),
        ("high-activity-clay", "Half-moons"),
    ]
    nearest = found.found["climate_zone"][0]
    assert nearest.same_country and 5 < nearest.distance_km < 10
    assert not found.found["climate_zone"][2].same_country


def test_nothing_nearby_gives_an_empty_answer_not_a_guess(session, sheets_around_ouagadougou):
    found = zones_near(session, None, -75.0, 0.0)  # Antarctica
    assert found.empty and found.country is None


def test_drafts_only_count_for_readers_who_may_see_them(session, make_sheet, make_user):
    author = make_user(Role.CONTRIBUTOR)
    make_sheet(
        "Secret draft",
        author=author,
        status="draft",
        countries=["BF"],
        locations=[[-1.53, 12.37]],
        ipcc_climate_zones=["tropical-wet"],
        ipcc_soil_classes=["volcanic"],
    )
    assert zones_near(session, None, *OUAGADOUGOU).empty
    assert zones_near(session, make_user(Role.CONTRIBUTOR), *OUAGADOUGOU).empty
    own = zones_near(session, author, *OUAGADOUGOU)
    assert codes(own.found["climate_zone"]) == [("tropical-wet", "Secret draft")]


@pytest.mark.parametrize(
    "latitude, longitude", [("north", "2"), ("91", "0"), ("0", "-181"), ("nan", "0"), ("", "")]
)
def test_a_point_that_is_not_one_is_refused(session, latitude, longitude):
    with pytest.raises(PlaceError):
        zones_near(session, None, latitude, longitude)


def test_distance_is_the_great_circle():
    assert distance_km(0, 0, 0, 1) == pytest.approx(111.19, abs=0.01)
    assert distance_km(48.85, 2.35, 51.51, -0.13) == pytest.approx(343, abs=2)
