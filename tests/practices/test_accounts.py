"""Accounts, API tokens, organisations and colleges in the domain (no HTTP)."""

import pytest
from sqlmodel import select

from practices import accounts, audit, tokens
from practices import organizations as groups
from practices.models import AuditEvent, CollegeMembership, Organization, Role, User
from tests.conftest import PASSWORD

KEY = "k" * 40


def test_registration_waits_for_approval(session, make_college, make_organization):
    college, partner = make_college(), make_organization()
    user = accounts.register(session, email="Ama@Example.org ", name="Ama", password=PASSWORD,
                             organization_id=partner.id, college_ids=[college.id])
    assert user.pending and not user.active and user.role == Role.CONTRIBUTOR
    assert accounts.authenticate(session, "ama@example.org", PASSWORD) is None
    assert accounts.check_credentials(session, "ama@example.org", PASSWORD) is user
    accounts.approve(session, user, actor=None)
    assert accounts.authenticate(session, "ama@example.org", PASSWORD) is user
    assert [c.id for c in accounts.colleges_of(session, user)] == [college.id]
    with pytest.raises(accounts.AccountError, match="already decided"):
        accounts.approve(session, user, actor=None)


def test_open_registration_is_active_at_once(session):
    user = accounts.register(session, email="open@example.org", name="Open", password=PASSWORD,
                             organization_id=None, college_ids=[], open_registration=True)
    assert user.active and not user.pending


@pytest.mark.parametrize("email, password, message", [
    ("taken@example.org", PASSWORD, "already exists"),
    ("TAKEN@example.org", PASSWORD, "already exists"),
    ("new@example.org", "short", "at least 10"),
    ("new@example.org", "new@example.org", "e-mail"),
    ("new@example.org", "aaaaaaaaaaaa", "guessable"),
    ("not-an-address", PASSWORD, "Not an e-mail"),
])
def test_bad_registrations_are_refused_clearly(session, make_user, email, password, message):
    taken = make_user()
    taken.email = "taken@example.org"
    session.commit()
    before = len(session.exec(select(User)).all())
    with pytest.raises(accounts.AccountError, match=message):
        accounts.register(session, email=email, name="X", password=password,
                          organization_id=None, college_ids=[])
    session.rollback()
    assert len(session.exec(select(User)).all()) == before


def test_registration_refuses_unknown_colleges_and_inactive_organisations(session,
                                                                          make_organization):
    closed = make_organization()
    closed.active = False
    session.commit()
    with pytest.raises(accounts.AccountError, match="organisation"):
        accounts.register(session, email="a@example.org", name="A", password=PASSWORD,
                          organization_id=closed.id, college_ids=[])
    session.rollback()
    with pytest.raises(accounts.AccountError, match="colleges"):
        accounts.register(session, email="b@example.org", name="B", password=PASSWORD,
                          organization_id=None, college_ids=[9999])


def test_reject_removes_the_pending_account_and_is_audited(session, make_user):
    admin = make_user(Role.ADMIN)
    user = accounts.register(session, email="spam@example.org", name="Spam",
                             password=PASSWORD, organization_id=None, college_ids=[])
    accounts.reject(session, user, actor=admin, reason="not a partner")
    session.commit()
    assert accounts.find_by_email(session, "spam@example.org") is None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.reject")).one()
    assert event.actor_id == admin.id and event.reason == "not a partner"


def test_password_change_and_deactivation_end_sessions(session, make_user):
    user = make_user()
    first = user.session_token
    with pytest.raises(accounts.AccountError, match="current password"):
        accounts.change_password(session, user, current="wrong", new="a new long password")
    assert user.session_token == first
    with pytest.raises(accounts.AccountError, match="at least"):
        accounts.change_password(session, user, current=PASSWORD, new="short")
    accounts.change_password(session, user, current=PASSWORD, new="a new long password")
    second = user.session_token
    assert second != first and accounts.password_matches(user, "a new long password")
    accounts.deactivate(session, user, actor=None, reason="left the project")
    assert user.session_token != second and user.deactivated
    accounts.reactivate(session, user, actor=None)
    assert user.active


def test_role_changes_are_audited(session, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    accounts.set_role(session, user, Role.MODERATOR, actor=admin)
    with pytest.raises(accounts.AccountError):
        accounts.set_role(session, user, "emperor", actor=admin)
    session.commit()
    (event,) = audit.events_for(session, user, ("user.role",))
    assert event.details == {"before": "contributor", "after": "moderator"}


def test_college_changes_are_audited(session, make_user, make_college):
    admin, user = make_user(Role.ADMIN), make_user()
    first, second = make_college(), make_college()
    accounts.set_colleges(session, user, [first.id], actor=admin)
    accounts.set_colleges(session, user, [second.id, first.id], actor=admin)
    accounts.set_colleges(session, user, [first.id, second.id], actor=admin)  # the same
    with pytest.raises(accounts.AccountError, match="from the list"):
        accounts.set_colleges(session, user, [-1], actor=admin)
    session.commit()
    events = audit.events_for(session, user, ("user.colleges",))
    assert [(event.actor_id, event.details) for event in reversed(events)] == [
        (admin.id, {"before": [], "after": [first.id]}),
        (admin.id, {"before": [first.id], "after": sorted([first.id, second.id])}),
    ]


def test_search_users_by_text_role_and_state(session, make_user):
    make_user(name="Ama Mensah")
    make_user(Role.MODERATOR, name="Kofi Mensah")
    make_user(name="Léa Martin", active=False)
    assert accounts.search_users(session, text="mensah").total == 2
    assert accounts.search_users(session, text="mensah", role=Role.MODERATOR).total == 1
    assert [u.name for u in accounts.search_users(session, state="deactivated").users] == [
        "Léa Martin"]


def test_tokens_are_shown_once_stored_keyed_and_revocable(session, make_user):
    user = make_user()
    token, plain = tokens.create(session, user, "nightly export", key=KEY)
    assert plain.startswith("pw_") and plain not in token.token_hash
    assert token.token_hash == tokens.digest(plain, KEY) != tokens.digest(plain, "other" * 10)
    assert tokens.user_for(session, plain, key=KEY) is user
    assert token.last_used_at is not None
    assert tokens.user_for(session, plain + "x", key=KEY) is None
    assert tokens.user_for(session, plain, key="another key entirely!") is None
    tokens.revoke(session, token, actor=user)
    assert tokens.user_for(session, plain, key=KEY) is None
    with pytest.raises(tokens.TokenError, match="name"):
        tokens.create(session, user, "  ", key=KEY)


def test_tokens_of_deactivated_accounts_stop_working(session, make_user):
    user = make_user()
    _token, plain = tokens.create(session, user, "script", key=KEY)
    accounts.deactivate(session, user, actor=None)
    assert tokens.user_for(session, plain, key=KEY) is None


def test_organisations_rename_merge_deactivate(session, make_user, make_sheet):
    admin = make_user(Role.ADMIN)
    old = groups.create(session, Organization, "Sahel Network", actor=admin)
    new = groups.create(session, Organization, "West Africa Network", actor=admin)
    assert old.slug == "sahel-network"
    with pytest.raises(groups.GroupError, match="already"):
        groups.create(session, Organization, "sahel network", actor=admin)
    groups.rename(session, old, "Sahel Soil Network", actor=admin)
    assert old.slug == "sahel-network" and old.name == "Sahel Soil Network"
    member = make_user(organization=old)
    sheet = make_sheet("Zaï", organization=old)
    groups.merge(session, old, new, actor=admin, reason="same people")
    session.commit()
    assert session.get(User, member.id).organization_id == new.id
    assert sheet.organization_id == new.id
    assert not old.active and old.merged_into_id == new.id
    with pytest.raises(groups.GroupError):
        groups.set_active(session, old, True, actor=admin)
    assert [g.slug for g in groups.listing(session, Organization)] == ["west-africa-network"]
    actions = [e.action for e in audit.events_for(session, old)]
    assert actions == ["organization.merge", "organization.rename", "organization.create"]


def test_colleges_merge_without_duplicate_memberships(session, make_user, make_college):
    both, only_old = make_user(), make_user()
    old = make_college("Farmers", members=(both, only_old))
    new = make_college("Farmers' organisations", members=(both,))
    groups.merge(session, old, new, actor=None)
    session.commit()
    rows = session.exec(select(CollegeMembership).where(CollegeMembership.college_id == new.id))
    assert sorted(row.user_id for row in rows) == sorted([both.id, only_old.id])
    assert [m.id for m in groups.members(session, old)] == []
    with pytest.raises(groups.GroupError, match="college into a college"):
        groups.merge(session, new, Organization(id=1, slug="x", name="x"), actor=None)


def test_college_sheets_are_those_of_its_members_visible_to_the_viewer(
        session, make_user, make_sheet, make_college, make_organization):
    partner = make_organization()
    author = make_user(organization=partner)
    college = make_college(members=(author,))
    published = make_sheet("Open", author=author, organization=partner)
    draft = make_sheet("Closed", author=author, status="draft", organization=partner)
    assert [s.id for s in groups.sheets_of(session, college, None)] == [published.id]
    assert {s.id for s in groups.sheets_of(session, college, author)} == {published.id, draft.id}
    assert [s.id for s in groups.sheets_of(session, college, make_user())] == [published.id]
