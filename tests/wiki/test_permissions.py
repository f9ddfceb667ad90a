"""The whole permission matrix, through HTTP: roles × actions × own/other organisation ×
sheet status. The expected rules are written out here, independently of practices.policy,
and every request must be allowed exactly when they say so (and change nothing otherwise)."""

from itertools import product

import pytest

from practices.models import Role, Sheet, SheetStatus

ROLES = ("anonymous", Role.READER, Role.CONTRIBUTOR, Role.MODERATOR, Role.ADMIN)
# mine: the user wrote it (in their organisation); org: a colleague of the same organisation
# wrote it; other: someone of another organisation wrote it.
OWNERS = ("mine", "org", "other")
STATES = ("draft", "in_review", "published", "flagged")  # flagged: published, edits to review
ACTIONS = ("view", "history", "edit_form", "edit", "submit", "publish", "return",
           "approve_edits", "delete")
ALLOWED = {200, 201, 303}
MEMBERS = (Role.CONTRIBUTOR, Role.MODERATOR, Role.ADMIN)
MODERATORS = (Role.MODERATOR, Role.ADMIN)


def expected(role: str, owner: str, state: str, action: str) -> bool:
    """The rules of DESIGN.md §2 and issue 3, spelled out."""
    published = state in ("published", "flagged")
    sees = published or role in MODERATORS or (role == Role.CONTRIBUTOR and owner != "other")
    edits = role in MEMBERS and sees
    return {
        "view": sees,
        "history": sees,
        "edit_form": edits,
        "edit": edits,
        "submit": edits and state == "draft",
        "publish": role in MODERATORS and state in ("draft", "in_review"),
        "return": role in MODERATORS and state == "in_review",
        "approve_edits": role in MODERATORS and state == "flagged",
        "delete": role in MODERATORS or (role == Role.CONTRIBUTOR and owner == "mine"
                                         and not published),
    }[action]


def perform(client, sheet: Sheet, action: str):
    slug = sheet.slug
    if action == "view":
        return client.get(f"/practices/{slug}")
    if action == "history":
        return client.get(f"/practices/{slug}/history")
    if action == "edit_form":
        return client.get(f"/practices/{slug}/edit")
    if action == "edit":
        return client.post(f"/practices/{slug}/edit", data={
            "title": sheet.title, "body": "Changed by the matrix.", "language": "en",
            "license": "cc-by-4.0", "base_revision_id": sheet.current_revision_id})
    if action == "approve_edits":
        return client.post(f"/practices/{slug}/approve-edits")
    if action == "return":
        return client.post(f"/practices/{slug}/return", data={"comment": "Please add sources."})
    return client.post(f"/practices/{slug}/{action}")


def snapshot(session, sheet: Sheet) -> tuple:
    session.expire_all()
    row = session.get(Sheet, sheet.id)
    return row.status, row.current_revision_id, row.deleted_at, row.needs_review


@pytest.mark.parametrize("role", ROLES)
def test_sheet_permission_matrix(role, client, session, login, make_user, make_sheet,
                                 make_organization):
    home, elsewhere = make_organization("Home partner"), make_organization("Other partner")
    user = None if role == "anonymous" else make_user(role, organization=home)
    authors = {"mine": user or make_user(organization=home),
               "org": make_user(organization=home),
               "other": make_user(organization=elsewhere)}
    if user is not None:
        login(user)
    allowed, wanted = set(), set()
    for number, (owner, state, action) in enumerate(product(OWNERS, STATES, ACTIONS)):
        if role == "anonymous" and owner == "mine":
            continue  # a guest owns nothing
        status = SheetStatus.PUBLISHED if state == "flagged" else state
        sheet = make_sheet(f"Matrix sheet {number}", author=authors[owner], status=status,
                           organization=home if owner != "other" else elsewhere)
        if state == "flagged":
            sheet.needs_review = True
            session.commit()
        before = snapshot(session, sheet)
        with perform(client, sheet, action) as response:
            assert response.status_code < 500, (owner, state, action, response.text)
            if response.status_code in ALLOWED:
                allowed.add((owner, state, action))
            elif action not in ("view", "history", "edit_form"):
                assert snapshot(session, sheet) == before, ("refused but changed", owner,
                                                            state, action)
            if response.status_code not in ALLOWED and action == "view":
                assert sheet.title not in response.text
        if expected(role, owner, state, action):
            wanted.add((owner, state, action))
    assert sorted(allowed - wanted) == [], "allowed but should not be"
    assert sorted(wanted - allowed) == [], "refused but should be allowed"


SITE_PAGES = {
    # page: roles that may open it
    "/practices/new": MEMBERS,
    "/uploads/": MEMBERS,
    "/profile": (Role.READER, *MEMBERS),
    "/profile/tokens": (Role.READER, *MEMBERS),
    "/profile/password": (Role.READER, *MEMBERS),
    "/review": MODERATORS,
    "/admin/": MODERATORS,
    "/admin/registrations": MODERATORS,
    "/admin/users": (Role.ADMIN,),
    "/admin/organizations": (Role.ADMIN,),
    "/admin/colleges": (Role.ADMIN,),
    "/admin/audit": (Role.ADMIN,),
}


@pytest.mark.parametrize("role", ROLES)
def test_site_pages_matrix(role, client, login, make_user):
    if role != "anonymous":
        login(make_user(role))
    allowed = set()
    for page in SITE_PAGES:
        with client.get(page) as response:
            assert response.status_code in (200, 302, 401, 403), (page, response.status_code)
            if response.status_code == 200:
                allowed.add(page)
    assert allowed == {page for page, roles in SITE_PAGES.items() if role in roles}


@pytest.mark.parametrize("role", ROLES)
def test_admin_actions_matrix(role, client, session, login, make_user):
    """Approving registrations is for moderators and admins; role changes and
    deactivation for admins only."""
    if role != "anonymous":
        login(make_user(role))
    waiting = make_user(active=False)
    waiting.pending = True
    victim = make_user()
    session.commit()
    outcomes = {}
    for name, url, data in (
            ("approve", f"/admin/registrations/{waiting.id}/approve", {}),
            ("role", f"/admin/users/{victim.id}", {"role": Role.ADMIN}),
            ("deactivate", f"/admin/users/{victim.id}/deactivate", {}),
            ("create_college", "/admin/colleges", {"name": "Matrix college"})):
        with client.post(url, data=data) as response:
            outcomes[name] = response.status_code in ALLOWED
    session.expire_all()
    expected_outcomes = {"approve": role in MODERATORS, "role": role == Role.ADMIN,
                         "deactivate": role == Role.ADMIN, "create_college": role == Role.ADMIN}
    assert outcomes == expected_outcomes
    if role != Role.ADMIN:
        assert victim.role == Role.CONTRIBUTOR and victim.active
