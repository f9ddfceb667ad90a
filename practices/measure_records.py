"""A measure as a record (issue 14): bringing an old revision back, and soft deletion.

Saving is `practices.measures.revise` (history and compare are there too); a revert is one
more save, of an old snapshot, with the same compare-and-set. A deleted measure keeps its row
and revisions, is seen by moderators only, and comes back as a draft.
"""

from datetime import UTC, datetime

from sqlmodel import Session, select

from practices import audit, measures, policy, profiles, revisions
from practices.models import Measure, MeasureRevision, MeasureState, Organization, User

# Revert ----------------------------------------------------------------------------------


def revert(session: Session, measure: Measure, number: int, *, author: User | None,
           base_revision: int | None) -> MeasureRevision | None:
    """Bring back revision `number` as a new revision (None: it is the current content);
    LookupError if there is no such revision, MeasureError if its values no longer pass
    (e.g. a sheet it named is no longer published)."""
    return revisions.revert(
        measures.revision(session, measure, number), number, base_revision,
        lambda values, **how: measures.revise(session, measure, values, author=author, **how))


# Soft deletion ---------------------------------------------------------------------------


def delete(session: Session, measure: Measure, *, actor: User) -> None:
    """Soft: the row and its revisions stay, a moderator can restore it."""
    if not policy.can_edit_measure(actor, measure, profiles.managed_ids(session, actor)):
        raise PermissionError("Only this organisation's managers and moderators delete it.")
    if measure.is_deleted:
        return
    measure.deleted_at = datetime.now(UTC)
    session.add(measure)
    audit.record(session, actor, "measure.delete", measure, title=measure.title)


def restore(session: Session, measure: Measure, *, actor: User) -> None:
    """Back from deletion as a draft: it is reviewed again before anyone else sees it."""
    if not policy.can_grant_managers(actor):
        raise PermissionError("Moderators restore deleted measures.")
    if not measure.is_deleted:
        return
    measure.deleted_at = None
    measure.state = MeasureState.DRAFT
    session.add(measure)
    audit.record(session, actor, "measure.restore", measure)


def deleted(session: Session, organization: Organization) -> list[Measure]:
    """The organisation's deleted measures (for moderators, who may restore them)."""
    return list(session.exec(select(Measure).where(
        Measure.organization_id == organization.id, Measure.deleted_at.is_not(None))
        .order_by(Measure.deleted_at.desc())))
