"""The map's GeoJSON layers (issue 14); the measures themselves are in `measures`.

The layers' modules load on first use: workers that never serve the map keep them out
(issue 12: RSS per worker)."""

from flask import request
from flask_babel import gettext as _

from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import FeatureCollection, MapQuery
from wiki.api.spec import api_spec, responses


@bp.get("/map/features")
@api_spec.validate(
    query=MapQuery,
    resp=responses({200: FeatureCollection}, 400),
    tags=("map",),
    operation_id="getMapFeatures",
    # Up to 40,000 features: checking each against the schema would cost more than making
    # them (map_features builds them in that shape; tests check it). The layer is checked here.
    skip_validation=True,
)
def map_features():
    """One layer of the map as a GeoJSON FeatureCollection (one Point feature per location,
    one Polygon per drawn area)

    Only what you may see: published sheets and measures (plus the drafts your account may
    see), active organisations. Properties are few (practices: slug, name, first practice
    group; organisations: slug, name, standing; measures: id, name, area_ha) and coordinates
    have 4 decimals. Answers are gzipped when asked and cached per data change.
    """
    from practices.map_features import LAYERS  # on first use (issue 12)
    from wiki.map_layers import cached_layer

    layer = request.args.get("layer", "")
    if layer not in LAYERS:
        raise ApiError(400, _("Choose the layer: practices, organizations or measures."),
                       fields={"layer": _("Choose practices, organizations or measures.")})
    return cached_layer(layer, request.args)

