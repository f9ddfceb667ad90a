"""`/map`: one interactive map (Leaflet, served from our own server) of the practices, the
organisations and their measures in the field, with a plain list of the same items beside it.

The markers come from `GET /api/v1/map/features?layer=…` (wiki/api/mapdata.py). The search
page's filters apply to the practices layer; standing, college and country (prefixed `org_`
on this page, as `country` is also a practice filter) to the organisations layer.

The layers (wiki.map_layers, practices.map_features) are loaded on first use, by the first
map a worker serves: workers that never serve one keep them out (issue 12: RSS per worker).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.datastructures import MultiDict

from practices import organizations, profiles
from practices.models import College
from practices.vocab import vocabulary
from search import SearchRequest
from wiki import search_views
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.input_guard import database_int
from wiki.rendering import college_text

if TYPE_CHECKING:
    from wiki.map_layers import LayerData

bp = Blueprint("map", __name__)
LIST_PAGE = 100  # items of each list beside the map per page

def _leaflet_folders() -> dict:
    import xstatic.pkg.leaflet
    import xstatic.pkg.leaflet_markercluster

    return {"leaflet": xstatic.pkg.leaflet.BASE_DIR,
            "markercluster": xstatic.pkg.leaflet_markercluster.BASE_DIR}


@bp.get("/map/lib/<any(leaflet, markercluster):package>/<path:filename>")
def leaflet_file(package: str, filename: str):
    """Leaflet and its marker clusters, from the xstatic packages (no CDN)."""
    return send_from_directory(_leaflet_folders()[package], filename, max_age=86400)


@bp.get("/map")
def world_map():
    from wiki.map_layers import layer_data, organization_filters  # on first use (issue 12)

    search_request = SearchRequest.from_params(request.args.to_dict(flat=False))
    org_filters = organization_filters(request.args)
    practices = layer_data("practices", request.args)
    organizations_layer = layer_data("organizations", MultiDict(
        {name: value for name, value in vars(org_filters).items() if value}))
    measures_layer = layer_data("measures", MultiDict())
    practice_params = urlencode(replace(search_request, page=1).params(), doseq=True)
    org_params = {name: value for name, value in vars(org_filters).items() if value}  # the API's
    layer_urls = {
        layer: url_for("api.map_features") + f"?layer={layer}" + (f"&{params}" if params else "")
        for layer, params in (("practices", practice_params), ("organizations",
                              urlencode(org_params)), ("measures", ""))}
    colleges = organizations.listing(get_session(), College)
    return render_template(
        "map.html", req=search_request, layer_urls=layer_urls,
        lists=[_list_page("practices", practices), _list_page("organizations", organizations_layer),
               _list_page("measures", measures_layer)],
        located=len(practices.items), unlocated=practices.matched - len(practices.items),
        total=practices.total, capped=practices.total > practices.matched,
        list_params=practice_params,
        org_filters=org_filters, org_params=urlencode(org_params),
        chosen=_chosen_filters(search_request),
        colleges=colleges, standings=profiles.STANDINGS,
        tile_url=current_app.config.get("MAP_TILE_URL") or "",
        tile_attribution=current_app.config.get("MAP_ATTRIBUTION") or "",
        layer=request.args.get("layer", ""),
        standing_labels={term.code: term.label(current_language()) for term in profiles.STANDINGS},
        group_labels={term.code: term.label(current_language())
                      for term in vocabulary("practice_groups")},
        zone_labels={term.code: term.label(current_language())
                     for term in vocabulary("agro_climatic_zones")},
        college_labels={college.slug: college_text(college.name) for college in colleges})


@dataclass
class ListPage:
    """One page of a list beside the map: its items and the links to the pages around it."""

    layer: str
    items: list[dict]
    count: int
    first: int  # 1-based number of the first item shown
    previous_url: str | None
    next_url: str | None


def _list_page(layer: str, data: LayerData) -> ListPage:
    parameter = f"list_{layer}"
    page = max(1, min(database_int(request.args.get(parameter)) or 1,
                      -(-len(data.items) // LIST_PAGE) or 1))
    start = (page - 1) * LIST_PAGE

    def url(number: int) -> str:
        args = MultiDict(request.args)
        args[parameter] = str(number)
        args["layer"] = layer
        return url_for("map.world_map", **args.to_dict(flat=False)) + f"#list-{layer}"

    return ListPage(layer, data.items[start:start + LIST_PAGE], len(data.items), start + 1,
                    url(page - 1) if page > 1 else None,
                    url(page + 1) if start + LIST_PAGE < len(data.items) else None)


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


