"""Community: the organisations of the Initiative, and who writes, discusses and endorses."""

from sqlalchemy import func, select

from practices.dashboard_knowledge import country_columns, country_rows
from practices.dashboard_model import Column, Figure
from practices.dashboard_query import (
    by_month,
    month_periods,
    organization_conditions,
    published_sheets,
    year_conditions,
)
from practices.dashboard_text import _, language
from practices.models import (
    College,
    Comment,
    Endorsement,
    Organization,
    OrganizationCollege,
    Revision,
    Thread,
)
from practices.profiles import STANDINGS

NOT_APPLICABLE = "The practice group and year filters do not apply to organisations."


def _notes(filters) -> tuple[str, ...]:
    return (_(NOT_APPLICABLE),) if filters.group or filters.year_from or filters.year_to else ()


def organizations_by_standing(session, viewer, filters) -> Figure:
    query = (select(Organization.standing, func.count(Organization.id))
             .where(*organization_conditions(filters)).group_by(Organization.standing))
    counts = {code or "none": count for code, count in session.execute(query)}
    rows = [{"code": code, "label": STANDINGS.label(code, language()),
             "organizations": counts.get(code, 0)} for code in STANDINGS.codes]
    rows.append({"code": "none", "label": _("Standing not given"),
                 "organizations": counts.get("none", 0)})
    summary = _("%(total)s organisations: %(members)s members of the Consortium, %(partners)s "
                "partners of the Forum.", total=sum(counts.values()),
                members=counts.get("member-of-the-consortium", 0),
                partners=counts.get("partner-of-the-forum", 0))
    return Figure("organizations-by-standing", "community", _("Organisations by standing"),
                  summary, "bars", _organization_columns(_("Standing")), tuple(rows),
                  _notes(filters))


def _organization_columns(label: str) -> tuple[Column, ...]:
    return (Column("code", _("Code")), Column("label", label),
            Column("organizations", _("Organisations"), "organizations"))


def organizations_by_college(session, viewer, filters) -> Figure:
    query = (select(College.slug, College.name, func.count(Organization.id))
             .select_from(College)
             .outerjoin(OrganizationCollege, OrganizationCollege.college_id == College.id)
             .outerjoin(Organization, (Organization.id == OrganizationCollege.organization_id)
                        & Organization.id.in_(select(Organization.id)
                                              .where(*organization_conditions(filters))))
             .where(College.active)
             .group_by(College.id, College.slug, College.name))
    if filters.college:
        query = query.where(College.slug == filters.college)
    rows = sorted(({"code": slug, "label": name, "organizations": count}
                   for slug, name, count in session.execute(query)),
                  key=lambda row: (-row["organizations"], row["label"].lower()))
    summary = (_("No college yet.") if not rows else
               _("%(colleges)s colleges; the largest, %(name)s, has %(count)s organisations.",
                 colleges=len(rows), name=rows[0]["label"], count=rows[0]["organizations"]))
    return Figure("organizations-by-college", "community", _("Organisations by college"),
                  summary, "bars", _organization_columns(_("College")), tuple(rows),
                  (*_notes(filters),
                   _("An organisation taking part in several colleges counts in each.")))


def organizations_by_country(session, viewer, filters) -> Figure:
    query = (select(Organization.country, func.count(Organization.id))
             .where(*organization_conditions(filters), Organization.country.is_not(None))
             .group_by(Organization.country))
    rows = country_rows(session.execute(query).all())
    summary = _("Countries with organisations: %(countries)s.", countries=len(rows))
    return Figure("organizations-by-country", "community", _("Organisations by country"),
                  summary, "choropleth", country_columns(_("Organisations"), "organizations"),
                  tuple(rows), _notes(filters))


# Activity --------------------------------------------------------------------------------

def activity_per_month(session, viewer, filters) -> Figure:
    """Per month: people who saved a revision of a published sheet, comments readers can see
    (open threads, not hidden) and endorsements in force, on the sheets the filters select."""
    sheets = published_sheets(filters, years=False)
    series = {
        "contributors": _monthly(session, func.count(func.distinct(Revision.author_id)),
                                 Revision.created_at, filters, Revision.sheet_id.in_(sheets)),
        "comments": _monthly(session, func.count(Comment.id), Comment.created_at, filters,
                             Comment.hidden_at.is_(None), Thread.college_id.is_(None),
                             Thread.sheet_id.in_(sheets), join=(Thread,
                                                                Thread.id == Comment.thread_id)),
        "endorsements": _monthly(session, func.count(Endorsement.id), Endorsement.created_at,
                                 filters, Endorsement.withdrawn_at.is_(None),
                                 Endorsement.sheet_id.in_(sheets)),
    }
    months = sorted(set().union(*series.values()))
    periods = month_periods(*(tuple(int(part) for part in month.split("-"))
                              for month in (months[0], months[-1]))) if months else []
    rows = tuple({"period": period, **{key: counts.get(period, 0)
                                       for key, counts in series.items()}} for period in periods)
    summary = _("%(comments)s comments and %(endorsements)s endorsements over %(months)s "
                "months.", comments=sum(series["comments"].values()),
                endorsements=sum(series["endorsements"].values()), months=len(rows))
    return Figure("activity-per-month", "community",
                  _("Active contributors, comments and endorsements per month"), summary,
                  "timeline",
                  (Column("period", _("Month")),
                   Column("contributors", _("Active contributors"), "people"),
                   Column("comments", _("Comments"), "comments"),
                   Column("endorsements", _("Endorsements"), "endorsements")), rows,
                  (_("Active contributors saved at least one revision of a published sheet that "
                     "month; comments of college-only threads and hidden comments are not "
                     "counted."),))


def _monthly(session, count, column, filters, *conditions, join=None) -> dict[str, int]:
    query = select(count)
    if join is not None:
        query = query.select_from(column.class_).join(*join)
    return by_month(session, query.where(*conditions, *year_conditions(column, filters)),
                    column)
