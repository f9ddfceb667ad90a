"""A college stands behind one revision of a published sheet, and says so in a sentence.

An endorsement names a revision, so a later edit never borrows it: the sheet shows that it
"changed since" and links to the diff. Withdrawing keeps the row (who, when).
"""

from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlmodel import Session, select

from practices import notifications, policy
from practices.discussions import colleges_of
from practices.models import (
    ChangeLogEntry,
    College,
    Endorsement,
    Sheet,
    SheetTerm,
    User,
    utcnow,
)
from practices.notifications import Event
from practices.sheets import ENDORSED_BY, current_revision

MAX_STATEMENT = 500


class EndorsementError(Exception):
    """The endorsement cannot be given or withdrawn; the message says why."""


@dataclass
class EndorsementView:
    endorsement: Endorsement
    college: College
    endorsed_by: User | None
    current_revision_number: int

    @property
    def changed_since(self) -> bool:
        return self.current_revision_number > self.endorsement.revision_number


def endorse(session: Session, sheet: Sheet, college: College, user: User,
            statement: str) -> Endorsement:
    """Endorse the sheet's current revision for the college; an endorsement of an earlier
    revision by the same college is replaced (withdrawn, and kept)."""
    if not college.active:
        raise EndorsementError("This college is inactive.")
    if not policy.can_endorse(user, sheet, college.id, colleges_of(session, user)):
        raise EndorsementError("Only a moderator who belongs to the college can endorse on its "
                               "behalf, and only a published sheet.")
    statement = " ".join(statement.split())
    if not statement:
        raise EndorsementError("Say in a sentence why the college endorses this sheet.")
    if len(statement) > MAX_STATEMENT:
        raise EndorsementError(f"The statement is too long (at most {MAX_STATEMENT} "
                               "characters).")
    revision = current_revision(session, sheet)
    existing = active_endorsement(session, sheet, college)
    if existing is not None and existing.revision_id == revision.id:
        raise EndorsementError(f"{college.name} already endorses revision {revision.number}.")
    if existing is not None:
        _withdraw(existing, user)
    endorsement = Endorsement(college_id=college.id, sheet_id=sheet.id, revision_id=revision.id,
                              revision_number=revision.number, statement=statement,
                              endorsed_by_id=user.id)
    session.add(endorsement)
    _index_endorsers(session, sheet)
    notifications.notify(session, Event.ENDORSEMENT, actor=user, sheet=sheet,
                         college_id=college.id, also={sheet.created_by_id} - {None},
                         revision_number=revision.number, excerpt=statement)
    return endorsement


def withdraw(session: Session, endorsement: Endorsement, user: User) -> None:
    if endorsement.withdrawn_at is not None:
        raise EndorsementError("This endorsement was already withdrawn.")
    if not policy.can_withdraw_endorsement(user, endorsement.college_id,
                                           colleges_of(session, user)):
        raise EndorsementError("Only a moderator of the college can withdraw its endorsement.")
    _withdraw(endorsement, user)
    sheet = session.get(Sheet, endorsement.sheet_id)
    _index_endorsers(session, sheet)
    notifications.notify(session, Event.ENDORSEMENT_WITHDRAWN, actor=user, sheet=sheet,
                         college_id=endorsement.college_id,
                         also={sheet.created_by_id} - {None},
                         revision_number=endorsement.revision_number)


def _index_endorsers(session: Session, sheet: Sheet) -> None:
    """Keep the sheet's "endorsed by" terms (college slugs) in step, so that search can
    filter on them, and tell the search index the sheet changed."""
    session.flush()
    slugs = set(session.exec(select(College.slug).join(
        Endorsement, Endorsement.college_id == College.id).where(
        Endorsement.sheet_id == sheet.id, Endorsement.withdrawn_at.is_(None))))
    session.exec(delete(SheetTerm).where(SheetTerm.sheet_id == sheet.id,
                                         SheetTerm.facet == ENDORSED_BY))
    if slugs:  # a Core insert: rows like the deleted ones must not clash in the ORM
        session.execute(insert(SheetTerm), [
            {"sheet_id": sheet.id, "facet": ENDORSED_BY, "code": slug} for slug in sorted(slugs)])
    session.add(ChangeLogEntry(sheet_id=sheet.id, kind="endorsement"))
    session.flush()


def _withdraw(endorsement: Endorsement, user: User) -> None:
    endorsement.withdrawn_at = utcnow()
    endorsement.withdrawn_by_id = user.id


def active_endorsement(session: Session, sheet: Sheet, college: College) -> Endorsement | None:
    return session.exec(select(Endorsement).where(
        Endorsement.sheet_id == sheet.id, Endorsement.college_id == college.id,
        Endorsement.withdrawn_at.is_(None))).first()


def endorsements_of(session: Session, sheet: Sheet) -> list[EndorsementView]:
    """The sheet's active endorsements, each knowing whether the sheet changed since."""
    current = current_revision(session, sheet).number
    query = (select(Endorsement, College, User).join(College, College.id == Endorsement.college_id)
             .join(User, User.id == Endorsement.endorsed_by_id, isouter=True)
             .where(Endorsement.sheet_id == sheet.id, Endorsement.withdrawn_at.is_(None))
             .order_by(Endorsement.created_at))
    return [EndorsementView(e, college, user, current) for e, college, user in session.exec(query)]


def endorsed_sheet_ids(session: Session, college_id: int) -> set[int]:
    query = select(Endorsement.sheet_id).where(Endorsement.college_id == college_id,
                                               Endorsement.withdrawn_at.is_(None))
    return set(session.exec(query))


def endorsed_sheets(session: Session, college: College) -> list[tuple[Sheet, Endorsement]]:
    query = (select(Sheet, Endorsement).join(Endorsement, Endorsement.sheet_id == Sheet.id)
             .where(Endorsement.college_id == college.id, Endorsement.withdrawn_at.is_(None),
                    Sheet.deleted_at.is_(None))
             .order_by(Endorsement.created_at.desc()))
    return list(session.exec(query))


def history_of(session: Session, college: College, limit: int = 50) -> list[Endorsement]:
    """Endorsements given and withdrawn, newest first (the college's public record)."""
    query = (select(Endorsement).where(Endorsement.college_id == college.id)
             .order_by(Endorsement.created_at.desc()).limit(limit))
    return list(session.exec(query))
