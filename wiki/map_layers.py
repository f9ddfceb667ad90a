"""The map's layers (issue 14) as sent by `GET /api/v1/map/features` and listed beside the map
at `/map`: one GeoJSON FeatureCollection per layer and filters, with its gzip, computed once
per data generation and shared by the page, the API and the server's processes.
"""

import gc
import gzip
import hashlib
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from flask import Response, abort, current_app, request

from practices import map_features
from practices.freshness import current_version
from search import SearchRequest
from search.query import MAX_PER_PAGE
from wiki import search_views
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.i18n import current_language

log = logging.getLogger(__name__)

# Beyond this many sheets the map stops and says so (the list beside it would be unusable).
MAX_SHEETS_ON_MAP = 10_000
CACHE_SIZE = 64  # layers kept in each process
FILES_KEPT = 256  # layers kept on disk for all of them


def organization_filters(args, prefix: str = "org_") -> map_features.OrganizationFilters:
    return map_features.OrganizationFilters(
        standing=args.get(prefix + "standing", "")[:40],
        college=args.get(prefix + "college", "")[:80],
        country=args.get(prefix + "country", "")[:2],
        region=args.get(prefix + "region", "")[:40])






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




@dataclass
class LayerData:
    """One layer as sent (JSON and its gzip) and as listed beside the map."""

    layer: str
    body: bytes
    gzipped: bytes
    matched: int = 0  # practices: the sheets the search found, located or not (up to the cap)
    total: int = 0  # practices: all the sheets the search found
    known_items: list[dict] | None = None

    @cached_property
    def items(self) -> list[dict]:
        """One per sheet, organisation or measure, in name order (read from the JSON only
        when a page lists them: the API sends the gzip as it is)."""
        if self.known_items is not None:
            return self.known_items
        return _items(self.layer, json.loads(self.body)["features"])


def _filters(layer: str, args):
    """The layer's filters in a canonical form (the cache's key: the page and the API agree)."""
    if layer == "practices":
        params = {key: values for key, values in args.to_dict(flat=False).items()
                  if key != "layer" and not key.startswith(("list_", "org_"))}
        # One marker per practice, in the reader's language (the language is in the key).
        return replace(SearchRequest.from_params(params), page=1, one_per_practice=True,
                       language=current_language())
    if layer == "organizations":
        return organization_filters(args, "")
    return map_features.MeasureFilters(
        organization=args.get("organization", "")[:80], country=args.get("country", "")[:2],
        status=args.get("status", "")[:20], region=args.get("region", "")[:40])


_collecting_paused = 0
_was_enabled = True
_pause_lock = threading.Lock()


@contextmanager
def _cycle_collection_paused():
    """A layer makes some 200,000 small objects that all live until it is sent: the cyclic
    garbage collector would walk them again and again meanwhile (half the CPU time of the
    measures layer). Reference counting still frees everything; collection resumes after."""
    global _collecting_paused, _was_enabled
    with _pause_lock:
        if not _collecting_paused:
            _was_enabled = gc.isenabled()
        _collecting_paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _pause_lock:
            _collecting_paused -= 1
            if not _collecting_paused and _was_enabled:
                gc.enable()


def _compute(layer: str, filters) -> LayerData:
    with _cycle_collection_paused():
        return _computed(layer, filters)


def _computed(layer: str, filters) -> LayerData:
    db = get_session()
    user = acting_user()
    matched = total = 0
    if layer == "practices":
        ids, total = matching_ids(filters, user)
        matched = len(ids)
        features = map_features.practice_features(db, ids, user)
    elif layer == "organizations":
        features = map_features.organization_features(db, filters)
    else:
        features = map_features.measure_features(db, user, filters)
    body = json.dumps(map_features.collection(features), separators=(",", ":")).encode()
    return LayerData(layer, body, gzip.compress(body, 6), matched, total,
                     _items(layer, features))


def _items(layer: str, features: list[dict]) -> list[dict]:
    """One item per sheet, organisation or measure (features come in name order)."""
    key = "id" if layer == "measures" else "slug"
    return list({feature["properties"][key]: feature["properties"]
                 for feature in features}.values())


def layer_data(layer: str, args) -> LayerData:
    """Anonymous readers share one answer per layer, filters and data generation: kept in
    this process and in a file that the server's other processes read too; signed-in
    members (who may see drafts) get theirs computed afresh."""
    if layer not in map_features.LAYERS:
        abort(400)
    filters = _filters(layer, args)
    if acting_user() is not None:
        return _compute(layer, filters)
    db = get_session()
    # The wiki's version (practices.freshness) holds the newest rows' times as well as ids:
    # a wiki filled again from empty, whose ids repeat, does not get an old layer back.
    key = (layer, filters, map_features.generation(db), current_version(db).stamp)
    cache = current_app.extensions.setdefault("map_cache", OrderedDict())
    entry = cache.get(key)
    if entry is None:
        path = _shared_file(key)
        entry = _read_shared(path, layer)
        if entry is None:
            entry = _compute(layer, filters)
            _write_shared(path, entry)
        cache[key] = entry
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return entry


# The file cache: <instance>/map-cache/<hash of the key>.geojson.gz, its first line holding
# the two counts. Written to a temporary name and renamed, so a reader sees a whole file.


def forget(app) -> None:
    """Drop every kept layer (for a wiki whose ids start again, as a test's do)."""
    app.extensions.pop("map_cache", None)
    shutil.rmtree(Path(app.instance_path) / "map-cache", ignore_errors=True)


def _shared_file(key: tuple) -> Path:
    folder = Path(current_app.instance_path) / "map-cache"
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return folder / f"{digest}.geojson.gz"


def _read_shared(path: Path, layer: str) -> "LayerData | None":
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, gzipped = data.partition(b"\n")
    try:
        matched, total = (int(number) for number in header.split())
        body = gzip.decompress(gzipped)  # its checksum catches a damaged file
    except (ValueError, OSError, EOFError):
        return None  # computed again and rewritten
    return LayerData(layer, body, gzipped, matched, total)


def _write_shared(path: Path, entry: "LayerData") -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(f"{entry.matched} {entry.total}\n".encode() + entry.gzipped)
        os.replace(partial, path)
        files = sorted(path.parent.glob("*.geojson.gz"), key=_modified)
        for old in files[:-FILES_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk only costs the other processes the work
        log.warning("could not keep the map layer in %s", path.parent, exc_info=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


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
