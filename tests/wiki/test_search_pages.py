"""The search page at /practices/, the place finder, and links into them."""

import re
import shutil

import pytest

from practices import sheets
from practices.models import Role


def get(client, url: str) -> str:
    with client.get(url) as response:
        assert response.status_code == 200, url
        return response.text


def titles(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", title) for title in
            re.findall(r'<h2 class="hit__title"><a [^>]*>(.*?)</a>', page)]


@pytest.fixture
def zones(make_sheet):
    make_sheet("Zai pits", agro_climatic_zones=["semi-arid"], countries=["BF"],
               practice_groups=["water-harvesting"], body="Planting pits with manure.")
    make_sheet("Half moons", agro_climatic_zones=["arid"], countries=["NE"],
               practice_groups=["water-harvesting"], body="Crescent bunds catch runoff.")
    make_sheet("Cocoa agroforestry", agro_climatic_zones=["humid"], countries=["GH"],
               practice_groups=["agroforestry"], body="Shade trees over cocoa.")


def test_filters_and_across_facets_or_within_one(client, zones):
    page = get(client, "/practices/?agro_climatic_zone=semi-arid&agro_climatic_zone=arid")
    assert sorted(titles(page)) == ["Half moons", "Zai pits"]
    page = get(client, "/practices/?agro_climatic_zone=semi-arid&agro_climatic_zone=arid"
                       "&country=NE")
    assert titles(page) == ["Half moons"] and "1 practice" in page


def test_every_facet_shows_counts_of_what_each_choice_would_give(client, zones):
    page = get(client, "/practices/?agro_climatic_zone=humid")
    assert re.search(r'value="semi-arid"> <span class="facet__label">Semi-arid</span> '
                     r'<span class="count">1</span>', page)
    assert re.search(r'value="agroforestry".*?<span class="count">1</span>', page)
    for title in ("Agro-climatic zone", "Practice group", "Country", "Region", "Language"):
        assert f"<summary>{title}" in page


def test_text_results_are_highlighted_and_misspellings_suggested(client, zones):
    page = get(client, "/practices/?q=manure")
    assert titles(page) == ["Zai pits"]
    assert '<mark class="search-match' in page and "manure</mark>" in page
    page = get(client, "/practices/?q=agroforesty&agro_climatic_zone=humid")
    assert "Did you mean" in page
    assert 'href="?q=agroforestry&amp;agro_climatic_zone=humid"' in page


def test_empty_result_suggests_removing_filters(client, zones):
    page = get(client, "/practices/?q=pits&agro_climatic_zone=humid")
    assert "No practice matches" in page and "Remove filter Humid" in page
    assert "Search all practices for “pits”" in page


def test_the_same_url_gives_the_same_page(client, zones):
    url = "/practices/?q=water&practice_group=water-harvesting&sort=updated&country=BF"
    assert get(client, url) == get(client, url)
    same = "/practices/?country=BF&sort=updated&practice_group=water-harvesting&q=water"
    assert titles(get(client, same)) == titles(get(client, url)) == ["Zai pits"]


@pytest.mark.parametrize("query", [
    '?q="unbalanced', "?q=(mulch", "?q=mulch)", "?q=title:zai", "?q=*pits", "?q=?its",
    "?q=" + "zai%20" * 2000, "?q=" + "x" * 10_000, "?country=ZZ", "?agro_climatic_zone=moon",
    "?page=-4", "?page=999999", "?page=abc", "?per_page=-1", "?sort=nonsense", "?colour=red",
    "?q=AND", "?q=NOT%20OR", "?q=%ff%fe", "?q=a*b*c*d*e*f",
])  # (a NUL is refused before the search: tests/wiki/test_hostile_input.py)
def test_bad_input_still_gives_a_sensible_page(client, zones, query):
    get(client, "/practices/" + query)


def test_drafts_are_listed_only_for_those_who_may_see_them(client, make_sheet, make_user,
                                                          login, session):
    author = make_user()
    make_sheet("Visible practice", body="mulch")
    make_sheet("Draft practice", body="mulch", status="draft", author=author)
    gone = make_sheet("Deleted practice", body="mulch")
    sheets.soft_delete(session, gone)
    session.commit()
    assert titles(get(client, "/practices/?q=mulch")) == ["Visible practice"]
    login(author)
    page = get(client, "/practices/?q=mulch")
    assert sorted(titles(page)) == ["Draft practice", "Visible practice"]
    assert "<summary>Status" in page


def test_a_deleted_index_gives_a_banner_and_results_never_an_error(app, client, zones):
    get(client, "/practices/")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    page = get(client, "/practices/?q=manure")
    assert "search index was missing or damaged" in page and titles(page) == ["Zai pits"]
    assert "search index" not in get(client, "/practices/?q=manure")


def test_home_has_the_search_box_and_the_place_finder(client, zones):
    page = get(client, "/")
    assert 'action="/practices/"' in page and 'name="q"' in page
    assert 'href="/place"' in page and 'href="/practices/?agro_climatic_zone=semi-arid"' in page


def test_the_infobox_links_to_the_search_page_by_facet(client, zones):
    page = get(client, "/practices/zai-pits")
    assert 'href="/practices/?agro_climatic_zone=semi-arid"' in page
    assert 'href="/practices/?country=BF"' in page
    assert 'href="/practices/?practice_group=water-harvesting"' in page


def test_place_finder_lands_on_the_filtered_search_page(client, zones):
    assert "Find practices for my place" in get(client, "/place")
    with client.get("/place?find=1&agro_climatic_zone=semi-arid&soil=&land_use=cropland"
                    "&country=BF") as response:
        assert response.status_code == 303
        assert response.location == ("/practices/?agro_climatic_zone=semi-arid"
                                     "&land_use=cropland&country=BF")


def test_place_finder_takes_the_country_from_a_point(client):
    with client.get("/place?find=1&agro_climatic_zone=semi-arid&lat=13.58&lon=-2.37") as response:
        assert response.status_code == 303
        assert response.location == "/practices/?agro_climatic_zone=semi-arid&country=BF"
    for lat, lon, message in (("0", "-30", "No country was found"),
                              ("north", "x", "decimal degrees"), ("95", "0", "decimal degrees")):
        with client.get(f"/place?find=1&lat={lat}&lon={lon}") as response:
            assert response.status_code == 422 and message in response.text


def test_moderators_can_filter_by_status(client, make_sheet, make_user, login):
    make_sheet("Waiting", status="in_review")
    make_sheet("Out", status="published")
    login(make_user(Role.MODERATOR))
    assert titles(get(client, "/practices/?status=in_review")) == ["Waiting"]


def test_translations_of_one_practice_are_one_card_in_the_readers_language(client, make_sheet,
                                                                           session):
    original = make_sheet("Zai pits", body="Zai pits catch runoff.", language="en",
                          countries=["BF"], agro_climatic_zones=["semi-arid"],
                          practice_groups=["water-harvesting"])
    make_sheet("Zaï", body="Le zaï (zai pits) retient l'eau.", language="fr",
               countries=["BF"], translation_of=original)
    page = client.get("/practices/?q=zai&lang=fr").text
    assert page.count('class="hit"') == 1
    card = page[page.index('class="hit"'):]
    assert "/practices/za" in card and 'lang="fr"' in card  # the French sheet leads
    assert 'class="lang-badge"' in card and 'hreflang="en"' in card
    english = client.get("/practices/?q=zai&lang=en").text
    card = english[english.index('class="hit"'):]
    assert ">Zai pits<" in card or "Zai</mark> pits" in card or "Zai pits" in card
    assert "Burkina Faso" in card and "Semi-arid" in card and "Water harvesting" in card


def test_the_count_and_the_facet_counts_are_of_practices(client, make_sheet):
    original = make_sheet("Zai pits", language="en", countries=["BF"], soc_change_t_c_ha_yr=0.3)
    make_sheet("Le zaï", language="fr", countries=["BF"], translation_of=original)
    make_sheet("Zaï en español", language="es", countries=["BF"], translation_of=original)
    make_sheet("Half moons", language="en", countries=["NE"])
    page = get(client, "/practices/?lang=en")
    assert "2 practices" in page and page.count('class="hit"') == 2
    facet = r'value="{}"> <span class="facet__label">[^<]*</span> <span class="count">1</span>'
    assert re.search(facet.format("BF"), page) and re.search(facet.format("fr"), page)
    card = page[page.index(">Zai pits<"):]
    assert "Measured SOC change" in card[:card.index("</li>")]
    assert "+0.3 t C/ha/yr" in card[:card.index("</li>")]
    page = get(client, "/practices/?lang=en&country=BF")
    assert "1 practice" in page and titles(page) == ["Zai pits"]
