"""Atom feeds (RFC 4287), built with ElementTree so that escaping is never our business."""

from xml.etree import ElementTree as ET

from flask import Blueprint, Response, url_for
from flask_babel import gettext as _

from practices import catalog
from practices.models import utcnow
from wiki.db import get_session
from wiki.rendering import iso

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
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _feed(title: str, self_url: str, alternate_url: str, updated) -> ET.Element:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    _text(feed, "updated", iso(updated))
    _link(feed, self_url, "self")
    _link(feed, alternate_url, "alternate")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "practice-wiki")
    return feed


def _entry(feed: ET.Element, change: catalog.Change) -> None:
    revision, sheet = change.revision, change.sheet
    link = url_for("sheets.revision", slug=sheet.slug, number=revision.number, _external=True)
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", link)
    _text(entry, "title", f"{revision.title} ({_('revision %(n)d', n=revision.number)})")
    _text(entry, "updated", iso(revision.created_at))
    _link(entry, link, "alternate")
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", change.author.name if change.author else _("Importer"))
    _text(entry, "summary", revision.edit_summary or revision.summary or revision.title)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _link(parent: ET.Element, href: str, rel: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", href=href, rel=rel)
