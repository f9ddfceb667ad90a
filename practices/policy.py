"""Who may do what: the one place that answers "may this user do X on this object".

Views, the API, search and services all ask here, so no route can forget a check. The rules,
as in DESIGN.md §2:

- a reader (anyone, also anonymous, and every account that is pending or deactivated) sees
  published sheets;
- a contributor also creates sheets, sees and edits the drafts of their own organisation
  (and their own), submits drafts for review, edits published sheets, uploads images;
- a moderator (a college representative) sees and edits every sheet, publishes or returns
  sheets in review, approves flagged edits, deletes and restores, approves registrations;
- an admin also manages users, organisations, colleges and imports, and reads the audit log.

`can(user, action, obj)` answers for any action; the `can_<action>` functions are the same
questions by name (the public API used by views, search and importers).
"""

from collections.abc import Callable

from practices.models import Role, Sheet, SheetStatus, User

RANK = {Role.READER: 0, Role.CONTRIBUTOR: 1, Role.MODERATOR: 2, Role.ADMIN: 3}


def _rank(user: User | None) -> int:
    if user is None or not user.active:
        return 0
    return RANK.get(user.role, 0)


def _at_least(user: User | None, role: str) -> bool:
    return _rank(user) >= RANK[role]


def _same_organization(user: User, sheet: Sheet) -> bool:
    return user.organization_id is not None and user.organization_id == sheet.organization_id


def is_own(user: User | None, sheet: Sheet) -> bool:
    """The user wrote the sheet or belongs to its contributing organisation."""
    return user is not None and (sheet.created_by_id == user.id or _same_organization(user, sheet))


# Sheets --------------------------------------------------------------------------------


def can_view(user: User | None, sheet: Sheet) -> bool:
    """Published sheets are public; others are seen by their authors, organisation, moderators."""
    if sheet.is_deleted:
        return _at_least(user, Role.MODERATOR)
    if sheet.status == SheetStatus.PUBLISHED:
        return True
    if _at_least(user, Role.MODERATOR):
        return True
    if _at_least(user, Role.CONTRIBUTOR):
        return is_own(user, sheet)
    return False


def can_see_title(user: User | None, sheet: Sheet) -> bool:
    """A sheet's title, also once deleted (its 410 page): for those who could see the sheet
    before it was deleted. A deleted draft's title stays as private as the draft was."""
    if not sheet.is_deleted:
        return can_view(user, sheet)
    return _at_least(user, Role.MODERATOR) or (
        sheet.status == SheetStatus.PUBLISHED or (_at_least(user, Role.CONTRIBUTOR)
                                                  and is_own(user, sheet)))


def can_create(user: User | None) -> bool:
    return _at_least(user, Role.CONTRIBUTOR)


def can_edit(user: User | None, sheet: Sheet) -> bool:
    return can_create(user) and can_view(user, sheet) and not sheet.is_deleted


def can_revert(user: User | None, sheet: Sheet) -> bool:
    return can_edit(user, sheet)


def can_rename(user: User | None, sheet: Sheet) -> bool:
    return can_edit(user, sheet)


def can_delete(user: User | None, sheet: Sheet) -> bool:
    if sheet.is_deleted or not can_create(user):
        return False
    if _at_least(user, Role.MODERATOR):
        return True
    return sheet.created_by_id == user.id and sheet.status != SheetStatus.PUBLISHED


def can_restore(user: User | None, sheet: Sheet) -> bool:
    return sheet.is_deleted and _at_least(user, Role.MODERATOR)


def can_submit(user: User | None, sheet: Sheet) -> bool:
    """Send a draft to the moderators: whoever may edit it."""
    return sheet.status == SheetStatus.DRAFT and can_edit(user, sheet)


def can_publish(user: User | None, sheet: Sheet) -> bool:
    return (not sheet.is_deleted and _at_least(user, Role.MODERATOR)
            and sheet.status in (SheetStatus.DRAFT, SheetStatus.IN_REVIEW))


def can_return(user: User | None, sheet: Sheet) -> bool:
    """Send a sheet in review back to its authors as a draft, with a comment."""
    return (not sheet.is_deleted and _at_least(user, Role.MODERATOR)
            and sheet.status == SheetStatus.IN_REVIEW)


def can_approve_edits(user: User | None, sheet: Sheet) -> bool:
    """Clear the review flag of a published sheet edited by a contributor."""
    return not sheet.is_deleted and sheet.needs_review and _at_least(user, Role.MODERATOR)


def publishes_directly(user: User | None) -> bool:
    """Moderators' and admins' new sheets are published at once; contributors' are drafts."""
    return _at_least(user, Role.MODERATOR)


def edits_need_review(user: User | None) -> bool:
    """Contributors' edits to published sheets may be flagged (by organisation setting)."""
    return not _at_least(user, Role.MODERATOR)


# Site-wide -----------------------------------------------------------------------------


def can_upload(user: User | None) -> bool:
    return can_create(user)


def can_import(user: User | None) -> bool:
    """Importing collections (WOCAT, spreadsheets) and undoing imports is for admins."""
    return _at_least(user, Role.ADMIN)


def can_administer(user: User | None) -> bool:
    """Users, roles, organisations, colleges, the audit log."""
    return _at_least(user, Role.ADMIN)


def can_review(user: User | None) -> bool:
    """See the review queue (sheets in review, flagged edits)."""
    return _at_least(user, Role.MODERATOR)


def can_approve_registrations(user: User | None) -> bool:
    return _at_least(user, Role.MODERATOR)


def can_manage_tokens(user: User | None) -> bool:
    """Personal API tokens: any active account (they carry the account's own role)."""
    return user is not None and user.active


def can_change_role(user: User | None, target: User) -> bool:
    """Admins change others' roles; nobody changes their own (no accidental lock-out)."""
    return can_administer(user) and user.id != target.id


def can_deactivate(user: User | None, target: User) -> bool:
    return can_administer(user) and user.id != target.id and target.active


def can_reactivate(user: User | None, target: User) -> bool:
    return can_administer(user) and target.deactivated


def can_view_audit(user: User | None) -> bool:
    return can_administer(user)


# Discussions and endorsements (issue 6) ------------------------------------------------
# Membership of colleges lives in the database; callers pass the ids of the user's colleges.


def can_see_thread(user: User | None, sheet: Sheet, college_id: int | None,
                   member_of: frozenset[int] = frozenset()) -> bool:
    """Open threads are seen with their sheet; a college's thread by its members and
    moderators only."""
    if not can_view(user, sheet):
        return False
    return college_id is None or college_id in member_of or _at_least(user, Role.MODERATOR)


def can_comment(user: User | None, sheet: Sheet) -> bool:
    """Members who can write (contributors and up) discuss every sheet they can see."""
    return can_create(user) and can_view(user, sheet)


def can_start_restricted_thread(user: User | None, college_id: int,
                                member_of: frozenset[int] = frozenset()) -> bool:
    return college_id in member_of or _at_least(user, Role.MODERATOR)


def can_edit_comment(user: User | None, author_id: int | None) -> bool:
    return user is not None and user.active and user.id == author_id


def can_moderate_comments(user: User | None) -> bool:
    """Hide and show comments, see hidden ones and the reports."""
    return _at_least(user, Role.MODERATOR)


def can_resolve_thread(user: User | None, created_by_id: int | None) -> bool:
    return can_moderate_comments(user) or (
        user is not None and user.active and user.id == created_by_id)


def can_endorse(user: User | None, sheet: Sheet, college_id: int,
                member_of: frozenset[int] = frozenset()) -> bool:
    """A moderator who belongs to the college endorses a published sheet on its behalf."""
    return (not sheet.is_deleted and sheet.status == SheetStatus.PUBLISHED
            and _at_least(user, Role.MODERATOR) and college_id in member_of)


def can_withdraw_endorsement(user: User | None, college_id: int,
                             member_of: frozenset[int] = frozenset()) -> bool:
    return (_at_least(user, Role.MODERATOR) and college_id in member_of) or can_administer(user)


# Organisation profiles and measures (issue 14) ------------------------------------------
# Callers pass the ids of the organisations the user manages (practices.profiles.managed_ids).


def can_edit_profile(user: User | None, organization_id: int | None,
                     managed: frozenset[int] = frozenset()) -> bool:
    """An organisation's own managers edit its profile and its measures; so do moderators."""
    if _at_least(user, Role.MODERATOR):
        return True
    return _at_least(user, Role.CONTRIBUTOR) and organization_id in managed


def can_grant_managers(user: User | None) -> bool:
    return _at_least(user, Role.MODERATOR)


def can_view_measure(user: User | None, measure, managed: frozenset[int] = frozenset()) -> bool:
    """Published measures are public; drafts are seen by their organisation's managers and
    members, and by moderators; deleted ones by moderators only (who may restore them)."""
    if measure.is_deleted:
        return _at_least(user, Role.MODERATOR)
    if measure.state == "published":
        return True
    if _at_least(user, Role.MODERATOR):
        return True
    return _at_least(user, Role.CONTRIBUTOR) and (
        measure.organization_id in managed or user.organization_id == measure.organization_id)


def can_edit_measure(user: User | None, measure, managed: frozenset[int] = frozenset()) -> bool:
    """Edit, revert, delete and submit: the organisation's managers and moderators (a
    deleted measure is restored first)."""
    return not measure.is_deleted and can_edit_profile(
        user, measure.organization_id, managed)


def can_publish_measure(user: User | None, measure) -> bool:
    return (_at_least(user, Role.MODERATOR) and measure.state != "published"
            and not measure.is_deleted)


# One entry point -----------------------------------------------------------------------

SHEET_ACTIONS: dict[str, Callable[[User | None, Sheet], bool]] = {
    "view": can_view, "see_title": can_see_title, "edit": can_edit, "revert": can_revert,
    "rename": can_rename,
    "delete": can_delete, "restore": can_restore, "submit": can_submit,
    "publish": can_publish, "return": can_return, "approve_edits": can_approve_edits,
}
USER_ACTIONS: dict[str, Callable[[User | None, User], bool]] = {
    "change_role": can_change_role, "deactivate": can_deactivate, "reactivate": can_reactivate,
}
SITE_ACTIONS: dict[str, Callable[[User | None], bool]] = {
    "create": can_create, "upload": can_upload, "import": can_import,
    "administer": can_administer, "review": can_review,
    "approve_registrations": can_approve_registrations, "manage_tokens": can_manage_tokens,
    "view_audit": can_view_audit,
}


def can(user: User | None, action: str, obj: Sheet | User | None = None) -> bool:
    """May `user` do `action` (on `obj`)? Unknown actions are refused, never allowed."""
    if isinstance(obj, Sheet):
        rule = SHEET_ACTIONS.get(action)
    elif isinstance(obj, User):
        rule = USER_ACTIONS.get(action)
    else:
        site_rule = SITE_ACTIONS.get(action)
        return site_rule(user) if site_rule else False
    return rule(user, obj) if rule else False
