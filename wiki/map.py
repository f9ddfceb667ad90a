"""`/map`: where the practices are, with the same filters as the search page."""

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from practices import catalog, policy
from search import SearchRequest
from search.query import MAX_PER_PAGE
from wiki import search_views
from wiki.auth import acting_user
from wiki.db import get_session

bp = Blueprint("map", __name__)

# Markers beyond this many would hide each other anyway; the page says when it stops.
MAX_SHEETS_ON_MAP = 1000
# The background (wiki/static/world-map.png) is an equirectangular world, 3 px per degree.
PIXELS_PER_DEGREE = 3


@bp.get("/map")
def world_map():
    search_request = SearchRequest.from_params(request.args.to_dict(flat=False))
    user = acting_user()
    ids, total = _matching_ids(search_request, user)
    points, unlocated = catalog.map_points(get_session(), ids)
    points = [point for point in points if policy.can_view(user, point.sheet)]
    list_params = urlencode(replace(search_request, page=1).params(), doseq=True)
    return render_template(
        "map.html", req=search_request, markers=[_marker(point) for point in points],
        located=len({point.sheet.id for point in points}), unlocated=unlocated, total=total,
        capped=total > len(ids), list_params=list_params,
        chosen=_chosen_filters(search_request))


def _matching_ids(search_request: SearchRequest, user) -> tuple[list[int], int]:
    """The ids of the sheets the search page would list, up to the map's cap."""
    service = search_views.service()
    ids, page, total = [], 1, 0
    while len(ids) < MAX_SHEETS_ON_MAP:
        result = service.search(replace(search_request, page=page, per_page=MAX_PER_PAGE), user)
        total = result.total
        ids += [hit.sheet_id for hit in result.hits]
        if page >= result.pages or not result.hits:
            break
        page += 1
    return ids[:MAX_SHEETS_ON_MAP], total


def _chosen_filters(search_request: SearchRequest) -> list[tuple[str, str, str]]:
    """(facet title, value label, query string without that value) for each active filter."""
    chosen = []
    for facet, codes in search_request.filters:
        for code in codes:
            rest = [other for other in codes if other != code]
            params = replace(search_request, page=1).params(**{facet: rest or None})
            chosen.append((search_views.facet_title(facet),
                           search_views.facet_value_label(facet, code),
                           urlencode(params, doseq=True)))
    return chosen


def _marker(point: catalog.MapPoint) -> dict:
    return {"sheet": point.sheet,
            "x": round((point.longitude + 180) * PIXELS_PER_DEGREE, 1),
            "y": round((90 - point.latitude) * PIXELS_PER_DEGREE, 1)}
