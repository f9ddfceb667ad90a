"""The carbon fields and the carbon search through the API."""

from tests.api.conftest import assert_error

LTC = "long-term-cultivated"
CARBON = {
    "carbon_land_use": "cropland",
    "carbon_baseline": [LTC, "full-tillage", "medium-input"],
    "carbon_practice": [LTC, "no-till", "medium-input"],
    "ipcc_climate_zones": ["cool-temperate-moist"],
    "ipcc_soil_classes": ["high-activity-clay"],
}


def test_sheet_with_carbon_fields_round_trips_and_is_found_by_its_estimate(
    client, make_user, make_token
):
    headers = make_token(make_user())
    created = client.post(
        "/api/v1/practices", headers=headers, json={"title": "No-till", "fields": CARBON}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    fields = client.get("/api/v1/practices/no-till", headers=headers).get_json()["fields"]
    assert fields["carbon_practice"] == [LTC, "no-till", "medium-input"]
    found = client.get(
        "/api/v1/practices?ipcc_climate_zone=cool-temperate-moist"
        "&soil=high-activity-clay&sort=carbon&meets_4_per_1000=true",
        headers=headers,
    ).get_json()
    assert [item["slug"] for item in found["items"]] == ["no-till"]


def test_bad_level_for_the_land_use_is_a_field_error(client, make_user, make_token):
    response = client.post(
        "/api/v1/practices",
        headers=make_token(make_user()),
        json={"title": "Grazing", "fields": dict(CARBON, carbon_land_use="grazing-land")},
    )
    body = assert_error(response, 422, "invalid_fields")
    assert set(body["error"]["fields"]) == {"fields.carbon_baseline", "fields.carbon_practice"}


def test_carbon_sort_without_zone_and_soil_is_refused(client):
    assert_error(client.get("/api/v1/practices?sort=carbon"), 400)
