"""The map of practices at /map: markers where sheets were documented, same filters as search."""

import re

import pytest


def markers(client, url: str = "/map") -> list[str]:
    with client.get(url) as response:
        assert response.status_code == 200, url
        return re.findall(r'<a href="/practices/([^"]+)" class="practice-map__marker">',
                          response.text)


@pytest.fixture
def located(make_sheet):
    make_sheet("Zai pits", agro_climatic_zones=["semi-arid"], locations=[[-1.5, 12.4]])
    make_sheet("Half moons", agro_climatic_zones=["arid"],
               locations=[[2.1, 13.5], [3.0, 14.0]])
    make_sheet("Cover crops", agro_climatic_zones=["humid"])


def test_every_location_of_every_published_sheet_is_a_marker(client, located):
    assert sorted(markers(client)) == ["half-moons", "half-moons", "zai-pits"]
    page = client.get("/map").text
    assert "2 sheets with a location" in page and "1 without one" in page


def test_markers_sit_where_the_practice_was_documented(client, located):
    page = client.get("/map?agro_climatic_zone=semi-arid").text
    # Equirectangular background, 3 px per degree: x = (lon + 180) * 3, y = (90 - lat) * 3.
    assert '<circle cx="535.5" cy="232.8"' in page


def test_the_search_filters_apply_and_can_be_removed(client, located):
    assert markers(client, "/map?agro_climatic_zone=arid") == ["half-moons", "half-moons"]
    page = client.get("/map?agro_climatic_zone=arid").text
    assert "Agro-climatic zone: Arid" in page
    assert 'href="/practices/?agro_climatic_zone=arid"' in page  # the same search as a list


def test_drafts_show_only_to_those_who_may_see_them(client, make_sheet, make_user, login):
    author = make_user()
    make_sheet("Draft bunds", status="draft", author=author, locations=[[30.0, -2.0]])
    assert markers(client) == []
    login(author)
    assert markers(client) == ["draft-bunds"]


@pytest.mark.parametrize("query", ["agro_climatic_zone=nowhere", "page=-3", "q=%22unbalanced",
                                   "q=" + "x" * 5000])
def test_bad_filters_still_give_a_map(client, located, query):
    with client.get(f"/map?{query}") as response:
        assert response.status_code == 200
        assert "Map of practices" in response.text


def test_the_search_page_shows_the_same_search_on_the_map(client, located):
    page = client.get("/practices/?agro_climatic_zone=arid").text
    assert 'href="/map?agro_climatic_zone=arid"' in page
