"""Atom feeds (RFC 4287), built with ElementTree so that escaping is never our business.

ElementTree (and its expat parser) is loaded by the first feed a worker serves: workers that
serve none keep it out (issue 12: RSS per worker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import catalog, discussions, endorsements, notifications, policy
from practices.models import College, Revision, Sheet, User, utcnow
from wiki.db import get_session
from wiki.rendering import college_text, iso

if TYPE_CHECKING:
    from xml.etree import ElementTree as ET

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
ATOM = "http://www.w3.org/2005/Atom"


@bp.get("/recent.atom")
def recent():
    changes = catalog.recent_changes(get_session(), limit=50)
    feed = _feed(_("Recent changes — practice-wiki"), url_for("feeds.recent", _external=True),
                 url_for("home.recent", _external=True),
                 changes[0].revision.created_at if changes else utcnow())
    for change in changes:
        _entry(feed, change)
    return _response(feed)


@bp.get("/practices/<slug>.atom")
def sheet(slug: str):
    """One sheet's changes, and the comments of its discussions that anyone may read."""
    db = get_session()
    found = db.exec(select(Sheet).where(Sheet.slug == slug)).first()
    if found is None or found.is_deleted or not policy.can_view(None, found):
        abort(404)
    rows = db.exec(select(Revision, User).join(User, User.id == Revision.author_id, isouter=True)
                   .where(Revision.sheet_id == found.id)
                   .order_by(Revision.number.desc()).limit(50)).all()
    comments = _public_comments(found)
    latest = max([revision.created_at for revision, _ in rows]
                 + [comment.updated for comment in comments], default=utcnow())
    feed = _feed(_("“%(title)s” — changes and discussion", title=found.title),
                 url_for("feeds.sheet", slug=slug, _external=True),
                 url_for("sheets.view", slug=slug, _external=True), latest)
    for revision, author in rows:
        _entry(feed, catalog.Change(revision, found, author))
    for comment in comments:
        _comment_entry(feed, comment)
    return _response(feed)


@bp.get("/colleges/<slug>.atom")
def college(slug: str):
    """What a college stands behind: its endorsements, given and withdrawn."""
    db = get_session()
    found = db.exec(select(College).where(College.slug == slug)).first()
    if found is None:
        abort(404)
    events = _college_events(found)
    feed = _feed(_("%(college)s — practice-wiki", college=college_text(found.name)),
                 url_for("feeds.college", slug=slug, _external=True),
                 url_for("groups.college", slug=slug, _external=True),
                 max((item.updated for item in events), default=found.created_at))
    for item in events:
        _item_entry(feed, item)
    return _response(feed)


@bp.get("/user/<key>.atom")
def user(key: str):
    """A user's notifications, behind a secret address (feed readers cannot sign in)."""
    db = get_session()
    owner = notifications.user_by_feed_key(db, key)
    if owner is None:
        abort(404)
    from wiki.notifications import describe_all

    inbox = notifications.inbox(db, owner, per_page=50)
    told = describe_all(inbox.notifications)
    feed = _feed(_("Notifications for %(name)s — practice-wiki", name=owner.name),
                 url_for("feeds.user", key=key, _external=True),
                 url_for("notifications.inbox", _external=True),
                 told[0].created_at if told else owner.created_at)
    for item in told:
        _item_entry(feed, FeedItem(
            f"{url_for('notifications.inbox', _external=True)}#n{item.notification.id}",
            item.message, _absolute(item.url), item.created_at, item.excerpt or item.message,
            None))
    return _response(feed)


def _response(feed: ET.Element) -> Response:
    from xml.etree import ElementTree as ET  # on first use (issue 12)

    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _feed(title: str, self_url: str, alternate_url: str, updated) -> ET.Element:
    from xml.etree import ElementTree as ET  # on first use (issue 12)

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    _text(feed, "updated", iso(updated))
    _link(feed, self_url, "self")
    _link(feed, alternate_url, "alternate")
    author = _child(feed, f"{{{ATOM}}}author")
    _text(author, "name", "practice-wiki")
    return feed


def _entry(feed: ET.Element, change: catalog.Change) -> None:
    revision, sheet = change.revision, change.sheet
    link = url_for("sheets.revision", slug=sheet.slug, number=revision.number, _external=True)
    entry = _child(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", link)
    _text(entry, "title", f"{revision.title} ({_('revision %(n)d', n=revision.number)})")
    _text(entry, "updated", iso(revision.created_at))
    _link(entry, link, "alternate")
    author = _child(entry, f"{{{ATOM}}}author")
    _text(author, "name", change.author.name if change.author else _("Importer"))
    _text(entry, "summary", revision.edit_summary or revision.summary or revision.title)


def _child(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """ElementTree's SubElement through the element itself: only the two functions that
    start and finish a feed need the module."""
    child = parent.makeelement(tag, attributes)
    parent.append(child)
    return child


def _text(parent: ET.Element, tag: str, text: str) -> None:
    _child(parent, f"{{{ATOM}}}{tag}").text = text


def _link(parent: ET.Element, href: str, rel: str) -> None:
    _child(parent, f"{{{ATOM}}}link", href=href, rel=rel)


# Items that are not revisions ------------------------------------------------------------


class FeedItem:
    def __init__(self, id: str, title: str, link: str, updated, summary: str,
                 author: str | None):
        self.id, self.title, self.link, self.updated = id, title, link, updated
        self.summary, self.author = summary, author


def _item_entry(feed: ET.Element, item: FeedItem) -> None:
    entry = _child(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", item.id)
    _text(entry, "title", item.title)
    _text(entry, "updated", iso(item.updated))
    _link(entry, item.link, "alternate")
    if item.author:
        author = _child(entry, f"{{{ATOM}}}author")
        _text(author, "name", item.author)
    _text(entry, "summary", item.summary)


def _absolute(url: str) -> str:
    from flask import request

    return url if url.startswith("http") else request.host_url.rstrip("/") + url


def _public_comments(sheet: Sheet) -> list[discussions.FeedComment]:
    """Comments of the sheet's open threads (never a college's restricted ones), not hidden."""
    return discussions.public_feed_items(
        get_session(), sheet,
        lambda thread: url_for("discussions.thread", slug=sheet.slug, thread_id=thread.id))


def _comment_entry(feed: ET.Element, comment: discussions.FeedComment) -> None:
    _item_entry(feed, FeedItem(_absolute(comment.url), comment.title, _absolute(comment.url),
                               comment.updated, comment.summary, comment.author))


def _college_events(college: College) -> list[FeedItem]:
    """Endorsements the college gave, and withdrew."""
    db = get_session()
    items = []
    name = college_text(college.name)
    for endorsement in endorsements.history_of(db, college):
        sheet = db.get(Sheet, endorsement.sheet_id)
        if sheet is None or not policy.can_view(None, sheet):
            continue
        link = _absolute(url_for("sheets.revision", slug=sheet.slug,
                                 number=endorsement.revision_number))
        items.append(FeedItem(f"{link}#endorsement-{endorsement.id}", _(
            "%(college)s endorsed “%(sheet)s” (revision %(n)s)", college=name,
            sheet=sheet.title, n=endorsement.revision_number), link, endorsement.created_at,
            endorsement.statement, None))
        if endorsement.withdrawn_at:
            items.append(FeedItem(f"{link}#withdrawn-{endorsement.id}", _(
                "%(college)s withdrew its endorsement of “%(sheet)s”",
                college=name, sheet=sheet.title), link, endorsement.withdrawn_at,
                endorsement.statement, None))
    return sorted(items, key=lambda item: item.updated, reverse=True)
