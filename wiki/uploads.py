"""Image uploads for sheet bodies: checked by content, stored under a random name."""

from flask import (
    Blueprint,
    current_app,
    flash,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from practices import policy, uploads
from wiki.auth import acting_user, require
from wiki.db import get_session

bp = Blueprint("uploads", __name__, url_prefix="/uploads")


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
        stored = uploads.store(db, current_app.config["UPLOAD_DIR"], file.stream,
                               original_name=file.filename, uploader=acting_user())
    except uploads.RejectedUpload as rejected:
        flash(_(str(rejected)), "error")
        return render_template("uploads/new.html"), 422
    db.commit()
    return render_template("uploads/done.html", upload=stored,
                           url=url_for(".file", name=stored.stored_name))


@bp.get("/<name>")
def file(name: str):
    response = send_from_directory(current_app.config["UPLOAD_DIR"], name, max_age=31536000)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

