"""The map's GeoJSON layers and the measures of organisations (issue 14)."""

from flask import request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import measures, organizations
from practices.map_features import LAYERS
from practices.models import Measure, Organization
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import FeatureCollection, MapQuery, MeasureList, MeasureOut
from wiki.api.spec import api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.map_layers import cached_layer


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
    layer = request.args.get("layer", "")
    if layer not in LAYERS:
        raise ApiError(400, _("Choose the layer: practices, organizations or measures."),
                       fields={"layer": _("Choose practices, organizations or measures.")})
    return cached_layer(layer, request.args)


def measure_out(db, measure: Measure, organization_slug: str) -> MeasureOut:
    values = measures.snapshot(db, measure)
    return MeasureOut(
        id=measure.id,
        organization=organization_slug,
        state=measure.state,
        estimated_t_c_ha_yr=measure.estimated_t_c_ha_yr,
        estimated_per_mille_yr=measure.estimated_per_mille_yr,
        estimated_t_c_yr=measure.estimated_t_c_yr,
        estimate_note=measure.estimate_note,
        url=url_for("measures.view", measure_id=measure.id, _external=False),
        **values,
    )


def _measure_list(rows: list[Measure]) -> MeasureList:
    db = get_session()
    slugs = dict(db.exec(select(Organization.id, Organization.slug)).all())
    return MeasureList(
        items=[measure_out(db, row, slugs.get(row.organization_id, "")) for row in rows]
    )


@bp.get("/measures")
@api_spec.validate(
    resp=responses({200: MeasureList}), tags=("measures",), operation_id="listMeasures"
)
def list_measures():
    """Every measure you may see: published ones, and drafts of organisations you manage"""
    return _measure_list(measures.visible(get_session(), acting_user()))


@bp.get("/organizations/<slug>/measures")
@api_spec.validate(
    resp=responses({200: MeasureList}, 404),
    tags=("measures",),
    operation_id="listOrganizationMeasures",
)
def list_organization_measures(slug: str):
    """The measures of one organisation that you may see"""
    db = get_session()
    row = organizations.find(db, Organization, slug)
    if row is None:
        raise ApiError(404, _("There is no organisation %(slug)s.", slug=slug))
    return _measure_list(measures.visible(db, acting_user(), organization=row))
