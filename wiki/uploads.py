"""Image uploads for sheet bodies: checked by content, kept in the upload store (the database
by default, so any node serves any file) and served a chunk at a time."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from practices import policy, upload_store, uploads
from wiki.auth import acting_user, require
from wiki.db import engine, get_session

bp = Blueprint("uploads", __name__, url_prefix="/uploads")
STORE_SETTINGS = (
    "UPLOAD_STORE",
    "UPLOAD_DIR",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PREFIX",
)
ONE_YEAR = 31536000
FILE_HEADERS = {  # an uploaded file is never a page that runs anything
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def configured_store() -> upload_store.UploadStore:
    """One store per app and configuration (an S3 client is worth keeping)."""
    config = current_app.config
    key = tuple(config.get(name) for name in STORE_SETTINGS)
    stores = current_app.extensions.setdefault("upload_stores", {})
    if key not in stores:
        stores[key] = upload_store.for_config(config)
    return stores[key]


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload():
    require(policy.can_upload(acting_user()))
    if request.method == "GET":
        return render_template("uploads/new.html")
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose an image file to upload."), "error")
        return render_template("uploads/new.html"), 422
    db = get_session()
    try:
        stored = uploads.store(
            db, configured_store(), file.stream, original_name=file.filename, uploader=acting_user()
        )
    except uploads.RejectedUpload as rejected:
        db.rollback()
        flash(_(str(rejected)), "error")
        return render_template("uploads/new.html"), 422
    db.commit()
    return render_template(
        "uploads/done.html", upload=stored, url=url_for(".file", name=stored.stored_name)
    )


@bp.get("/<name>")
def file(name: str):
    found = uploads.find(get_session(), name)
    if found is None or not found.sha256:  # not (yet) moved into the store by `uploads migrate`
        response = send_from_directory(current_app.config["UPLOAD_DIR"], name, max_age=ONE_YEAR)
        response.headers.update(FILE_HEADERS)
        return response
    store = configured_store()
    if not store.has(get_session(), found.sha256):
        abort(404)
    headers = {
        **FILE_HEADERS,
        "Cache-Control": f"public, max-age={ONE_YEAR}, immutable",
        "ETag": f'"{found.sha256}"',
    }
    if found.sha256 in request.if_none_match:
        return Response(status=304, headers=headers)
    response = Response(
        store.chunks(engine(), found.sha256), mimetype=found.content_type, headers=headers
    )
    response.content_length = found.size
    return response
