"""Administration pages: users and roles, registrations, organisations and colleges, audit."""

import pytest
from sqlmodel import select

from practices import accounts, audit, organizations
from practices.models import AuditEvent, College, Organization, Role, User


def test_list_and_search_users(client, login, make_user, make_organization):
    partner = make_organization("Sahel Network")
    login(make_user(Role.ADMIN, name="Boss"))
    make_user(name="Ama Mensah", organization=partner)
    make_user(Role.MODERATOR, name="Kofi Mensah")
    make_user(name="Léa Martin")
    with client.get("/admin/users?q=mensah") as page:
        assert "Ama Mensah" in page.text and "Kofi Mensah" in page.text
        assert "Léa Martin" not in page.text and "Sahel Network" in page.text
    with client.get("/admin/users?q=mensah&role=moderator") as page:
        assert "Kofi Mensah" in page.text and "Ama Mensah" not in page.text


def test_change_role_organisation_and_colleges(client, session, login, make_user,
                                               make_organization, make_college):
    admin = login(make_user(Role.ADMIN))
    user, partner, college = make_user(), make_organization(), make_college("Funders")
    with client.post(f"/admin/users/{user.id}", data={
            "role": Role.MODERATOR, "organization": str(partner.id),
            "colleges": str(college.id)}) as response:
        assert response.status_code == 303
    session.expire_all()
    user = session.get(User, user.id)
    assert user.role == Role.MODERATOR and user.organization_id == partner.id
    assert [c.name for c in accounts.colleges_of(session, user)] == ["Funders"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.role")).one()
    assert event.actor_id == admin.id and event.target_id == user.id


def test_admin_cannot_change_own_role(client, session, login, make_user):
    admin = login(make_user(Role.ADMIN))
    with client.post(f"/admin/users/{admin.id}", data={"role": Role.READER}) as response:
        assert response.status_code == 422 and "your own role" in response.text
    session.expire_all()
    assert session.get(User, admin.id).role == Role.ADMIN


def test_deactivated_account_keeps_its_content_attributed(client, session, login, make_user,
                                                          make_sheet):
    login(make_user(Role.ADMIN))
    author = make_user(name="Departed Author")
    sheet = make_sheet("Contour hedges", author=author)
    with client.post(f"/admin/users/{author.id}/deactivate", data={"reason": "left"}) as r:
        assert r.status_code == 303
    with client.get(f"/practices/{sheet.slug}") as page:
        assert page.status_code == 200 and "Departed Author" in page.text
    with client.get(f"/admin/users/{author.id}") as page:
        assert "deactivated" in page.text and "Reactivate account" in page.text
    with client.post(f"/admin/users/{author.id}/reactivate") as r:
        assert r.status_code == 303
    session.expire_all()
    assert session.get(User, author.id).active


def test_refuse_a_registration(client, session, login, make_user):
    login(make_user(Role.MODERATOR))
    pending = accounts.register(session, email="x@example.org", name="X", password="a long "
                                "passphrase", organization_id=None, college_ids=[])
    session.commit()
    with client.post(f"/admin/registrations/{pending.id}/reject") as response:
        assert response.status_code == 303
    with client.get("/admin/registrations") as page:
        assert "No registration is waiting" in page.text
    assert accounts.find_by_email(session, "x@example.org") is None
    with client.post(f"/admin/registrations/{pending.id}/approve") as response:
        assert response.status_code == 404


def test_create_rename_merge_and_deactivate_organisations(client, session, login, make_user):
    login(make_user(Role.ADMIN))
    for name in ("Sahel Network", "West Africa Network"):
        with client.post("/admin/organizations", data={"name": name}) as response:
            assert response.status_code == 303
    with client.post("/admin/organizations", data={"name": "sahel network"}) as response:
        assert response.status_code == 422 and "already" in response.text
    with client.post("/admin/organizations/sahel-network",
                     data={"action": "rename", "name": "Sahel Soil Network"}) as response:
        assert response.status_code == 303
    member = make_user(organization=session.exec(
        select(Organization).where(Organization.slug == "sahel-network")).one())
    with client.post("/admin/organizations/sahel-network",
                     data={"action": "settings", "review_edits": "1"}) as response:
        assert response.status_code == 303
    with client.post("/admin/organizations/sahel-network",
                     data={"action": "merge", "into": "west-africa-network"}) as response:
        assert response.status_code == 303
    session.expire_all()
    target = session.exec(select(Organization).where(Organization.slug ==
                                                     "west-africa-network")).one()
    assert session.get(User, member.id).organization_id == target.id
    with client.get("/organizations/sahel-network") as response:
        assert response.status_code == 301 and response.location.endswith("/west-africa-network")
    with client.get("/organizations/west-africa-network") as page:
        assert member.name in page.text
    with client.post("/admin/organizations/west-africa-network",
                     data={"action": "deactivate"}) as response:
        assert response.status_code == 303
    with client.get("/register") as page:
        assert "West Africa Network" not in page.text
    with client.get("/admin/audit?action=organization.") as page:
        for words in ("created it", "renamed it", "merged it into West Africa Network",
                      "deactivated it"):
            assert words in page.text


def test_colleges_have_pages_with_members_and_their_sheets(client, session, login, make_user,
                                                          make_sheet):
    login(make_user(Role.ADMIN))
    with client.post("/admin/colleges", data={"name": "Research and education",
                                              "description": "Universities."}) as response:
        assert response.status_code == 303
    college = session.exec(select(College)).one()
    member = make_user(name="Dr Researcher")
    accounts.set_colleges(session, member, [college.id], actor=None)
    session.commit()
    make_sheet("Biochar trials", author=member)
    client.post("/logout").close()
    with client.get(f"/colleges/{college.slug}") as page:
        assert page.status_code == 200
        assert "Research and education" in page.text and "Universities." in page.text
        assert "Dr Researcher" in page.text and "Biochar trials" in page.text
    with client.get("/colleges/") as page:
        assert "Research and education" in page.text


def test_audit_log_shows_who_did_what_when_and_why(client, session, login, make_user,
                                                   make_sheet):
    moderator = make_user(Role.MODERATOR, name="Mona Moderator")
    sheet = make_sheet("Half-moons", status="in_review")
    login(moderator)
    client.post(f"/practices/{sheet.slug}/return", data={"comment": "Add a photo."}).close()
    client.post("/logout").close()
    login(make_user(Role.ADMIN))
    with client.get("/admin/audit") as page:
        assert "Mona Moderator" in page.text and "returned it to its authors" in page.text
        assert "Add a photo." in page.text and "Half-moons" in page.text
    with client.get("/admin/audit?actor=nobody") as page:
        assert "Nothing recorded matches" in page.text


def test_admin_pages_render(client, login, make_user, make_organization, make_college):
    login(make_user(Role.ADMIN))
    partner, college = make_organization(), make_college()
    for url in ("/admin/", "/review", "/admin/users", "/admin/registrations",
                "/admin/organizations", "/admin/colleges", f"/admin/organizations/{partner.slug}",
                f"/admin/colleges/{college.slug}", "/admin/audit"):
        with client.get(url) as page:
            assert page.status_code == 200, url


def test_a_rename_over_someone_elses_rename_is_refused(client, session, login, make_user,
                                                       make_organization):
    organization = make_organization("Sahel Network")
    login(make_user(Role.ADMIN))
    page = client.get(f"/admin/organizations/{organization.slug}").text
    assert 'name="base_name" value="Sahel Network"' in page
    organizations.rename(session, organization, "Sahel Soil Network", actor=None)
    session.commit()

    with client.post(f"/admin/organizations/{organization.slug}", data={
            "action": "rename", "name": "Sahel Partners",
            "base_name": "Sahel Network"}) as response:
        assert response.status_code == 409
        assert "renamed it meanwhile" in response.text
        assert 'value="Sahel Soil Network"' in response.text
    session.expire_all()
    assert session.get(Organization, organization.id).name == "Sahel Soil Network"


@pytest.mark.parametrize("kind", ["organizations", "colleges"])
@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u0301\ufeff", " \u200b "])
def test_a_name_of_invisible_characters_is_refused_as_blank(client, session, login, make_user,
                                                            kind, name):
    login(make_user(Role.ADMIN))
    with client.post(f"/admin/{kind}", data={"name": name}) as response:
        assert response.status_code == 422 and "Give a name." in response.text
    model = Organization if kind == "organizations" else College
    assert session.exec(select(model)).all() == []


def test_an_organisation_called_new_gets_an_address_the_wiki_does_not_use(client, session,
                                                                          login, make_user):
    login(make_user(Role.ADMIN))
    with client.post("/admin/organizations", data={"name": "New"}) as response:
        assert response.status_code == 303
    assert session.exec(select(Organization.slug)).all() == ["new-2"]
    with client.get("/organizations/new-2") as page:
        assert page.status_code == 200


@pytest.mark.parametrize("junk", ["abc", "2147483648", "-1"])
def test_an_organisation_not_from_the_list_is_refused_and_changes_nothing(
        client, session, login, make_user, make_organization, make_college, junk):
    login(make_user(Role.ADMIN))
    partner = make_organization()
    user = make_user(organization=partner)
    college = make_college(members=(user,))
    with client.post(f"/admin/users/{user.id}", data={
            "role": Role.MODERATOR, "organization": junk,
            "colleges": str(college.id)}) as response:
        assert response.status_code == 422
        assert "Choose an organisation from the list." in response.text
    session.expire_all()
    user = session.get(User, user.id)
    assert (user.organization_id, user.role) == (partner.id, Role.CONTRIBUTOR)
    assert accounts.colleges_of(session, user) == [college]
    assert audit.events_for(session, user) == []


def test_the_empty_choice_removes_the_organisation(client, session, login, make_user,
                                                   make_organization):
    login(make_user(Role.ADMIN))
    user = make_user(organization=make_organization())
    with client.post(f"/admin/users/{user.id}", data={"organization": ""}) as response:
        assert response.status_code == 303
    session.expire_all()
    assert session.get(User, user.id).organization_id is None


@pytest.mark.parametrize("junk", ["abc", "", "2147483648"])
def test_colleges_not_from_the_list_are_refused_and_change_nothing(
        client, session, login, make_user, make_organization, make_college, junk):
    login(make_user(Role.ADMIN))
    partner, other = make_organization(), make_college()
    user = make_user(organization=partner)
    college = make_college(members=(user,))
    with client.post(f"/admin/users/{user.id}", data={
            "organization": str(partner.id), "colleges": [str(other.id), junk]}) as response:
        assert response.status_code == 422
        assert "Choose colleges from the list." in response.text
    session.expire_all()
    assert accounts.colleges_of(session, session.get(User, user.id)) == [college]


def test_college_changes_are_in_the_audit_log(client, session, login, make_user,
                                              make_organization, make_college):
    admin = login(make_user(Role.ADMIN))
    partner, other = make_organization(), make_college()
    user = make_user(organization=partner)
    college = make_college(members=(user,))
    with client.post(f"/admin/users/{user.id}", data={
            "organization": str(partner.id), "colleges": [str(other.id)]}) as response:
        assert response.status_code == 303
    session.expire_all()
    (event,) = audit.events_for(session, user, ("user.colleges",))
    assert event.actor_id == admin.id
    assert (event.details["before"], event.details["after"]) == ([college.id], [other.id])
    assert "changed the colleges" in client.get(f"/admin/users/{user.id}").text
