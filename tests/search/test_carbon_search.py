"""Searching by the IPCC Tier 1 estimate: sort by estimated gain, filter "reaches 4 ‰"."""

import pytest

from search import SearchRequest
from search.documents import document
from search.query import InvalidSearch
from tests.search.conftest import slugs

LTC = "long-term-cultivated"
ZONE = {"ipcc_climate_zones": ["cool-temperate-moist"], "ipcc_soil_classes": ["high-activity-clay"]}


def change(baseline, practice, land_use="cropland"):
    return {
        "carbon_land_use": land_use,
        "carbon_baseline": baseline,
        "carbon_practice": practice,
        **ZONE,
    }


NO_TILL = change([LTC, "full-tillage", "medium-input"], [LTC, "no-till", "medium-input"])  # 4.5
REDUCED = change(
    [LTC, "full-tillage", "medium-input"], [LTC, "reduced-tillage", "medium-input"]
)  # 2.0
MANURE = change(
    [LTC, "full-tillage", "medium-input"], [LTC, "full-tillage", "high-input-manure"]
)  # 22.0
CELL = {"ipcc_climate_zone": "cool-temperate-moist", "soil": "high-activity-clay"}


def test_sort_by_estimated_gain_in_the_chosen_zone_and_soil(make_sheet, find):
    make_sheet("Reduced tillage", **REDUCED)
    make_sheet("Manure", **MANURE)
    make_sheet("No-till", **NO_TILL)
    make_sheet("Terraces", **ZONE)  # no change recorded: after the estimated ones
    page = find(sort="carbon", **CELL)
    assert slugs(page) == ["manure", "no-till", "reduced-tillage", "terraces"]
    assert [round(hit.carbon_per_mille or 0, 1) for hit in page.hits] == [22.0, 4.5, 2.0, 0]


def test_filter_keeps_the_sheets_that_reach_4_per_mille(make_sheet, find):
    make_sheet("Reduced tillage", **REDUCED)
    make_sheet("No-till", **NO_TILL)
    page = find(meets_4_per_1000="1", **CELL)
    assert slugs(page) == ["no-till"]
    # Organic soils have no IPCC default: nothing reaches 4 ‰ there.
    organic = find(meets_4_per_1000="1", ipcc_climate_zone="cool-temperate-moist", soil="organic")
    assert organic.total == 0


def test_carbon_sort_and_filter_need_a_zone_and_a_soil():
    page_request = SearchRequest.from_params({"sort": ["carbon"], "meets_4_per_1000": ["1"]})
    assert page_request.sort == "updated" and not page_request.meets_4_per_1000
    with pytest.raises(InvalidSearch):
        SearchRequest.from_params({"sort": ["carbon"]}, strict=True)
    request = SearchRequest.from_params(
        {
            "sort": ["carbon"],
            "meets_4_per_1000": ["1"],
            "ipcc_climate_zone": ["tropical-dry"],
            "soil": ["sandy"],
        }
    )
    assert request.params()["meets_4_per_1000"] == ["1"]
    assert request.params()["sort"] == ["carbon"]


def test_the_document_holds_an_estimate_per_zone_and_soil_listed():
    from types import SimpleNamespace

    from practices.models import Sheet

    sheet = Sheet(id=1, slug="s", title="S", language="en")
    fields = dict(NO_TILL, ipcc_soil_classes=["high-activity-clay", "organic"])
    doc = document(sheet, SimpleNamespace(fields=fields, body=""), {})
    assert doc["carbon_meets"] == "cool-temperate-moist:high-activity-clay"
    assert doc["carbon"] == b"cool-temperate-moist:high-activity-clay=4.5"


def test_search_page_offers_the_carbon_sort_and_filter(client, make_sheet):
    make_sheet("No-till", **NO_TILL)
    page = client.get(
        "/practices/?ipcc_climate_zone=cool-temperate-moist&soil=high-activity-clay&sort=carbon"
    ).text
    assert "Estimated carbon gain (IPCC)" in page and 'name="meets_4_per_1000"' in page
    assert "IPCC estimate: +4.5 ‰/yr" in page
    plain = client.get("/practices/").text
    assert 'name="meets_4_per_1000"' not in plain and "sort=carbon" not in plain


def test_place_finder_ranks_by_estimated_gain_when_zone_and_soil_are_known(client):
    response = client.get(
        "/place?find=1&ipcc_climate_zone=cool-temperate-moist&soil=high-activity-clay"
    )
    assert response.status_code == 303 and "sort=carbon" in response.location
    other = client.get("/place?find=1&ipcc_climate_zone=cool-temperate-moist")
    assert "sort=carbon" not in other.location
