"""`/map`: one interactive map (Leaflet, served from our own server) of the practices, the
organisations and their measures in the field, with a plain list of the same items beside it.

The markers come from `GET /api/v1/map/features?layer=…` (wiki/api/mapdata.py). The search
page's filters apply to the practices layer; standing, college and country (prefixed `org_`
on this page, as `country` is also a practice filter) to the organisations layer.
"""

import gzip
import json
from collections import OrderedDict
from dataclasses import replace
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    send_from_directory,
)

from practices import catalog, map_features, organizations, policy, profiles
from practices.models import College
from practices.vocab import vocabulary
from search import SearchRequest
from search.query import MAX_PER_PAGE
from wiki import search_views
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language

bp = Blueprint("map", __name__)

# Beyond this many sheets the map stops and says so (the list beside it would be unusable).
MAX_SHEETS_ON_MAP = 10_000
MAX_SHEETS_LISTED = 1000
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


@bp.get("/map")
def world_map():
    search_request = SearchRequest.from_params(request.args.to_dict(flat=False))
    user = acting_user()
    db = get_session()
    ids, total = matching_ids(search_request, user)
    points, unlocated = catalog.map_points(db, ids[:MAX_SHEETS_LISTED])
    located_sheets = {point.sheet.id: point.sheet for point in points
                      if policy.can_view(user, point.sheet)}
    org_filters = organization_filters(request.args)
    orgs = [feature["properties"] for feature in
            map_features.organization_features(db, org_filters)]
    measures = [feature["properties"] for feature in map_features.measure_features(
        db, user, map_features.MeasureFilters())]
    practice_params = urlencode(replace(search_request, page=1).params(), doseq=True)
    org_params = {name: value for name, value in vars(org_filters).items() if value}  # the API's
    return render_template(
        "map.html", req=search_request,
        sheets=sorted(located_sheets.values(), key=lambda sheet: sheet.title.lower()),
        located=len(located_sheets), unlocated=unlocated, total=total,
        capped=total > len(ids), list_params=practice_params,
        organizations=_unique(orgs, "slug"), measures=_unique(measures, "id"),
        org_filters=org_filters, org_params=urlencode(org_params),
        chosen=_chosen_filters(search_request),
        colleges=organizations.listing(db, College), standings=profiles.STANDINGS,
        tile_url=current_app.config.get("MAP_TILE_URL") or "",
        tile_attribution=current_app.config.get("MAP_ATTRIBUTION") or "",
        layer=request.args.get("layer", ""),
        standing_labels={term.code: term.label(current_language()) for term in profiles.STANDINGS},
        group_labels={term.code: term.label(current_language())
                      for term in vocabulary("practice_groups")})


def _unique(items: list[dict], key: str) -> list[dict]:
    return list({item[key]: item for item in items}.values())


def matching_ids(search_request: SearchRequest, user) -> tuple[list[int], int]:
    """The ids of the sheets the search page would list (for this reader), up to the cap."""
    ids, page, total = [], 1, 0
    while len(ids) < MAX_SHEETS_ON_MAP:
        result = search_views.run_search(
            replace(search_request, page=page, per_page=MAX_PER_PAGE), user)
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


def layer_features(layer: str, args) -> dict:
    """The FeatureCollection of one layer for this request's viewer and filters."""
    db = get_session()
    user = acting_user()
    if layer == "practices":
        params = {key: values for key, values in args.to_dict(flat=False).items()
                  if key != "layer"}
        ids, _total = matching_ids(SearchRequest.from_params(params), user)
        features = map_features.practice_features(db, ids, user)
    elif layer == "organizations":
        features = map_features.organization_features(db, organization_filters(args, ""))
    elif layer == "measures":
        features = map_features.measure_features(db, user, map_features.MeasureFilters(
            organization=args.get("organization", "")[:80], country=args.get("country", "")[:2],
            status=args.get("status", "")[:20], region=args.get("region", "")[:40]))
    else:
        abort(400)
    return map_features.collection(features)


def cached_layer(layer: str, args) -> Response:
    """Anonymous readers share one cached, gzipped answer per layer, filters and generation;
    signed-in members (who may see drafts) get theirs computed afresh."""
    db = get_session()
    key = (layer, tuple(sorted(args.items(multi=True))), map_features.generation(db))
    cache = current_app.extensions.setdefault("map_cache", OrderedDict())
    entry = cache.get(key) if acting_user() is None else None
    if entry is None:
        body = json.dumps(layer_features(layer, args), separators=(",", ":")).encode()
        entry = (body, gzip.compress(body, 5))
        if acting_user() is None:
            cache[key] = entry
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    response = Response(entry[0], mimetype="application/geo+json")
    g.map_gzip = entry[1]  # swapped in by compress_layer, after the API checked the answer
    response.headers["Vary"] = "Accept-Encoding, Cookie, Authorization"
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate" \
        if acting_user() else "public, max-age=60"
    return response


def compress_layer(response: Response) -> Response:
    """The cached gzip of a layer, for clients that accept it."""
    body = g.pop("map_gzip", None)
    if body is not None and response.status_code == 200 \
            and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
    return response
