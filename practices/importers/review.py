"""After a run: accept or reject a pending (conflicting) version, undo a whole run.

Undo never loses anyone's work: sheets the run created are soft-deleted (restorable), its
updates are reverted as new revisions (history stays), and a sheet edited by a person after
the import is left alone and reported.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from practices import editing, sheets
from practices.importers import liveness
from practices.importers.incoming import parse_time
from practices.models import (
    ImportRecord,
    ImportRun,
    ImportRunStatus,
    PendingRevision,
    Revision,
    Sheet,
    SourceLink,
    User,
    utcnow,
)


class ReviewError(Exception):
    """The decision cannot be made (already decided, run still going ...)."""


def pending_for(session: Session, sheet: Sheet) -> PendingRevision | None:
    return session.exec(select(PendingRevision).where(
        PendingRevision.sheet_id == sheet.id, PendingRevision.status == "pending")
        .order_by(PendingRevision.id.desc())).first()


def as_revision(pending: PendingRevision) -> Revision:
    """A transient Revision with the pending content, for diffs (never saved)."""
    return Revision(sheet_id=pending.sheet_id, number=0, title=pending.title,
                    summary=pending.summary, body=pending.body, fields=dict(pending.fields),
                    created_at=pending.created_at, edit_summary="incoming version")


def accept(session: Session, pending: PendingRevision, *, by: User,
           base_revision_id: int | None = None) -> Revision | None:
    """Make the incoming version the sheet's new revision (the local one stays in history)."""
    sheet = _decidable(session, pending)
    current = sheets.current_revision(session, sheet)
    content = sheets.Content.checked(title=pending.title, summary=pending.summary,
                                     body=pending.body, fields=pending.fields)
    try:
        revision = editing.save_edit(
            session, sheet, content, author=by,
            base_revision_id=base_revision_id if base_revision_id is not None else current.id,
            edit_summary="Accepted the version from the source")
    except sheets.NothingChanged:
        revision = current
    sheet.source_updated = pending.source_updated or sheet.source_updated
    _set_link(session, sheet, revision.id, pending)
    _decide(session, pending, "accepted", by)
    return revision


def reject(session: Session, pending: PendingRevision, *, by: User) -> None:
    """Keep the local version; the same source version will not be proposed again."""
    sheet = _decidable(session, pending)
    link = session.get(SourceLink, sheet.id)
    _set_link(session, sheet, link.revision_id if link else None, pending)
    _decide(session, pending, "rejected", by)


def _decidable(session: Session, pending: PendingRevision) -> Sheet:
    if pending.status != "pending":
        raise ReviewError(f"this version was already {pending.status}")
    sheet = session.get(Sheet, pending.sheet_id)
    if sheet is None or sheet.is_deleted:
        raise ReviewError("the sheet was deleted")
    return sheet


def _set_link(session: Session, sheet: Sheet, revision_id: int | None,
              pending: PendingRevision) -> None:
    link = session.get(SourceLink, sheet.id) or SourceLink(sheet_id=sheet.id)
    link.revision_id, link.fingerprint = revision_id, pending.fingerprint
    link.source_updated, link.updated_at = pending.source_updated, utcnow()
    session.add(link)


def _decide(session: Session, pending: PendingRevision, status: str, by: User) -> None:
    pending.status, pending.decided_by_id, pending.decided_at = status, by.id, utcnow()
    session.add(pending)


@dataclass
class UndoReport:
    deleted: int = 0
    reverted: int = 0
    withdrawn: int = 0
    kept: list[str] = None  # records left alone, with why

    def __post_init__(self):
        self.kept = self.kept or []


def undo(session: Session, run: ImportRun, *, by: User | None) -> UndoReport:
    """Undo what a finished (or interrupted) run wrote; commits when done."""
    if run.status == ImportRunStatus.UNDONE:
        raise ReviewError("this run was already undone")
    if run.status == ImportRunStatus.RUNNING:
        if not (liveness.is_gone(run) or _stalled(session, run)):
            raise ReviewError("this run is still going; wait for it to finish")
        run.status = ImportRunStatus.INTERRUPTED  # its process died (a crash, a kill)
        run.message = "Stopped without finishing (the process ended)."
    report = UndoReport()
    records = session.exec(select(ImportRecord).where(ImportRecord.run_id == run.id)
                           .order_by(ImportRecord.position.desc())).all()
    for record in records:
        sheet = session.get(Sheet, record.sheet_id) if record.sheet_id else None
        if sheet is None or record.undone:
            continue
        if record.outcome == "created":
            _undo_created(session, record, sheet, report, by)
        elif record.outcome == "updated":
            _undo_updated(session, record, sheet, report, by)
        elif record.outcome == "conflict":
            for pending in session.exec(select(PendingRevision).where(
                    PendingRevision.import_record_id == record.id,
                    PendingRevision.status == "pending")):
                pending.status = "withdrawn"
                session.add(pending)
                report.withdrawn += 1
            record.undone = True
        session.add(record)
    run.status, run.undone_at = ImportRunStatus.UNDONE, utcnow()
    run.undone_by_id = by.id if by else None
    session.add(run)
    session.commit()
    return report


STALLED_AFTER = timedelta(minutes=10)


def _stalled(session: Session, run: ImportRun) -> bool:
    """A run still marked running that has written nothing for a while: its process is gone
    (every record commits, so a live run writes at least every few seconds)."""
    last = session.exec(select(func.max(ImportRecord.created_at)).where(
        ImportRecord.run_id == run.id)).one() or run.started_at
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return utcnow() - last > STALLED_AFTER


def _undo_created(session: Session, record: ImportRecord, sheet: Sheet,
                  report: UndoReport, by: User | None) -> None:
    if record.previous_revision_id:  # a sheet restored by this run: back to how it was
        if sheet.current_revision_id != record.revision_id:
            report.kept.append(f"{sheet.slug}: edited after the import; left as it is")
            return
        if record.revision_id != record.previous_revision_id:
            _revert_to(session, sheet, record.previous_revision_id, by)
    link = session.get(SourceLink, sheet.id)
    if link is not None:  # so that importing again brings the sheet back
        session.delete(link)
    sheets.soft_delete(session, sheet)
    record.undone = True
    report.deleted += 1


def _undo_updated(session: Session, record: ImportRecord, sheet: Sheet,
                  report: UndoReport, by: User | None) -> None:
    if sheet.current_revision_id != record.revision_id:
        report.kept.append(f"{sheet.slug}: edited after the import; not reverted")
        return
    revision = _revert_to(session, sheet, record.previous_revision_id, by)
    link = session.get(SourceLink, sheet.id) or SourceLink(sheet_id=sheet.id)
    previous = record.previous_link or {}
    # The revert holds what the source gave before: it is the new sync base.
    link.revision_id = revision.id if revision else record.previous_revision_id
    link.fingerprint = previous.get("fingerprint", "")
    link.source_updated = parse_time(previous.get("source_updated"))
    sheet.source_updated = link.source_updated
    session.add(link)
    record.undone = True
    report.reverted += 1


def _revert_to(session: Session, sheet: Sheet, revision_id: int | None,
               by: User | None) -> Revision | None:
    target = session.get(Revision, revision_id) if revision_id else None
    if target is None:
        return None
    try:
        return editing.revert(session, sheet, target.number, author=by,
                              flag=False)  # back to how it was before the run
    except sheets.NothingChanged:
        return sheets.current_revision(session, sheet)


def runs(session: Session, limit: int = 50) -> list[ImportRun]:
    latest = list(session.exec(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))
    liveness.settle(session, latest)  # a killed run reads as interrupted, not running
    return latest


def records_of(session: Session, run: ImportRun, outcome: str | None = None,
               limit: int = 500, offset: int = 0) -> list[ImportRecord]:
    query = select(ImportRecord).where(ImportRecord.run_id == run.id)
    if outcome:
        query = query.where(ImportRecord.outcome == outcome)
    return list(session.exec(query.order_by(ImportRecord.position).offset(offset).limit(limit)))
