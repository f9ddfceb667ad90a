"""Action: what the partners' published measures cover, and the carbon they are estimated to
store (IPCC Tier 1, practices.carbon) or measured to have stored."""

import json
import statistics
from functools import lru_cache

from sqlalchemy import Text, case, cast, func, select

from practices import carbon
from practices.carbon_levels import EstimateError
from practices.dashboard_model import Column, Figure
from practices.dashboard_query import GROUPS, measure_conditions, measure_groups
from practices.dashboard_regions import REGIONS, region_of
from practices.dashboard_regions import label as region_label
from practices.dashboard_text import _, language, ngettext, number
from practices.fields import N_
from practices.measures import STATUS_LABELS, STATUSES
from practices.models import Measure

NO_GROUP = "none"
YEARS = carbon.YEARS
TARGET = carbon.TARGET_PER_MILLE
NO_DEFAULT = "No IPCC default"
NOT_ENOUGH = "Not enough data for an estimate."
CATEGORIES = {
    "estimated": N_("Estimated"),
    "no-area": N_("Estimated per hectare, area not given"),
    "no-ipcc-default": N_("No IPCC default"),
    "not-enough-data": N_("Not enough data for an estimate"),
    "does-not-fit": N_("Management does not fit the IPCC tables"),
}
SEVERAL_GROUPS = N_("A measure applying practices of several groups counts in each; totals "
                    "count it once.")


def group_label(code: str) -> str:
    if code == NO_GROUP:
        return _("No practice sheet linked")
    from practices.vocab import vocabulary

    return vocabulary(GROUPS).label(code, language())


def _with_groups(*columns):
    """A select of `columns` over published measures, each joined to its practice groups
    (NO_GROUP when it applies no published sheet with one)."""
    groups = measure_groups().subquery()
    group = func.coalesce(groups.c.group_code, NO_GROUP)
    query = select(group.label("group_code"), *columns).select_from(Measure).outerjoin(
        groups, groups.c.measure_id == Measure.id)
    return query, group


def _group_order(codes) -> list[str]:
    from practices.vocab import vocabulary

    known = [code for code in vocabulary(GROUPS).codes if code in codes]
    return known + ([NO_GROUP] if NO_GROUP in codes else [])


# Areas -----------------------------------------------------------------------------------

def _area_by(session, filters, by) -> dict[tuple[str, str], float]:
    query, group = _with_groups(by, func.sum(Measure.area_ha))
    query = query.where(*measure_conditions(filters), Measure.area_ha.is_not(None)) \
        .group_by(group, by)
    return {(code, part): float(area or 0) for code, part, area in session.execute(query)}


def _stacked(areas: dict[tuple[str, str], float], stacks: list[tuple[str, str]]) -> list[dict]:
    codes = _group_order({code for code, _part in areas})
    return [{"x": code, "x_label": group_label(code), "stack": stack, "stack_label": label,
             "value": round(areas.get((code, stack), 0.0), 6)}
            for code in codes for stack, label in stacks if areas.get((code, stack))]


def _area_columns(stack_label: str) -> tuple[Column, ...]:
    return (Column("x", _("Practice group code")), Column("x_label", _("Practice group")),
            Column("stack", _("Code")), Column("stack_label", stack_label),
            Column("value", _("Area"), "ha"))


def area_by_group_and_region(session, viewer, filters) -> Figure:
    by_country = _area_by(session, filters, Measure.country)
    areas: dict[tuple[str, str], float] = {}
    for (code, country), area in by_country.items():
        key = (code, region_of(country) or NO_GROUP)
        areas[key] = areas.get(key, 0.0) + area
    stacks = [(code, region_label(code, language())) for code in REGIONS]
    stacks.append((NO_GROUP, _("Country not given")))
    rows = _stacked(areas, stacks)
    return Figure("area-by-group-and-region", "action",
                  _("Area under each practice group, by region"), _area_summary(session, filters),
                  "stacked-bars", _area_columns(_("Region (UN M49)")), tuple(rows),
                  (_(SEVERAL_GROUPS),))


def area_by_group_and_status(session, viewer, filters) -> Figure:
    areas = _area_by(session, filters, Measure.status)
    stacks = [(status, _(STATUS_LABELS[status])) for status in STATUSES]
    rows = _stacked(areas, stacks)
    return Figure("area-by-group-and-status", "action",
                  _("Area under each practice group, by status"), _area_summary(session, filters),
                  "stacked-bars", _area_columns(_("Status")), tuple(rows), (_(SEVERAL_GROUPS),))


def _area_summary(session, filters) -> str:
    count, area = session.execute(select(func.count(Measure.id), func.sum(Measure.area_ha))
                                  .where(*measure_conditions(filters))).one()
    return _("%(measures)s published measures cover %(area)s ha.", measures=count,
             area=number(float(area or 0)))


# The IPCC Tier 1 estimate ----------------------------------------------------------------

@lru_cache(maxsize=4096)
def _half_range_per_ha(zone, soil, land_use, baseline, practice, edition) -> float:
    """Half the 95 % range of the change in t C/ha/yr for one management (0 if the tables no
    longer give it: the stored estimate is then shown without a range)."""
    try:
        result = carbon.estimate(climate_zone=zone, soil_class=soil, land_use=land_use,
                                 baseline=json.loads(baseline), practice=json.loads(practice),
                                 edition=edition)
    except (carbon.NoDefault, EstimateError, ValueError, TypeError):
        return 0.0
    low, high = result.uncertainty["change_t_c_ha_yr"]
    return (high - low) / 2


_MANAGEMENT = (Measure.climate_zone, Measure.soil_class, Measure.land_use,
               cast(Measure.baseline, Text), cast(Measure.practice, Text), Measure.edition)


def estimate_totals(session, filters, *, by_group: bool = False) -> dict[str, dict]:
    """{group code or "all": {measures, area_ha, t_c_yr, t_c_yr_low, t_c_yr_high}} over the
    measures with an estimate. Summed by management, so the estimator runs once for each
    different management, not once per measure. The range adds up each measure's range (the
    errors of one table cell move every measure using it together)."""
    numbers = (func.count(Measure.id), func.sum(Measure.area_ha),
               func.sum(Measure.estimated_t_c_yr))
    if by_group:
        query, group = _with_groups(*_MANAGEMENT, *numbers)
        query = query.group_by(group, *_MANAGEMENT)
    else:
        query = select(*_MANAGEMENT, *numbers).group_by(*_MANAGEMENT)
    query = query.where(*measure_conditions(filters), Measure.estimated_t_c_yr.is_not(None))
    totals: dict[str, dict] = {}
    for row in session.execute(query):
        key = row[0] if by_group else "all"
        management, (count, area, t_c_yr) = row[-9:-3], row[-3:]
        half = _half_range_per_ha(*management) * float(area or 0)
        entry = totals.setdefault(key, {"measures": 0, "area_ha": 0.0, "t_c_yr": 0.0,
                                        "t_c_yr_low": 0.0, "t_c_yr_high": 0.0})
        entry["measures"] += count
        entry["area_ha"] += float(area or 0)
        entry["t_c_yr"] += float(t_c_yr)
        entry["t_c_yr_low"] += float(t_c_yr) - half
        entry["t_c_yr_high"] += float(t_c_yr) + half
    return totals


def _rounded(entry: dict) -> dict:
    values = {key: (round(value, 3) if isinstance(value, float) else value)
              for key, value in entry.items()}
    for key in ("t_c_yr", "t_c_yr_low", "t_c_yr_high"):
        values[key.replace("yr", "20yr")] = round(entry[key] * YEARS, 3)
    return values


def carbon_estimate(session, viewer, filters) -> Figure:
    by_group = estimate_totals(session, filters, by_group=True)
    total = _rounded(estimate_totals(session, filters).get("all", _EMPTY))
    rows = tuple({"code": code, "label": group_label(code), **_rounded(by_group[code])}
                 for code in _group_order(by_group))
    apart = estimate_categories(session, filters)
    summary = _("Published measures are estimated to store %(t_c_yr)s t C a year "
                "(%(low)s to %(high)s), %(t_c_20yr)s t C over 20 years.",
                t_c_yr=number(total["t_c_yr"]), low=number(total["t_c_yr_low"]),
                high=number(total["t_c_yr_high"]), t_c_20yr=number(total["t_c_20yr"]))
    notes = (_("IPCC Tier 1 (2006 Guidelines, 2019 Refinement), 0–30 cm, the change spread "
               "over 20 years; the range adds up the 95 per cent ranges of the IPCC tables."),
             ngettext("%(num)s measure has no IPCC default and is counted apart.",
                      "%(num)s measures have no IPCC default and are counted apart.",
                      apart.get("no-ipcc-default", {}).get("measures", 0)),
             _(SEVERAL_GROUPS))
    return Figure("carbon-estimate", "action", _("Estimated soil carbon storage"), summary,
                  "bars",
                  (Column("code", _("Practice group code")), Column("label", _("Practice group")),
                   Column("measures", _("Measures"), "measures"),
                   Column("area_ha", _("Area"), "ha"),
                   Column("t_c_yr", _("Estimate"), "t C/yr"),
                   Column("t_c_yr_low", _("Low"), "t C/yr"),
                   Column("t_c_yr_high", _("High"), "t C/yr"),
                   Column("t_c_20yr", _("Over 20 years"), "t C"),
                   Column("t_c_20yr_low", _("Low, 20 years"), "t C"),
                   Column("t_c_20yr_high", _("High, 20 years"), "t C")), rows, notes)


_EMPTY = {"measures": 0, "area_ha": 0.0, "t_c_yr": 0.0, "t_c_yr_low": 0.0, "t_c_yr_high": 0.0}


def estimate_categories(session, filters) -> dict[str, dict]:
    """Published measures by what the estimator could say about them: {category: {measures,
    area_ha}}."""
    category = case(
        (Measure.estimated_t_c_yr.is_not(None), "estimated"),
        (Measure.estimated_t_c_ha_yr.is_not(None), "no-area"),
        (Measure.estimate_note == NO_DEFAULT, "no-ipcc-default"),
        (Measure.estimate_note == NOT_ENOUGH, "not-enough-data"),
        else_="does-not-fit").label("category")
    inner = select(category, Measure.area_ha.label("area")) \
        .where(*measure_conditions(filters)).subquery()
    query = select(inner.c.category, func.count(), func.sum(inner.c.area)) \
        .group_by(inner.c.category)
    return {code: {"measures": count, "area_ha": round(float(area or 0), 3)}
            for code, count, area in session.execute(query)}


def estimate_coverage(session, viewer, filters) -> Figure:
    counts = estimate_categories(session, filters)
    rows = tuple({"code": code, "label": _(label), **counts.get(code, {"measures": 0,
                                                                     "area_ha": 0.0})}
                 for code, label in CATEGORIES.items())
    summary = _("%(estimated)s of %(total)s published measures have an estimate; "
                "%(no_default)s have no IPCC default.",
                estimated=counts.get("estimated", {}).get("measures", 0),
                total=sum(entry["measures"] for entry in counts.values()),
                no_default=counts.get("no-ipcc-default", {}).get("measures", 0))
    return Figure("estimate-coverage", "action", _("Which measures have an estimate"), summary,
                  "bars",
                  (Column("code", _("Code")), Column("label", _("Estimate")),
                   Column("measures", _("Measures"), "measures"),
                   Column("area_ha", _("Area"), "ha")), rows,
                  (_("No IPCC default: the IPCC tables give no value for that zone, soil or "
                     "management; such measures are counted apart, never as zero."),))


# Measured soil organic carbon ------------------------------------------------------------

def measured_soc(session, viewer, filters) -> Figure:
    """Measures reporting a measured SOC change; the rate in ‰/yr of their measured stock.
    Medians are taken here: SQLite has no median, and only measures with results are read."""
    query, _group = _with_groups(Measure.id, Measure.soc_change_t_c_ha_yr,
                                 Measure.soc_baseline_t_c_ha)
    query = query.where(*measure_conditions(filters), Measure.soc_change_t_c_ha_yr.is_not(None))
    by_group: dict[str, dict[int, float | None]] = {}
    everyone: dict[int, float | None] = {}
    for code, measure_id, change, stock in session.execute(query):
        rate = 1000 * change / stock if stock else None
        by_group.setdefault(code, {})[measure_id] = rate
        everyone[measure_id] = rate
    rows = [_soc_row(code, group_label(code), by_group[code]) for code in _group_order(by_group)]
    overall = _soc_row("all", _("All measures"), everyone)
    rows.append(overall)
    summary = ngettext("%(num)s measure reports measured soil carbon; %(share)s %% of those "
                       "with a rate reach 4 ‰ a year (median %(median)s ‰).",
                       "%(num)s measures report measured soil carbon; %(share)s %% of those "
                       "with a rate reach 4 ‰ a year (median %(median)s ‰).", overall["measures"],
                       share=number(overall["share_reaching_4_pct"], 1),
                median=number(overall["median_per_mille_yr"], 2))
    return Figure("measured-soc", "action", _("Measured soil organic carbon"), summary, "table",
                  (Column("code", _("Practice group code")), Column("label", _("Practice group")),
                   Column("measures", _("Measures with results"), "measures"),
                   Column("with_rate", _("With a measured stock"), "measures"),
                   Column("median_per_mille_yr", _("Median rate"), "‰/yr"),
                   Column("reaching_4", _("Reaching 4 ‰"), "measures"),
                   Column("share_reaching_4_pct", _("Share reaching 4 ‰"), "%")),
                  tuple(rows),
                  (_("The rate is the measured change over the measured stock; measures without "
                     "a measured stock give no rate."), _(SEVERAL_GROUPS)))


def _soc_row(code: str, label: str, rates: dict[int, float | None]) -> dict:
    known = [rate for rate in rates.values() if rate is not None]
    reaching = sum(1 for rate in known if round(rate, 9) >= TARGET)
    return {"code": code, "label": label, "measures": len(rates), "with_rate": len(known),
            "median_per_mille_yr": round(statistics.median(known), 3) if known else None,
            "reaching_4": reaching,
            "share_reaching_4_pct": round(100 * reaching / len(known), 1) if known else None}

