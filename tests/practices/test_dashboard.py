"""Every figure of the dashboard against the records counted directly (issue 15): random small
wikis (sheets in every status, deleted ones, measures in every state and estimate case,
organisations, colleges) and random filters. Only what the public may see is counted: the
oracle asks practices.policy, the figures use SQL aggregates."""

import os
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete, select

from practices import dashboard, policy
from practices.dashboard_regions import countries_in, region_of
from practices.models import (
    College,
    Measure,
    MeasureSheet,
    Organization,
    OrganizationCollege,
    Sheet,
    SheetTerm,
)
from tests.practices.test_measures import NO_TILL

COUNTRIES = ("BF", "FR", "BR", "KE")
GROUPS = ("agroforestry", "minimal-soil-disturbance", "water-harvesting")
ZONES = ("humid", "semi-arid")
CASES = ("estimated", "no-area", "no-ipcc-default", "not-enough-data")

sheets_st = st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(("draft", "in_review", "published", "published", "archived")),
    "deleted": st.booleans(),
    "countries": st.sets(st.sampled_from(COUNTRIES), max_size=2),
    "groups": st.sets(st.sampled_from(GROUPS), max_size=2),
    "zones": st.sets(st.sampled_from(ZONES), max_size=2),
    "language": st.sampled_from(("en", "fr", "es")),
    "source": st.sampled_from(("local", "wocat", "teca", "table")),
    "translation_of": st.none() | st.integers(0, 5),
    "organization": st.none() | st.integers(0, 2),
    "year": st.integers(2019, 2024),
}), max_size=12)
organizations_st = st.lists(st.fixed_dictionaries({
    "active": st.booleans(),
    "standing": st.sampled_from((None, "member-of-the-consortium", "partner-of-the-forum")),
    "country": st.sampled_from((None, *COUNTRIES)),
    "in_college": st.booleans(),
}), min_size=3, max_size=3)
measures_st = st.lists(st.fixed_dictionaries({
    "state": st.sampled_from(("draft", "in_review", "published", "published")),
    "deleted": st.booleans(),  # a deleted measure counts nowhere, even once published
    "status": st.sampled_from(("planned", "ongoing", "completed")),
    "country": st.sampled_from((None, *COUNTRIES)),
    "area": st.none() | st.integers(1, 500),
    "case": st.sampled_from(CASES),
    "sheets": st.sets(st.integers(0, 11), max_size=2),
    "organization": st.integers(0, 2),
    "soc": st.none() | st.tuples(st.floats(-1, 2), st.none() | st.floats(20, 80)),
    "years": st.tuples(st.none() | st.integers(2015, 2022), st.none() | st.integers(2020, 2026)),
}), max_size=10)
filters_st = st.builds(dashboard.Filters, region=st.sampled_from((None, "002", "150", "419")),
                       country=st.sampled_from((None, "BF", "FR")),
                       college=st.sampled_from((None, "research")),
                       group=st.sampled_from((None, "agroforestry")),
                       year_from=st.sampled_from((None, 2021)),
                       year_to=st.sampled_from((None, 2023)))


def build(session, sheets, organizations, measures) -> None:
    college = College(slug="research", name="Research")
    session.add(college)
    orgs = []
    for number, spec in enumerate(organizations):
        org = Organization(slug=f"o{number}", name=f"O{number}", active=spec["active"],
                           standing=spec["standing"], country=spec["country"])
        session.add(org)
        orgs.append((org, spec))
    session.flush()
    for org, spec in orgs:
        if spec["in_college"]:
            session.add(OrganizationCollege(organization_id=org.id, college_id=college.id))
    rows = []
    for number, spec in enumerate(sheets):
        sheet = Sheet(slug=f"s{number}", title=f"S{number}", status=spec["status"],
                      language=spec["language"], source=spec["source"],
                      deleted_at=datetime.now(UTC) if spec["deleted"] else None,
                      organization_id=(orgs[spec["organization"]][0].id
                                       if spec["organization"] is not None else None),
                      created_at=datetime(spec["year"], 6, 1, tzinfo=UTC))
        session.add(sheet)
        rows.append(sheet)
    session.flush()
    for sheet, spec in zip(rows, sheets, strict=True):
        if spec["translation_of"] is not None and spec["translation_of"] < len(rows):
            sheet.translation_of_id = rows[spec["translation_of"]].id
        for facet, codes in (("countries", spec["countries"]), ("practice_groups", spec["groups"]),
                             ("agro_climatic_zones", spec["zones"])):
            session.add_all(SheetTerm(sheet_id=sheet.id, facet=facet, code=code)
                            for code in codes)
    for number, spec in enumerate(measures):
        measure = Measure(title=f"M{number}", organization_id=orgs[spec["organization"]][0].id,
                          state=spec["state"], status=spec["status"], country=spec["country"],
                          area_ha=spec["area"], start_year=spec["years"][0],
                          end_year=spec["years"][1], **_estimate(spec))
        if spec["soc"]:
            measure.soc_change_t_c_ha_yr, measure.soc_baseline_t_c_ha = spec["soc"]
        if spec["deleted"]:
            measure.deleted_at = datetime(2024, 1, 1, tzinfo=UTC)
        session.add(measure)
        session.flush()
        session.add_all(MeasureSheet(measure_id=measure.id, sheet_id=rows[index].id)
                        for index in spec["sheets"] if index < len(rows))
    session.commit()


def empty(session) -> None:
    """Delete what the previous example built (only these tables: emptying all is slow)."""
    for model in (MeasureSheet, Measure, SheetTerm, Sheet, OrganizationCollege, College,
                  Organization):
        session.execute(delete(model))
    session.commit()


def _estimate(spec) -> dict:
    """The stored estimate as measures._refresh_estimate leaves it, for each case."""
    case = spec["case"] if spec["area"] or spec["case"] != "estimated" else "no-area"
    if case in ("estimated", "no-area"):
        return {**NO_TILL, "estimated_t_c_ha_yr": 0.25515, "estimated_per_mille_yr": 4.5,
                "estimated_t_c_yr": 0.25515 * spec["area"] if case == "estimated" else None}
    return {"estimate_note": "No IPCC default" if case == "no-ipcc-default"
            else "Not enough data for an estimate."}


# The oracle: the records, read plainly, and the documented meaning of each filter ----------

def allowed_countries(filters):
    allowed = set(COUNTRIES) | {None}
    if filters.region:
        allowed &= countries_in(filters.region)
    if filters.country:
        allowed &= {filters.country}
    return allowed


def public_sheets(session, filters, years=True):
    terms = {}
    for term in session.exec(select(SheetTerm)):
        terms.setdefault((term.sheet_id, term.facet), set()).add(term.code)
    college_orgs = set(session.exec(select(OrganizationCollege.organization_id)))
    chosen = []
    for sheet in session.exec(select(Sheet)):
        countries = terms.get((sheet.id, "countries"), set())
        if not policy.can_view(None, sheet):
            continue
        if (filters.region or filters.country) and not countries & allowed_countries(filters):
            continue
        if filters.group and filters.group not in terms.get((sheet.id, "practice_groups"), ()):
            continue
        if filters.college and sheet.organization_id not in college_orgs:
            continue
        year = sheet.created_at.year
        if years and ((filters.year_from and year < filters.year_from)
                      or (filters.year_to and year > filters.year_to)):
            continue
        chosen.append(sheet)
    return chosen, terms


def public_measures(session, filters, public_sheet_groups):
    college_orgs = set(session.exec(select(OrganizationCollege.organization_id)))
    links = {}
    for link in session.exec(select(MeasureSheet)):
        links.setdefault(link.measure_id, set()).update(public_sheet_groups.get(link.sheet_id, ()))
    chosen = []
    for measure in session.exec(select(Measure)):
        if not policy.can_view_measure(None, measure):
            continue
        if (filters.region or filters.country) and measure.country not in \
                allowed_countries(filters) - {None}:
            continue
        if filters.college and measure.organization_id not in college_orgs:
            continue
        if filters.group and filters.group not in links.get(measure.id, ()):
            continue
        if filters.year_from and measure.end_year and measure.end_year < filters.year_from:
            continue
        if filters.year_to and measure.start_year and measure.start_year > filters.year_to:
            continue
        chosen.append(measure)
    return chosen, links


def public_organizations(session, filters):
    college_orgs = set(session.exec(select(OrganizationCollege.organization_id)))
    return [org for org in session.exec(select(Organization)) if org.active
            and (not (filters.region or filters.country)
                 or org.country in allowed_countries(filters) - {None})
            and (not filters.college or org.id in college_orgs)]


def counted(rows, key, value):
    return {row[key]: row[value] for row in rows if row[value]}


@settings(max_examples=int(os.environ.get("DASHBOARD_EXAMPLES", 25)), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets=sheets_st, organizations=organizations_st, measures=measures_st,
       filters=filters_st)
def test_every_figure_counts_what_the_records_say(session, sheets, organizations,
                                                   measures, filters):
    empty(session)
    build(session, sheets, organizations, measures)
    session.expire_all()
    shown, terms = public_sheets(session, filters)
    every_public, _terms = public_sheets(session, dashboard.Filters())
    groups_of = {sheet.id: terms.get((sheet.id, "practice_groups"), set())
                 for sheet in every_public}
    chosen_measures, links = public_measures(session, filters, groups_of)
    orgs = public_organizations(session, filters)

    def figure(name):
        return dashboard.figure(session, None, name, filters)

    head = dashboard.headline(session, None, filters)
    estimated = [m for m in chosen_measures if m.estimated_t_c_yr is not None]
    assert head["sheets_published"] == len(shown)
    assert head["organizations"] == len(orgs)
    assert head["measures_published"] == len(chosen_measures)
    assert head["area_ha"] == round(sum(m.area_ha or 0 for m in chosen_measures), 3)
    assert abs(head["estimated_t_c_yr"] - sum(m.estimated_t_c_yr for m in estimated)) < 1e-3
    assert head["estimated_t_c_yr_low"] <= head["estimated_t_c_yr"] <= \
        head["estimated_t_c_yr_high"]
    assert head["measures_no_ipcc_default"] == sum(
        m.estimate_note == "No IPCC default" for m in chosen_measures)

    over_time = figure("sheets-over-time").rows
    assert (over_time[-1]["total"] if over_time else 0) == len(shown)
    by_country = {}
    for sheet in shown:
        for code in terms.get((sheet.id, "countries"), ()):
            by_country[code] = by_country.get(code, 0) + 1
    assert counted(figure("sheets-by-country").rows, "country", "value") == by_country
    by_source = {}
    for sheet in shown:
        by_source[sheet.source] = by_source.get(sheet.source, 0) + 1
    assert counted(figure("sheets-by-source").rows, "code", "sheets") == by_source
    languages = figure("sheets-by-language").rows
    assert sum(row["sheets"] for row in languages) == len(shown)
    for row in languages:
        in_language = [s for s in shown if s.language == row["code"]]
        assert row["practices"] == len({s.translation_of_id or s.id for s in in_language})
    cells = {}
    for sheet in shown:
        for group in terms.get((sheet.id, "practice_groups"), ()):
            if filters.group and group != filters.group:
                continue  # a sheet of several groups: only the chosen group's column is shown
            for zone in terms.get((sheet.id, "agro_climatic_zones"), ()):
                cells[(group, zone)] = cells.get((group, zone), 0) + 1
    matrix = figure("coverage-agro-climatic").rows
    assert {(row["x"], row["y"]): row["value"] for row in matrix if row["value"]} == cells
    assert all(row["new_sheet_args"] == {"practice_groups": row["x"],
                                         "agro_climatic_zones": row["y"]}
               for row in matrix if row.get("gap"))
    assert figure("review-queue").rows == ()  # the public sees no sheet in review

    standings = {}
    for org in orgs:
        standings[org.standing or "none"] = standings.get(org.standing or "none", 0) + 1
    assert counted(figure("organizations-by-standing").rows, "code", "organizations") == \
        standings

    by_status = {}
    for measure in chosen_measures:
        if measure.area_ha:
            for group in links.get(measure.id) or {"none"}:
                key = (group, measure.status)
                by_status[key] = by_status.get(key, 0) + measure.area_ha
    rows = figure("area-by-group-and-status").rows
    assert {(row["x"], row["stack"]): row["value"] for row in rows} == pytest_approx(by_status)
    by_region = {}
    for measure in chosen_measures:
        if measure.area_ha:
            for group in links.get(measure.id) or {"none"}:
                key = (group, region_of(measure.country) or "none")
                by_region[key] = by_region.get(key, 0) + measure.area_ha
    rows = figure("area-by-group-and-region").rows
    assert {(row["x"], row["stack"]): row["value"] for row in rows} == pytest_approx(by_region)
    coverage = counted(figure("estimate-coverage").rows, "code", "measures")
    assert coverage.get("estimated", 0) == len(estimated)
    assert sum(coverage.values()) == len(chosen_measures)
    soc = {row["code"]: row for row in figure("measured-soc").rows}
    reporting = [m for m in chosen_measures if m.soc_change_t_c_ha_yr is not None]
    assert soc["all"]["measures"] == len(reporting)
    assert soc["all"]["reaching_4"] == sum(
        1 for m in reporting if m.soc_baseline_t_c_ha
        and round(1000 * m.soc_change_t_c_ha_yr / m.soc_baseline_t_c_ha, 9) >= 4)


def pytest_approx(mapping):
    import pytest

    return {key: pytest.approx(value) for key, value in mapping.items()}
