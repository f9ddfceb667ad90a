"""Imports and exports on the web: upload, dry-run report, confirm, follow and undo runs,
compare and accept an incoming version that met a local edit, templates, the export API.

The import itself runs in a background thread of the web process with its own database
session, committing record by record; the run page follows it.

The importers and exporters are loaded on first use, in each view that needs them: they keep
out of the web workers that never import or export (issue 12: RSS per worker).
"""

from __future__ import annotations

import re
import secrets
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import Session, select

from practices import policy, sheets
from practices.diff import Chunk, FieldChange, RevisionDiff, compare
from practices.models import ImportRecord, ImportRun, ImportRunStatus, User, utcnow
from wiki.auth import acting_user, require
from wiki.db import get_session

if TYPE_CHECKING:
    from practices.importers import sync

bp = Blueprint("imports", __name__)
SUFFIXES = {".json": "wocat", ".jsonl": "wocat", ".ndjson": "wocat", ".csv": "table",
            ".xlsx": "table"}
TOKEN = re.compile(r"^[0-9a-f]{32}\.(json|jsonl|ndjson|csv|xlsx)$")
PAGE_SIZE = 200


@bp.app_context_processor
def import_helpers():
    return {"may_import": lambda: policy.can_import(acting_user()),
            "incoming_version": _incoming_version}


def _incoming_version(sheet):
    """The pending incoming version of a sheet, for the notice on its page (editors only)."""
    if sheet is None or not policy.can_edit(acting_user(), sheet):
        return None
    from practices.importers import review  # on first use: editors only, not every reader

    return review.pending_for(get_session(), sheet)


def _upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path, max_age: float = 24 * 3600) -> None:
    """Uploads checked but never confirmed are not kept beyond a day."""
    now = time.time()
    for path in folder.iterdir():
        if TOKEN.match(path.name) and now - path.stat().st_mtime > max_age:
            path.unlink(missing_ok=True)


def kind_of(path: Path) -> str:
    from practices.importers import native  # on first use (issue 12)

    kind = SUFFIXES.get(path.suffix.lower(), "")
    if kind == "wocat" and native.is_export(path):
        return "json"
    return kind


def execute(session: Session, kind: str, path: Path, *, user: User | None, dry_run: bool,
            run: ImportRun | None = None, label: str = "", progress=None,
            keep_results: bool = False, index_alongside: bool = False) -> sync.Report:
    """Run one import of a file (used by the web UI and the CLI alike). What is wrong with
    the file is told under `label`, the name its sender knows, not the stored file's name."""
    from practices.importers import native, sources, sync, table  # on first use (issue 12)

    named = _told_as(path, label)
    try:
        if kind == "json":
            report = native.run(session, path, started_by=user, dry_run=dry_run, run_row=run,
                                progress=progress, keep_results=keep_results)
        else:
            source = sources.open_source(str(path)) if kind == "wocat" else None
            items = source.items if source else table.items(path)
            report = sync.run_import(
                session, items, kind=kind, source=label or path.name,
                author=sync.importer_account(session, kind, create=not dry_run),
                started_by=user, dry_run=dry_run, run=run, progress=progress,
                keep_results=keep_results, index_alongside=index_alongside)
    except (native.NotAnExport, sources.SourceError) as unreadable:
        raise type(unreadable)(named(str(unreadable))) from None
    report.error = named(report.error)
    if run is not None and run.message and run.message != named(run.message):
        run.message = named(run.message)
        session.add(run)
        session.commit()
    return report


def _told_as(path: Path, label: str):
    def named(message: str | None) -> str | None:
        return message.replace(path.name, label) if message and label else message
    return named


@bp.get("/imports/")
@login_required
def index():
    from practices.importers import review  # on first use (issue 12)

    require(policy.can_import(acting_user()))
    return render_template("imports/index.html", runs=review.runs(get_session()),
                           users=_users(get_session()))


@bp.post("/imports/upload")
@login_required
def upload():
    from practices.importers import sync  # on first use (issue 12)

    user = acting_user()
    require(policy.can_import(user))
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if not upload or suffix not in SUFFIXES:
        flash(_("Choose a WOCAT JSON file, a JSON export or a spreadsheet (.csv, .xlsx)."),
              "error")
        return redirect(url_for(".index"), 303)
    token = secrets.token_hex(16) + suffix
    _forget_old_uploads(_upload_folder())
    path = _upload_folder() / token
    upload.save(path)
    kind = kind_of(path)
    session = get_session()
    try:
        report = execute(session, kind, path, user=user, dry_run=True, keep_results=True,
                         label=upload.filename)
    except unreadable_file_errors() as unreadable:
        report = sync.Report(None, error=str(unreadable), status=ImportRunStatus.FAILED)
    if report.status == ImportRunStatus.FAILED:  # the file as a whole is unreadable
        path.unlink(missing_ok=True)
        flash(_("This file cannot be imported: %(reason)s", reason=report.error), "error")
        return redirect(url_for(".index"), 303)
    return render_template("imports/dry_run.html", report=report, token=token, kind=kind,
                           filename=upload.filename, results=report.results[:1000])


@bp.post("/imports/confirm")
@login_required
def confirm():
    user = acting_user()
    require(policy.can_import(user))
    token = request.form.get("token", "")
    path = _upload_folder() / token
    if not TOKEN.match(token) or not path.is_file():
        flash(_("The uploaded file is gone; upload it again."), "error")
        return redirect(url_for(".index"), 303)
    kind = kind_of(path)
    filename = request.form.get("filename", "")[:200] or token
    session = get_session()
    run = ImportRun(kind=kind, source=filename, started_by_id=user.id)
    session.add(run)
    session.commit()
    start_in_background(current_app._get_current_object(), run.id, kind, path, user.id,
                        filename)
    return redirect(url_for(".run_page", run_id=run.id), 303)


def unreadable_file_errors() -> tuple[type[Exception], ...]:
    """What an import raises when the file cannot be imported (its reason is shown to who
    sent it), as opposed to a bug."""
    from practices.importers import native, sources  # on first use (issue 12)

    return native.NotAnExport, sources.SourceError, ValueError, KeyError


def start_in_background(app, run_id: int, kind: str, path: Path, user_id: int,
                        label: str) -> threading.Thread:
    def work():
        with app.app_context(), Session(app.extensions["engine"]) as session:
            run = session.get(ImportRun, run_id)
            user = session.get(User, user_id)
            try:
                execute(session, kind, path, user=user, dry_run=False, run=run, label=label)
            except Exception as crashed:  # the run page must say so, not spin forever
                if isinstance(crashed, unreadable_file_errors()):  # the file's fault
                    app.logger.warning("import run %s failed: %s", run_id, crashed)
                else:
                    app.logger.exception("import run %s failed", run_id)
                session.rollback()
                run = session.get(ImportRun, run_id)
                run.status, run.message = ImportRunStatus.FAILED, str(crashed)[:500]
                run.finished_at = run.finished_at or utcnow()
                session.add(run)
                session.commit()
            finally:
                path.unlink(missing_ok=True)

    thread = threading.Thread(target=work, name=f"import-run-{run_id}", daemon=True)
    app.extensions.setdefault("import_threads", []).append(thread)
    thread.start()
    return thread


@bp.get("/imports/runs/<int:run_id>")
@login_required
def run_page(run_id: int):
    from practices.importers import liveness, review, sync  # on first use (issue 12)

    require(policy.can_import(acting_user()))
    session = get_session()
    run = session.get(ImportRun, run_id) or abort(404)
    liveness.settle(session, [run])  # killed mid-way: interrupted, and the page stops polling
    outcome = request.args.get("outcome") if request.args.get("outcome") in sync.OUTCOMES \
        else None
    page = max(request.args.get("page", 1, type=int), 1)
    records = review.records_of(session, run, outcome, limit=PAGE_SIZE + 1,
                                offset=(page - 1) * PAGE_SIZE)
    return render_template("imports/run.html", run=run, records=records[:PAGE_SIZE],
                           more=len(records) > PAGE_SIZE, page=page, outcome=outcome,
                           users=_users(session), outcomes=sync.OUTCOMES,
                           sheet_slugs=_slugs(session, records))


@bp.post("/imports/runs/<int:run_id>/undo")
@login_required
def undo(run_id: int):
    from practices.importers import review  # on first use (issue 12)

    user = acting_user()
    require(policy.can_import(user))
    session = get_session()
    run = session.get(ImportRun, run_id) or abort(404)
    try:
        done = review.undo(session, run, by=user)
    except review.ReviewError as refused:
        flash(_("This run cannot be undone: %(reason)s", reason=str(refused)), "error")
        return redirect(url_for(".run_page", run_id=run.id), 303)
    flash(_("Run undone: %(deleted)d sheets deleted, %(reverted)d updates reverted, "
            "%(withdrawn)d pending versions withdrawn.", deleted=done.deleted,
            reverted=done.reverted, withdrawn=done.withdrawn), "success")
    for kept in done.kept:
        flash(_("Left alone: %(what)s", what=kept), "info")
    return redirect(url_for(".run_page", run_id=run.id), 303)


@bp.get("/imports/template.<any(csv, xlsx):extension>")
@login_required
def template(extension: str):
    from practices.importers import table  # on first use (issue 12)

    require(policy.can_create(acting_user()))
    if extension == "csv":
        body, mimetype = table.template_csv(), "text/csv; charset=utf-8"
    else:
        body = table.template_xlsx()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=practice-sheets-template.{extension}"})


@bp.get("/practices/<slug>/incoming")
@login_required
def incoming(slug: str):
    from practices.importers import review  # on first use (issue 12)

    session = get_session()
    sheet, pending = _pending_of(slug)
    current = sheets.current_revision(session, sheet)
    base = session.get(sheets.Revision, pending.base_revision_id) \
        if pending.base_revision_id else None
    version = review.as_revision(pending)
    return render_template(
        "imports/incoming.html", sheet=sheet, pending=pending, current=current,
        accept_diff=condensed(compare(current, version)),
        local_diff=condensed(compare(base, current)) if base and base.id != current.id else None,
        source_diff=condensed(compare(base, version)) if base else None)


def condensed(diff: RevisionDiff, context: int = 160) -> RevisionDiff:
    """Long unchanged stretches cut down to their ends, so that the changes stand out."""
    changes = []
    for change in diff.changes:
        chunks = []
        for index, chunk in enumerate(change.chunks):
            text = chunk.text
            if chunk.op == "equal" and len(text) > 3 * context:
                head = "" if index == 0 else text[:context]
                tail = "" if index == len(change.chunks) - 1 else text[-context:]
                text = f"{head} […] {tail}"
            chunks.append(Chunk(chunk.op, text))
        changes.append(FieldChange(change.name, change.old, change.new, tuple(chunks)))
    return RevisionDiff(diff.old, diff.new, tuple(changes))


@bp.post("/practices/<slug>/incoming/<int:pending_id>/<any(accept, reject):decision>")
@login_required
def decide(slug: str, pending_id: int, decision: str):
    from practices.importers import review  # on first use (issue 12)

    session = get_session()
    sheet, pending = _pending_of(slug)
    if pending.id != pending_id:
        flash(_("A newer version came in meanwhile; compare again."), "error")
        return redirect(url_for(".incoming", slug=sheet.slug), 303)
    try:
        if decision == "accept":
            review.accept(session, pending, by=acting_user(),
                          base_revision_id=request.form.get("base_revision_id", type=int))
        else:
            review.reject(session, pending, by=acting_user())
    except sheets.StaleRevision:
        session.rollback()
        flash(_("Someone saved the sheet meanwhile; compare again."), "error")
        return redirect(url_for(".incoming", slug=sheet.slug), 303)
    except review.ReviewError as refused:
        session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("sheets.view", slug=sheet.slug), 303)
    session.commit()
    flash(_("The incoming version was accepted as a new revision.") if decision == "accept"
          else _("The incoming version was set aside; the sheet stays as it is."), "success")
    return redirect(url_for("sheets.view", slug=sheet.slug), 303)


def _pending_of(slug: str) -> tuple:
    from practices.importers import review  # on first use (issue 12)

    session = get_session()
    sheet, _redirected = sheets.find(session, slug)
    if sheet is None or not policy.can_view(acting_user(), sheet):
        abort(404)
    require(policy.can_edit(acting_user(), sheet))
    pending = review.pending_for(session, sheet)
    if pending is None:
        abort(404)
    return sheet, pending


@bp.get("/api/v1/export")
def export_api():
    """The whole wiki as JSON or the current sheets as CSV, for admins; errors are JSON."""
    from practices import exporters  # on first use (issue 12)

    if not current_user.is_authenticated:
        return _api_error(401, "unauthorized", "Sign in as an administrator.")
    if not policy.can_import(acting_user()):
        return _api_error(403, "forbidden", "Exports are for administrators.")
    kind = request.args.get("format", "json")
    if kind not in ("json", "csv"):
        return _api_error(400, "bad_format", "format must be json or csv.")
    writer = exporters.write_json if kind == "json" else exporters.write_csv
    out = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed with the response
        max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8", newline="")
    with Session(current_app.extensions["engine"]) as session:
        writer(session, out)
    out.seek(0)

    def chunks():
        try:
            while chunk := out.read(64 * 1024):
                yield chunk
        finally:
            out.close()

    mimetype = "application/json" if kind == "json" else "text/csv; charset=utf-8"
    response = Response(chunks(), mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=practice-wiki-export.{kind}"})
    response.call_on_close(out.close)
    return response


def _api_error(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


def _users(session: Session) -> dict[int, User]:
    return {user.id: user for user in session.exec(select(User))}


def _slugs(session: Session, records: list[ImportRecord]) -> dict[int, str]:
    ids = {record.sheet_id for record in records if record.sheet_id}
    return {sheet_id: session.get(sheets.Sheet, sheet_id).slug for sheet_id in ids}

