"""The map at /map: every located sheet is a feature of the practices layer (GeoJSON from
/api/v1/map/features) and an item of the list beside the map; same filters as search."""

import re

import pytest


def listed(client, url: str = "/map") -> list[str]:
    """The practices listed beside the map (what a keyboard or screen-reader user reaches)."""
    with client.get(url) as response:
        assert response.status_code == 200, url
        return re.findall(
            r'<a href="/practices/([^"]+)" class="map-item map-item--practice">', response.text
        )


def features(client, query: str = "") -> list[dict]:
    with client.get(f"/api/v1/map/features?layer=practices{query}") as response:
        assert response.status_code == 200, query
        assert response.mimetype == "application/geo+json"
        collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    return collection["features"]


def slugs(found: list[dict]) -> list[str]:
    return sorted(feature["properties"]["slug"] for feature in found)


@pytest.fixture
def located(make_sheet):
    make_sheet("Zai pits", agro_climatic_zones=["semi-arid"], locations=[[-1.5, 12.4]])
    make_sheet("Half moons", agro_climatic_zones=["arid"], locations=[[2.1, 13.5], [3.0, 14.0]])
    make_sheet("Cover crops", agro_climatic_zones=["humid"])


def test_every_location_of_every_published_sheet_is_a_feature(client, located):
    assert slugs(features(client)) == ["half-moons", "half-moons", "zai-pits"]
    assert listed(client) == ["half-moons", "zai-pits"]
    page = client.get("/map").text
    assert "2 sheets with a location" in page and "1 without one" in page


def test_features_sit_where_the_practice_was_documented(client, located):
    found = features(client, "&agro_climatic_zone=semi-arid")
    assert [feature["geometry"] for feature in found] == [
        {"type": "Point", "coordinates": [-1.5, 12.4]}
    ]


def test_the_search_filters_apply_and_can_be_removed(client, located):
    assert slugs(features(client, "&agro_climatic_zone=arid")) == ["half-moons", "half-moons"]
    assert listed(client, "/map?agro_climatic_zone=arid") == ["half-moons"]
    page = client.get("/map?agro_climatic_zone=arid").text
    assert "Agro-climatic zone: Arid" in page
    assert 'href="/practices/?agro_climatic_zone=arid"' in page  # the same search as a list
    assert 'data-practice-params="agro_climatic_zone=arid"' in page  # and on the map


def test_drafts_show_only_to_those_who_may_see_them(client, make_sheet, make_user, login):
    author = make_user()
    make_sheet("Draft bunds", status="draft", author=author, locations=[[30.0, -2.0]])
    assert listed(client) == [] and features(client) == []
    login(author)
    assert listed(client) == ["draft-bunds"]
    assert slugs(features(client)) == ["draft-bunds"]


@pytest.mark.parametrize(
    "query",
    [
        "agro_climatic_zone=nowhere",
        "page=-3",
        "q=%22unbalanced",
        "q=" + "x" * 5000,
        "org_country=ZZZ",
        "org_college=%3Cscript%3E",  # (a NUL is refused at the door: test_hostile_input)
    ],
)
def test_bad_filters_still_give_a_map(client, located, query):
    with client.get(f"/map?{query}") as response:
        assert response.status_code == 200
        assert "Map of practices" in response.text


def test_an_unknown_layer_is_a_clear_400(client):
    with client.get("/api/v1/map/features?layer=rivers") as response:
        assert response.status_code == 400
        assert response.get_json()["error"]["code"]


def test_the_search_page_shows_the_same_search_on_the_map(client, located):
    page = client.get("/practices/?agro_climatic_zone=arid").text
    assert 'href="/map?agro_climatic_zone=arid"' in page


def test_leaflet_and_the_country_outlines_are_served_by_us(client):
    page = client.get("/map").text
    for path in re.findall(r'(?:src|href)="(/map/lib/[^"]+)"', page):
        with client.get(path) as response:
            assert response.status_code == 200, path
    assert "/map/lib/markercluster/leaflet.markercluster.js" in page
    assert "https://" not in "".join(re.findall(r"<script[^>]*>", page))  # no CDN
    with client.get("/static/map/countries-110m.geojson") as response:
        outlines = response.get_json()
    assert len(outlines["features"]) > 150


def test_the_geojson_is_gzipped_when_asked(client, located):
    response = client.get(
        "/api/v1/map/features?layer=practices", headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers["Content-Encoding"] == "gzip"
    import gzip
    import json

    assert len(json.loads(gzip.decompress(response.data))["features"]) == 3


@pytest.mark.parametrize(
    "query",
    [
        "layer=organizations&college=%E2%80%AEevil",
        "layer=measures&country=%01",
        "layer=organizations&standing=" + "x" * 500,
        "layer=measures&organization=nobody",
    ],
)
def test_odd_layer_filters_give_an_empty_layer_not_an_error(client, query):
    with client.get(f"/api/v1/map/features?{query}") as response:
        assert response.status_code == 200
        assert response.get_json()["features"] == []


def test_the_organisation_filters_of_the_page_reach_the_organisations_layer(client):
    page = client.get("/map?org_college=research&org_standing=other").text
    assert 'data-org-params="standing=other&amp;college=research"' in page


def test_a_layer_computed_once_is_shared_with_the_other_server_processes(
    client, app, located, monkeypatch
):
    first = client.get("/api/v1/map/features?layer=practices", headers={"Accept-Encoding": "gzip"})
    app.extensions.pop("map_cache")  # as another process sees it: only the file is shared
    from practices import map_features

    def not_again(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(map_features, "practice_features", not_again)
    again = client.get("/api/v1/map/features?layer=practices", headers={"Accept-Encoding": "gzip"})
    assert again.data == first.data
    assert listed(client) == ["half-moons", "zai-pits"]  # the page's list, from the same file


def test_a_practice_and_its_translation_are_one_marker_in_the_readers_language(
    client, make_sheet
):
    english = make_sheet("Zai pits", language="en", locations=[[-1.5, 12.4]])
    make_sheet("Le zaï", language="fr", locations=[[-1.5, 12.4]], translation_of=english)

    assert slugs(features(client)) == ["zai-pits"]
    assert slugs(features(client, "&lang=fr")) == ["le-zai"]
    assert listed(client, "/map?lang=fr") == ["le-zai"]


def test_a_practice_marker_says_its_group_and_zone(client, make_sheet):
    make_sheet("Zai pits", practice_groups=["water-harvesting"],
               agro_climatic_zones=["semi-arid"], locations=[[-1.5, 12.4]])

    [marker] = features(client)

    assert marker["properties"]["group"] == "water-harvesting"
    assert marker["properties"]["zone"] == "semi-arid"
    page = client.get("/map?lang=fr").text
    assert '"semi-arid": "Semi-aride"' in page  # the popup's words, in the reader's language
