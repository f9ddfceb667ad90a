"""What the interactive map shows (issue 14), as GeoJSON features: located practice sheets,
organisations and published measures. One feature per point, coordinates [lon, lat].

Only what the viewer may see: the practices layer takes the sheet ids the search already
filtered by the reader's rights; organisations are public when active; measures come through
`measures.visible`. `generation()` changes whenever anything shown here may have changed, so
that callers can cache a layer per generation.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from practices import measures, photos, policy, profiles
from practices.models import (
    AuditEvent,
    ChangeLogEntry,
    Measure,
    MeasureRevision,
    Organization,
    OrganizationRevision,
    Revision,
    Sheet,
    User,
)
from practices.vocab import region_of_country

LAYERS = ("practices", "organizations", "measures")


def generation(session: Session) -> tuple:
    """Changes with every sheet change, profile save, measure save and transition."""
    return tuple(
        session.exec(select(func.max(model.id))).one() or 0
        for model in (ChangeLogEntry, AuditEvent, OrganizationRevision, MeasureRevision)
    )


def _valid(point) -> bool:
    try:
        lon, lat = point
        return -180 <= float(lon) <= 180 and -90 <= float(lat) <= 90
    except (TypeError, ValueError):
        return False


def _feature(lon: float, lat: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def practice_features(
    session: Session, sheet_ids: Sequence[int], viewer: User | None
) -> list[dict]:
    """Each location of these sheets (already filtered by the search), with its groups."""
    if not sheet_ids:
        return []
    query = (
        select(Sheet, Revision.fields)
        .join(Revision, Revision.id == Sheet.current_revision_id)
        .where(Sheet.id.in_(sheet_ids), Sheet.deleted_at.is_(None))
    )
    features = []
    for sheet, fields in session.exec(query):
        if not policy.can_view(viewer, sheet):
            continue
        fields = fields or {}
        properties = {
            "kind": "practice",
            "slug": sheet.slug,
            "name": sheet.title,
            "status": sheet.status,
            "practice_groups": list(fields.get("practice_groups") or []),
            "zones": list(fields.get("agro_climatic_zones") or []),
            **_photo(sheet),
        }
        features += [
            _feature(lon, lat, properties)
            for lon, lat in fields.get("locations") or []
            if _valid((lon, lat))
        ]
    return sorted(features, key=_order)


def _photo(sheet: Sheet) -> dict:
    """The popup's thumbnail (issue 16): the upload name of the cover photo's smallest copy
    (served at /uploads/<name>), and its alt text."""
    cover = sheet.cover_photo
    if not cover:
        return {}
    widths = cover.get("widths") or ()
    name = photos.copy_name(cover["file"], min(widths)) if widths else cover["file"]
    return {"photo": name, "photo_alt": cover["alt"]}


@dataclass(frozen=True)
class OrganizationFilters:
    standing: str = ""
    college: str = ""
    country: str = ""
    region: str = ""


def organization_features(session: Session, filters: OrganizationFilters) -> list[dict]:
    colleges = profiles.college_map(session)
    rows = profiles.directory(
        session,
        profiles.DirectoryFilters(
            standing=filters.standing,
            college=filters.college,
            country=filters.country,
            region=filters.region,
        ),
    )
    features = []
    for row in rows:
        properties = {
            "kind": "organization",
            "slug": row.slug,
            "name": row.name,
            "standing": row.standing,
            "country": row.country,
            "colleges": sorted(colleges.get(row.id, [])),
        }
        features += [
            _feature(lon, lat, properties) for lon, lat in row.locations or [] if _valid((lon, lat))
        ]
    return sorted(features, key=_order)


@dataclass(frozen=True)
class MeasureFilters:
    organization: str = ""
    country: str = ""
    status: str = ""
    region: str = ""


def measure_features(session: Session, viewer: User | None, filters: MeasureFilters) -> list[dict]:
    organization = None
    if filters.organization:
        organization = session.exec(
            select(Organization).where(Organization.slug == filters.organization)
        ).first()
        if organization is None:
            return []
    names = dict(session.exec(select(Organization.id, Organization.slug)).all())
    features = []
    for measure in measures.visible(session, viewer, organization=organization):
        if not _measure_matches(measure, filters):
            continue
        properties = {
            "kind": "measure",
            "id": measure.id,
            "name": measure.title,
            "state": measure.state,
            "status": measure.status,
            "organization": names.get(measure.organization_id),
            "area_ha": measure.area_ha,
            "country": measure.country,
            "estimated_t_c_yr": measure.estimated_t_c_yr,
        }
        features += [
            _feature(lon, lat, properties)
            for lon, lat in measure.locations or []
            if _valid((lon, lat))
        ]
    return sorted(features, key=_order)


def _measure_matches(measure: Measure, filters: MeasureFilters) -> bool:
    return (
        (not filters.country or measure.country == filters.country.upper())
        and (not filters.status or measure.status == filters.status)
        and (not filters.region or region_of_country(measure.country) == filters.region)
    )


def _order(feature: dict) -> tuple:
    properties = feature["properties"]
    return (
        properties["name"].lower(),
        str(properties.get("slug") or properties.get("id")),
        feature["geometry"]["coordinates"],
    )
