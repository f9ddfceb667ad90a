"""Which IPCC climate zones and soil classes do sheets near a point document? (issue 13)

There is no climate or soil raster in the project, and the calculator must never guess. So
the lookup only reports what the wiki itself says: the zones and soil classes listed by
sheets that the reader may see and that have a location near the point, each with the
nearest such sheet and its distance. Sheets in the point's country come first. The reader
checks and picks; nothing is selected for them.
"""

import math
from dataclasses import dataclass, field, replace

from sqlmodel import Session, select

from practices import policy
from practices.models import Revision, Sheet, SheetStatus, User
from search.place import EARTH_RADIUS_KM, PlaceError, country_at, parse_point

MAX_DISTANCE_KM = 500.0
KM_PER_DEGREE_OF_LATITUDE = 111.0  # a little under the true 111.2: the band errs wide
# The two fields the calculator needs, keyed by the calculator's parameter names.
ZONE_FIELDS = {"climate_zone": "ipcc_climate_zones", "soil_class": "ipcc_soil_classes"}


@dataclass(frozen=True)
class Evidence:
    """One code, and the nearest visible sheet that documents it."""

    code: str
    sheet: Sheet
    distance_km: float
    same_country: bool
    where: tuple[float, float] = (0.0, 0.0)  # the sheet's nearest location, (lon, lat)


@dataclass
class PointZones:
    latitude: float
    longitude: float
    country: str | None  # None when no country lies near the point (at sea, say)
    max_distance_km: float = MAX_DISTANCE_KM
    found: dict[str, list[Evidence]] = field(default_factory=dict)  # by ZONE_FIELDS key

    @property
    def empty(self) -> bool:
        return not any(self.found.values())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def zones_near(
    session: Session,
    user: User | None,
    latitude: str | float,
    longitude: str | float,
    max_km: float = MAX_DISTANCE_KM,
) -> PointZones:
    """The zones and soil classes documented near the point, best evidence first.

    Raises PlaceError("invalid") for a point that is not a latitude/longitude."""
    lat, lon = parse_point(latitude, longitude)
    try:
        country = country_at(lat, lon)
    except PlaceError:
        country = None
    # Evidence is first kept with the sheet's id; only the winners' sheets are loaded.
    best: dict[str, dict[str, Evidence]] = {name: {} for name in ZONE_FIELDS}
    for sheet_id, fields in _located_sheets(session, user):
        nearest = _nearest_location(lat, lon, fields["locations"] or [], max_km)
        if nearest is None or nearest[0] > max_km:
            continue
        same_country = country is not None and country in (fields["countries"] or [])
        for name, field_name in ZONE_FIELDS.items():
            for code in fields[field_name] or []:
                evidence = Evidence(str(code), sheet_id, nearest[0], same_country, nearest[1])
                known = best[name].get(evidence.code)
                if known is None or _rank(evidence) < _rank(known):
                    best[name][evidence.code] = evidence
    ids = {evidence.sheet for codes in best.values() for evidence in codes.values()}
    sheets = {sheet.id: sheet for sheet in session.exec(select(Sheet).where(Sheet.id.in_(ids)))}
    found = {name: sorted((replace(evidence, sheet=sheets[evidence.sheet])
                           for evidence in codes.values()), key=_rank)
             for name, codes in best.items()}
    return PointZones(lat, lon, country, max_km, found)


def _rank(evidence: Evidence) -> tuple:
    return (not evidence.same_country, evidence.distance_km, evidence.code)


READ_FIELDS = ("locations", "countries", *ZONE_FIELDS.values())


def _located_sheets(session: Session, user: User | None):
    """(sheet id, the fields the lookup reads) of every live sheet with a location that this
    reader may see. The database reads the few fields out of each revision's JSON, without
    loading the sheets; published sheets (nearly all) need no further check, the others are
    checked one by one."""
    query = (
        select(Sheet.id, Sheet.status, *(Revision.fields[name] for name in READ_FIELDS))
        .join(Revision, Revision.id == Sheet.current_revision_id)
        .where(Sheet.deleted_at.is_(None))
        .order_by(Sheet.id)
    )
    rows = [(sheet_id, status, dict(zip(READ_FIELDS, values, strict=True)))
            for sheet_id, status, *values in session.exec(query)]
    unpublished = [sheet_id for sheet_id, status, fields in rows
                   if status != SheetStatus.PUBLISHED and fields["locations"]]
    # Anonymous readers see no unpublished sheet; others' rights are checked on the few
    # unpublished sheets, loaded together.
    readable = {sheet.id for sheet in session.exec(select(Sheet).where(
        Sheet.id.in_(unpublished))) if policy.can_view(user, sheet)} \
        if user is not None and unpublished else set()
    for sheet_id, status, fields in rows:
        if fields["locations"] and (status == SheetStatus.PUBLISHED or sheet_id in readable):
            yield sheet_id, fields


def _nearest_location(lat: float, lon: float, locations, max_km: float = math.inf
                      ) -> tuple[float, tuple] | None:
    """(distance, [lon, lat]) of the nearest well-formed location within max_km, or None.
    A location more than max_km north or south is out without the great-circle formula."""
    band = max_km / KM_PER_DEGREE_OF_LATITUDE
    found = [
        (distance_km(lat, lon, point[1], point[0]), (point[0], point[1]))
        for point in locations
        if _is_point(point) and abs(point[1] - lat) <= band
    ]
    return min(found, default=None)


def _is_point(point) -> bool:
    return (
        isinstance(point, list | tuple)
        and len(point) == 2
        and all(isinstance(value, int | float) and not isinstance(value, bool) for value in point)
        and -180 <= point[0] <= 180
        and -90 <= point[1] <= 90
    )
