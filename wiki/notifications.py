"""Notifications in the app (/notifications), watch buttons, settings and the private feed."""

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlmodel import select
from werkzeug.routing import BuildError

from practices import notifications, policy
from practices.models import College, Notification, Sheet, User, WatchTarget, new_feed_key
from practices.notifications import Event
from wiki.auth import acting_user, safe_next
from wiki.db import get_session

bp = Blueprint("notifications", __name__)


@dataclass(frozen=True)
class Told:
    """A notification as a reader sees it: one sentence and where it leads."""

    notification: Notification
    message: str
    url: str
    excerpt: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None

    @property
    def created_at(self) -> datetime:
        return self.notification.created_at


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def unread_notifications():
        def count() -> int:
            user = acting_user()
            return notifications.unread_count(get_session(), user) if user else 0

        return {"unread_notifications": count, "is_watching": is_watching}


@bp.get("/notifications")
@login_required
def inbox():
    db, user = get_session(), acting_user()
    page = notifications.inbox(db, user, page=request.args.get("page", 1, type=int))
    settings = notifications.settings_of(db, user)
    db.commit()  # the first visit gives the user their private feed address
    return render_template("notifications/inbox.html", inbox=page,
                           told=describe_all(page.notifications),
                           watched=_watched(user), settings=settings)


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Follow a notification: it is read once opened."""
    db, user = get_session(), acting_user()
    notification = db.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        abort(404)
    notifications.mark_read(db, user, notification_id)
    db.commit()
    return redirect(describe_all([notification])[0].url, 303)


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    db = get_session()
    changed = notifications.mark_read(db, acting_user())
    db.commit()
    if changed:
        flash(_("All notifications marked as read."), "success")
    return redirect(url_for(".inbox"), 303)


@bp.post("/notifications/settings")
@login_required
def save_settings():
    db = get_session()
    settings = notifications.settings_of(db, acting_user())
    if request.form.get("action") == "new-feed-key":
        settings.feed_key = new_feed_key()
        flash(_("Your feed has a new address; the old one no longer works."), "success")
    else:
        settings.email = request.form.get("email") == "on"
        flash(_("E-mail notifications are on.") if settings.email
              else _("E-mail notifications are off."), "success")
    db.commit()
    return redirect(url_for(".inbox"), 303)


@bp.post("/watch")
@login_required
def watch():
    return _change_watch(notifications.watch, _("You are watching this now."))


@bp.post("/unwatch")
@login_required
def unwatch():
    return _change_watch(notifications.unwatch, _("You stopped watching this."))


def _change_watch(change, message: str):
    db, user = get_session(), acting_user()
    target = request.form.get("target", "")
    target_id = request.form.get("target_id", type=int)
    if target not in WatchTarget.ALL or target_id is None or not _may_watch(target, target_id):
        abort(400, _("There is nothing to watch there."))
    change(db, user, target, target_id)
    db.commit()
    flash(message, "success")
    return redirect(safe_next(request.form.get("next")), 303)


def _may_watch(target: str, target_id: int) -> bool:
    db, user = get_session(), acting_user()
    if target == WatchTarget.SHEET:
        sheet = db.get(Sheet, target_id)
        return sheet is not None and policy.can_view(user, sheet)
    if target == WatchTarget.COLLEGE:
        return db.get(College, target_id) is not None
    from practices import discussions

    thread = discussions.thread_by_id(db, target_id)
    return thread is not None and discussions.can_see_thread(user, thread)


def is_watching(target: str, target_id: int) -> bool:
    return notifications.is_watching(get_session(), acting_user(), target, target_id)


# Describing -----------------------------------------------------------------------------

MESSAGES = {
    Event.EDIT: lambda a, s: _("%(actor)s edited “%(sheet)s”", actor=a, sheet=s),
    Event.COMMENT: lambda a, s: _("%(actor)s commented on “%(sheet)s”", actor=a, sheet=s),
    Event.REPLY: lambda a, s: _("%(actor)s replied in a discussion of “%(sheet)s”",
                                actor=a, sheet=s),
    Event.MENTION: lambda a, s: _("%(actor)s mentioned you in a discussion of “%(sheet)s”",
                                  actor=a, sheet=s),
    Event.SUBMITTED: lambda a, s: _("%(actor)s submitted “%(sheet)s” for review",
                                    actor=a, sheet=s),
    Event.PUBLISHED: lambda a, s: _("%(actor)s published “%(sheet)s”", actor=a, sheet=s),
    Event.RETURNED: lambda a, s: _("%(actor)s returned “%(sheet)s” to its authors",
                                   actor=a, sheet=s),
    Event.ENDORSEMENT: lambda a, s: _("%(actor)s endorsed “%(sheet)s”", actor=a, sheet=s),
    Event.ENDORSEMENT_WITHDRAWN: lambda a, s: _(
        "%(actor)s withdrew an endorsement of “%(sheet)s”", actor=a, sheet=s),
}


def describe_all(rows: list[Notification], db=None) -> list[Told]:
    db = db or get_session()
    sheets = _by_id(db, Sheet, {row.sheet_id for row in rows})
    actors = _by_id(db, User, {row.actor_id for row in rows})
    told = []
    for row in rows:
        sheet, actor = sheets.get(row.sheet_id), actors.get(row.actor_id)
        actor_name = actor.name if actor else _("The importer")
        sheet_title = sheet.title if sheet else _("a deleted sheet")
        told.append(Told(row, MESSAGES[row.event](actor_name, sheet_title),
                         _target_url(row, sheet), row.excerpt))
    return told


def _by_id(db, model, ids: set) -> dict:
    ids.discard(None)
    if not ids:
        return {}
    return {row.id: row for row in db.exec(select(model).where(model.id.in_(ids)))}


def _target_url(row: Notification, sheet: Sheet | None) -> str:
    if sheet is None:
        return url_for(".inbox")
    if row.event == Event.EDIT and row.revision_number and row.revision_number > 1:
        return url_for("sheets.diff", slug=sheet.slug, a=row.revision_number - 1,
                       b=row.revision_number)
    if row.thread_id is not None:
        return _thread_url(sheet, row.thread_id, row.comment_id)
    return url_for("sheets.view", slug=sheet.slug)


def _thread_url(sheet: Sheet, thread_id: int, comment_id: int | None) -> str:
    anchor = f"#comment-{comment_id}" if comment_id else ""
    try:
        return url_for("discussions.thread", slug=sheet.slug, thread_id=thread_id) + anchor
    except BuildError:  # the discussion pages name their routes differently
        return url_for("sheets.view", slug=sheet.slug)


def _watched(user: User) -> list[Sheet]:
    return [sheet for sheet in notifications.watched_sheets(get_session(), user)
            if policy.can_view(user, sheet)]
