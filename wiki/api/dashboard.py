"""The "4 per 1000" dashboard through the API (issue 15): the headline numbers and each
figure's data, with the page's filters, cached per data generation.

practices.dashboard is loaded on first use: workers that never serve the dashboard keep it
out (issue 12: RSS per worker)."""

from collections import OrderedDict
from typing import TYPE_CHECKING

from flask import current_app, request
from flask_babel import gettext as _

from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import DashboardFigureOut, DashboardHeadline, DashboardQuery
from wiki.api.spec import api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session

if TYPE_CHECKING:
    from practices import dashboard

TAGS = ("dashboard",)


def dashboard_store() -> OrderedDict:
    """The app's cache of figures and headlines (shared by the page and the API)."""
    return current_app.extensions.setdefault("dashboard_cache", OrderedDict())


def _filters() -> "dashboard.Filters":
    from practices import dashboard  # on first use (issue 12)

    try:
        return dashboard.Filters.from_args(request.args)
    except dashboard.InvalidFilter as invalid:
        message = _(invalid.message)
        raise ApiError(400, message, code="invalid_parameters",
                       fields={invalid.field: message}) from None


@bp.get("/dashboard")
@api_spec.validate(query=DashboardQuery, resp=responses({200: DashboardHeadline}, 400),
                   tags=TAGS, operation_id="getDashboard", validation_error_status=400)
def headline():
    """The dashboard's headline numbers

    Published sheets, active organisations, published measures, their area and their
    estimated soil carbon storage (IPCC Tier 1: t C a year and over 20 years, with the 95 %
    range of the tables), and the measures counted apart (no IPCC default). Only published
    data is counted.
    """
    from practices import dashboard  # on first use (issue 12)

    filters = _filters()
    numbers = dashboard.cached_headline(dashboard_store(), get_session(), acting_user(),
                                        filters)
    return DashboardHeadline(**numbers, filters=filters.to_args(),
                             figures=list(dashboard.FIGURES))


@bp.get("/dashboard/<figure>")
@api_spec.validate(query=DashboardQuery, resp=responses({200: DashboardFigureOut}, 400, 404),
                   tags=TAGS, operation_id="getDashboardFigure", validation_error_status=400)
def figure(figure: str):
    """One figure of the dashboard: its title, summary, columns and rows

    `figure` is one of the names `GET /dashboard` lists (sheets-over-time,
    coverage-agro-climatic, carbon-estimate, …). The rows are exactly the data of the chart
    and of its CSV download. Only published data is counted, except in review-queue, which
    lists the sheets in review that you may see.
    """
    from practices import dashboard  # on first use (issue 12)

    filters = _filters()
    try:
        result = dashboard.cached_figure(dashboard_store(), get_session(), acting_user(),
                                         figure, filters)
    except KeyError:
        raise ApiError(404, _("There is no figure %(name)s.", name=figure)) from None
    return DashboardFigureOut(**dashboard.figure_json(result), filters=filters.to_args())
