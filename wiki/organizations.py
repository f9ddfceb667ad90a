"""Public pages of organisations (partners) and colleges: what they contributed, who belongs.

`/colleges/<slug>` is the college page's contract (the discussion feature adds its threads)."""

from flask import Blueprint, abort, redirect, render_template, url_for

from practices import organizations
from practices.models import College, Organization
from wiki.auth import acting_user
from wiki.db import get_session

bp = Blueprint("groups", __name__)


@bp.get("/organizations/")
def organization_list():
    db = get_session()
    return render_template("organizations/list.html",
                           groups=organizations.listing(db, Organization),
                           counts=organizations.member_counts(db, Organization))


@bp.get("/organizations/<slug>")
def organization(slug: str):
    return _page(Organization, slug, "organizations/view.html", ".organization")


@bp.get("/colleges/")
def college_list():
    db = get_session()
    return render_template("colleges/list.html", groups=organizations.listing(db, College),
                           counts=organizations.member_counts(db, College))


@bp.get("/colleges/<slug>")
def college(slug: str):
    return _page(College, slug, "colleges/view.html", ".college")


def _page(model, slug: str, template: str, endpoint: str):
    db = get_session()
    group = organizations.find(db, model, slug) or abort(404)
    if group.merged_into_id is not None:  # old addresses of merged groups keep working
        target = db.get(model, group.merged_into_id)
        if target is not None:
            return redirect(url_for(endpoint, slug=target.slug), 301)
    return render_template(template, group=group,
                           sheets=organizations.sheets_of(db, group, acting_user()),
                           members=organizations.members(db, group))
