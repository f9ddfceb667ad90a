"""`/map`: one interactive map (Leaflet, served from our own server) of the practices, the
organisations and their measures in the field, with a plain list of the same items beside it.

The markers come from `GET /api/v1/map/features?layer=…` (wiki/api/mapdata.py). The search
page's filters apply to the practices layer; standing, college and country (prefixed `org_`
on this page, as `country` is also a practice filter) to the organisations layer.
"""

import gzip
import json
from collections import OrderedDict
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.datastructures import MultiDict

from practices import map_features, organizations, profiles
from practices.models import College
from practices.vocab import vocabulary
from search import SearchRequest
from search.query import MAX_PER_PAGE
from wiki import search_views
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.input_guard import database_int

bp = Blueprint("map", __name__)

# Beyond this many sheets the map stops and says so (the list beside it would be unusable).
MAX_SHEETS_ON_MAP = 10_000
CACHE_SIZE = 64


def _leaflet_folders() -> dict:
    import xstatic.pkg.leaflet
    import xstatic.pkg.leaflet_markercluster

    return {"leaflet": xstatic.pkg.leaflet.BASE_DIR,
            "markercluster": xstatic.pkg.leaflet_markercluster.BASE_DIR}


@bp.get("/map/lib/<any(leaflet, markercluster):package>/<path:filename>")
def leaflet_file(package: str, filename: str):
    """Leaflet and its marker clusters, from the xstatic packages (no CDN)."""
    return send_from_directory(_leaflet_folders()[package], filename, max_age=86400)


def organization_filters(args, prefix: str = "org_") -> map_features.OrganizationFilters:
    return map_features.OrganizationFilters(
        standing=args.get(prefix + "standing", "")[:40],
        college=args.get(prefix + "college", "")[:80],
        country=args.get(prefix + "country", "")[:2],
        region=args.get(prefix + "region", "")[:40])


LIST_PAGE = 100  # items of each list beside the map per page


@bp.get("/map")
def world_map():
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
    return render_template(
        "map.html", req=search_request, layer_urls=layer_urls,
        lists=[_list_page("practices", practices), _list_page("organizations", organizations_layer),
               _list_page("measures", measures_layer)],
        located=len(practices.items), unlocated=practices.matched - len(practices.items),
        total=practices.total, capped=practices.total > practices.matched,
        list_params=practice_params,
        org_filters=org_filters, org_params=urlencode(org_params),
        chosen=_chosen_filters(search_request),
        colleges=organizations.listing(get_session(), College), standings=profiles.STANDINGS,
        tile_url=current_app.config.get("MAP_TILE_URL") or "",
        tile_attribution=current_app.config.get("MAP_ATTRIBUTION") or "",
        layer=request.args.get("layer", ""),
        standing_labels={term.code: term.label(current_language()) for term in profiles.STANDINGS},
        group_labels={term.code: term.label(current_language())
                      for term in vocabulary("practice_groups")})


@dataclass
class ListPage:
    """One page of a list beside the map: its items and the links to the pages around it."""

    layer: str
    items: list[dict]
    count: int
    first: int  # 1-based number of the first item shown
    previous_url: str | None
    next_url: str | None


def _list_page(layer: str, data: "LayerData") -> ListPage:
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


def matching_ids(search_request: SearchRequest, user) -> tuple[list[int], int]:
    """The ids of the sheets the search page would list (for this reader), up to the cap."""
    service = search_views.service()
    found = service.matching_ids(search_request, user, MAX_SHEETS_ON_MAP)
    if found is not None:
        return found
    ids, page, total = [], 1, 0  # the index is being rebuilt: page through the database
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


# GeoJSON layers, cached per data generation -------------------------------------------------


@dataclass
class LayerData:
    """One layer as sent (JSON and its gzip) and as listed beside the map."""

    body: bytes
    gzipped: bytes
    items: list[dict]  # one per sheet, organisation or measure, in name order
    matched: int = 0  # practices: the sheets the search found, located or not (up to the cap)
    total: int = 0  # practices: all the sheets the search found


def _filters(layer: str, args):
    """The layer's filters in a canonical form (the cache's key: the page and the API agree)."""
    if layer == "practices":
        params = {key: values for key, values in args.to_dict(flat=False).items()
                  if key != "layer" and not key.startswith(("list_", "org_"))}
        return replace(SearchRequest.from_params(params), page=1)
    if layer == "organizations":
        return organization_filters(args, "")
    return map_features.MeasureFilters(
        organization=args.get("organization", "")[:80], country=args.get("country", "")[:2],
        status=args.get("status", "")[:20], region=args.get("region", "")[:40])


def _compute(layer: str, filters) -> LayerData:
    db = get_session()
    user = acting_user()
    matched = total = 0
    if layer == "practices":
        ids, total = matching_ids(filters, user)
        matched = len(ids)
        features = map_features.practice_features(db, ids, user)
        key = "slug"
    elif layer == "organizations":
        features = map_features.organization_features(db, filters)
        key = "slug"
    else:
        features = map_features.measure_features(db, user, filters)
        key = "id"
    body = json.dumps(map_features.collection(features), separators=(",", ":")).encode()
    items = list({feature["properties"][key]: feature["properties"]
                  for feature in features}.values())  # features come in name order
    return LayerData(body, gzip.compress(body, 6), items, matched, total)


def layer_data(layer: str, args) -> LayerData:
    """Anonymous readers share one cached answer per layer, filters and data generation;
    signed-in members (who may see drafts) get theirs computed afresh."""
    if layer not in map_features.LAYERS:
        abort(400)
    filters = _filters(layer, args)
    if acting_user() is not None:
        return _compute(layer, filters)
    key = (layer, filters, map_features.generation(get_session()))
    cache = current_app.extensions.setdefault("map_cache", OrderedDict())
    entry = cache.get(key)
    if entry is None:
        entry = cache[key] = _compute(layer, filters)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return entry


def cached_layer(layer: str, args) -> Response:
    """The GeoJSON of a layer: gzipped for clients that accept it (compressed once)."""
    data = layer_data(layer, args)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(data.gzipped, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(data.body, mimetype="application/geo+json")
    response.headers["Vary"] = "Accept-Encoding, Cookie, Authorization"
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate" \
        if acting_user() else "public, max-age=60"
    return response
