"""Public pages of organisations (partners) and colleges: what they contributed, who belongs.

`/colleges/<slug>` is the college page's contract (the discussion feature adds its threads).
`/organizations/<slug>` is an organisation's profile ("stand", issue 14): standing, colleges,
places, description, logo; its sheets, endorsements, discussions and measures. Its managers
and moderators edit it at `/organizations/<slug>/edit`; history and diff show every change,
and any old revision can be brought back (as a new revision).
"""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlmodel import select

from practices import (
    discussions,
    endorsements,
    measure_records,
    measures,
    organizations,
    policy,
    profiles,
    revisions,
    uploads,
)
from practices.diff import as_text
from practices.models import College, Organization, Upload, User
from wiki import form_input, revision_pages
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.points import parse_points, show_points
from wiki.rendering import render_body, term_label
from wiki.revision_pages import (
    RecordPages,
    diff_page,
    history_page,
    record_pages,
    revert_from_form,
)
from wiki.uploads import configured_store

bp = Blueprint("groups", __name__)


PROFILE_FIELD_LABELS = {
    "standing": _l("Standing"), "colleges": _l("Colleges"), "country": _l("Country"),
    "locations": _l("Locations"), "description": _l("Description"), "website": _l("Website"),
    "logo": _l("Logo"),
}


@bp.app_context_processor
def profile_helpers() -> dict:
    return {"standing_label": lambda code: profiles.STANDINGS.label(code, current_language()),
            "measure_status_label": lambda code: _(measures.STATUS_LABELS.get(code, code)),
            "profile_field_label": lambda name: str(PROFILE_FIELD_LABELS.get(name, name))}


@bp.get("/organizations/")
def organization_list():
    db = get_session()
    args = request.args
    filters = profiles.DirectoryFilters(
        standing=args.get("standing", "")[:40], college=args.get("college", "")[:80],
        country=args.get("country", "")[:2], region=args.get("region", "")[:40])
    return render_template("organizations/list.html", filters=filters,
                           groups=profiles.directory(db, filters),
                           counts=organizations.member_counts(db, Organization),
                           college_map=profiles.college_map(db),
                           colleges=organizations.listing(db, College),
                           standings=profiles.STANDINGS)


@bp.get("/organizations/<slug>")
def organization(slug: str):
    db = get_session()
    group = organizations.find(db, Organization, slug) or abort(404)
    if group.merged_into_id is not None:  # old addresses of merged groups keep working
        target = db.get(Organization, group.merged_into_id)
        if target is not None:
            return redirect(url_for(".organization", slug=target.slug), 301)
    user = acting_user()
    sheets = organizations.sheets_of(db, group, user)
    return render_template(
        "organizations/view.html", group=group, sheets=sheets,
        members=organizations.members(db, group),
        colleges=profiles.colleges_of(db, group), logo=_logo(group),
        description=render_body(group.description).html if group.description else "",
        endorsements=[(sheet, view) for sheet in sheets
                      for view in endorsements.endorsements_of(db, sheet)],
        threads=[(sheet, summary) for sheet in sheets
                 for summary in discussions.threads_of(db, sheet, user)][:20],
        measures=measures.visible(db, user, organization=group),
        may_edit=profiles.may_edit(db, user, group),
        may_grant=policy.can_grant_managers(user),
        deleted_measures=(measure_records.deleted(db, group)
                          if policy.can_grant_managers(user) else []),
        managers=profiles.managers(db, group))


def _logo(group: Organization) -> Upload | None:
    return get_session().get(Upload, group.logo_upload_id) if group.logo_upload_id else None


def _editable(slug: str) -> Organization:
    db = get_session()
    group = organizations.find(db, Organization, slug) or abort(404)
    require(profiles.may_edit(db, acting_user(), group))
    return group


@bp.route("/organizations/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_profile(slug: str):
    group = _editable(slug)
    db = get_session()
    values = profiles.snapshot(db, group)
    base = profiles.last_revision_number(db, group)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _form_values(group)
        base = form_input.edit_base("base_revision")
        try:
            values["logo"] = _stored_logo(values["logo"])
            profiles.revise(db, group, values, author=acting_user(), base_revision=base,
                            summary=request.form.get("edit_summary", "")[:300])
        except profiles.ProfileError as refused:
            errors, status = refused.errors, 422
        except uploads.RejectedUpload as rejected:
            errors, status = {"logo": str(rejected)}, 422
        except revisions.StaleEdit as stale:
            db.rollback()
            flash(_("Someone saved this profile while you were editing it (revision "
                    "%(number)d). Your version is below: compare it with the history, then "
                    "save again to replace theirs.", number=stale.current), "error")
            base, status = stale.current, 409
        else:
            db.commit()
            flash(_("The profile is saved."), "success")
            return redirect(url_for(".organization", slug=group.slug), 303)
        db.rollback()
    return render_template("organizations/edit.html", group=group, values=values,
                           errors=errors, points_text=_points_text(values), base_revision=base,
                           colleges=organizations.listing(db, College),
                           standings=profiles.STANDINGS), status


def _form_values(group: Organization) -> dict:
    form = request.form
    return {"standing": form.get("standing", ""), "colleges": form.getlist("colleges"),
            "country": form.get("country", ""), "locations": parse_points(form.get("locations")),
            "description": form.get("description", ""), "website": form.get("website", ""),
            "logo": None if form.get("remove_logo") else group.logo_upload_id,
            "_points_raw": form.get("locations", "")}


def _stored_logo(current: int | None) -> int | None:
    file = request.files.get("logo")
    if file is None or not file.filename:
        return current
    stored = uploads.store(get_session(), configured_store(), file.stream,
                           original_name=file.filename, uploader=acting_user())
    return stored.id


def _points_text(values: dict) -> str:
    if "_points_raw" in values:
        return values["_points_raw"]
    return show_points(values.get("locations") or [])


PROFILE_ENDPOINTS = {"view": ".organization", "history": ".profile_history",
                     "compare": ".profile_diff_from_form", "diff": ".profile_diff",
                     "revert": ".profile_revert"}


def _profile_pages(group: Organization) -> RecordPages:
    return record_pages(PROFILE_ENDPOINTS, {"slug": group.slug}, title=group.name,
                        heading=_("History of the profile"), labels=PROFILE_FIELD_LABELS,
                        may_revert=profiles.may_edit(get_session(), acting_user(), group))


def _group(slug: str) -> Organization:
    return organizations.find(get_session(), Organization, slug) or abort(404)


@bp.get("/organizations/<slug>/history")
def profile_history(slug: str):
    group = _group(slug)
    return history_page(_profile_pages(group), profiles.history(get_session(), group))


@bp.get("/organizations/<slug>/diff/<int:a>/<int:b>")
def profile_diff(slug: str, a: int, b: int):
    db = get_session()
    group = _group(slug)
    return diff_page(_profile_pages(group), lambda number: profiles.revision(db, group, number),
                     a, b, lambda old, new: profiles.compare(old, new, _describe),
                     profiles.last_revision_number(db, group))


@bp.get("/organizations/<slug>/diff")
def profile_diff_from_form(slug: str):
    return revision_pages.diff_from_form(_profile_pages(_group(slug)))


@bp.post("/organizations/<slug>/revert/<int:number>")
@login_required
def profile_revert(slug: str, number: int):
    group = _editable(slug)

    def bring_back(number: int, base: int | None):
        return profiles.revert(get_session(), group, number, author=acting_user(),
                               base_revision=base)

    return revert_from_form(_profile_pages(group), bring_back, number, (profiles.ProfileError,))


def _describe(name: str, value) -> str:
    if name == "standing" and value:
        return profiles.STANDINGS.label(value, current_language())
    if name == "country" and value:
        return term_label(value, "countries")
    if name == "locations":
        return show_points(value or [])
    return as_text(value)


@bp.post("/organizations/<slug>/managers")
@login_required
def managers(slug: str):
    db = get_session()
    group = organizations.find(db, Organization, slug) or abort(404)
    actor = acting_user()
    require(policy.can_grant_managers(actor))
    action = form_input.pressed("action", ("grant", "revoke"))
    email = request.form.get("email", "").strip().lower()
    user = db.exec(select(User).where(User.email == email)).first()
    if user is None:
        flash(_("There is no account with this e-mail address."), "error")
        return redirect(url_for(".organization", slug=group.slug), 303)
    if action == "revoke":
        profiles.revoke_manager(db, group, user, actor=actor)
        flash(_("%(name)s no longer manages this organisation.", name=user.name), "success")
    else:
        profiles.grant_manager(db, group, user, actor=actor)
        flash(_("%(name)s now manages this organisation.", name=user.name), "success")
    db.commit()
    return redirect(url_for(".organization", slug=group.slug), 303)


@bp.get("/colleges/")
def college_list():
    db = get_session()
    return render_template("colleges/list.html", groups=organizations.listing(db, College),
                           counts=organizations.member_counts(db, College))


@bp.get("/colleges/<slug>")
def college(slug: str):
    db = get_session()
    group = organizations.find(db, College, slug) or abort(404)
    if group.merged_into_id is not None:  # old addresses of merged groups keep working
        target = db.get(College, group.merged_into_id)
        if target is not None:
            return redirect(url_for(".college", slug=target.slug), 301)
    return render_template("colleges/view.html", group=group,
                           sheets=organizations.sheets_of(db, group, acting_user()),
                           members=organizations.members(db, group))
