"""Discussion pages of a sheet, comment moderation, and endorsements by colleges."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlmodel import select

from practices import discussions, endorsements, policy, sheets
from practices.discussions import DiscussionError
from practices.endorsements import EndorsementError
from practices.models import College, Comment, Endorsement, Thread
from wiki import form_input
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.rendering import college_text, render_body
from wiki.sheets import load_sheet

bp = Blueprint("discussions", __name__)


@bp.get("/practices/<slug>/discussion")
def index(slug: str):
    return _index_page(load_sheet(slug))


@bp.post("/practices/<slug>/discussion")
@login_required
def start(slug: str):
    sheet, db, user = load_sheet(slug), get_session(), acting_user()
    require(policy.can_comment(user, sheet))
    form = request.form
    try:
        thread = discussions.start_thread(
            db, sheet, user, title=form.get("title", ""), body=form.get("body", ""),
            college_id=form.get("college_id", type=int) or None, quote=form.get("quote", ""),
            revision_number=form.get("revision_number", type=int))
    except DiscussionError as error:
        db.rollback()
        flash(_(str(error)), "error")
        return _index_page(sheet, form=form, status=422)
    db.commit()
    return redirect(url_for(".thread", slug=sheet.slug, thread_id=thread.id), 303)


@bp.get("/practices/<slug>/discussion/<int:thread_id>")
def thread(slug: str, thread_id: int):
    sheet = load_sheet(slug)
    found = _visible_thread(sheet, thread_id)
    return _thread_page(sheet, found)


@bp.post("/practices/<slug>/discussion/<int:thread_id>/reply")
@login_required
def reply(slug: str, thread_id: int):
    sheet, db, user = load_sheet(slug), get_session(), acting_user()
    found = _visible_thread(sheet, thread_id)
    form = request.form
    try:
        comment = discussions.reply(db, found, user, body=form.get("body", ""),
                                    parent_id=form.get("parent_id", type=int),
                                    quote=form.get("quote", ""),
                                    revision_number=form.get("revision_number", type=int))
    except DiscussionError as error:
        db.rollback()
        flash(_(str(error)), "error")
        return _thread_page(sheet, found, form=form, status=422)
    db.commit()
    return redirect(url_for(".thread", slug=slug, thread_id=thread_id)
                    + f"#comment-{comment.id}", 303)


@bp.post("/practices/<slug>/discussion/<int:thread_id>/resolve")
@login_required
def resolve(slug: str, thread_id: int):
    sheet, db = load_sheet(slug), get_session()
    found = _visible_thread(sheet, thread_id)
    resolved = form_input.pressed("action", ("resolve", "reopen")) == "resolve"
    _attempt(lambda: discussions.set_resolved(db, found, acting_user(), resolved),
             _("Thread marked as resolved.") if resolved else _("Thread reopened."))
    return redirect(url_for(".thread", slug=slug, thread_id=thread_id), 303)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    comment, found, sheet = _comment_context(comment_id)
    require(policy.can_edit_comment(acting_user(), comment.author_id))
    db = get_session()
    if request.method == "POST":
        body = request.form.get("body", "")
        base_version = form_input.edit_base("base_version")
        try:
            discussions.edit_comment(db, comment, acting_user(), body,
                                     base_version=base_version)
        except DiscussionError as error:
            db.rollback()
            flash(_(str(error)), "error")
            stale = isinstance(error, discussions.StaleComment)
            return render_template(  # a stale edit: the current text beside theirs, new base
                "discussions/edit.html", comment=comment, thread=found, sheet=sheet, body=body,
                current=comment.body if stale else None,
                base_version=discussions.version_of(db, comment) if stale else base_version,
            ), 409 if stale else 422
        db.commit()
        flash(_("Comment updated; the earlier text is kept in its history."), "success")
        return redirect(_comment_url(sheet, comment), 303)
    return render_template("discussions/edit.html", comment=comment, thread=found, sheet=sheet,
                           body=comment.body, base_version=discussions.version_of(db, comment))


@bp.get("/comments/<int:comment_id>/history")
def comment_history(comment_id: int):
    comment, found, sheet = _comment_context(comment_id)
    if comment.hidden_at and not policy.can_moderate_comments(acting_user()):
        abort(404)
    versions = discussions.versions_of(get_session(), comment)
    return render_template("discussions/history.html", comment=comment, thread=found,
                           sheet=sheet, versions=versions, render=render_body)


# What each moderation action does, and what it tells the user once done.
MODERATION = {
    "hide": (discussions.hide_comment, lambda: _("Comment hidden.")),
    "show": (lambda db, comment, user, _reason: discussions.show_comment(db, comment, user),
             lambda: _("Comment shown again.")),
    "report": (discussions.report_comment,
               lambda: _("Thank you: the moderators will look at this comment.")),
}


@bp.post("/comments/<int:comment_id>/<any(hide, show, report):action>")
@login_required
def moderate(comment_id: int, action: str):
    """Hide or show a comment (moderators), or report it to them (members)."""
    comment, _thread, sheet = _comment_context(comment_id)
    db, (change, done) = get_session(), MODERATION[action]
    _attempt(lambda: change(db, comment, acting_user(), request.form.get("reason", "")), done())
    return redirect(_comment_url(sheet, comment), 303)


@bp.post("/practices/<slug>/endorse")
@login_required
def endorse(slug: str):
    sheet, db = load_sheet(slug), get_session()
    college = db.get(College, request.form.get("college_id", type=int) or 0)
    if college is None:
        abort(400, _("Choose the college that endorses the sheet."))
    _attempt(lambda: endorsements.endorse(db, sheet, college, acting_user(),
                                          request.form.get("statement", "")),
             _("%(college)s now endorses this sheet.", college=college_text(college.name)),
             errors=EndorsementError)
    return redirect(url_for("sheets.view", slug=sheet.slug) + "#endorsements", 303)


@bp.post("/endorsements/<int:endorsement_id>/withdraw")
@login_required
def withdraw(endorsement_id: int):
    db = get_session()
    endorsement = db.get(Endorsement, endorsement_id) or abort(404)
    sheet = load_sheet(_slug_of(endorsement.sheet_id))
    _attempt(lambda: endorsements.withdraw(db, endorsement, acting_user()),
             _("The endorsement was withdrawn."), errors=EndorsementError)
    return redirect(url_for("sheets.view", slug=sheet.slug) + "#endorsements", 303)


# Helpers ------------------------------------------------------------------------------------


def _attempt(action, success: str, errors=DiscussionError) -> bool:
    """Run a service call; commit and say so, or roll back and show its message."""
    db = get_session()
    try:
        action()
    except errors as error:
        db.rollback()
        flash(_(str(error)), "error")
        return False
    db.commit()
    flash(success, "success")
    return True


def _visible_thread(sheet, thread_id: int) -> Thread:
    found = get_session().get(Thread, thread_id)
    if found is None or found.sheet_id != sheet.id \
            or not discussions.can_see_thread(acting_user(), found):
        abort(404)  # a restricted thread does not exist for those outside the college
    return found


def _comment_context(comment_id: int):
    db = get_session()
    comment = db.get(Comment, comment_id) or abort(404)
    found = db.get(Thread, comment.thread_id)
    sheet = load_sheet(_slug_of(found.sheet_id))
    if not discussions.can_see_thread(acting_user(), found):
        abort(404)
    return comment, found, sheet


def _slug_of(sheet_id: int) -> str:
    sheet = get_session().get(sheets.Sheet, sheet_id)
    if sheet is None:
        abort(404)
    return sheet.slug


def _comment_url(sheet, comment: Comment) -> str:
    return url_for(".thread", slug=sheet.slug, thread_id=comment.thread_id) \
        + f"#comment-{comment.id}"


def _index_page(sheet, form=None, status: int = 200):
    db, user = get_session(), acting_user()
    member_of = discussions.colleges_of(db, user)
    colleges = list(db.exec(select(College).where(College.id.in_(member_of), College.active)
                            .order_by(College.name))) if member_of else []
    return render_template("discussions/index.html", sheet=sheet,
                           threads=discussions.threads_of(db, sheet, user), colleges=colleges,
                           may_comment=policy.can_comment(user, sheet), form=form or {},
                           current=sheets.current_revision(db, sheet)), status


def _thread_page(sheet, found: Thread, form=None, status: int = 200):
    db, user = get_session(), acting_user()
    college = db.get(College, found.college_id) if found.college_id else None
    return render_template(
        "discussions/thread.html", sheet=sheet, thread=found, college=college,
        comments=discussions.comments_of(db, found), render=render_body,
        may_comment=policy.can_comment(user, sheet),
        may_moderate=policy.can_moderate_comments(user),
        may_resolve=policy.can_resolve_thread(user, found.created_by_id),
        user=user, form=form or {}, handle_of=discussions.handle_of,
        current=sheets.current_revision(db, sheet)), status


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(discussion_count=_discussion_count,
                                 endorsements_for=_endorsements_for,
                                 endorsing_colleges=_endorsing_colleges,
                                 may_withdraw=_may_withdraw, college_space=_college_space)


def _discussion_count(sheet) -> int:
    return discussions.count_visible(get_session(), sheet, acting_user())


def _endorsements_for(sheet) -> list[endorsements.EndorsementView]:
    return endorsements.endorsements_of(get_session(), sheet)


def _endorsing_colleges(sheet) -> list[College]:
    """The colleges this user may endorse the sheet for."""
    db, user = get_session(), acting_user()
    member_of = discussions.colleges_of(db, user)
    if not member_of:
        return []
    colleges = db.exec(select(College).where(College.id.in_(member_of), College.active)
                       .order_by(College.name))
    return [college for college in colleges
            if policy.can_endorse(user, sheet, college.id, member_of)]


def _may_withdraw(endorsement: Endorsement) -> bool:
    user = acting_user()
    return policy.can_withdraw_endorsement(
        user, endorsement.college_id, discussions.colleges_of(get_session(), user))


def _college_space(college: College) -> dict:
    """What the college page shows besides members: threads, endorsed sheets, activity."""
    db, user = get_session(), acting_user()
    threads = discussions.college_threads(db, college, user)
    endorsed = endorsements.endorsed_sheets(db, college)
    activity = [(summary.thread.last_activity_at, _("Discussion “%(title)s” on %(sheet)s",
                                                      title=summary.thread.title,
                                                      sheet=sheet.title),
                 url_for("discussions.thread", slug=sheet.slug, thread_id=summary.thread.id))
                for summary, sheet in threads]
    activity += [(endorsement.created_at, _("Endorsed “%(sheet)s” (revision %(n)s)",
                                            sheet=sheet.title, n=endorsement.revision_number),
                  url_for("sheets.view", slug=sheet.slug))
                 for sheet, endorsement in endorsed]
    activity.sort(key=lambda item: item[0], reverse=True)
    return {"threads": threads, "endorsed": endorsed, "activity": activity[:15]}
