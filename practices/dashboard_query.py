"""The dashboard's filters as SQL conditions, and the small helpers its aggregates share.

What each filter means for each kind of record:
- sheets: region and country by the countries the sheet names; college by the colleges of
  its contributing organisation; group by its practice groups; years by the year it entered
  the wiki (created_at).
- measures: region and country by the measure's country; college by its organisation's
  colleges; group by the practice groups of the published sheets it applies; years: the
  measure's years overlap the range (a missing start or end year is open).
- organisations: region, country and college; the practice group and years do not apply.
"""

from sqlalchemy import and_, exists, extract, false, or_, select

from practices.dashboard_regions import countries_in
from practices.models import (
    College,
    Measure,
    MeasureSheet,
    MeasureState,
    Organization,
    OrganizationCollege,
    Sheet,
    SheetStatus,
    SheetTerm,
)

COUNTRIES, GROUPS = "countries", "practice_groups"


def _countries(filters) -> list[str] | None:
    """The countries the filters allow (None: any); an empty list matches nothing."""
    allowed = None
    if filters.region:
        allowed = set(countries_in(filters.region))
    if filters.country:
        allowed = {filters.country} if allowed is None else allowed & {filters.country}
    return None if allowed is None else sorted(allowed)


def college_organizations(slug: str):
    """Ids of the organisations taking part in the college `slug`."""
    return (select(OrganizationCollege.organization_id)
            .join(College, College.id == OrganizationCollege.college_id)
            .where(College.slug == slug))


def _sheet_has(facet: str, codes) -> object:
    return exists().where(SheetTerm.sheet_id == Sheet.id, SheetTerm.facet == facet,
                          SheetTerm.code.in_(codes))


def published_sheet():
    return and_(Sheet.status == SheetStatus.PUBLISHED, Sheet.deleted_at.is_(None))


def sheet_conditions(filters, *, years: bool = True) -> list:
    """WHERE conditions on Sheet for the filters (not its status: callers choose)."""
    conditions = []
    countries = _countries(filters)
    if countries is not None:
        conditions.append(_sheet_has(COUNTRIES, countries) if countries else false())
    if filters.group:
        conditions.append(_sheet_has(GROUPS, [filters.group]))
    if filters.college:
        conditions.append(Sheet.organization_id.in_(college_organizations(filters.college)))
    if years:
        conditions.extend(year_conditions(Sheet.created_at, filters))
    return conditions


def year_conditions(column, filters) -> list:
    year = extract("year", column)
    conditions = []
    if filters.year_from:
        conditions.append(year >= filters.year_from)
    if filters.year_to:
        conditions.append(year <= filters.year_to)
    return conditions


def published_sheets(filters, *, years: bool = True):
    """Ids of the published sheets the filters select (a subquery)."""
    return select(Sheet.id).where(published_sheet(), *sheet_conditions(filters, years=years))


def measure_groups():
    """(measure_id, practice group code) of every published measure's published sheets."""
    return (select(MeasureSheet.measure_id, SheetTerm.code.label("group_code"))
            .join(SheetTerm, SheetTerm.sheet_id == MeasureSheet.sheet_id)
            .join(Sheet, Sheet.id == MeasureSheet.sheet_id)
            .where(SheetTerm.facet == GROUPS, published_sheet())
            .distinct())


def measure_conditions(filters) -> list:
    """WHERE conditions on Measure: published and not deleted, and the filters."""
    conditions = [Measure.state == MeasureState.PUBLISHED, Measure.deleted_at.is_(None)]
    countries = _countries(filters)
    if countries is not None:
        conditions.append(Measure.country.in_(countries) if countries else false())
    if filters.college:
        conditions.append(Measure.organization_id.in_(college_organizations(filters.college)))
    if filters.group:
        groups = measure_groups().subquery()
        conditions.append(Measure.id.in_(select(groups.c.measure_id)
                                         .where(groups.c.group_code == filters.group)))
    if filters.year_from:
        conditions.append(or_(Measure.end_year.is_(None), Measure.end_year >= filters.year_from))
    if filters.year_to:
        conditions.append(or_(Measure.start_year.is_(None),
                              Measure.start_year <= filters.year_to))
    return conditions


def organization_conditions(filters) -> list:
    """WHERE conditions on Organization: active, and the filters that apply to it."""
    conditions = [Organization.active]
    countries = _countries(filters)
    if countries is not None:
        conditions.append(Organization.country.in_(countries) if countries else false())
    if filters.college:
        conditions.append(Organization.id.in_(college_organizations(filters.college)))
    return conditions


def month_periods(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    """Every month from first to last, as "YYYY-MM" (so a timeline shows quiet months)."""
    year, month = first
    periods = []
    while (year, month) <= last:
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


def by_month(session, query, column) -> dict[str, int]:
    """Counts of `query` (a select of one count column) grouped by the month of `column`."""
    year, month = extract("year", column), extract("month", column)
    rows = session.execute(query.add_columns(year, month).group_by(year, month)).all()
    return {f"{int(y):04d}-{int(m):02d}": int(value) for value, y, m in rows}
