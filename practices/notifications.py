"""Watching sheets, threads and colleges, and telling watchers what happened.

Services call `notify()` in the same transaction as the change they report, so a rolled-back
change never notifies anyone. Who is told is decided here, once: the watchers of what changed
(and of its thread and college), the people mentioned, minus the actor, minus anyone the
policy would not let see it — a restricted thread never reaches a non-member this way.
E-mail is sent after the commit by the web layer (wiki/mail.py), never from here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from practices import policy
from practices.models import (
    CollegeMembership,
    Notification,
    NotificationSettings,
    Role,
    Sheet,
    User,
    Watch,
    WatchTarget,
    utcnow,
)
from practices.paging import Paged, page_within


class Event:
    EDIT = "edit"
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    ENDORSEMENT = "endorsement"
    ENDORSEMENT_WITHDRAWN = "endorsement_withdrawn"
    ALL = (EDIT, COMMENT, REPLY, MENTION, SUBMITTED, PUBLISHED, RETURNED, ENDORSEMENT,
           ENDORSEMENT_WITHDRAWN)


EXCERPT_LENGTH = 280


# Watching -------------------------------------------------------------------------------


def watch(session: Session, user: User, target: str, target_id: int) -> bool:
    """Follow something; returns False when the user already did."""
    if target not in WatchTarget.ALL:
        raise ValueError(f"cannot watch a {target}")
    if is_watching(session, user, target, target_id):
        return False
    session.add(Watch(user_id=user.id, target=target, target_id=target_id))
    session.flush()
    return True


def unwatch(session: Session, user: User, target: str, target_id: int) -> bool:
    row = _watch_row(session, user, target, target_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def is_watching(session: Session, user: User | None, target: str, target_id: int) -> bool:
    return user is not None and _watch_row(session, user, target, target_id) is not None


def watched_by(session: Session, user: User) -> list[Watch]:
    query = select(Watch).where(Watch.user_id == user.id).order_by(Watch.created_at.desc())
    return list(session.exec(query))


def watched_sheets(session: Session, user: User) -> list[Sheet]:
    query = (select(Sheet).join(Watch, (Watch.target_id == Sheet.id)
                                & (Watch.target == WatchTarget.SHEET))
             .where(Watch.user_id == user.id, Sheet.deleted_at.is_(None))
             .order_by(Sheet.title))
    return list(session.exec(query))


def _watch_row(session: Session, user: User, target: str, target_id: int) -> Watch | None:
    query = select(Watch).where(Watch.user_id == user.id, Watch.target == target,
                                Watch.target_id == target_id)
    return session.exec(query).first()


def _watchers(session: Session, target: str, target_id: int | None) -> set[int]:
    if target_id is None:
        return set()
    query = select(Watch.user_id).where(Watch.target == target, Watch.target_id == target_id)
    return set(session.exec(query))


# Telling --------------------------------------------------------------------------------


def notify(session: Session, event: str, *, actor: User | None, sheet: Sheet | None = None,
           thread=None, comment=None, college_id: int | None = None,
           mentioned: Iterable[User] = (), also: Iterable[int] = (),
           revision_number: int | None = None, excerpt: str = "") -> list[Notification]:
    """Tell everyone concerned about one event; returns the notifications written.

    `thread` and `comment` are the discussion's rows (anything with `id`, and for a thread
    `college_id`); `also` adds user ids that must hear of it whether or not they watch
    (a reply's parent author, a sheet's moderators)."""
    if event not in Event.ALL:
        raise ValueError(f"unknown event {event}")
    thread_college = getattr(thread, "college_id", None)
    college_id = college_id or thread_college
    mentioned_ids = {user.id for user in mentioned}
    recipients = (_watchers(session, WatchTarget.SHEET, sheet.id if sheet else None)
                  | _watchers(session, WatchTarget.THREAD, getattr(thread, "id", None))
                  | _watchers(session, WatchTarget.COLLEGE, college_id)
                  | set(also) | mentioned_ids)
    recipients.discard(actor.id if actor else None)
    written = []
    may_see = _visibility(session, sheet, thread)
    for user in _users(session, recipients):
        if not may_see(user):
            continue
        notification = Notification(
            user_id=user.id, event=Event.MENTION if user.id in mentioned_ids else event,
            actor_id=actor.id if actor else None, sheet_id=sheet.id if sheet else None,
            thread_id=getattr(thread, "id", None), comment_id=getattr(comment, "id", None),
            college_id=college_id, revision_number=revision_number,
            excerpt=_excerpt(excerpt))
        session.add(notification)
        written.append(notification)
    session.flush()
    return written


def _users(session: Session, ids: set[int]) -> list[User]:
    if not ids:
        return []
    return list(session.exec(select(User).where(User.id.in_(ids), User.active)))


def _visibility(session: Session, sheet: Sheet | None, thread) -> Callable[[User], bool]:
    """Who may hear of it: whoever may see the sheet and, for a thread, the thread (the rule
    of `policy.can_see_thread`, with the college's members read once for all recipients)."""
    if thread is None:
        return lambda user: sheet is None or policy.can_view(user, sheet)
    sheet = sheet or session.get(Sheet, thread.sheet_id)
    college_id = thread.college_id
    members = set(session.exec(select(CollegeMembership.user_id).where(
        CollegeMembership.college_id == college_id))) if college_id else set()
    return lambda user: sheet is not None and policy.can_see_thread(
        user, sheet, college_id, frozenset({college_id}) if user.id in members else frozenset())


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH - 1] + "…"


# What services call -----------------------------------------------------------------------


def revision_saved(session: Session, sheet: Sheet, revision, author: User | None) -> None:
    """A new revision: its author now watches the sheet (as MediaWiki does by default), and
    the sheet's other watchers hear of it."""
    if author is not None:
        watch(session, author, WatchTarget.SHEET, sheet.id)
    if revision.number > 1:
        notify(session, Event.EDIT, actor=author, sheet=sheet, revision_number=revision.number,
               excerpt=revision.edit_summary)


def status_changed(session: Session, sheet: Sheet, actor: User, event: str,
                   comment: str = "") -> None:
    """Review decisions reach the sheet's watchers (its authors); a submission reaches the
    moderators too, who have to act on it."""
    also = set()
    if event == Event.SUBMITTED:
        query = select(User.id).where(User.role.in_((Role.MODERATOR, Role.ADMIN)), User.active)
        also = set(session.exec(query))
    elif sheet.created_by_id is not None:
        also = {sheet.created_by_id}
    notify(session, event, actor=actor, sheet=sheet, also=also, excerpt=comment)


# Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbox(Paged):
    notifications: list[Notification]
    unread: int
    total: int
    page: int
    per_page: int


def unread_count(session: Session, user: User) -> int:
    query = select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
    return session.exec(query).one()


def inbox(session: Session, user: User, *, page: int = 1, per_page: int = 30) -> Inbox:
    mine = select(Notification).where(Notification.user_id == user.id)
    total = session.exec(select(func.count()).select_from(mine.subquery())).one()
    page = page_within(page, total, per_page)
    rows = session.exec(mine.order_by(Notification.created_at.desc(), Notification.id.desc())
                        .offset((page - 1) * per_page).limit(per_page))
    return Inbox(list(rows), unread_count(session, user), total, page, per_page)


def mark_read(session: Session, user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all of them) read; returns how many changed."""
    statement = update(Notification).where(Notification.user_id == user.id,
                                           Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    return session.execute(statement.values(read_at=utcnow())).rowcount


def settings_of(session: Session, user: User) -> NotificationSettings:
    """The user's settings row, made on first use."""
    settings = session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        session.add(settings)
        session.flush()
    return settings


def user_by_feed_key(session: Session, key: str) -> User | None:
    query = (select(User).join(NotificationSettings, NotificationSettings.user_id == User.id)
             .where(NotificationSettings.feed_key == key, User.active))
    return session.exec(query).first()


def wants_email(session: Session, user_id: int) -> bool:
    settings = session.get(NotificationSettings, user_id)
    return settings is None or settings.email
