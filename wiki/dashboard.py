"""`/dashboard` (issue 15): the "4 per 1000" dashboard, its figures one by one, their embeddable
variants and their data as CSV and JSON.

The numbers come from `practices.dashboard` (the same figures the API serves); this module reads
the filters from the address, draws each figure with `wiki.charts` and renders the pages. An
embed (`/dashboard/<name>?embed=1`) is the one kind of page other sites may frame
(`wiki.security.allow_framing`); every other page keeps refusing it.

The figures' modules (practices.dashboard and what it reads, wiki.charts, the cards) are loaded
on first use, by the first dashboard page a worker serves: workers that never draw the
dashboard keep them out (issue 12: RSS per worker).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, make_response, render_template, request, url_for
from flask_babel import gettext as _

from practices import organizations
from practices.fields import N_
from practices.models import College
from practices.vocab import vocabulary
from wiki import security
from wiki.api.dashboard import dashboard_store
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.errors import render_error
from wiki.i18n import current_language

if TYPE_CHECKING:
    from practices import dashboard

bp = Blueprint("dashboard", __name__)

FILTER_LABELS = {
    "region": N_("Region"),
    "country": N_("Country"),
    "college": N_("College"),
    "group": N_("Practice group"),
    "year_from": N_("From year"),
    "year_to": N_("To year"),
}


def filters() -> dashboard.Filters:
    """The filters in the address; a value that cannot be used ends the request with a 400
    that names the filter and says what it takes."""
    from practices import dashboard  # on first use (issue 12)

    try:
        return dashboard.Filters.from_args(request.args)
    except dashboard.InvalidFilter as invalid:
        label = _(FILTER_LABELS.get(invalid.field, invalid.field))
        abort(make_response(render_error(400, f"{label}: {_(invalid.message)}")))


def load_figure(name: str, chosen: dashboard.Filters) -> dashboard.Figure:
    """The figure, from the cache the API shares while the data has not changed."""
    from practices import dashboard  # on first use (issue 12)

    try:
        return dashboard.cached_figure(dashboard_store(), get_session(), acting_user(), name,
                                       chosen)
    except KeyError:
        abort(404)


@bp.get("/dashboard")
def index():
    from practices import dashboard  # on first use (issue 12)
    from wiki import dashboard_page_cache

    chosen = filters()
    return dashboard_page_cache.page(lambda: render_template(
        "dashboard/index.html", sections=sections(chosen), chosen=chosen,
        headline=dashboard.cached_headline(dashboard_store(), get_session(), acting_user(),
                                           chosen),
        query=chosen.to_args(), options=filter_options()))


def sections(chosen: dashboard.Filters) -> list[tuple[str, str, list]]:
    """(section, its title, the cards of its figures), in page order."""
    from practices import dashboard  # on first use (issue 12)
    from wiki.dashboard_cards import card

    figures = [load_figure(name, chosen) for name in dashboard.FIGURES]
    return [(section, _(dashboard.SECTION_TITLES[section]),
             [card(figure, chosen.to_args()) for figure in figures
              if figure.section == section])
            for section in dashboard.SECTIONS]


@bp.get("/dashboard/<name>")
def figure_page(name: str):
    chosen = filters()
    figure = load_figure(name, chosen)
    from wiki.dashboard_cards import card  # on first use (issue 12): draws with wiki.charts

    alone = card(figure, chosen.to_args(), heading="h1", link=False)
    if request.args.get("embed") == "1":
        response = make_response(render_template("dashboard/embed.html", figure=figure,
                                                 card=alone, query=chosen.to_args()))
        return security.allow_framing(response)
    # The embed speaks the language of the page its code was copied from.
    embed_url = url_for(".figure_page", name=name, embed="1", lang=current_language(),
                        _external=True, **chosen.to_args())
    return render_template("dashboard/figure.html", figure=figure, card=alone,
                           query=chosen.to_args(), chosen=chosen, options=filter_options(),
                           embed_url=embed_url)


@bp.get("/dashboard/<name>.csv")
def figure_csv(name: str):
    from practices import dashboard  # on first use (issue 12)

    figure = load_figure(name, filters())
    return _download(dashboard.figure_csv(figure), "text/csv; charset=utf-8", f"{name}.csv")


@bp.get("/dashboard/<name>.json")
def figure_json(name: str):
    from practices import dashboard  # on first use (issue 12)

    figure = load_figure(name, filters())
    body = json.dumps(dashboard.figure_json(figure), ensure_ascii=False, indent=1)
    return _download(body, "application/json", f"{name}.json")


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filter_options() -> dict:
    """The choices of the filter form, in the reader's language."""
    from practices import dashboard_regions  # on first use (issue 12)

    lang = current_language()
    return {
        "region": [(code, "\u2003" * dashboard_regions.depth(code)  # indented by level
                    + dashboard_regions.label(code, lang)) for code in dashboard_regions.areas()],
        "country": vocabulary("countries").choices(lang, sort=True),
        "college": [(college.slug, college.name)
                    for college in organizations.listing(get_session(), College)],
        "group": vocabulary("practice_groups").choices(lang, sort=True),
    }

