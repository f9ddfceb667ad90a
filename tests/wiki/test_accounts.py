"""Accounts over HTTP: register, sign in, remember me, profile, password, API tokens."""

import re

from sqlmodel import select

from practices import accounts
from practices.models import ApiToken, Role, User
from tests.conftest import PASSWORD


def register(client, **overrides):
    data = {"name": "Ama Mensah", "email": "ama@example.org", "password": PASSWORD,
            "password_again": PASSWORD, **overrides}
    return client.post("/register", data=data)


def test_register_then_sign_in_once_approved(client, session, make_college,
                                             make_organization, login, make_user):
    college, partner = make_college("NGOs"), make_organization("Sahel Network")
    with client.get("/register") as page:
        assert "NGOs" in page.text and "Sahel Network" in page.text
    with register(client, organization=str(partner.id), colleges=str(college.id)) as response:
        assert response.status_code == 200 and "waiting for approval" in response.text
    with client.post("/login", data={"email": "ama@example.org", "password": PASSWORD}) as r:
        assert r.status_code == 401 and "waiting for approval" in r.text
    user = accounts.find_by_email(session, "ama@example.org")
    login(make_user(Role.MODERATOR))
    with client.get("/admin/registrations") as page:
        assert "Ama Mensah" in page.text and "Sahel Network" in page.text
    client.post(f"/admin/registrations/{user.id}/approve").close()
    client.post("/logout").close()
    with client.post("/login", data={"email": "ama@example.org", "password": PASSWORD}) as r:
        assert r.status_code == 303
    with client.get("/profile") as page:
        assert "Ama Mensah" in page.text and "Sahel Network" in page.text and "NGOs" in page.text


def test_open_registration_signs_in_at_once(app, client):
    app.config["OPEN_REGISTRATION"] = True
    with register(client) as response:
        assert response.status_code == 303 and response.location.endswith("/profile")
    with client.get("/profile") as page:
        assert page.status_code == 200 and "Ama Mensah" in page.text


def test_bad_registrations_keep_the_form_and_change_nothing(client, session, make_user,
                                                            make_college):
    make_college()
    existing = make_user()
    cases = [
        ({"email": existing.email, "colleges": "1"}, "already exists"),
        ({"password": "short", "password_again": "short", "colleges": "1"}, "at least 10"),
        ({"password": "ama@example.org", "password_again": "ama@example.org", "colleges": "1"},
         "must not be your e-mail"),
        ({"password_again": "something else", "colleges": "1"}, "passwords differ"),
        ({}, "at least one college"),
        ({"colleges": "abc"}, "Choose at least one college."),  # not an id: no college
        ({"colleges": ""}, "Choose at least one college."),
        ({"colleges": ["1", "abc"]}, "Choose colleges from the list."),
        ({"organization": "x", "colleges": "1"}, "organisation from the list"),
    ]
    count = len(session.exec(select(User)).all())
    for overrides, message in cases:
        with register(client, **overrides) as response:
            assert response.status_code == 422, overrides
            assert message in response.text, (overrides, message)
            assert 'value="Ama Mensah"' in response.text
    assert len(session.exec(select(User)).all()) == count


def test_remember_me_keeps_the_user_signed_in_after_the_session_ends(client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "remember": "1"}).close()
    client.delete_cookie("session")  # the browser was closed
    with client.get("/profile") as page:
        assert page.status_code == 200 and user.name in page.text


def test_without_remember_me_there_is_no_lasting_cookie(client, make_user):
    user = make_user()
    with client.post("/login", data={"email": user.email, "password": PASSWORD}) as response:
        assert not any(c.startswith("remember_token=")
                       for c in response.headers.getlist("Set-Cookie"))


def test_profile_lists_own_drafts_and_published_sheets(client, login, make_user, make_sheet):
    user = login(make_user())
    make_sheet("My draft", author=user, status="draft")
    make_sheet("My published sheet", author=user)
    make_sheet("Someone else's draft", status="draft")
    with client.get("/profile") as page:
        assert "My draft" in page.text and "My published sheet" in page.text
        assert "Someone else" not in page.text


def test_changing_the_password_ends_other_sessions(app, client, session, make_user, login):
    user = login(make_user())
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD,
                                      "remember": "1"}).close()
    with other_device.get("/profile") as page:
        assert page.status_code == 200
    with client.post("/profile/password", data={
            "current_password": PASSWORD, "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase"}) as response:
        assert response.status_code == 303
    with client.get("/profile") as page:
        assert page.status_code == 200  # this session goes on
    with other_device.get("/profile") as page:
        assert page.status_code == 302  # the other one (and its remember cookie) ended
    with other_device.get("/") as page:
        assert "Your session has ended" in page.text
    with client.post("/login", data={"email": user.email, "password": PASSWORD}) as response:
        assert response.status_code == 401


def test_wrong_current_password_changes_nothing(client, session, make_user, login):
    user = login(make_user())
    before = user.password_hash
    with client.post("/profile/password", data={
            "current_password": "not it at all", "new_password": "a brand new passphrase",
            "new_password_again": "a brand new passphrase"}) as response:
        assert response.status_code == 422 and "current password is not right" in response.text
    session.expire_all()
    assert session.get(User, user.id).password_hash == before


def test_deactivated_users_old_session_is_refused(app, client, session, make_user, login):
    user = login(make_user())
    admin_client = app.test_client()
    admin = make_user(Role.ADMIN)
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD}).close()
    with admin_client.post(f"/admin/users/{user.id}/deactivate",
                           data={"reason": "left"}) as response:
        assert response.status_code == 303
    with client.get("/practices/new") as page:
        assert page.status_code == 302
    with client.get("/") as page:
        assert "Your session has ended" in page.text and 'class="who"' not in page.text
    with client.post("/login", data={"email": user.email, "password": PASSWORD}) as r:
        assert r.status_code == 401 and "deactivated" in r.text


def test_api_tokens_are_shown_once_and_work_until_revoked(client, session, make_user, login):
    user = login(make_user(Role.MODERATOR))
    with client.post("/profile/tokens", data={"name": "nightly export"}) as response:
        assert response.status_code == 201
        plain = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
        assert response.headers["Cache-Control"] == "no-store"
    with client.get("/profile/tokens") as page:
        assert "nightly export" in page.text and plain not in page.text
    stored = session.exec(select(ApiToken)).one()
    assert plain not in stored.token_hash and stored.last_used_at is None
    client.post("/logout").close()

    bearer = {"Authorization": f"Bearer {plain}"}
    with client.get("/review", headers=bearer) as response:  # a moderator's page
        assert response.status_code == 200
    with client.get("/review") as response:
        assert response.status_code == 302  # no session was created by the token
    session.expire_all()
    assert session.get(ApiToken, stored.id).last_used_at is not None

    login(user)
    with client.post(f"/profile/tokens/{stored.id}/revoke") as response:
        assert response.status_code == 303
    client.post("/logout").close()
    with client.get("/review", headers=bearer) as response:
        assert response.status_code == 401
        assert response.json["error"]["code"] == "invalid_token"


def test_a_token_carries_its_owners_role(client, session, make_user):
    from practices import tokens

    contributor = make_user()
    _token, plain = tokens.create(session, contributor, "script", key=client.application.config[
        "SECRET_KEY"])
    session.commit()
    with client.get("/admin/", headers={"Authorization": f"Bearer {plain}"}) as response:
        assert response.status_code == 403
    with client.get("/practices/new", headers={"Authorization": f"Bearer {plain}"}) as response:
        assert response.status_code == 200


def test_others_tokens_cannot_be_revoked(client, session, make_user, login):
    from practices import tokens

    owner = make_user()
    token, plain = tokens.create(session, owner, "theirs", key="k" * 40)
    session.commit()
    login(make_user())
    with client.post(f"/profile/tokens/{token.id}/revoke") as response:
        assert response.status_code == 303
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None


def test_navigation_offers_what_the_role_allows(client, login, make_user):
    with client.get("/") as page:
        assert 'href="/register"' in page.text and "New sheet" not in page.text
    login(make_user(Role.READER))
    with client.get("/") as page:
        assert "New sheet" not in page.text and 'href="/profile"' in page.text
    client.post("/logout").close()
    login(make_user(Role.MODERATOR))
    with client.get("/") as page:
        assert "New sheet" in page.text and "Review and admin" in page.text
