"""The review workflow over HTTP: the sheet page's status panel, its transition buttons, and
the moderators' review queue."""

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from practices import policy, sheets, workflow
from practices.models import Sheet
from wiki.auth import acting_user, require
from wiki.db import get_session

bp = Blueprint("review", __name__)

TRANSITIONS = {
    "submit": (workflow.submit, policy.can_submit),
    "publish": (workflow.publish, policy.can_publish),
    "return": (workflow.return_to_authors, policy.can_return),
    "approve-edits": (workflow.approve_edits, policy.can_approve_edits),
}


def _done(transition: str) -> str:
    return {
        "submit": _("The sheet was submitted for review. A moderator will publish it or "
                    "return it with a comment."),
        "publish": _("The sheet is published."),
        "return": _("The sheet was returned to its authors with your comment."),
        "approve-edits": _("The edits were approved; the sheet is no longer flagged."),
    }[transition]


def status_panel(sheet: Sheet) -> workflow.StatusInfo:
    """For templates: the sheet's status, who published it, the latest return comment."""
    return workflow.status_info(get_session(), sheet)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(status_panel=status_panel)


@bp.post("/practices/<slug>/<any(submit, publish, return, 'approve-edits'):transition>")
@login_required
def move(slug: str, transition: str):
    db = get_session()
    sheet, _redirected = sheets.find(db, slug)
    user = acting_user()
    if sheet is None or not policy.can_view(user, sheet):
        abort(404)
    service, allowed = TRANSITIONS[transition]
    require(allowed(user, sheet))
    comment = request.form.get("comment", "").strip()[:2000]
    try:
        service(db, sheet, user, comment)
    except workflow.WorkflowError as refused:
        db.rollback()
        flash(_(str(refused)), "error")
        return redirect(url_for("sheets.view", slug=sheet.slug), 303)
    db.commit()
    flash(_done(transition), "success")
    return redirect(url_for("sheets.view", slug=sheet.slug), 303)


@bp.get("/review")
@login_required
def queue():
    require(policy.can_review(acting_user()))
    return render_template("admin/review.html", queue=workflow.review_queue(get_session()))
