"""The dashboard through the API (issue 15): headline numbers and figures with the page's
filters, only published data, refusals for filters it cannot use, a change showing on the
next request, and a gap of the coverage matrix leading to a prefilled new-sheet form."""

import re

import pytest
from sqlmodel import select

from practices import measures, profiles, workflow
from practices.models import Role, Sheet
from tests.api.conftest import assert_error
from tests.practices.test_measures import NO_TILL


@pytest.fixture
def partner(session, make_organization, make_user, make_sheet):
    organization = make_organization("Sahel Soils")
    manager = make_user(organization=organization)
    moderator = make_user(Role.MODERATOR)
    profiles.grant_manager(session, organization, manager, actor=moderator)
    make_sheet("No-till farming", organization=organization, countries=["FR"],
               practice_groups=["minimal-soil-disturbance"], agro_climatic_zones=["humid"])
    make_sheet("Secret draft", author=manager, organization=organization, status="draft",
               countries=["FR"], practice_groups=["agroforestry"])
    measure = measures.create(session, organization, {
        "title": "No-till in the Beauce", "sheets": ["no-till-farming"], "area_ha": "100",
        "country": "FR", **NO_TILL}, author=manager)
    session.commit()
    return {"organization": organization, "manager": manager, "moderator": moderator,
            "measure": measure}


def test_the_headline_counts_published_data_and_a_change_shows_on_the_next_request(
        client, session, partner):
    first = client.get("/api/v1/dashboard").get_json()
    assert (first["sheets_published"], first["measures_published"], first["area_ha"]) == \
        (1, 0, 0)  # the draft sheet and the draft measure are not counted
    assert "carbon-estimate" in first["figures"]
    measures.publish(session, partner["measure"], actor=partner["moderator"])
    session.commit()
    second = client.get("/api/v1/dashboard").get_json()
    assert (second["measures_published"], second["area_ha"]) == (1, 100)
    assert second["estimated_t_c_yr"] == pytest.approx(25.515)
    assert second["estimated_t_c_yr_low"] < 25.515 < second["estimated_t_c_yr_high"]
    assert second["estimated_t_c_20yr"] == pytest.approx(25.515 * 20)


def test_a_figure_has_its_rows_filters_and_language(client, session, partner):
    measures.publish(session, partner["measure"], actor=partner["moderator"])
    session.commit()
    body = client.get("/api/v1/dashboard/carbon-estimate?region=150&lang=fr").get_json()
    assert body["filters"] == {"region": "150"}
    assert body["title"] == "Stockage estimé de carbone dans le sol"
    assert [row["code"] for row in body["rows"]] == ["minimal-soil-disturbance"]
    assert body["rows"][0]["t_c_yr"] == pytest.approx(25.515)
    africa = client.get("/api/v1/dashboard/carbon-estimate?region=002").get_json()
    assert africa["rows"] == []


@pytest.mark.parametrize("query, field", [
    ("year_from=2020&year_to=2010", "year_to"),
    ("country=ZZ", "country"),
    ("region=999", "region"),
    ("group=nothing", "group"),
    ("year_from=20x0", "year_from"),
    ("colour=red", "colour"),
])
def test_filters_it_cannot_use_are_refused_by_name(client, partner, query, field):
    for address in ("/api/v1/dashboard", "/api/v1/dashboard/sheets-by-country"):
        body = assert_error(client.get(f"{address}?{query}"), 400, "invalid_parameters")
        assert field in body["error"]["fields"]


def test_an_unknown_figure_is_404(client, partner):
    assert_error(client.get("/api/v1/dashboard/pie-of-everything"), 404)


def test_the_review_queue_lists_only_what_the_caller_may_see(
        client, session, partner, make_token):
    draft = workflow_sheet(session, partner)
    anonymous = client.get("/api/v1/dashboard/review-queue").get_json()
    assert anonymous["rows"] == []
    headers = make_token(partner["moderator"])
    moderator = client.get("/api/v1/dashboard/review-queue", headers=headers).get_json()
    assert [row["slug"] for row in moderator["rows"]] == [draft.slug]
    assert moderator["rows"][0]["age_days"] == 0


def workflow_sheet(session, partner):
    draft = session.exec(select(Sheet).where(Sheet.slug == "secret-draft")).one()
    workflow.submit(session, draft, partner["manager"])
    session.commit()
    return draft


def test_the_document_describes_both_operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["paths"]["/api/v1/dashboard"]["get"]["operationId"] == "getDashboard"
    figure = document["paths"]["/api/v1/dashboard/{figure}"]["get"]
    assert {"400", "404"} <= set(figure["responses"])


def test_a_gap_leads_to_a_new_sheet_form_with_both_fields_set(client, partner, login):
    coverage = client.get("/api/v1/dashboard/coverage-agro-climatic").get_json()
    filled = [row for row in coverage["rows"] if not row.get("gap")]
    assert [(row["x"], row["y"], row["value"]) for row in filled] == \
        [("minimal-soil-disturbance", "humid", 1)]
    gap = next(row for row in coverage["rows"]
               if row.get("gap") and row["x"] == "agroforestry" and row["y"] == "semi-arid")
    assert gap["new_sheet_args"] == {"practice_groups": "agroforestry",
                                     "agro_climatic_zones": "semi-arid"}
    login(partner["manager"])
    page = client.get("/practices/new", query_string=gap["new_sheet_args"]).get_data(
        as_text=True)
    checked = re.findall(r'name="(\w+)" value="([\w-]+)" checked', page)
    assert ("practice_groups", "agroforestry") in checked
    assert ("agro_climatic_zones", "semi-arid") in checked
