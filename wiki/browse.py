"""Home, the list of practices with filters, and recent changes."""

from flask import Blueprint, render_template

from practices import catalog
from wiki import search_views
from wiki.db import get_session

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    db = get_session()
    return render_template("home.html", recent=catalog.recent_sheets(db),
                           total=catalog.count_published(db),
                           zones=catalog.facet_counts(db, {}, "agro_climatic_zones"))


@bp.get("/practices/")
def practices():
    """Browse and faceted search: the page is built by the search feature (issue 4)."""
    return search_views.practices_page()


@bp.get("/recent")
def recent():
    return render_template("recent.html", changes=catalog.recent_changes(get_session()))
