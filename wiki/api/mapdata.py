"""The map's GeoJSON layers (issue 14); the measures themselves are in `measures`."""

from flask import request

from wiki.api import bp
from wiki.api.schemas import FeatureCollection, MapQuery
from wiki.api.spec import api_spec, responses
from wiki.map import cached_layer, compress_layer


@bp.get("/map/features")
@api_spec.validate(
    query=MapQuery,
    resp=responses({200: FeatureCollection}, 400),
    tags=("map",),
    operation_id="getMapFeatures",
    validation_error_status=400,
)
def map_features():
    """One layer of the map as a GeoJSON FeatureCollection (one Point feature per location)

    Only what you may see: published sheets and measures (plus the drafts your account may
    see), active organisations. Answers are gzipped when asked and cached per data change.
    """
    return cached_layer(request.context.query.layer, request.args)


@bp.after_request
def _compress(response):
    return compress_layer(response) if request.endpoint == "api.map_features" else response
