"""The permission matrix of the web pages (tests/wiki/test_permissions.py), walked through the
API with personal tokens: the same roles, owners, states and expectations; a refused request
changes nothing and answers 401, 403 or 404 as JSON."""

from itertools import product

import pytest

from practices.models import Role, SheetStatus
from tests.wiki.test_permissions import OWNERS, ROLES, STATES, expected, snapshot

# Web matrix action -> the API request for it (the edit form and delete have no API).
API_ACTIONS = ("view", "history", "edit", "submit", "publish", "return", "approve_edits")
ALLOWED = {200, 201}


def perform(client, sheet, action: str, headers: dict):
    base = f"/api/v1/practices/{sheet.slug}"
    if action == "view":
        return client.get(base, headers=headers)
    if action == "history":
        return client.get(f"{base}/revisions", headers=headers)
    if action == "edit":
        return client.put(base, headers=headers, json={
            "title": sheet.title, "body": "Changed by the matrix.", "base_revision": 1})
    if action == "return":
        return client.post(f"{base}/return", headers=headers, json={"comment": "Sources?"})
    return client.post(f"{base}/{action.replace('_', '-')}", headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_sheet_permission_matrix_through_the_api(role, client, session, make_user, make_sheet,
                                                 make_organization, make_token):
    home, elsewhere = make_organization("Home partner"), make_organization("Other partner")
    user = None if role == "anonymous" else make_user(role, organization=home)
    headers = make_token(user) if user is not None else {}
    authors = {"mine": user or make_user(organization=home),
               "org": make_user(organization=home),
               "other": make_user(organization=elsewhere)}
    allowed, wanted = set(), set()
    for number, (owner, state, action) in enumerate(product(OWNERS, STATES, API_ACTIONS)):
        if role == "anonymous" and owner == "mine":
            continue
        status = SheetStatus.PUBLISHED if state == "flagged" else state
        sheet = make_sheet(f"Matrix sheet {number}", author=authors[owner], status=status,
                           organization=home if owner != "other" else elsewhere)
        if state == "flagged":
            sheet.needs_review = True
            session.commit()
        before = snapshot(session, sheet)
        response = perform(client, sheet, action, headers)
        assert response.mimetype == "application/json", (owner, state, action)
        if response.status_code in ALLOWED:
            allowed.add((owner, state, action))
        else:
            assert response.status_code in (401, 403, 404), (owner, state, action,
                                                             response.status_code)
            assert set(response.get_json()["error"]) == {"code", "message", "fields"}
            assert snapshot(session, sheet) == before, ("refused but changed", owner, state,
                                                        action)
            if role == "anonymous" and action not in ("view", "history"):
                assert response.status_code in (401, 404)
        if expected(role, owner, state, action):
            wanted.add((owner, state, action))
    assert sorted(allowed - wanted) == [], "allowed but should not be"
    assert sorted(wanted - allowed) == [], "refused but should be allowed"


@pytest.mark.parametrize("role", ROLES)
def test_site_actions_through_the_api(role, client, make_user, make_token):
    """Creating sheets is for members; import runs are for administrators."""
    headers = {} if role == "anonymous" else make_token(make_user(role))
    created = client.post("/api/v1/practices", headers=headers, json={"title": f"By {role}"})
    runs = client.get("/api/v1/imports", headers=headers)
    me = client.get("/api/v1/me", headers=headers)
    members = (Role.CONTRIBUTOR, Role.MODERATOR, Role.ADMIN)
    assert (created.status_code == 201) == (role in members)
    assert (runs.status_code == 200) == (role == Role.ADMIN)
    assert (me.status_code == 200) == (role != "anonymous")
    if role == "anonymous":
        assert {created.status_code, runs.status_code, me.status_code} == {401}
    if role in members:
        expected_status = "published" if role in (Role.MODERATOR, Role.ADMIN) else "draft"
        assert created.get_json()["status"] == expected_status
