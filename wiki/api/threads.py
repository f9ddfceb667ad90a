"""Discussion threads of a sheet through the API: anyone who may see the sheet reads its open
threads (a college's threads: its members and moderators); members start threads and
comment. The rules are those of the discussion pages (`practices.discussions`)."""

from flask import request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import discussions, policy
from practices.discussions import DiscussionConflict, DiscussionError, DiscussionForbidden
from practices.models import College, Sheet, Thread
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import (
    Author,
    CollegeRef,
    CommentCreate,
    CommentOut,
    ThreadCreate,
    ThreadDetail,
    ThreadList,
    ThreadSummaryOut,
)
from wiki.api.sheets import load, refuse
from wiki.api.spec import WRITE_ERRORS, api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session

TAGS = ("discussions",)


def _summary(summary: discussions.ThreadSummary, sheet: Sheet) -> dict:
    thread = summary.thread
    return {
        "id": thread.id, "title": thread.title,
        "college": CollegeRef(slug=summary.college.slug, name=summary.college.name)
        if summary.college else None,
        "author": Author(name=summary.author.name) if summary.author else None,
        "created_at": thread.created_at, "last_activity_at": thread.last_activity_at,
        "resolved": thread.resolved_at is not None, "comment_count": summary.comments,
        "url": url_for("api.get_thread", slug=sheet.slug, thread_id=thread.id)}


def _comment(view: discussions.CommentView, moderator: bool) -> CommentOut:
    comment = view.comment
    hidden = comment.hidden_at is not None
    return CommentOut(id=comment.id, author=Author(name=view.author.name) if view.author else None,
                      body="" if hidden and not moderator else comment.body,
                      quote=comment.quote, revision_number=comment.revision_number,
                      created_at=comment.created_at, edited_at=comment.edited_at, hidden=hidden,
                      replies=[_comment(reply, moderator) for reply in view.replies])


def _visible_thread(sheet: Sheet, thread_id: int) -> Thread:
    thread = discussions.thread_by_id(get_session(), thread_id)
    if thread is None or thread.sheet_id != sheet.id or not discussions.can_see_thread(
            acting_user(), thread):
        raise ApiError(404, _("This sheet has no thread %(n)d, or you may not see it.",
                              n=thread_id))
    return thread


def _detail(sheet: Sheet, thread: Thread) -> ThreadDetail:
    db = get_session()
    user = acting_user()
    summary = next(found for found in discussions.threads_of(db, sheet, user)
                   if found.thread.id == thread.id)
    moderator = policy.can_moderate_comments(user)
    return ThreadDetail(**_summary(summary, sheet), comments=[
        _comment(view, moderator) for view in discussions.comments_of(db, thread)])


@bp.get("/practices/<slug>/threads")
@api_spec.validate(resp=responses({200: ThreadList}, 404), tags=TAGS,
                   operation_id="listThreads")
def list_threads(slug: str):
    """A sheet's discussion threads you may see, most recently active first"""
    sheet = load(slug)
    return ThreadList(items=[ThreadSummaryOut(**_summary(summary, sheet)) for summary in
                             discussions.threads_of(get_session(), sheet, acting_user())])


@bp.get("/practices/<slug>/threads/<int:thread_id>")
@api_spec.validate(resp=responses({200: ThreadDetail}, 404), tags=TAGS,
                   operation_id="getThread")
def get_thread(slug: str, thread_id: int):
    """A thread with its comments and their replies"""
    sheet = load(slug)
    return _detail(sheet, _visible_thread(sheet, thread_id))


def _refused(error: DiscussionError) -> ApiError:
    """403 for what the caller may not do, 409 for a reference to something that is not
    there (a revision, a comment to answer, a college), 422 for the rest."""
    status = 403 if isinstance(error, DiscussionForbidden) else \
        409 if isinstance(error, DiscussionConflict) else 422
    return ApiError(status, _(str(error)), code="refused")


@bp.post("/practices/<slug>/threads")
@api_spec.validate(json=ThreadCreate, resp=responses({201: ThreadDetail}, *WRITE_ERRORS, 409),
                   tags=TAGS, operation_id="startThread", security={"bearerAuth": []})
def start_thread(slug: str):
    """Start a thread about a sheet (members)"""
    sheet = load(slug)
    user = acting_user()
    if not policy.can_comment(user, sheet):
        refuse()
    body = request.context.json
    db = get_session()
    college_id = None
    if body.college:
        college = db.exec(select(College).where(College.slug == body.college)).first()
        if college is None:
            raise ApiError(409, _("There is no college %(slug)s.", slug=body.college),
                           code="refused", fields={"college": _("Unknown college.")})
        college_id = college.id
    try:
        thread = discussions.start_thread(db, sheet, user, title=body.title, body=body.body,
                                          college_id=college_id, quote=body.quote,
                                          revision_number=body.revision_number)
    except DiscussionError as error:
        db.rollback()
        raise _refused(error) from None
    db.commit()
    location = url_for("api.get_thread", slug=sheet.slug, thread_id=thread.id)
    return _detail(sheet, thread), 201, {"Location": location}


@bp.post("/practices/<slug>/threads/<int:thread_id>/comments")
@api_spec.validate(json=CommentCreate, resp=responses({201: CommentOut}, *WRITE_ERRORS, 409),
                   tags=TAGS, operation_id="addComment", security={"bearerAuth": []})
def add_comment(slug: str, thread_id: int):
    """Comment in a thread, or answer a comment with `parent_id` (members)"""
    sheet = load(slug)
    thread = _visible_thread(sheet, thread_id)
    user = acting_user()
    if not policy.can_comment(user, sheet):
        refuse()
    body = request.context.json
    db = get_session()
    try:
        comment = discussions.reply(db, thread, user, body=body.body, parent_id=body.parent_id,
                                    quote=body.quote, revision_number=body.revision_number)
    except DiscussionError as error:
        db.rollback()
        raise _refused(error) from None
    db.commit()
    view = discussions.CommentView(comment, user)
    return _comment(view, policy.can_moderate_comments(user)), 201
