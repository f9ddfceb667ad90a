"""The review workflow: draft → in review → published, and back to draft with a comment.

- A contributor's new sheet is a draft, seen by its authors, their organisation and the
  moderators; moderators' and admins' new sheets are published at once.
- "Submit for review" sends a draft to the moderators; a moderator publishes it, or returns it
  to its authors with a comment saying what to change.
- A contributor's edit to a published sheet is published at once, and flagged for a
  moderator's look when the sheet's organisation (or the editor's) asks for that.

Every transition goes through `sheets.set_status` (which appends the change-log row the search
index follows) and is an audit event saying who, when and why. Each service checks the policy
itself, so the API and the CLI get the same guard as the web pages.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, or_, select

from practices import audit, notifications, policy, sheets
from practices.models import AuditEvent, Organization, Revision, Sheet, SheetStatus, User

TRANSITIONS = ("sheet.create", "sheet.submit", "sheet.publish", "sheet.return", "sheet.flag",
               "sheet.approve_edits")


class WorkflowError(Exception):
    """A clear, user-facing reason why a transition was refused."""


class NotAllowed(WorkflowError):
    """The policy does not let this user make this transition (now)."""


def initial_status(author: User | None) -> str:
    """Contributors start with a draft; moderators and admins publish directly."""
    return SheetStatus.PUBLISHED if policy.publishes_directly(author) else SheetStatus.DRAFT


def created(session: Session, sheet: Sheet, author: User | None) -> None:
    """Record the creation (and, for a moderator's sheet, its publication)."""
    audit.record(session, author, "sheet.create", sheet, status=sheet.status)
    if sheet.status == SheetStatus.PUBLISHED:
        audit.record(session, author, "sheet.publish", sheet, before=None,
                     after=SheetStatus.PUBLISHED)


def submit(session: Session, sheet: Sheet, actor: User, comment: str = "") -> None:
    _check(policy.can_submit(actor, sheet), "Only a draft you may edit can be submitted.")
    _move(session, sheet, actor, "sheet.submit", SheetStatus.IN_REVIEW, comment)


def publish(session: Session, sheet: Sheet, actor: User, comment: str = "") -> None:
    _check(policy.can_publish(actor, sheet), "Only a moderator can publish a draft or a sheet "
                                             "in review.")
    sheet.needs_review = False
    _move(session, sheet, actor, "sheet.publish", SheetStatus.PUBLISHED, comment)


def return_to_authors(session: Session, sheet: Sheet, actor: User, comment: str) -> None:
    _check(policy.can_return(actor, sheet), "Only a moderator can return a sheet in review.")
    if not comment.strip():
        raise WorkflowError("Say what the authors should change: a comment is required.")
    _move(session, sheet, actor, "sheet.return", SheetStatus.DRAFT, comment)


def edited(session: Session, sheet: Sheet, editor: User | None, edit_summary: str = "") -> bool:
    """After a saved edit: flag a contributor's change to a published sheet if asked to.

    Returns whether the sheet is now flagged for review."""
    if sheet.status != SheetStatus.PUBLISHED or not policy.edits_need_review(editor):
        return False
    if not _organization_reviews_edits(session, sheet, editor):
        return False
    sheet.needs_review = True
    audit.record(session, editor, "sheet.flag", sheet, edit_summary,
                 revision_id=sheet.current_revision_id)
    return True


def approve_edits(session: Session, sheet: Sheet, actor: User, comment: str = "") -> None:
    _check(policy.can_approve_edits(actor, sheet), "Only a moderator can approve flagged edits.")
    sheet.needs_review = False
    audit.record(session, actor, "sheet.approve_edits", sheet, comment,
                 revision_id=sheet.current_revision_id)


def _organization_reviews_edits(session: Session, sheet: Sheet, editor: User | None) -> bool:
    ids = {sheet.organization_id, editor.organization_id if editor else None} - {None}
    if not ids:
        return False
    query = select(Organization.id).where(Organization.id.in_(ids), Organization.review_edits)
    return session.exec(query).first() is not None


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _move(session: Session, sheet: Sheet, actor: User, action: str, status: str,
          comment: str) -> None:
    before = sheet.status
    sheets.set_status(session, sheet, status)
    audit.record(session, actor, action, sheet, comment, before=before, after=status)
    notifications.status_changed(session, sheet, actor, _EVENTS[action], comment)


# What each review step tells the people concerned.
_EVENTS = {"sheet.submit": notifications.Event.SUBMITTED,
           "sheet.publish": notifications.Event.PUBLISHED,
           "sheet.return": notifications.Event.RETURNED}


# Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    event: AuditEvent
    actor: User | None


@dataclass(frozen=True)
class StatusInfo:
    """What the sheet page's status panel shows."""

    status: str
    needs_review: bool
    published_by: User | None = None
    published_at: datetime | None = None
    returned: Step | None = None  # the latest return, while the sheet is a draft again
    steps: list[Step] = field(default_factory=list)  # newest first


def status_info(session: Session, sheet: Sheet) -> StatusInfo:
    events = audit.events_for(session, sheet, TRANSITIONS)
    ids = {event.actor_id for event in events if event.actor_id}
    actors = {user.id: user for user in session.exec(select(User).where(User.id.in_(ids)))}
    steps = [Step(event, actors.get(event.actor_id)) for event in events]
    published = next((step for step in steps if step.event.action == "sheet.publish"), None)
    returned = None
    if sheet.status == SheetStatus.DRAFT and steps and steps[0].event.action == "sheet.return":
        returned = steps[0]
    return StatusInfo(sheet.status, sheet.needs_review,
                      published.actor if published else None,
                      published.event.created_at if published else None,
                      returned, steps)


@dataclass(frozen=True)
class Queue:
    in_review: list[Sheet]
    flagged: list[Sheet]


def review_queue(session: Session) -> Queue:
    """What waits for a moderator: sheets in review (oldest first) and flagged edits."""
    live = Sheet.deleted_at.is_(None)
    in_review = session.exec(select(Sheet).where(live, Sheet.status == SheetStatus.IN_REVIEW)
                             .order_by(Sheet.updated_at)).all()
    flagged = session.exec(select(Sheet).where(live, Sheet.needs_review,
                                               Sheet.status == SheetStatus.PUBLISHED)
                           .order_by(Sheet.updated_at)).all()
    return Queue(list(in_review), list(flagged))


def drafts_of(session: Session, user: User) -> list[Sheet]:
    """The user's own sheets that are not published yet (drafts and in review)."""
    query = (select(Sheet).where(Sheet.created_by_id == user.id, Sheet.deleted_at.is_(None),
                                 Sheet.status.in_((SheetStatus.DRAFT, SheetStatus.IN_REVIEW)))
             .order_by(Sheet.updated_at.desc()))
    return list(session.exec(query))


def published_by_author(session: Session, user: User) -> list[Sheet]:
    """Live published sheets the user wrote or edited, most recently changed first."""
    edited_ids = select(Revision.sheet_id).where(Revision.author_id == user.id)
    query = (select(Sheet).where(or_(Sheet.created_by_id == user.id, Sheet.id.in_(edited_ids)),
                                 Sheet.deleted_at.is_(None),
                                 Sheet.status == SheetStatus.PUBLISHED)
             .order_by(Sheet.updated_at.desc()))
    return list(session.exec(query))
