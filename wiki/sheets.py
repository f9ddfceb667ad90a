"""Sheet pages: view, create, edit (with preview and conflicts), history, diff, revert, delete."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlmodel import or_, select

from practices import editing, gallery, policy, sheets
from practices.diff import compare
from practices.fields import FieldError, InvalidFields
from practices.models import Organization, Sheet, User
from wiki import carbon_panel, form_input, forms
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.input_guard import database_int
from wiki.rendering import describe_for_diff, render_body, render_revision

bp = Blueprint("sheets", __name__, url_prefix="/practices")


def load_sheet(slug: str, *, include_deleted: bool = False) -> Sheet:
    """The sheet a URL names, or the right error page; old slugs redirect to the new one."""
    sheet, redirected = sheets.find(get_session(), slug, include_deleted=include_deleted)
    if sheet is None:
        abort(404)
    if redirected:
        abort(redirect(request.full_path.replace(f"/{slug}", f"/{sheet.slug}", 1)
                       .rstrip("?"), 301))
    if not include_deleted and not policy.can_view(acting_user(), sheet):
        abort(404)  # a draft others may not see does not exist for them
    return sheet


@bp.get("/<slug>")
def view(slug: str):
    db = get_session()
    sheet, redirected = sheets.find(db, slug, include_deleted=True)
    if sheet is None or not (sheet.is_deleted or policy.can_view(acting_user(), sheet)):
        return render_template("sheets/missing.html", slug=slug), 404  # a hidden draft too
    if redirected:
        flash(_("Redirected from %(old)s.", old=slug), "info")
        return redirect(url_for(".view", slug=sheet.slug), 301)
    if sheet.is_deleted:
        return render_template("sheets/deleted.html", sheet=sheet,
                               may_see_title=policy.can_see_title(acting_user(), sheet),
                               may_restore=policy.can_restore(acting_user(), sheet)), 410
    revision = sheets.current_revision(db, sheet)
    return render_template(
        "sheets/view.html", sheet=sheet, revision=revision, rendered=render_revision(revision),
        author=db.get(User, revision.author_id) if revision.author_id else None,
        organization=db.get(Organization, sheet.organization_id) if sheet.organization_id else None,
        translations=_translations(sheet), user=acting_user(), policy=policy,
        carbon=carbon_panel.panel(revision.fields))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    user = acting_user()
    require(policy.can_create(user))
    if request.method == "GET":
        values = forms.values_from_query(request.args)
        return render_template("sheets/edit.html", sheet=None, values=values, errors={})
    values = forms.values_from_request(request.form)
    try:
        content = sheets.Content.checked(**forms.content_arguments(values))
    except InvalidFields as invalid:
        return _form_again(None, values, invalid.errors)
    if request.form.get("action") == "preview":
        return _form_again(None, values, {}, preview=content, status=200)
    db = get_session()
    try:
        sheet = editing.create_sheet(db, content, author=user,
                                     organization_id=user.organization_id,
                                     slug=request.form.get("slug") or None,
                                     edit_summary=request.form.get("edit_summary", ""))
    except sheets.SlugTaken as taken:
        return _form_again(None, values, {"title": _slug_taken_error(str(taken))})
    except InvalidFields as invalid:
        return _form_again(None, values, invalid.errors)
    db.commit()
    flash(_("The sheet was created.") if sheet.status == "published" else _(
        "The draft was saved. Submit it for review when it is ready."), "success")
    return redirect(url_for(".view", slug=sheet.slug), 303)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    db = get_session()
    sheet = load_sheet(slug)
    user = acting_user()
    require(policy.can_edit(user, sheet))
    current = sheets.current_revision(db, sheet)
    if request.method == "GET":
        return render_template("sheets/edit.html", sheet=sheet, values=forms.values_from_content(
            current), errors={}, base_revision_id=current.id)
    values = forms.values_from_request(request.form)
    base_id = _int_or_none(request.form.get("base_revision_id"))
    try:
        content = sheets.Content.checked(**forms.content_arguments(values))
    except InvalidFields as invalid:
        return _form_again(sheet, values, invalid.errors, base_revision_id=base_id)
    if request.form.get("action") == "preview":
        return _form_again(sheet, values, {}, preview=content, status=200,
                           base_revision_id=base_id)
    new_slug = request.form.get("slug", "").strip() or None
    if new_slug and new_slug != sheet.slug:
        require(policy.can_rename(user, sheet))
    try:
        content = gallery.keep_gallery(db, content, base_id)  # the form has no photos
        editing.save_edit(db, sheet, content, author=user, base_revision_id=base_id,
                          edit_summary=request.form.get("edit_summary", ""), new_slug=new_slug)
    except sheets.StaleRevision as conflict:
        db.rollback()
        return _conflict(sheet, values, base_id, conflict.current)
    except sheets.NothingChanged:
        flash(_("Nothing changed, so no new revision was saved."), "info")
        return redirect(url_for(".view", slug=sheet.slug), 303)
    except sheets.SlugTaken as taken:
        db.rollback()
        return _form_again(sheet, values, {"slug": _slug_taken_error(str(taken))},
                           base_revision_id=base_id)
    except InvalidFields as invalid:
        db.rollback()
        return _form_again(sheet, values, invalid.errors, base_revision_id=base_id)
    db.commit()
    flash(_("Your changes were saved."), "success")
    return redirect(url_for(".view", slug=sheet.slug), 303)


@bp.get("/<slug>/history")
def history(slug: str):
    db = get_session()
    sheet = load_sheet(slug)
    revisions = sheets.history(db, sheet)
    authors = _authors(revisions)
    return render_template("sheets/history.html", sheet=sheet, revisions=revisions,
                           authors=authors, may_revert=policy.can_revert(acting_user(), sheet))


@bp.get("/<slug>/revisions/<int:number>")
def revision(slug: str, number: int):
    db = get_session()
    sheet = load_sheet(slug)
    revision = sheets.revision_by_number(db, sheet, number) or abort(404)
    return render_template("sheets/revision.html", sheet=sheet, revision=revision,
                           rendered=render_revision(revision),
                           author=db.get(User, revision.author_id) if revision.author_id else None,
                           may_revert=policy.can_revert(acting_user(), sheet))


@bp.get("/<slug>/diff/<int:a>/<int:b>")
def diff(slug: str, a: int, b: int):
    db = get_session()
    sheet = load_sheet(slug)
    old = sheets.revision_by_number(db, sheet, min(a, b)) or abort(404)
    new = sheets.revision_by_number(db, sheet, max(a, b)) or abort(404)
    return render_template("sheets/diff.html", sheet=sheet,
                           diff=compare(old, new, describe_for_diff),
                           authors=_authors([old, new]), full=request.args.get("full") == "1",
                           may_revert=policy.can_revert(acting_user(), sheet))


@bp.get("/<slug>/diff")
def diff_from_form(slug: str):
    """The history page's "compare selected revisions" form lands here."""
    a, b = _int_or_none(request.args.get("old")), _int_or_none(request.args.get("new"))
    if a is None or b is None:
        flash(_("Choose two revisions to compare."), "error")
        return redirect(url_for(".history", slug=slug), 303)
    return redirect(url_for(".diff", slug=slug, a=a, b=b), 303)


@bp.post("/<slug>/revert/<int:number>")
@login_required
def revert(slug: str, number: int):
    db = get_session()
    sheet = load_sheet(slug)
    require(policy.can_revert(acting_user(), sheet))
    try:
        editing.revert(db, sheet, number, author=acting_user(),
                       base_revision_id=form_input.revert_base("base_revision_id"))
    except sheets.StaleRevision:
        db.rollback()
        flash(_("Someone saved the sheet meanwhile; look at the history and try again."), "error")
        return redirect(url_for(".history", slug=sheet.slug), 303)
    except sheets.NothingChanged:
        flash(_("Revision %(n)d is the same as the current one.", n=number), "info")
        return redirect(url_for(".view", slug=sheet.slug), 303)
    except sheets.SheetError:
        abort(404)
    db.commit()
    flash(_("Reverted to revision %(n)d (saved as a new revision).", n=number), "success")
    return redirect(url_for(".view", slug=sheet.slug), 303)


@bp.post("/<slug>/delete")
@login_required
def delete(slug: str):
    db = get_session()
    sheet = load_sheet(slug)
    require(policy.can_delete(acting_user(), sheet))
    sheets.soft_delete(db, sheet)
    db.commit()
    flash(_("The sheet was deleted. It can be restored."), "success")
    return redirect(url_for(".view", slug=sheet.slug), 303)


@bp.post("/<slug>/restore")
@login_required
def restore(slug: str):
    db = get_session()
    sheet = load_sheet(slug, include_deleted=True)
    require(policy.can_restore(acting_user(), sheet))
    sheets.restore(db, sheet)
    db.commit()
    flash(_("The sheet was restored."), "success")
    return redirect(url_for(".view", slug=sheet.slug), 303)


def _form_again(sheet, values, errors, *, preview=None, status=422, base_revision_id=None):
    if errors:
        flash(_("Please correct the fields marked below."), "error")
    rendered = render_body(preview.body) if preview else None
    return render_template("sheets/edit.html", sheet=sheet, values=values, errors=errors,
                           preview=preview, rendered=rendered,
                           base_revision_id=base_revision_id), status


def _conflict(sheet, values, base_id, current):
    """Nothing is lost: the user's text stays in the form, beside what the other person did."""
    db = get_session()
    base = db.get(sheets.Revision, base_id) if base_id else None
    their_change = (compare(base, current, describe_for_diff)
                    if base and base.sheet_id == sheet.id else None)
    return render_template("sheets/conflict.html", sheet=sheet, values=values, errors={},
                           current=current, their_change=their_change,
                           authors=_authors([current]), base_revision_id=current.id), 409


def _slug_taken_error(slug: str) -> FieldError:
    return FieldError("The address %(value)s is already used by another sheet.", {"value": slug})


def _authors(revisions) -> dict[int, User]:
    ids = {revision.author_id for revision in revisions if revision.author_id}
    db = get_session()
    return {user_id: db.get(User, user_id) for user_id in ids}


def _translations(sheet: Sheet) -> list[Sheet]:
    root = sheet.translation_of_id or sheet.id
    query = select(Sheet).where(or_(Sheet.id == root, Sheet.translation_of_id == root),
                                Sheet.id != sheet.id, Sheet.deleted_at.is_(None))
    user = acting_user()
    return [other for other in get_session().exec(query) if policy.can_view(user, other)]


def _int_or_none(value) -> int | None:
    return database_int(value)  # a number past INTEGER is no id either (issue 11)
