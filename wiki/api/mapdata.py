"""The map's GeoJSON layers and the measures of organisations (issue 14)."""

from flask import request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import measures, organizations
from practices.models import Measure, Organization
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import FeatureCollection, MapQuery, MeasureList, MeasureOut
from wiki.api.spec import api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session
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
