"""Organisations (partners) and colleges: create, rename, merge, deactivate; their members
and sheets. Users belong to one organisation and to one or more colleges; a sheet records
its contributing organisation."""

from sqlalchemy import func, update
from sqlmodel import Session, select

from practices import audit, policy
from practices.models import (
    College,
    CollegeMembership,
    Organization,
    Sheet,
    SheetStatus,
    User,
)
from practices.slugs import is_reserved, is_valid_slug, slugify
from practices.text import (
    CONTROL_CHARACTER_MESSAGE,
    has_control_character,
    has_visible_character,
)

Group = Organization | College


class GroupError(Exception):
    """A clear, user-facing reason why a change to an organisation or college was refused."""


class StaleGroup(GroupError):
    """Someone changed it after the page this change was made on was shown."""


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not has_visible_character(name):
        raise GroupError("Give a name.")
    if len(name) > 200:
        raise GroupError("Use at most 200 characters for the name.")
    if has_control_character(name):
        raise GroupError(CONTROL_CHARACTER_MESSAGE)
    return name


def _free_slug(session: Session, model, wanted: str) -> str:
    base = slugify(wanted)[:70] or "group"
    slug, number = base, 2
    while is_reserved(slug) or session.exec(
            select(model.id).where(model.slug == slug)).first() is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_name_free(session: Session, model, name: str, exclude_id: int | None = None) -> None:
    query = select(model.id).where(func.lower(model.name) == name.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.exec(query).first() is not None:
        raise GroupError(f"There is already one called {name}.")


def create(session: Session, model: type[Group], name: str, *, actor: User | None,
           slug: str | None = None, **attributes) -> Group:
    name = _clean_name(name)
    _check_name_free(session, model, name)
    if slug and not is_valid_slug(slug):
        raise GroupError("Use lower-case letters, digits and hyphens in the address.")
    group = model(name=name, slug=slug or _free_slug(session, model, name), **attributes)
    session.add(group)
    session.flush()
    audit.record(session, actor, f"{audit.TARGET_TYPES[model]}.create", group, name=name)
    return group


def _hold(session: Session, *groups: Group) -> None:
    """Lock the groups' rows until the transaction ends and read them afresh, so that a
    decision (is the name still the one the admin saw, is the target still active) holds
    until it is committed: an UPDATE that changes nothing takes the row lock on PostgreSQL
    and the write lock on SQLite. Rows are taken in id order, so two merges cannot
    deadlock."""
    for group in sorted(groups, key=lambda found: found.id):
        model = type(group)
        session.execute(update(model).where(model.id == group.id).values(name=model.name)
                        .execution_options(synchronize_session=False))
        session.refresh(group)


def rename(session: Session, group: Group, name: str, *, actor: User | None,
           base_name: str | None = None) -> None:
    """A new display name; the address (slug) stays, so links keep working.

    `base_name` is the name the form showed: if someone renamed it since, nothing changes
    and the error says so (rather than one admin silently overwriting the other)."""
    name = _clean_name(name)
    _hold(session, group)
    if base_name is not None and group.name != base_name:
        raise StaleGroup("Someone else renamed it meanwhile; look at the current name and "
                         "try again.")
    if name == group.name:
        return
    _check_name_free(session, type(group), name, exclude_id=group.id)
    audit.record(session, actor, f"{audit.TARGET_TYPES[type(group)]}.rename", group,
                 before=group.name, after=name)
    group.name = name


def set_active(session: Session, group: Group, active: bool, *, actor: User | None,
               reason: str = "") -> None:
    """Deactivated groups are no longer offered at registration; members and sheets stay."""
    _hold(session, group)
    if group.active == active:
        return
    if active and group.merged_into_id is not None:
        raise GroupError("A merged group cannot be reactivated.")
    group.active = active
    kind = audit.TARGET_TYPES[type(group)]
    audit.record(session, actor, f"{kind}.{'reactivate' if active else 'deactivate'}", group,
                 reason)


def set_review_edits(session: Session, organization: Organization, review: bool, *,
                     actor: User | None) -> None:
    _hold(session, organization)
    if organization.review_edits == review:
        return
    organization.review_edits = review
    audit.record(session, actor, "organization.settings", organization, review_edits=review)


def merge(session: Session, source: Group, target: Group, *, actor: User | None,
          reason: str = "") -> None:
    """Move every member (and, for organisations, every sheet) of `source` into `target`."""
    if type(source) is not type(target):
        raise GroupError("Merge an organisation into an organisation, a college into a college.")
    if source.id == target.id:
        raise GroupError("Choose another one to merge into.")
    _hold(session, source, target)  # two admins merging A into B and B into A: one wins
    if source.merged_into_id is not None:
        raise StaleGroup("It was merged into another one meanwhile.")
    if not target.active:
        raise GroupError("Merge into an active one.")
    if isinstance(source, Organization):
        session.exec(update(User).where(User.organization_id == source.id)
                     .values(organization_id=target.id))
        session.exec(update(Sheet).where(Sheet.organization_id == source.id)
                     .values(organization_id=target.id))
    else:
        moving = set(session.exec(select(CollegeMembership.user_id)
                                  .where(CollegeMembership.college_id == source.id)).all())
        already = set(session.exec(select(CollegeMembership.user_id)
                                   .where(CollegeMembership.college_id == target.id)).all())
        for membership in session.exec(select(CollegeMembership)
                                       .where(CollegeMembership.college_id == source.id)).all():
            session.delete(membership)
        session.flush()
        for user_id in sorted(moving - already):
            session.add(CollegeMembership(user_id=user_id, college_id=target.id))
    source.active = False
    source.merged_into_id = target.id
    kind = audit.TARGET_TYPES[type(source)]
    audit.record(session, actor, f"{kind}.merge", source, reason, into=target.id,
                 into_name=target.name)
    session.flush()
    session.expire_all()  # the bulk updates above changed rows the session may hold


def find(session: Session, model: type[Group], slug: str) -> Group | None:
    return session.exec(select(model).where(model.slug == slug)).first()


def listing(session: Session, model: type[Group], *, include_inactive: bool = False) -> list:
    query = select(model)
    if not include_inactive:
        query = query.where(model.active)
    return list(session.exec(query.order_by(func.lower(model.name))))


def members(session: Session, group: Group) -> list[User]:
    """The active accounts of an organisation or college, by name."""
    if isinstance(group, Organization):
        query = select(User).where(User.organization_id == group.id)
    else:
        query = (select(User).join(CollegeMembership, CollegeMembership.user_id == User.id)
                 .where(CollegeMembership.college_id == group.id))
    return list(session.exec(query.where(User.active).order_by(func.lower(User.name))))


def member_counts(session: Session, model: type[Group]) -> dict[int, int]:
    if model is Organization:
        query = (select(User.organization_id, func.count()).where(User.active)
                 .group_by(User.organization_id))
    else:
        query = (select(CollegeMembership.college_id, func.count())
                 .join(User, User.id == CollegeMembership.user_id).where(User.active)
                 .group_by(CollegeMembership.college_id))
    return {group_id: number for group_id, number in session.exec(query).all() if group_id}


def sheets_of(session: Session, group: Group, viewer: User | None) -> list[Sheet]:
    """The live sheets of an organisation (it contributed them) or a college (its members
    wrote them) that this viewer may see: drafts only for those entitled to them."""
    if isinstance(group, Organization):
        query = select(Sheet).where(Sheet.organization_id == group.id)
    else:
        authors = select(CollegeMembership.user_id).where(CollegeMembership.college_id == group.id)
        query = select(Sheet).where(Sheet.created_by_id.in_(authors))
    query = query.where(Sheet.deleted_at.is_(None)).order_by(func.lower(Sheet.title))
    if viewer is None or not policy.can_create(viewer):  # readers: the published ones only
        query = query.where(Sheet.status == SheetStatus.PUBLISHED)
    return [sheet for sheet in session.exec(query) if policy.can_view(viewer, sheet)]
