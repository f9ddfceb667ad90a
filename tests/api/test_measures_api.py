"""Measures written through the API (issue 14): only the organisation's managers and the
moderators write; an update from an old revision is refused with the conflict; deletes are
soft and hide the measure everywhere; the review transitions; CSRF as for sheets (the
write rate limits hold for the whole API blueprint: tests/api/test_errors_api.py)."""

import pytest
from sqlmodel import select

from practices import profiles
from practices.models import AuditEvent, Measure, MeasureRevision, Role
from tests.api.conftest import assert_error
from tests.partners import organisation_with_managers

NEW = {"title": "Zai pits in Yatenga", "status": "ongoing", "country": "BF",
       "locations": [[-2.37, 13.58]], "area_ha": 120, "start_year": 2020,
       "land_use": "cropland", "climate_zone": "tropical-dry", "soil_class": "low-activity-clay",
       "baseline": ["long-term-cultivated", "full-tillage", "low-input"],
       "practice": ["long-term-cultivated", "reduced-tillage", "medium-input"]}


@pytest.fixture
def partner(session, make_organization, make_user, make_sheet, make_token):
    organization, manager, moderator, outsider = organisation_with_managers(
        session, make_organization, make_user)
    make_sheet("Zai pits")
    return {"slug": organization.slug, "manager": make_token(manager),
            "moderator": make_token(moderator), "outsider": make_token(outsider),
            "member": make_token(make_user(organization=organization))}


def create(client, partner, **changes):
    response = client.post(f"/api/v1/organizations/{partner['slug']}/measures",
                           headers=partner["manager"], json={**NEW, "sheets": ["zai-pits"],
                                                             **changes})
    assert response.status_code == 201, response.text
    return response


def test_a_manager_records_a_draft_that_only_those_entitled_see(client, partner):
    response = create(client, partner)
    body = response.get_json()
    assert response.headers["Location"] == body["url"] == f"/api/v1/measures/{body['id']}"
    assert (body["state"], body["revision"], body["sheets"]) == ("draft", 1, ["zai-pits"])
    assert body["estimated_t_c_yr"] is not None and body["html_url"] == f"/measures/{body['id']}"
    assert client.get(body["url"], headers=partner["manager"]).status_code == 200
    assert_error(client.get(body["url"]), 404, "not_found")  # anonymous: no such draft
    assert_error(client.get(body["url"], headers=partner["outsider"]), 404)
    assert client.get("/api/v1/measures").get_json()["items"] == []


@pytest.mark.parametrize(("who", "status", "on_the_draft"),
                         [("outsider", 403, 404), ("member", 403, 403), (None, 401, 401)])
def test_only_the_organisations_managers_and_moderators_write(client, session, partner, who,
                                                              status, on_the_draft):
    headers = partner[who] if who else {}
    answer = client.post(f"/api/v1/organizations/{partner['slug']}/measures", headers=headers,
                         json=NEW)
    assert_error(answer, status)
    measure_id = create(client, partner).get_json()["id"]
    assert_error(client.put(f"/api/v1/measures/{measure_id}", headers=headers,
                            json={**NEW, "title": "Taken over", "base_revision": 1}),
                 on_the_draft)  # another organisation does not even see the draft
    session.expire_all()
    assert session.get(Measure, measure_id).title == NEW["title"]
    moderator_edit = client.put(f"/api/v1/measures/{measure_id}", headers=partner["moderator"],
                                json={**NEW, "title": "Checked", "base_revision": 1})
    assert moderator_edit.status_code == 200 and moderator_edit.get_json()["revision"] == 2


def test_an_update_from_an_old_revision_gets_the_conflict_and_saves_nothing(client, session,
                                                                           partner):
    measure = create(client, partner).get_json()
    first = client.put(measure["url"], headers=partner["manager"],
                       json={**NEW, "area_ha": 150, "base_revision": 1, "edit_summary": "more"})
    assert first.status_code == 200 and first.get_json()["revision"] == 2
    late = client.put(measure["url"], headers=partner["manager"],
                      json={**NEW, "area_ha": 99, "base_revision": 1})
    body = assert_error(late, 409, "stale_revision")
    assert body["current"]["revision"] == 2 and body["current"]["area_ha"] == 150
    listed = client.get("/api/v1/measures", headers=partner["manager"]).get_json()["items"]
    assert [item["revision"] for item in listed] == [2]
    same = client.put(measure["url"], headers=partner["manager"],
                      json={**NEW, "area_ha": 150, "base_revision": 2})
    assert same.status_code == 200 and same.get_json()["revision"] == 2  # nothing changed
    session.expire_all()
    assert session.exec(select(MeasureRevision.number)
                        .where(MeasureRevision.measure_id == measure["id"])).all() == [1, 2]


def test_values_the_domain_refuses_are_named_in_a_422(client, partner):
    answer = client.post(f"/api/v1/organizations/{partner['slug']}/measures",
                         headers=partner["manager"],
                         json={**NEW, "sheets": ["not-published"], "start_year": 2020,
                               "end_year": 2010})
    body = assert_error(answer, 422, "invalid_fields")
    assert set(body["error"]["fields"]) == {"sheets", "end_year"}
    answer = client.post(f"/api/v1/organizations/{partner['slug']}/measures",
                         headers=partner["manager"], json={**NEW, "title": "x\u0000y"})
    assert "title" in assert_error(answer, 422)["error"]["fields"]


@pytest.mark.parametrize("ring", [[[0, 90], [90, 90], [180, 90], [0, 90]],
                                  [[0, -90], [90, -90], [180, -90], [0, -90]]])
def test_a_boundary_whose_corners_are_all_one_pole_is_refused(client, session, partner, ring):
    answer = client.post(f"/api/v1/organizations/{partner['slug']}/measures",
                         headers=partner["manager"], json={"title": "Polar ring",
                                                           "boundary": [ring]})
    assert assert_error(answer, 422, "invalid_fields")["error"]["fields"] == {
        "boundary": "An area needs at least three different points."}
    assert session.exec(select(Measure)).all() == []


def test_a_deleted_measure_disappears_everywhere_but_stays_in_the_database(client, session,
                                                                           partner):
    measure = create(client, partner).get_json()
    client.post(f"{measure['url']}/publish", headers=partner["moderator"])
    assert [item["id"] for item in client.get("/api/v1/measures").get_json()["items"]] \
        == [measure["id"]]
    assert_error(client.delete(measure["url"], headers=partner["outsider"]), 403)
    answer = client.delete(measure["url"], headers=partner["manager"])
    assert answer.status_code == 204 and answer.data == b""
    assert_error(client.get(measure["url"]), 404)
    assert client.get("/api/v1/measures").get_json()["items"] == []
    assert client.get("/api/v1/map/features?layer=measures").get_json()["features"] == []
    assert client.get(f"/measures/{measure['id']}").status_code == 404
    session.expire_all()
    row = session.get(Measure, measure["id"])
    assert row.is_deleted and row.title == NEW["title"]  # soft
    assert "measure.delete" in session.exec(select(AuditEvent.action)).all()


def test_review_transitions_follow_the_roles_and_the_state(client, partner):
    url = create(client, partner).get_json()["url"]
    assert_error(client.post(f"{url}/publish", headers=partner["manager"]), 403)
    submitted = client.post(f"{url}/submit", headers=partner["manager"])
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "in_review"
    assert_error(client.post(f"{url}/submit", headers=partner["manager"]), 409,
                 "not_allowed_now")
    published = client.post(f"{url}/publish", headers=partner["moderator"])
    assert published.get_json()["state"] == "published"
    assert client.get(url).status_code == 200  # now public
    returned = client.post(f"{url}/return", headers=partner["moderator"],
                           json={"comment": "The area is wrong."})
    assert returned.get_json()["state"] == "draft"


def test_browser_session_writes_need_the_csrf_token(app, client, login, session, partner):
    manager = session.exec(select(profiles.User).where(profiles.User.role == Role.CONTRIBUTOR)
                           ).first()
    login(manager)
    app.config["WTF_CSRF_ENABLED"] = True
    answer = client.post(f"/api/v1/organizations/{partner['slug']}/measures", json=NEW)
    assert_error(answer, 400, "csrf_failed")

