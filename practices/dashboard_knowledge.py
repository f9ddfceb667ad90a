"""Knowledge: what the wiki documents (published sheets), where, from which sources, in which
languages, where the gaps are, and what waits for review."""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select

from practices import policy
from practices.dashboard_map import iso_numeric, map_names
from practices.dashboard_model import Column, Figure
from practices.dashboard_query import (
    COUNTRIES,
    GROUPS,
    by_month,
    month_periods,
    published_sheets,
    sheet_conditions,
)
from practices.dashboard_text import _, language, ngettext
from practices.fields import N_
from practices.models import AuditEvent, Organization, Sheet, SheetStatus, SheetTerm

MONTHLY_UP_TO = 36  # months: a longer history is shown by year
SOURCE_LABELS = {"local": N_("Written here"), "wocat": "WOCAT", "teca": "FAO TECA",
                 "table": N_("Spreadsheet")}


def _label(vocabulary_name: str, code: str) -> str:
    from practices.vocab import vocabulary

    return vocabulary(vocabulary_name).label(code, language())


def sheets_over_time(session, viewer, filters) -> Figure:
    counts = by_month(session, select(func.count(Sheet.id))
                      .where(Sheet.id.in_(published_sheets(filters))), Sheet.created_at)
    rows = _cumulative(_periods(counts))
    total = rows[-1]["total"] if rows else 0
    summary = (_("No published sheet matches these filters.") if not rows else
               _("Published sheets: %(total)s, from %(first)s to %(last)s.", total=total,
                 first=rows[0]["period"], last=rows[-1]["period"]))
    return Figure("sheets-over-time", "knowledge", _("Published sheets over time"), summary,
                  "timeline",
                  (Column("period", _("Period")), Column("sheets", _("New sheets"), "sheets"),
                   Column("total", _("All sheets"), "sheets")),
                  tuple(rows), (_("By the date each sheet entered the wiki."),))


def _periods(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every month between the first and the last, or every year when that is long."""
    if not counts:
        return []
    months = sorted(counts)
    first, last = (tuple(int(part) for part in month.split("-")) for month in (months[0],
                                                                               months[-1]))
    periods = month_periods(first, last)
    if len(periods) <= MONTHLY_UP_TO:
        return [(period, counts.get(period, 0)) for period in periods]
    years: dict[str, int] = {str(year): 0 for year in range(first[0], last[0] + 1)}
    for month, count in counts.items():
        years[month[:4]] += count
    return list(years.items())


def _cumulative(periods: Iterable[tuple[str, int]]) -> list[dict]:
    rows, total = [], 0
    for period, count in periods:
        total += count
        rows.append({"period": period, "sheets": count, "total": total})
    return rows


# Coverage: which zones have sheets of which practice groups -----------------------------

def coverage(session, filters, name: str, zone_facet: str, title: str) -> Figure:
    from practices.vocab import vocabulary

    zone, group = SheetTerm.__table__.alias("zone"), SheetTerm.__table__.alias("grp")
    query = (select(group.c.code, zone.c.code, func.count(func.distinct(zone.c.sheet_id)))
             .join(group, group.c.sheet_id == zone.c.sheet_id)
             .where(zone.c.facet == zone_facet, group.c.facet == GROUPS,
                    zone.c.sheet_id.in_(published_sheets(filters)))
             .group_by(group.c.code, zone.c.code))
    counts = {(x, y): count for x, y, count in session.execute(query)}
    groups = [filters.group] if filters.group else list(vocabulary(GROUPS).codes)
    rows = [_cell(x, y, counts.get((x, y), 0), zone_facet) for y in vocabulary(zone_facet).codes
            for x in groups]
    gaps = sum(1 for row in rows if row.get("gap"))
    summary = _("%(gaps)s of %(cells)s combinations have no published sheet yet.",
                gaps=gaps, cells=len(rows))
    return Figure(name, "knowledge", title, summary, "matrix",
                  (Column("x", _("Practice group code")), Column("x_label", _("Practice group")),
                   Column("y", _("Zone code")), Column("y_label", _("Zone")),
                   Column("value", _("Sheets"), "sheets")),
                  tuple(rows), (_("A sheet counts in every combination of its zones and "
                                  "practice groups."),))


def _cell(group: str, zone: str, count: int, zone_facet: str) -> dict:
    row = {"x": group, "x_label": _label(GROUPS, group), "y": zone,
           "y_label": _label(zone_facet, zone), "value": count}
    if not count:
        row["gap"] = True
        row["new_sheet_args"] = {GROUPS: group, zone_facet: zone}
    return row


# Countries, sources, languages -----------------------------------------------------------

def sheets_by_country(session, viewer, filters) -> Figure:
    query = (select(SheetTerm.code, func.count(func.distinct(SheetTerm.sheet_id)))
             .where(SheetTerm.facet == COUNTRIES, SheetTerm.sheet_id.in_(published_sheets(filters)))
             .group_by(SheetTerm.code))
    rows = country_rows(session.execute(query).all())
    summary = ngettext("Published sheets document practices in %(num)s country.",
                       "Published sheets document practices in %(num)s countries.", len(rows))
    return Figure("sheets-by-country", "knowledge", _("Sheets by country"), summary,
                  "choropleth", country_columns(_("Sheets"), "sheets"), tuple(rows),
                  (_("A sheet about several countries counts in each."),))


def country_columns(label: str, unit: str) -> tuple[Column, ...]:
    return (Column("country", _("Country code")), Column("iso_numeric", _("ISO numeric code")),
            Column("map_name", _("Name on the map")), Column("label", _("Country")),
            Column("value", label, unit))


def country_rows(counts) -> list[dict]:
    """Choropleth rows, most first, from (alpha-2, count) pairs."""
    names = map_names()
    rows = [{"country": code, "iso_numeric": iso_numeric(code), "map_name": names.get(code),
             "label": _label("countries", code), "value": int(count)}
            for code, count in counts if code]
    return sorted(rows, key=lambda row: (-row["value"], row["country"]))


def sheets_by_source(session, viewer, filters) -> Figure:
    query = (select(Sheet.source, func.count(Sheet.id))
             .where(Sheet.id.in_(published_sheets(filters))).group_by(Sheet.source))
    counts = dict(session.execute(query).all())
    codes = [*SOURCE_LABELS, *sorted(set(counts) - set(SOURCE_LABELS))]
    rows = tuple({"code": code, "label": _(SOURCE_LABELS.get(code, code)),
                  "sheets": counts.get(code, 0)} for code in codes)
    summary = _("%(local)s published sheets were written here, %(imported)s imported.",
                local=counts.get("local", 0),
                imported=sum(counts.values()) - counts.get("local", 0))
    return Figure("sheets-by-source", "knowledge", _("Sheets by source"), summary, "bars",
                  (Column("code", _("Source code")), Column("label", _("Source")),
                   Column("sheets", _("Sheets"), "sheets")), rows)


def sheets_by_language(session, viewer, filters) -> Figure:
    chosen = published_sheets(filters)
    query = (select(Sheet.language, func.count(Sheet.id),
                    func.count(func.distinct(func.coalesce(Sheet.translation_of_id, Sheet.id))))
             .where(Sheet.id.in_(chosen)).group_by(Sheet.language))
    rows = sorted(({"code": code, "label": _label("languages", code), "sheets": sheets,
                    "practices": practices} for code, sheets, practices in session.execute(query)),
                  key=lambda row: (-row["sheets"], row["code"]))
    practices = session.execute(select(func.count(func.distinct(
        func.coalesce(Sheet.translation_of_id, Sheet.id)))).where(Sheet.id.in_(chosen))).scalar()
    sheets = sum(row["sheets"] for row in rows)
    summary = _("%(sheets)s published sheets in %(languages)s languages describe %(practices)s "
                "practices: the translations of one practice count as one practice.",
                sheets=sheets, languages=len(rows), practices=practices or 0)
    return Figure("sheets-by-language", "knowledge", _("Sheets by language"), summary, "bars",
                  (Column("code", _("Language code")), Column("label", _("Language")),
                   Column("sheets", _("Sheets"), "sheets"),
                   Column("practices", _("Practices"), "practices")), tuple(rows),
                  (_("A practice is a sheet with its translations."),))


# The review queue: the one figure about unpublished work ----------------------------------

def review_queue(session, viewer, filters) -> Figure:
    """Sheets in review that the viewer may see (none for the public), oldest first."""
    submitted = (select(AuditEvent.target_id, func.max(AuditEvent.created_at).label("since"))
                 .where(AuditEvent.target_type == "sheet", AuditEvent.action == "sheet.submit")
                 .group_by(AuditEvent.target_id).subquery())
    query = (select(Sheet, submitted.c.since, Organization.name)
             .outerjoin(submitted, submitted.c.target_id == Sheet.id)
             .outerjoin(Organization, Organization.id == Sheet.organization_id)
             .where(Sheet.status == SheetStatus.IN_REVIEW, Sheet.deleted_at.is_(None),
                    *sheet_conditions(filters)))
    now = datetime.now(UTC)
    rows = [_queue_row(sheet, since or sheet.updated_at, organization, now)
            for sheet, since, organization in session.execute(query)
            if policy.can_view(viewer, sheet)]
    rows.sort(key=lambda row: (-row["age_days"], row["slug"]))
    summary = (_("No sheet you may see is waiting for review.") if not rows else
               ngettext("%(num)s sheet waits for review, for %(days)s days.",
                        "%(num)s sheets wait for review; the oldest for %(days)s days.",
                        len(rows), days=rows[0]["age_days"]))
    return Figure("review-queue", "knowledge", _("Review queue"), summary, "table",
                  (Column("slug", _("Address")), Column("title", _("Sheet")),
                   Column("organization", _("Organisation")),
                   Column("in_review_since", _("In review since")),
                   Column("age_days", _("Waiting"), "days")), tuple(rows),
                  (_("Only the sheets you may see are listed: moderators see every sheet in "
                     "review, contributors their own."),))


def _queue_row(sheet: Sheet, since: datetime, organization: str | None, now: datetime) -> dict:
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return {"slug": sheet.slug, "title": sheet.title, "organization": organization,
            "in_review_since": since.date().isoformat(), "age_days": max(0, (now - since).days)}
