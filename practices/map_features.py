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

from practices import photos, policy, profiles
from practices.models import (
    AuditEvent,
    ChangeLogEntry,
    Measure,
    MeasureRevision,
    MeasureState,
    Organization,
    OrganizationRevision,
    Revision,
    Sheet,
    SheetStatus,
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


# Coordinates to 4 decimals (about 11 m): plenty for a map of the world, and a third less
# to send than the 6 decimals stored.
DIGITS = 4


def _points(locations, properties: dict) -> list[dict]:
    """Point features of stored [lon, lat] pairs (checked when saved; checked again cheaply,
    as imports and old rows may hold anything)."""
    features = []
    for point in locations or ():
        if isinstance(point, list) and len(point) == 2:
            lon, lat = point
            if isinstance(lon, int | float) and isinstance(lat, int | float) \
                    and -180 <= lon <= 180 and -90 <= lat <= 90:
                features.append({
                    "type": "Feature",
                    "geometry": {"type": "Point",
                                 "coordinates": [round(lon, DIGITS), round(lat, DIGITS)]},
                    "properties": properties,
                })
    return features


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def practice_features(
    session: Session, sheet_ids: Sequence[int], viewer: User | None
) -> list[dict]:
    """Each location of these sheets (already filtered by the search), with its first group
    and first agro-climatic zone (the popup's line).

    Only the two fields the map needs are read out of each revision's JSON, by the database;
    the few unpublished sheets are checked against the viewer's rights one by one."""
    if not sheet_ids:
        return []
    query = (
        select(
            Sheet.id, Sheet.slug, Sheet.title, Sheet.status, Sheet.cover_photo,
            Revision.fields["locations"], Revision.fields[("practice_groups", 0)].as_string(),
            Revision.fields[("agro_climatic_zones", 0)].as_string(),
        )
        .join(Revision, Revision.id == Sheet.current_revision_id)
        .where(Sheet.id.in_(sheet_ids), Sheet.deleted_at.is_(None))
    )
    features = []
    for sheet_id, slug, title, status, cover, locations, group, zone in session.exec(query):
        if status != SheetStatus.PUBLISHED and not policy.can_view(
            viewer, session.get(Sheet, sheet_id)
        ):
            continue
        properties = {"slug": slug, "name": title, "group": group or "", "zone": zone or "",
                      **_photo(cover)}
        features += _points(locations, properties)
    return sorted(features, key=_order)


def _photo(cover: dict | None) -> dict:
    """The popup's thumbnail (issue 16): the upload name of the cover photo's smallest copy
    (served at /uploads/<name>), and its alt text."""
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
    rows = profiles.directory(
        session,
        profiles.DirectoryFilters(
            standing=filters.standing,
            college=filters.college,
            country=filters.country,
            region=filters.region,
        ),
    )
    colleges = profiles.college_map(session)
    features = []
    for row in rows:
        properties = {"slug": row.slug, "name": row.name, "standing": row.standing or "",
                      "colleges": colleges.get(row.id, [])}
        features += _points(row.locations, properties)
    return sorted(features, key=_order)


@dataclass(frozen=True)
class MeasureFilters:
    organization: str = ""
    country: str = ""
    status: str = ""
    region: str = ""


def measure_features(session: Session, viewer: User | None, filters: MeasureFilters) -> list[dict]:
    """Each point of the measures this viewer may see, and each drawn area as a Polygon."""
    query = select(
        Measure.id, Measure.title, Measure.area_ha, Measure.locations, Measure.boundary,
        Measure.state, Measure.organization_id, Measure.country,
    )
    if filters.organization:
        query = query.join(Organization, Organization.id == Measure.organization_id).where(
            Organization.slug == filters.organization)
    if filters.country:
        query = query.where(Measure.country == filters.country.upper())
    if filters.status:
        query = query.where(Measure.status == filters.status)
    query = query.where(Measure.deleted_at.is_(None))  # a deleted measure is nowhere
    if viewer is None:
        query = query.where(Measure.state == MeasureState.PUBLISHED)
    managed = profiles.managed_ids(session, viewer)
    features = []
    for row in session.exec(query):
        if row.state != MeasureState.PUBLISHED and not policy.can_view_measure(
            viewer, session.get(Measure, row.id), managed
        ):
            continue
        if filters.region and region_of_country(row.country) != filters.region:
            continue
        properties = {"id": row.id, "name": row.title, "area_ha": row.area_ha}
        features += _points(row.locations, properties)
        if row.boundary:
            features.append({"type": "Feature", "properties": properties,
                             "geometry": {"type": "Polygon", "coordinates": [
                                 [[round(lon, DIGITS), round(lat, DIGITS)] for lon, lat in ring]
                                 for ring in row.boundary]}})
    return sorted(features, key=_order)


def _order(feature: dict) -> tuple:
    properties = feature["properties"]
    return (
        properties["name"].lower(),
        str(properties.get("slug") or properties.get("id")),
        feature["geometry"]["type"],
        feature["geometry"]["coordinates"],
    )
