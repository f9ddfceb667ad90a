"""`/carbon`: "Find my zone from a point" lists the zones and soils that sheets near the point
document, for the reader to check and pick; the pick goes into the address."""

from html import unescape

import pytest

from practices.models import Role


@pytest.fixture
def zai(make_sheet):
    return make_sheet(
        "Zaï pits",
        countries=["BF"],
        locations=[[-1.60, 12.40]],
        ipcc_climate_zones=["tropical-dry"],
        ipcc_soil_classes=["sandy"],
    )


def test_the_lookup_lists_documented_zones_with_their_sheet_and_distance(client, zai):
    response = client.get("/carbon?lat=12.37&lon=-1.53")
    assert response.status_code == 200
    text = unescape(response.get_data(as_text=True))
    assert "Find my zone from a point" in text
    assert "Documented by sheets near this point — check it matches your land." in text
    assert "Tropical dry" in text and "Sandy soils" in text and "Zaï pits" in text
    assert "8 km away, same country" in text
    # Nothing is chosen for the reader: the calculator's selects stay empty.
    assert '<option value="tropical-dry" selected>' not in text
    assert "/carbon?land_use=cropland" in text and "climate_zone=tropical-dry" in text


def test_picking_fills_the_address_then_the_estimate_follows(client, zai):
    page = unescape(client.get("/carbon?lat=12.37&lon=-1.53").get_data(as_text=True))
    pick = next(
        part.split('"')[0]
        for part in page.split('href="')[1:]
        if "climate_zone=tropical-dry" in part.split('"')[0]
    )
    picked = client.get(pick)
    assert picked.status_code == 200  # half-way: no "choose one" error for the soil yet
    text = picked.get_data(as_text=True)
    assert '<option value="tropical-dry" selected>' in text and "Choose one." not in text
    soil = next(
        part.split('"')[0]
        for part in unescape(text).split('href="')[1:]
        if "soil_class=sandy" in part.split('"')[0]
    )
    assert "climate_zone=tropical-dry" in soil
    estimate = client.get(soil)
    assert estimate.status_code == 200
    assert "‰" in estimate.get_data(as_text=True) and "Chosen" in estimate.get_data(as_text=True)


def test_a_draft_is_never_shown_to_anonymous_readers(client, make_sheet, make_user, login):
    author = make_user(Role.CONTRIBUTOR)
    make_sheet(
        "Secret terraces",
        author=author,
        status="draft",
        countries=["BF"],
        locations=[[-1.53, 12.37]],
        ipcc_climate_zones=["tropical-wet"],
    )
    anonymous = client.get("/carbon?lat=12.37&lon=-1.53").get_data(as_text=True)
    assert (
        "Secret terraces" not in anonymous
        and "Tropical wet" not in anonymous.split("Find my zone")[1].split("carbon-form")[0]
    )
    assert "No sheet near this point documents" in anonymous
    login(author)
    own = client.get("/carbon?lat=12.37&lon=-1.53").get_data(as_text=True)
    assert "Secret terraces" in own and "(not published)" in own


@pytest.mark.parametrize(
    "query", ["lat=north&lon=2", "lat=95&lon=0", "lat=1", "lon=", "lat=" + "9" * 5000 + "&lon=1"]
)
def test_bad_coordinates_are_a_422_with_a_message(client, query):
    response = client.get("/carbon?" + query)
    assert response.status_code == 422
    assert "Give the latitude and longitude in decimal degrees" in response.get_data(as_text=True)


def test_the_place_finder_looks_up_the_zones_of_its_point_and_picks_one(client, zai):
    response = client.get("/place?find=1&lat=12.37&lon=-1.53&zones=1")
    assert response.status_code == 200  # the lookup, not the redirect to the results
    text = unescape(response.get_data(as_text=True))
    assert "Documented by sheets near this point — check it matches your land." in text
    assert "Tropical dry" in text and "Zaï pits" in text
    pick = next(
        part.split('"')[0]
        for part in text.split('href="')[1:]
        if "ipcc_climate_zone=tropical-dry" in part.split('"')[0]
    )
    picked = client.get(pick).get_data(as_text=True)
    assert '<option value="tropical-dry" selected>' in picked
    assert 'name="lat" inputmode="decimal" value="12.37"' in picked
    assert client.get("/place?zones=1&lat=north&lon=2").status_code == 422
