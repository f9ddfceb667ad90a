"""Browsing published sheets with filters on the structured fields, straight from the database.

Filters AND across facets and OR within one facet; the counts shown beside each value are
"how many sheets this choice would give", computed with that facet's own filter left out,
as faceted catalogues do.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func
from sqlmodel import Session, select

from practices.fields import FACET_FIELDS
from practices.models import Revision, Sheet, SheetStatus, SheetTerm, User
from practices.paging import Paged, page_within

BROWSE_FACETS = ("agro_climatic_zones", "ipcc_climate_zones", "practice_groups", "land_use",
                 "measures", "degradation_addressed", "countries", "regions", "ipcc_soil_classes")
FILTERABLE = frozenset(FACET_FIELDS) | {"regions", "language"}
SORTS = {
    "updated": Sheet.updated_at.desc(),
    "title": Sheet.title.asc(),
    "soc": Sheet.soc_change_t_c_ha_yr.desc().nulls_last(),
}
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class BrowsePage(Paged):
    sheets: list[Sheet]
    total: int
    page: int
    per_page: int
    facet_counts: dict[str, dict[str, int]]


def clean_filters(raw: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Keep known facets with non-empty values; unknown parameters are ignored."""
    cleaned = {}
    for name, values in raw.items():
        kept = sorted({value for value in values if value})
        if name in FILTERABLE and kept:
            cleaned[name] = kept
    return cleaned


def browse(session: Session, filters: Mapping[str, Sequence[str]], *, page: int = 1,
           per_page: int = 20, sort: str = "updated") -> BrowsePage:
    filters = clean_filters(filters)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = session.exec(_count(_matching(filters))).one()
    page = page_within(page, total, per_page)
    query = _matching(filters).order_by(SORTS.get(sort, SORTS["updated"]), Sheet.id)
    rows = list(session.exec(query.offset((page - 1) * per_page).limit(per_page)))
    counts = {facet: facet_counts(session, filters, facet) for facet in BROWSE_FACETS}
    counts["language"] = _language_counts(session, filters)
    return BrowsePage(rows, total, page, per_page, counts)


def facet_counts(session: Session, filters: Mapping[str, Sequence[str]],
                 facet: str) -> dict[str, int]:
    others = {name: values for name, values in filters.items() if name != facet}
    matching = _matching(others).with_only_columns(Sheet.id).subquery()
    query = (select(SheetTerm.code, func.count())
             .where(SheetTerm.facet == facet, SheetTerm.sheet_id.in_(select(matching.c.id)))
             .group_by(SheetTerm.code))
    return dict(session.exec(query).all())


def _language_counts(session: Session, filters) -> dict[str, int]:
    others = {name: values for name, values in filters.items() if name != "language"}
    matching = _matching(others).with_only_columns(Sheet.id).subquery()
    query = (select(Sheet.language, func.count()).where(Sheet.id.in_(select(matching.c.id)))
             .group_by(Sheet.language))
    return dict(session.exec(query).all())


def _matching(filters: Mapping[str, Sequence[str]]) -> Select:
    query = select(Sheet).where(Sheet.status == SheetStatus.PUBLISHED, Sheet.deleted_at.is_(None))
    for facet, codes in filters.items():
        if facet == "language":
            query = query.where(Sheet.language.in_(codes))
            continue
        carriers = select(SheetTerm.sheet_id).where(SheetTerm.facet == facet,
                                                    SheetTerm.code.in_(codes))
        query = query.where(Sheet.id.in_(carriers))
    return query


def _count(query: Select) -> Select:
    return select(func.count()).select_from(query.with_only_columns(Sheet.id).subquery())


def recent_sheets(session: Session, limit: int = 6) -> list[Sheet]:
    return list(session.exec(_matching({}).order_by(Sheet.updated_at.desc()).limit(limit)))


def count_published(session: Session) -> int:
    return session.exec(_count(_matching({}))).one()


@dataclass(frozen=True)
class Change:
    revision: Revision
    sheet: Sheet
    author: User | None


def recent_changes(session: Session, limit: int = 50) -> list[Change]:
    """The latest revisions of published, live sheets, newest first."""
    query = (select(Revision, Sheet, User)
             .join(Sheet, Sheet.id == Revision.sheet_id)
             .join(User, User.id == Revision.author_id, isouter=True)
             .where(Sheet.status == SheetStatus.PUBLISHED, Sheet.deleted_at.is_(None))
             .order_by(Revision.created_at.desc(), Revision.id.desc())
             .limit(limit))
    return [Change(revision, sheet, author) for revision, sheet, author in session.exec(query)]


@dataclass(frozen=True)
class MapPoint:
    sheet: Sheet
    longitude: float
    latitude: float


def map_points(session: Session, sheet_ids: Sequence[int]) -> tuple[list[MapPoint], int]:
    """Every recorded location of these sheets, and how many of the sheets have none.

    Locations are kept as [lon, lat] pairs in the current revision's fields, as WOCAT does."""
    if not sheet_ids:
        return [], 0
    query = (select(Sheet, Revision.fields)
             .join(Revision, Revision.id == Sheet.current_revision_id)
             .where(Sheet.id.in_(sheet_ids)))
    points, unlocated = [], 0
    for sheet, fields in session.exec(query):
        located = [(lon, lat) for lon, lat in (fields or {}).get("locations", [])
                   if -180 <= lon <= 180 and -90 <= lat <= 90]
        unlocated += not located
        points += [MapPoint(sheet, lon, lat) for lon, lat in located]
    return points, unlocated
