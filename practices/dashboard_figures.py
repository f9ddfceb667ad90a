"""Which function draws which figure, the headline numbers, and the cache of both."""

import threading
from collections import OrderedDict
from collections.abc import Callable, MutableMapping

from sqlalchemy import func, select

from practices import dashboard_action as action
from practices import dashboard_community as community
from practices import dashboard_knowledge as knowledge
from practices import freshness, map_features
from practices.dashboard_model import Figure
from practices.dashboard_query import (
    measure_conditions,
    organization_conditions,
    published_sheets,
)
from practices.dashboard_text import _, language
from practices.models import Measure, Organization

BUILDERS: dict[str, Callable] = {
    "sheets-over-time": knowledge.sheets_over_time,
    "coverage-agro-climatic": lambda session, viewer, filters: knowledge.coverage(
        session, filters, "coverage-agro-climatic", "agro_climatic_zones",
        _("Agro-climatic zones × practice groups")),
    "coverage-ipcc-climate": lambda session, viewer, filters: knowledge.coverage(
        session, filters, "coverage-ipcc-climate", "ipcc_climate_zones",
        _("IPCC climate zones × practice groups")),
    "sheets-by-country": knowledge.sheets_by_country,
    "sheets-by-source": knowledge.sheets_by_source,
    "sheets-by-language": knowledge.sheets_by_language,
    "review-queue": knowledge.review_queue,
    "organizations-by-standing": community.organizations_by_standing,
    "organizations-by-college": community.organizations_by_college,
    "organizations-by-country": community.organizations_by_country,
    "activity-per-month": community.activity_per_month,
    "area-by-group-and-region": action.area_by_group_and_region,
    "area-by-group-and-status": action.area_by_group_and_status,
    "carbon-estimate": action.carbon_estimate,
    "estimate-coverage": action.estimate_coverage,
    "measured-soc": action.measured_soc,
}
PER_VIEWER = frozenset({"review-queue"})  # counts what the viewer may see: never shared


def build(session, viewer, name: str, filters) -> Figure:
    return BUILDERS[name](session, viewer, filters)


def headline_numbers(session, viewer, filters) -> dict:
    """Published sheets, active organisations, published measures, their area and estimated
    storage (t C/yr with its range, and over 20 years), and the measures counted apart."""
    sheets = session.execute(select(func.count()).select_from(
        published_sheets(filters).subquery())).scalar()
    organizations = session.execute(select(func.count(Organization.id))
                                    .where(*organization_conditions(filters))).scalar()
    measures, area = session.execute(select(func.count(Measure.id), func.sum(Measure.area_ha))
                                     .where(*measure_conditions(filters))).one()
    totals = action.estimate_totals(session, filters).get("all", action._EMPTY)
    categories = action.estimate_categories(session, filters)
    apart = {code: categories.get(code, {}).get("measures", 0) for code in action.CATEGORIES}
    return {
        "sheets_published": sheets,
        "organizations": organizations,
        "measures_published": measures,
        "area_ha": round(float(area or 0), 3),
        "estimated_t_c_yr": round(totals["t_c_yr"], 3),
        "estimated_t_c_yr_low": round(totals["t_c_yr_low"], 3),
        "estimated_t_c_yr_high": round(totals["t_c_yr_high"], 3),
        "estimated_t_c_20yr": round(totals["t_c_yr"] * action.YEARS, 3),
        "estimated_t_c_20yr_low": round(totals["t_c_yr_low"] * action.YEARS, 3),
        "estimated_t_c_20yr_high": round(totals["t_c_yr_high"] * action.YEARS, 3),
        "measures_estimated": apart["estimated"],
        "measures_no_ipcc_default": apart["no-ipcc-default"],
        "measures_without_estimate": measures - apart["estimated"] - apart["no-ipcc-default"],
    }


# Caching per data generation -------------------------------------------------------------

CACHE_SIZE = 2_000
_LOCK = threading.Lock()  # gunicorn's threads share the store
_COMPUTING: dict[tuple, threading.Lock] = {}  # one gate per answer being computed


def generation(session) -> tuple:
    """Changes with anything a figure counts: sheets, their status and terms (the change log),
    every administrative act and measure transition (the audit log), profile and measure
    saves, comments, their edits and hiding, endorsements and their withdrawal."""
    memo = session.info.get("dashboard_generation")
    if memo is not None and memo[0] is session.get_transaction():
        return memo[1]  # a page asks for 17 answers in one transaction: look once
    value = (freshness.current_version(session).stamp, map_features.generation(session))
    session.info["dashboard_generation"] = (session.get_transaction(), value)
    return value


def cached(store: MutableMapping, session, key: tuple, compute: Callable):
    """`compute()` once per key and data generation; `store` is the caller's (an app's) dict,
    trimmed to the CACHE_SIZE most recently used answers. Threads asking for the same missing
    answer wait for the first one to compute it instead of computing it again each."""
    full_key = (*key, language(), generation(session))
    value = _lookup(store, full_key)
    if value is not None:
        return value
    with _LOCK:
        gate = _COMPUTING.setdefault(full_key, threading.Lock())
    try:
        with gate:
            value = _lookup(store, full_key)
            if value is None:
                value = compute()
                with _LOCK:
                    store[full_key] = value
                    while len(store) > CACHE_SIZE:
                        store.pop(next(iter(store)))
    finally:
        with _LOCK:
            _COMPUTING.pop(full_key, None)
    return value


def _lookup(store: MutableMapping, key: tuple):
    with _LOCK:
        value = store.get(key)
        if value is not None and isinstance(store, OrderedDict):
            store.move_to_end(key)
        return value


def cached_figure(store: MutableMapping, session, viewer, name: str, filters) -> Figure:
    if name not in BUILDERS:
        raise KeyError(name)
    if name in PER_VIEWER:
        return build(session, viewer, name, filters)
    return cached(store, session, ("figure", name, filters),
                  lambda: build(session, viewer, name, filters))


def cached_headline(store: MutableMapping, session, viewer, filters) -> dict:
    return cached(store, session, ("headline", filters),
                  lambda: headline_numbers(session, viewer, filters))
