"""Imports through the API (administrators): start an import from a JSON body (WOCAT records
or a practice-wiki export), try it as a dry run, and follow runs record by record. The import
itself is the one the web pages and the CLI run (`wiki.imports.execute`)."""

import secrets
from pathlib import Path

from flask import current_app, request, url_for
from flask_babel import gettext as _
from sqlmodel import func, select

from practices import policy
from practices.models import ImportRecord, ImportRun, ImportRunStatus, Sheet
from practices.paging import page_count
from wiki import imports
from wiki.api import bp, paging
from wiki.api.errors import ApiError
from wiki.api.schemas import (
    ImportBody,
    ImportQuery,
    ImportRecordOut,
    ImportRecordPage,
    ImportReport,
    ImportResultOut,
    ImportRunOut,
    ImportRunPage,
    PageQuery,
)
from wiki.api.sheets import refuse
from wiki.api.spec import WRITE_ERRORS, api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session

TAGS = ("imports",)
REPORTED_RESULTS = 1000


@bp.post("/imports")
@api_spec.validate(query=ImportQuery, json=ImportBody,
                   resp=responses({200: ImportReport, 202: ImportRunOut}, *WRITE_ERRORS),
                   tags=TAGS, operation_id="startImport", security={"bearerAuth": []})
def start_import():
    """Import sheets from JSON (administrators)

    The body is what `practice-wiki import wocat` reads from a file: one WOCAT record (QCAT
    API v2 or the new WOCAT database API), a list or list page of them, or a practice-wiki
    JSON export. With `dry_run=true` the answer (200) says what would happen, record by
    record, and nothing is written; otherwise the import starts in the background (202) and
    GET /imports/{run_id} follows it. Records are matched on their source id: new ones are
    created, newer ones update their sheet, sheets edited here since are kept as conflicts.
    """

    user = acting_user()
    if not policy.can_import(user):
        refuse()
    query = request.context.query
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}.json"
    path.write_bytes(request.get_data())
    kind = imports.kind_of(path)
    label = query.source or "API"
    if query.dry_run:
        try:
            report = imports.execute(get_session(), kind, path, user=user, dry_run=True,
                                     keep_results=True, label=label)
        except imports.unreadable_file_errors() as unreadable:
            raise ApiError(422, _("This cannot be imported: %(reason)s",
                                  reason=str(unreadable)), code="not_importable") from None
        finally:
            path.unlink(missing_ok=True)
        if report.status == ImportRunStatus.FAILED:  # the body as a whole is unreadable
            raise ApiError(422, _("This cannot be imported: %(reason)s", reason=report.error),
                           code="not_importable")
        return ImportReport(kind=kind, counts=dict(report.counts), error=report.error,
                            results=[ImportResultOut(key=result.key, title=result.title,
                                                     outcome=result.outcome,
                                                     reason=result.reason,
                                                     notes=list(result.notes))
                                     for result in report.results[:REPORTED_RESULTS]])
    session = get_session()
    run = ImportRun(kind=kind, source=label[:500], started_by_id=user.id)
    session.add(run)
    session.commit()
    imports.start_in_background(current_app._get_current_object(), run.id, kind, path,
                                user.id, label)
    return _run(run), 202, {"Location": url_for("api.get_import_run", run_id=run.id)}


def _require_importer() -> None:
    if not policy.can_import(acting_user()):
        refuse()


def _run(row: ImportRun) -> ImportRunOut:
    return ImportRunOut(id=row.id, kind=row.kind, source=row.source, status=row.status,
                        started_at=row.started_at, finished_at=row.finished_at,
                        total=row.total, counts=dict(row.counts), message=row.message)


@bp.get("/imports")
@api_spec.validate(query=PageQuery, resp=responses({200: ImportRunPage}, 400, 401, 403),
                   tags=("imports",), operation_id="listImportRuns",
                   validation_error_status=400, security={"bearerAuth": []})
def list_import_runs():
    """Import runs, newest first (administrators)"""
    from practices.importers import liveness  # on first use (issue 12)

    _require_importer()
    query = request.context.query
    db = get_session()
    total = db.exec(select(func.count()).select_from(ImportRun)).one()
    rows = list(db.exec(select(ImportRun).order_by(ImportRun.id.desc())
                        .offset((query.page - 1) * query.per_page).limit(query.per_page)))
    liveness.settle(db, rows)  # a run whose process was killed reads as interrupted
    body = ImportRunPage(items=[_run(row) for row in rows], total=total, page=query.page,
                         per_page=query.per_page, pages=page_count(total, query.per_page))
    return body, 200, {"Link": paging.link_header(total, query.page, query.per_page)}


@bp.get("/imports/<int:run_id>")
@api_spec.validate(resp=responses({200: ImportRunOut}, 401, 403, 404), tags=("imports",),
                   operation_id="getImportRun", security={"bearerAuth": []})
def get_import_run(run_id: int):
    """One import run with its counts by outcome (administrators)"""
    from practices.importers import liveness  # on first use (issue 12)

    _require_importer()
    row = get_session().get(ImportRun, run_id)
    if row is None:
        raise ApiError(404, _("There is no import run %(n)d.", n=run_id))
    liveness.settle(get_session(), [row])
    return _run(row)


@bp.get("/imports/<int:run_id>/records")
@api_spec.validate(query=PageQuery, resp=responses({200: ImportRecordPage}, 400, 401, 403, 404),
                   tags=("imports",), operation_id="listImportRecords",
                   validation_error_status=400, security={"bearerAuth": []})
def list_import_records(run_id: int):
    """What an import run did, record by record (administrators)"""
    _require_importer()
    db = get_session()
    if db.get(ImportRun, run_id) is None:
        raise ApiError(404, _("There is no import run %(n)d.", n=run_id))
    query = request.context.query
    where = ImportRecord.run_id == run_id
    total = db.exec(select(func.count()).select_from(ImportRecord).where(where)).one()
    rows = list(db.exec(select(ImportRecord).where(where).order_by(ImportRecord.position,
                                                                   ImportRecord.id)
                        .offset((query.page - 1) * query.per_page).limit(query.per_page)))
    ids = {row.sheet_id for row in rows if row.sheet_id}
    slugs = dict(db.exec(select(Sheet.id, Sheet.slug).where(Sheet.id.in_(ids))).all()) \
        if ids else {}
    items = [ImportRecordOut(position=row.position, key=row.key, title=row.title,
                             outcome=row.outcome, reason=row.reason, notes=list(row.notes),
                             sheet=slugs.get(row.sheet_id), undone=row.undone) for row in rows]
    body = ImportRecordPage(items=items, total=total, page=query.page, per_page=query.per_page,
                            pages=page_count(total, query.per_page))
    return body, 200, {"Link": paging.link_header(total, query.page, query.per_page)}
