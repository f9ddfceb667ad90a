"""Browsing published sheets with filters on the structured fields, straight from the database.

Filters AND across facets and OR within one facet; the counts shown beside each value are
"how many sheets this choice would give", computed with that facet's own filter left out,
as faceted catalogues do. With `one_per_practice`, a sheet and its translations are one
entry (a practice): totals, counts and pages count practices, each shown by one version.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, distinct, func
from sqlalchemy.orm import aliased
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
# Where a whole practice stands in each order: its best-placed version's value.
PRACTICE_PLACES = {
    "updated": (func.max, Sheet.updated_at, "desc"),
    "title": (func.min, Sheet.title, "asc"),
    "soc": (func.max, Sheet.soc_change_t_c_ha_yr, "desc"),
}
MAX_PER_PAGE = 100
CHANGES_SCANNED_PER_ENTRY = 20  # recent changes, one per practice: revisions looked at per row
# A sheet's practice: the original it translates, or itself.
PRACTICE = func.coalesce(Sheet.translation_of_id, Sheet.id)


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
           per_page: int = 20, sort: str = "updated", one_per_practice: bool = False,
           language: str = "") -> BrowsePage:
    filters = clean_filters(filters)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = session.exec(_count(_matching(filters), one_per_practice)).one()
    page = page_within(page, total, per_page)
    if one_per_practice:
        query = _one_per_practice(_matching(filters), sort, language)
    else:
        query = _matching(filters).order_by(SORTS.get(sort, SORTS["updated"]), Sheet.id)
    rows = list(session.exec(query.offset((page - 1) * per_page).limit(per_page)))
    counts = {facet: facet_counts(session, filters, facet, one_per_practice=one_per_practice)
              for facet in BROWSE_FACETS}
    counts["language"] = _language_counts(session, filters, one_per_practice)
    return BrowsePage(rows, total, page, per_page, counts)


def facet_counts(session: Session, filters: Mapping[str, Sequence[str]],
                 facet: str, *, one_per_practice: bool = False) -> dict[str, int]:
    others = {name: values for name, values in filters.items() if name != facet}
    matching = _matching(others).with_only_columns(
        Sheet.id, PRACTICE.label("practice")).subquery()
    counted = distinct(matching.c.practice) if one_per_practice else matching.c.id
    query = (select(SheetTerm.code, func.count(counted))
             .join(matching, matching.c.id == SheetTerm.sheet_id)
             .where(SheetTerm.facet == facet)
             .group_by(SheetTerm.code))
    return dict(session.exec(query).all())


def _language_counts(session: Session, filters, one_per_practice: bool) -> dict[str, int]:
    others = {name: values for name, values in filters.items() if name != "language"}
    matching = _matching(others).with_only_columns(Sheet.id).subquery()
    counted = distinct(PRACTICE) if one_per_practice else Sheet.id
    query = (select(Sheet.language, func.count(counted))
             .where(Sheet.id.in_(select(matching.c.id)))
             .group_by(Sheet.language))
    return dict(session.exec(query).all())


def _one_per_practice(matching: Select, sort: str, language: str) -> Select:
    """One version of each matching practice: the one in `language` when there is one, else
    the best placed; practices in the order of their best-placed version."""
    aggregate, column, direction = PRACTICE_PLACES.get(sort, PRACTICE_PLACES["updated"])
    ranked = matching.add_columns(
        func.row_number().over(
            partition_by=PRACTICE,
            order_by=(case((Sheet.language == language, 0), else_=1),
                      SORTS.get(sort, SORTS["updated"]), Sheet.id),
        ).label("version_rank"),
        aggregate(column).over(partition_by=PRACTICE).label("practice_place"),
        PRACTICE.label("practice"),
    ).subquery()
    shown = aliased(Sheet, ranked)
    place = getattr(ranked.c.practice_place, direction)()
    if sort == "soc":
        place = place.nulls_last()
    return (select(shown).where(ranked.c.version_rank == 1)
            .order_by(place, ranked.c.practice))


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


def _count(query: Select, one_per_practice: bool = False) -> Select:
    """How many sheets the query finds (with `one_per_practice`: how many practices)."""
    counted = query.with_only_columns(PRACTICE.label("practice") if one_per_practice
                                      else Sheet.id)
    if one_per_practice:
        counted = counted.distinct()
    return select(func.count()).select_from(counted.subquery())


def recent_sheets(session: Session, limit: int = 6, *, language: str = "") -> list[Sheet]:
    """The practices updated last, one version each (in `language` when there is one)."""
    return list(session.exec(_one_per_practice(_matching({}), "updated", language)
                             .limit(limit)))


def count_published(session: Session, *, one_per_practice: bool = False) -> int:
    return session.exec(_count(_matching({}), one_per_practice)).one()


@dataclass(frozen=True)
class Change:
    revision: Revision
    sheet: Sheet
    author: User | None


def recent_changes(session: Session, limit: int = 50, *,
                   one_per_practice: bool = False) -> list[Change]:
    """The latest revisions of published, live sheets, newest first; with
    `one_per_practice`, only the latest of each practice (whichever language it was in)."""
    query = (select(Revision, Sheet, User)
             .join(Sheet, Sheet.id == Revision.sheet_id)
             .join(User, User.id == Revision.author_id, isouter=True)
             .where(Sheet.status == SheetStatus.PUBLISHED, Sheet.deleted_at.is_(None))
             .order_by(Revision.created_at.desc(), Revision.id.desc())
             .limit(limit))
    if one_per_practice:
        # Ranked within the newest revisions only (a window over the whole history would
        # sort every revision ever made): a practice whose latest change is older than all
        # of these is not among the `limit` newest anyway, unless one practice made most.
        newest = (query.with_only_columns(Revision.id, Revision.created_at,
                                          PRACTICE.label("practice"))
                  .limit(limit * CHANGES_SCANNED_PER_ENTRY).subquery())
        latest = select(newest.c.id, func.row_number().over(
            partition_by=newest.c.practice,
            order_by=(newest.c.created_at.desc(), newest.c.id.desc())).label("rank")).subquery()
        query = query.where(Revision.id.in_(select(latest.c.id).where(latest.c.rank == 1)))
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
