"""`GET /api/v1/carbon/estimate`: the IPCC Tier 1 estimate as JSON, its no-default and
wrong-input answers, and its place in the OpenAPI document."""

from urllib.parse import urlencode

import pytest

from tests.api.conftest import assert_error

NO_TILL = {
    "climate_zone": "cool-temperate-moist",
    "soil_class": "high-activity-clay",
    "land_use": "cropland",
    "baseline": "long-term-cultivated,full-tillage,medium-input",
    "practice": "long-term-cultivated,no-till,medium-input",
}


def estimate(client, headers=None, **params):
    return client.get(
        "/api/v1/carbon/estimate?" + urlencode({**NO_TILL, **params}), headers=headers or {}
    )


def test_no_till_estimate_with_area(client):
    response = estimate(client, area_ha=100)
    assert response.status_code == 200
    body = response.get_json()
    assert body["soc_ref_t_c_ha"] == 81
    assert body["baseline_stock_t_c_ha"] == pytest.approx(56.7)
    assert body["practice_stock_t_c_ha"] == pytest.approx(61.803)
    assert body["change_t_c_ha_yr"] == pytest.approx(0.25515)
    assert body["per_mille_yr"] == pytest.approx(4.5)
    assert body["meets_4_per_1000"] is True
    assert (body["years"], body["depth_cm"], body["edition"]) == (20, 30, "2019")
    assert body["uncertainty"]["per_mille_yr"] == pytest.approx([2.32, 6.68])
    low, high = body["uncertainty"]["change_t_c_ha_yr"]
    assert low < body["change_t_c_ha_yr"] < high
    assert body["area_change_t_c_yr"] == pytest.approx(25.515)
    assert body["area_change_t_c_20yr"] == pytest.approx(510.3)
    tables = {(source["table"], source["row"], source["page"]) for source in body["sources"]}
    assert ("Table 2.3", "Cool temperate moist (C1)", "p.2.35") in tables
    assert ("Table 5.5", "no-till", "pp.5.27-5.28") in tables


def test_2006_edition_and_no_area(client):
    body = estimate(client, edition="2006").get_json()
    assert body["edition"] == "2006" and body["soc_ref_t_c_ha"] == 95
    assert body["per_mille_yr"] == pytest.approx(7.5)
    assert body["area_change_t_c_yr"] is None


def test_grassland_restoration(client):
    body = estimate(
        client,
        climate_zone="tropical-dry",
        soil_class="low-activity-clay",
        land_use="grazing-land",
        baseline="severely-degraded",
        practice="improved,high-input",
    ).get_json()
    assert body["change_t_c_ha_yr"] == pytest.approx(19 * (1.17 * 1.11 - 0.7) / 20)


def test_no_ipcc_default_is_422_with_the_reason(client):
    response = estimate(client, climate_zone="tropical-montane")
    body = assert_error(response, 422, "no_ipcc_default")
    assert "Table 5.5" in body["error"]["message"]
    assert "Tropical montane" in body["error"]["message"]
    assert body["no_default"]["kind"] == "no_factor_row"
    assert body["no_default"]["cell"] == "long-term cultivated × Tropical montane"


def test_organic_soil_is_out_of_scope(client):
    body = assert_error(estimate(client, soil_class="organic"), 422, "no_ipcc_default")
    assert "emission factors" in body["error"]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"climate_zone": "temperate"}, "climate_zone"),
        ({"soil_class": "loam"}, "soil_class"),
        ({"land_use": "forest"}, "land_use"),
        ({"baseline": "long-term-cultivated,full-tillage"}, "baseline"),
        ({"practice": "long-term-cultivated,zero-till,medium-input"}, "practice"),
    ],
)
def test_unknown_codes_are_422_naming_the_field(client, params, field):
    body = assert_error(estimate(client, **params), 422, "invalid_fields")
    assert list(body["error"]["fields"]) == [field]


def test_messages_follow_the_language(client):
    body = estimate(client, headers={"Accept-Language": "fr"}, climate_zone="x").get_json()
    assert body["error"]["message"] == "Zone climatique du GIEC inconnue : « x »."
    body = estimate(client, headers={"Accept-Language": "es"}, soil_class="organic").get_json()
    assert body["error"]["message"].startswith("Los suelos orgánicos")


@pytest.mark.parametrize(
    "params", [{"area_ha": "-3"}, {"area_ha": "a lot"}, {"edition": "1996"}, {"extra": "1"}]
)
def test_malformed_parameters_are_400(client, params):
    assert_error(estimate(client, **params), 400, "invalid_parameters")


def test_missing_parameters_are_400_naming_them(client):
    body = assert_error(client.get("/api/v1/carbon/estimate?land_use=cropland"), 400)
    assert {"climate_zone", "soil_class", "baseline", "practice"} <= set(body["error"]["fields"])


def test_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/carbon/estimate"]["get"]
    assert operation["operationId"] == "estimateCarbon"
    assert {"200", "400", "422"} <= set(operation["responses"])
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {
        "climate_zone",
        "soil_class",
        "land_use",
        "baseline",
        "practice",
        "area_ha",
        "edition",
    }
    answer = document["components"]["schemas"]["CarbonEstimateOut"]["properties"]
    assert {"per_mille_yr", "meets_4_per_1000", "uncertainty", "sources"} <= set(answer)
