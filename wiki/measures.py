"""Measures in the field (issue 14): record, edit, submit, publish, delete, history, diff,
revert, import, export (CSV and XLSX, in the columns the import reads).

An organisation's managers (and moderators) record measures at
`/organizations/<slug>/measures/new`; each measure has a page at `/measures/<id>`.
"""

from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from sqlmodel import select

from practices import (
    areas,
    carbon,
    measure_records,
    measures,
    organizations,
    policy,
    profiles,
    revisions,
)
from practices.models import Measure, Organization, Sheet, SheetStatus
from wiki import form_input
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.points import parse_points, show_points

bp = Blueprint("measures", __name__)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organization(slug: str) -> Organization:
    return organizations.find(get_session(), Organization, slug) or abort(404)


def visible_measure(measure_id: int) -> Measure:
    db = get_session()
    measure = db.get(Measure, measure_id)
    user = acting_user()
    if measure is None or not policy.can_view_measure(
        user, measure, profiles.managed_ids(db, user)
    ):
        abort(404)  # a draft one may not see does not exist for them
    return measure


def _managed_organization(slug: str) -> Organization:
    """The organisation, for its managers and moderators only (403 for others)."""
    organization = _organization(slug)
    require(profiles.may_edit(get_session(), acting_user(), organization))
    return organization


def _organization_of(measure: Measure) -> Organization:
    return get_session().get(Organization, measure.organization_id)


def may_edit_measure(measure: Measure) -> bool:
    user = acting_user()
    return policy.can_edit_measure(user, measure, profiles.managed_ids(get_session(), user))


def _form_values() -> dict:
    form = request.form
    values = {name: form.get(name, "") for name in measures.FIELDS}
    values["sheets"] = [slug for slug in form.getlist("sheets") if slug]
    values["locations"] = parse_points(form.get("locations"))
    values["baseline"] = [level for level in form.getlist("baseline") if level]
    values["practice"] = [level for level in form.getlist("practice") if level]
    return values


def _render_form(
    organization: Organization,
    values: dict,
    errors: dict,
    measure=None,
    points_text: str | None = None,
    base_revision: int | None = None,
    status: int | None = None,
):
    db = get_session()
    if measure is not None and base_revision is None:
        base_revision = measures.last_revision_number(db, measure)
    sheets = db.exec(
        select(Sheet)
        .where(Sheet.status == SheetStatus.PUBLISHED, Sheet.deleted_at.is_(None))
        .order_by(Sheet.title)
    ).all()
    land_use = values.get("land_use") or "cropland"
    return render_template(
        "measures/edit.html",
        organization=organization,
        measure=measure,
        values=values,
        errors=errors,
        sheets=sheets,
        statuses=measures.STATUSES,
        points_text=points_text
        if points_text is not None
        else show_points(values.get("locations") or []),
        boundary_text=_boundary_text(values.get("boundary")),
        groups={use: carbon.management_levels(use, None) for use in carbon.LAND_USES},
        chosen_land_use=land_use,
        lang=current_language(),
        base_revision=base_revision,
    ), status or (422 if errors else 200)


def _boundary_text(boundary) -> str:
    """The area as typed (after a refusal) or as stored, for the form's text box."""
    return boundary if isinstance(boundary, str) else areas.as_text(boundary)


def _defaults_from_sheet(slug: str) -> dict:
    """Start a measure from a sheet: its country, zone, soil and IPCC management."""
    db = get_session()
    sheet = db.exec(select(Sheet).where(Sheet.slug == slug)).first()
    if sheet is None or not policy.can_view(acting_user(), sheet):
        return {}
    from practices.sheets import current_revision

    fields = (current_revision(db, sheet).fields if sheet.current_revision_id else {}) or {}
    countries = fields.get("countries") or []
    zones = fields.get("ipcc_climate_zones") or []
    soils = fields.get("ipcc_soil_classes") or []
    return {
        "sheets": [sheet.slug],
        "country": countries[0] if countries else "",
        "climate_zone": zones[0] if zones else "",
        "soil_class": soils[0] if soils else "",
        "land_use": fields.get("carbon_land_use") or "",
        "baseline": list(fields.get("carbon_baseline") or []),
        "practice": list(fields.get("carbon_practice") or []),
    }


@bp.route("/organizations/<slug>/measures/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    organization = _managed_organization(slug)
    db = get_session()
    if request.method == "GET":
        values = {"status": "ongoing", "edition": "2019"}
        if request.args.get("sheet"):
            values.update(_defaults_from_sheet(request.args["sheet"]))
        return _render_form(organization, values, {})

    def save(values: dict, summary: str) -> Measure:
        return measures.create(db, organization, values, author=acting_user(), summary=summary)

    return _save_form(organization, None, save)


@bp.get("/measures/")
def measure_list():
    """Every measure this reader may see, newest first, with the exports."""
    db = get_session()
    return render_template(
        "measures/list.html", measures=measures.visible(db, acting_user()),
        organizations={row.id: row for row in db.exec(select(Organization))})


@bp.get("/measures/<int:measure_id>")
def view(measure_id: int):
    measure = visible_measure(measure_id)
    db = get_session()
    result, note = measures.estimate(measure)
    user = acting_user()
    return render_template(
        "measures/view.html",
        measure=measure,
        result=result,
        note=note,
        organization=db.get(Organization, measure.organization_id),
        sheets=[sheet for sheet in measures.sheets_of(db, measure) if policy.can_view(user, sheet)],
        may_edit=may_edit_measure(measure),
        may_publish=policy.can_publish_measure(user, measure),
        may_return=policy.can_grant_managers(user) and measure.state != "draft"
        and not measure.is_deleted,
        may_restore=measure.is_deleted and policy.can_grant_managers(user),
        level_label=carbon.level_label,
        lang=current_language(),
        area_hectares=areas.rounded_hectares,
        area_computed=bool(measure.boundary)
        and measure.area_ha == areas.rounded_hectares(measure.boundary),
    )


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(measure_id: int):
    measure = visible_measure(measure_id)
    require(may_edit_measure(measure))
    db = get_session()
    organization = db.get(Organization, measure.organization_id)
    if request.method == "GET":
        return _render_form(organization, measures.snapshot(db, measure), {}, measure)

    base = form_input.edit_base("base_revision")

    def save(values: dict, summary: str) -> Measure:
        measures.revise(db, measure, values, author=acting_user(), summary=summary,
                        base_revision=base)
        return measure

    return _save_form(organization, measure, save, base)


def _save_form(organization: Organization, measure: Measure | None,
               save: Callable[[dict, str], Measure], base: int | None = None):
    """The POST of the new and the edit form: save (and submit, when asked), or show the form
    again with what was typed: with the fields' errors (422) or the conflict (409). The
    form keeps the base it was sent with until the conflict is shown: a base brought up to
    date with the fields' errors would let the corrected edit overwrite what others saved."""
    db = get_session()
    values = _form_values()
    typed_points = request.form.get("locations", "")
    try:
        saved = save(values, request.form.get("edit_summary", ""))
    except revisions.StaleEdit as stale:
        db.rollback()
        flash(_("Someone saved this measure while you were editing it (revision %(number)d). "
                "Your version is below: compare it with the history, then save again to "
                "replace theirs.", number=stale.current), "error")
        return _render_form(organization, values, {}, measure, points_text=typed_points,
                            base_revision=stale.current, status=409)
    except measures.MeasureError as refused:
        db.rollback()
        return _render_form(organization, values, refused.errors, measure,
                            points_text=typed_points, base_revision=base)
    if request.form.get("action") == "submit" and saved.state == "draft":
        measures.submit(db, saved, actor=acting_user())
        message = _("The measure is sent to the moderators.")
    elif saved.state == "draft":
        message = _("The measure is saved as a draft.")
    else:
        message = _("The measure is saved.")
    db.commit()
    flash(message, "success")
    return redirect(url_for(".view", measure_id=saved.id), 303)


@bp.post("/measures/<int:measure_id>/<any(submit, publish, return):action>")
@login_required
def transition(measure_id: int, action: str):
    measure = visible_measure(measure_id)
    db = get_session()
    user = acting_user()
    try:
        if action == "submit":
            measures.submit(db, measure, actor=user)
        elif action == "publish":
            measures.publish(db, measure, actor=user)
        else:
            measures.unpublish(db, measure, actor=user, reason=request.form.get("reason", ""))
    except PermissionError:
        abort(403)
    db.commit()
    flash(
        {
            "submit": _("The measure is sent to the moderators."),
            "publish": _("The measure is published."),
            "return": _("The measure is back to draft."),
        }[action],
        "success",
    )
    return redirect(url_for(".view", measure_id=measure.id), 303)


@bp.post("/measures/<int:measure_id>/delete")
@login_required
def delete(measure_id: int):
    measure = visible_measure(measure_id)
    require(may_edit_measure(measure))
    db = get_session()
    measure_records.delete(db, measure, actor=acting_user())
    db.commit()
    flash(_("The measure was deleted. A moderator can restore it."), "success")
    return redirect(url_for("groups.organization", slug=_organization_of(measure).slug), 303)


@bp.post("/measures/<int:measure_id>/restore")
@login_required
def restore(measure_id: int):
    measure = visible_measure(measure_id)
    db = get_session()
    try:
        measure_records.restore(db, measure, actor=acting_user())
    except PermissionError:
        abort(403)
    db.commit()
    flash(_("The measure was restored as a draft."), "success")
    return redirect(url_for(".view", measure_id=measure.id), 303)


# Import and export -------------------------------------------------------------------------


@bp.route("/organizations/<slug>/measures/import", methods=["GET", "POST"])
@login_required
def import_table(slug: str):
    organization = _managed_organization(slug)
    db = get_session()
    if request.method == "GET":
        return _import_page(organization)
    file = request.files.get("file")
    suffix = Path(file.filename).suffix.lower() if file is not None and file.filename else ""
    if suffix not in (".csv", ".xlsx"):
        flash(_("Choose a CSV or XLSX file."), "error")
        return _import_page(organization, status=422)
    dry_run = request.form.get("dry_run") == "1"
    # loaded on first use, with the spreadsheet importers it reads through (issue 12)
    from practices import measure_table

    with TemporaryDirectory() as folder:
        path = Path(folder) / f"measures{suffix}"
        data = file.stream.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            abort(413)
        path.write_bytes(data)
        try:
            report = measure_table.import_rows(
                db, organization, path, author=acting_user(), dry_run=dry_run
            )
        except measure_table.Unreadable:
            flash(_("This file cannot be read as a CSV or XLSX table."), "error")
            return _import_page(organization, status=422)
    if dry_run:
        db.rollback()
    else:
        db.commit()
    return _import_page(organization, report=report, dry_run=dry_run)


def _import_page(organization: Organization, *, status: int = 200, report=None,
                 dry_run: bool = False):
    from practices import measure_table  # on first use (issue 12)

    return render_template("measures/import.html", organization=organization, report=report,
                           dry_run=dry_run, columns=measure_table.COLUMNS), status


@bp.get("/organizations/<slug>/measures.<any(csv, xlsx):kind>")
def export_organization(slug: str, kind: str):
    organization = _organization(slug)
    return _export(
        measures.visible(get_session(), acting_user(), organization=organization),
        f"measures-{organization.slug}", kind,
    )


@bp.get("/measures.<any(csv, xlsx):kind>")
def export_all(kind: str):
    return _export(measures.visible(get_session(), acting_user()), "measures", kind)


def _export(rows: list[Measure], name: str, kind: str) -> Response:
    """The measures this reader may see, in the columns the import reads (it re-imports)."""
    from practices import measure_table  # on first use (issue 12)

    db = get_session()
    if kind == "xlsx":
        data, mimetype = measure_table.to_xlsx(db, rows), XLSX
    else:
        data, mimetype = measure_table.to_csv(db, rows), "text/csv"
    response = Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{kind}"'})
    response.headers["Cache-Control"] = "private, no-cache"  # drafts differ per reader
    response.vary.add("Cookie")
    return response
