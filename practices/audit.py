"""The audit log: every decision that matters (review transitions, approvals, role changes,
merges, deactivations) is a row saying who did it, when, to what and why."""

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, select

from practices.models import AuditEvent, College, Measure, Organization, Sheet, User
from practices.paging import Paged, page_within

TARGET_TYPES = {Sheet: "sheet", User: "user", Organization: "organization", College: "college",
                Measure: "measure"}


def record(session: Session, actor: User | None, action: str, target, reason: str = "",
           **details) -> AuditEvent:
    """Append an event in the caller's transaction (so it commits or rolls back with it)."""
    target_type = TARGET_TYPES.get(type(target), type(target).__name__.lower())
    event = AuditEvent(actor_id=actor.id if actor else None, action=action,
                       target_type=target_type, target_id=getattr(target, "id", None),
                       reason=(reason or "").strip(), details=details)
    session.add(event)
    return event


def events_for(session: Session, target, actions: tuple[str, ...] = ()) -> list[AuditEvent]:
    """The events about one object, newest first."""
    query = select(AuditEvent).where(
        AuditEvent.target_type == TARGET_TYPES.get(type(target)),
        AuditEvent.target_id == target.id)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    return list(session.exec(query.order_by(AuditEvent.created_at.desc(),
                                            AuditEvent.id.desc())))


@dataclass(frozen=True)
class AuditPage(Paged):
    events: list[AuditEvent]
    actors: dict[int, User]
    total: int
    page: int
    per_page: int


def search(session: Session, *, action: str = "", actor: str = "", page: int = 1,
           per_page: int = 50) -> AuditPage:
    """The log, newest first, filtered by action prefix ("sheet.") and actor name or e-mail."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if actor:
        pattern = f"%{actor.strip().lower()}%"
        actor_ids = select(User.id).where(or_(func.lower(User.name).like(pattern),
                                              func.lower(User.email).like(pattern)))
        query = query.where(AuditEvent.actor_id.in_(actor_ids))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = page_within(page, total, per_page)
    events = list(session.exec(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                               .offset((page - 1) * per_page).limit(per_page)))
    ids = {event.actor_id for event in events if event.actor_id}
    actors = {user.id: user for user in session.exec(select(User).where(User.id.in_(ids)))}
    return AuditPage(events, actors, total, page, per_page)
