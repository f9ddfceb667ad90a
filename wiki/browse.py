"""Home, the list of practices with filters, and recent changes."""

from flask import Blueprint, render_template

from practices import catalog
from wiki import search_views
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Counts and cards are of practices: a sheet and its translations are one."""
    db = get_session()
    recent = catalog.recent_sheets(db, language=current_language())
    return render_template("home.html", recent=recent,
                           others=search_views.other_languages(recent, acting_user()),
                           total=catalog.count_published(db, one_per_practice=True),
                           zones=catalog.facet_counts(db, {}, "agro_climatic_zones",
                                                      one_per_practice=True))


@bp.get("/practices/")
def practices():
    """Browse and faceted search: the page is built by the search feature (issue 4)."""
    return search_views.practices_page()


@bp.get("/recent")
def recent():
    """The latest change of each practice, under its title in the reader's language."""
    changes = catalog.recent_changes(get_session(), one_per_practice=True)
    return render_template("recent.html", changes=changes,
                           shown=search_views.in_readers_language(
                               [change.sheet for change in changes], acting_user()))
