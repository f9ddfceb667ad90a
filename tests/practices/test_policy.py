"""The policy answers "may this user do X on this object" in one place."""

import pytest

from practices import policy
from practices.models import Role, Sheet, SheetStatus, User


def user(role=Role.CONTRIBUTOR, *, id=1, organization_id=10, active=True, pending=False):
    return User(id=id, email=f"u{id}@example.org", name="U", password_hash="x", role=role,
                organization_id=organization_id, active=active, pending=pending)


def sheet(status=SheetStatus.DRAFT, *, created_by_id=2, organization_id=10, needs_review=False):
    return Sheet(id=5, slug="s", title="S", status=status, created_by_id=created_by_id,
                 organization_id=organization_id, needs_review=needs_review)


def test_drafts_are_seen_by_authors_their_organisation_and_moderators():
    draft = sheet(organization_id=10, created_by_id=2)
    assert policy.can_view(user(id=2, organization_id=None), draft)  # the author
    assert policy.can_view(user(id=3, organization_id=10), draft)  # a colleague
    assert not policy.can_view(user(id=4, organization_id=11), draft)  # another partner
    assert not policy.can_view(None, draft)
    assert not policy.can_view(user(Role.READER, id=5, organization_id=10), draft)
    assert policy.can_view(user(Role.MODERATOR, id=6, organization_id=None), draft)


def test_pending_and_deactivated_accounts_are_readers():
    for account in (user(active=False, pending=True), user(active=False),
                    user(Role.ADMIN, active=False)):
        assert not policy.can_create(account)
        assert not policy.can_view(account, sheet())
        assert policy.can_view(account, sheet(SheetStatus.PUBLISHED))
        assert not policy.can_administer(account)


def test_transitions_follow_the_status():
    contributor, moderator = user(id=2), user(Role.MODERATOR, id=9)
    assert policy.can_submit(contributor, sheet(SheetStatus.DRAFT))
    assert not policy.can_submit(contributor, sheet(SheetStatus.IN_REVIEW))
    assert not policy.can_publish(contributor, sheet(SheetStatus.IN_REVIEW))
    assert policy.can_publish(moderator, sheet(SheetStatus.IN_REVIEW))
    assert policy.can_publish(moderator, sheet(SheetStatus.DRAFT))
    assert not policy.can_publish(moderator, sheet(SheetStatus.PUBLISHED))
    assert policy.can_return(moderator, sheet(SheetStatus.IN_REVIEW))
    assert not policy.can_return(moderator, sheet(SheetStatus.DRAFT))
    assert not policy.can_approve_edits(moderator, sheet(SheetStatus.PUBLISHED))
    assert policy.can_approve_edits(moderator, sheet(SheetStatus.PUBLISHED, needs_review=True))


def test_nobody_changes_their_own_role_or_deactivates_themselves():
    admin = user(Role.ADMIN, id=1)
    assert not policy.can_change_role(admin, admin)
    assert not policy.can_deactivate(admin, admin)
    assert policy.can_change_role(admin, user(id=2))
    assert not policy.can_change_role(user(Role.MODERATOR, id=3), user(id=2))


@pytest.mark.parametrize("action, obj, expected", [
    ("view", sheet(SheetStatus.PUBLISHED), True),
    ("publish", sheet(SheetStatus.IN_REVIEW), False),
    ("create", None, True),
    ("administer", None, False),
    ("launch_rockets", None, False),
    ("launch_rockets", sheet(), False),
])
def test_can_is_the_same_question_by_name(action, obj, expected):
    assert policy.can(user(), action, obj) is expected


def test_can_names_every_per_object_rule():
    moderator = user(Role.MODERATOR, id=9)
    target = sheet(SheetStatus.IN_REVIEW)
    for action, rule in policy.SHEET_ACTIONS.items():
        assert policy.can(moderator, action, target) == rule(moderator, target)
