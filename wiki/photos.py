"""A sheet's gallery page (issue 16): add, describe, reorder and remove photos.

Whoever may edit the sheet may change its gallery; every change is a revision of the sheet
(practices.gallery), sent with the revision the editor looked at, so that a gallery changed
meanwhile gets the conflict answer instead of being overwritten. The photos themselves are
uploads (/uploads/<name>, immutable caching); the templates' helpers below build their
addresses and `srcset`.
"""

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from practices import gallery, photos, policy, sheets
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.input_guard import database_int
from wiki.rendering import term_label
from wiki.sheets import load_sheet
from wiki.uploads import configured_store

bp = Blueprint("photos", __name__, url_prefix="/practices")


@bp.get("/<slug>/photos")
@login_required
def manage(slug: str):
    sheet = _editable(slug)
    return _page(sheet)


@bp.post("/<slug>/photos")
@login_required
def add(slug: str):
    sheet = _editable(slug)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _page(sheet, errors={"file": _("Choose an image file to upload.")}, status=422)
    return _change(sheet, lambda db, base: gallery.add(
        db, sheet, configured_store(), file.stream, request.form,
        original_name=file.filename, author=acting_user(), base_revision_id=base),
        _("The photo was added."))


@bp.post("/<slug>/photos/<file>")
@login_required
def describe(slug: str, file: str):
    sheet = _editable(slug)
    return _change(sheet, lambda db, base: gallery.describe(
        db, sheet, file, request.form, author=acting_user(), base_revision_id=base),
        _("The description of the photo was saved."), editing=file)


@bp.post("/<slug>/photos/<file>/move")
@login_required
def move(slug: str, file: str):
    sheet = _editable(slug)
    offset = -1 if request.form.get("direction") == "earlier" else 1
    return _change(sheet, lambda db, base: gallery.move(
        db, sheet, file, offset, author=acting_user(), base_revision_id=base),
        _("The photo was moved."))


@bp.post("/<slug>/photos/<file>/remove")
@login_required
def remove(slug: str, file: str):
    sheet = _editable(slug)
    return _change(sheet, lambda db, base: gallery.remove(
        db, sheet, file, author=acting_user(), base_revision_id=base),
        _("The photo was removed from the gallery (older revisions keep it)."))


def _editable(slug: str):
    sheet = load_sheet(slug)
    require(policy.can_edit(acting_user(), sheet))
    return sheet


def _change(sheet, operation, done: str, *, editing: str | None = None):
    """Run one gallery operation; every refusal re-shows the page with nothing saved."""
    db = get_session()
    base = database_int(request.form.get("base_revision_id"))
    try:
        operation(db, base)
    except photos.PhotoError as refused:
        db.rollback()
        errors = {refused.field: _(refused.message, **refused.params)}
        return _page(sheet, errors=errors, editing=editing, status=422)
    except sheets.StaleRevision:
        db.rollback()
        flash(_("Someone changed this sheet meanwhile: here is its gallery now. "
                "Nothing was saved; try again."), "error")
        return _page(sheet, status=409)
    except gallery.NoSuchPhoto:
        db.rollback()
        abort(404)
    except sheets.NothingChanged:
        db.rollback()
        flash(_("Nothing changed, so no new revision was saved."), "info")
        return redirect(url_for(".manage", slug=sheet.slug), 303)
    db.commit()
    flash(done, "success")
    return redirect(url_for(".manage", slug=sheet.slug), 303)


def _page(sheet, *, errors=None, editing=None, status=200):
    if errors:
        flash(_("Please correct the fields marked below."), "error")
    current = sheets.current_revision(get_session(), sheet)
    return render_template("sheets/photos.html", sheet=sheet, revision=current,
                           photos=gallery.photos_of(current), errors=errors or {},
                           editing=editing, values=request.form,
                           photo_limit_mb=_upload_limit() // 2**20), status


def _upload_limit() -> int:
    """What a browser may send here: the photos' own limit or the request's, the lower."""
    return min(photos.MAX_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or photos.MAX_BYTES)


# For templates ---------------------------------------------------------------------------


def photo_url(entry, width: int | None = None) -> str:
    """The photo itself, or its copy `width` pixels wide."""
    name = photos.copy_name(entry["file"], width) if width else entry["file"]
    return url_for("uploads.file", name=name)


def photo_srcset(entry) -> str:
    """Every size of the photo, for the browser to pick the one the layout needs."""
    sizes = [f"{photo_url(entry, width)} {width}w" for width in entry.get("widths") or ()]
    return ", ".join(sizes + [f"{photo_url(entry)} {entry['width']}w"])


def photo_thumbnail(entry) -> str:
    """The smallest size, for result cards and the map popup."""
    widths = entry.get("widths") or ()
    return photo_url(entry, min(widths)) if widths else photo_url(entry)


def photo_license(code: str) -> str:
    if code == "all-rights-reserved":
        return _("All rights reserved (used with permission)")
    return term_label(code, "licenses")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(photo_url=photo_url, photo_srcset=photo_srcset,
                                 photo_thumbnail=photo_thumbnail, photo_license=photo_license,
                                 PHOTO_LICENSES=photos.LICENSES)
