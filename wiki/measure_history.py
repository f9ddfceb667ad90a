"""History, diff and revert of a measure (issue 14): the shared revision pages
(wiki/revision_pages.py) with the measure's field labels and values written for people.
The routes belong to the measures blueprint."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from practices import carbon, measure_records, measures
from practices.diff import as_text
from practices.models import Measure
from wiki import revision_pages
from wiki.auth import acting_user, require
from wiki.db import get_session
from wiki.i18n import current_language
from wiki.measures import bp, may_edit_measure, visible_measure
from wiki.points import show_points
from wiki.rendering import term_label
from wiki.revision_pages import (
    RecordPages,
    diff_page,
    history_page,
    record_pages,
    revert_from_form,
)

FIELD_LABELS = {
    "title": _l("Name of the measure"), "sheets": _l("Practice sheets"), "status": _l("Status"),
    "country": _l("Country"), "locations": _l("Locations"), "area_ha": _l("Area (ha)"),
    "start_year": _l("Start year"), "end_year": _l("End year"), "land_use": _l("Land use"),
    "climate_zone": _l("IPCC climate zone"), "soil_class": _l("IPCC soil class"),
    "baseline": _l("Before (baseline)"), "practice": _l("With the practice"),
    "edition": _l("IPCC edition"), "soc_baseline_t_c_ha": _l("Stock before (t C/ha)"),
    "soc_change_t_c_ha_yr": _l("Change (t C/ha/yr)"), "soc_depth_cm": _l("Depth (cm)"),
    "soc_years": _l("Over how many years"), "soc_method": _l("Method"),
}


ENDPOINTS = {"view": ".view", "history": ".history", "compare": ".diff_from_form",
             "diff": ".diff", "revert": ".revert"}


def _pages(measure: Measure) -> RecordPages:
    return record_pages(ENDPOINTS, {"measure_id": measure.id}, title=measure.title,
                        heading=_("History of the measure"), labels=FIELD_LABELS,
                        may_revert=may_edit_measure(measure))


def _describe(measure: Measure):
    lang = current_language()

    def describe(name: str, value) -> str:
        if value in (None, "", []):
            return ""
        if name == "status":
            return _(measures.STATUS_LABELS.get(value, value))
        if name in ("country", "land_use", "climate_zone", "soil_class"):
            vocabulary = {"country": "countries", "land_use": "land_use",
                          "climate_zone": "ipcc_climate_zones",
                          "soil_class": "ipcc_soil_classes"}[name]
            return term_label(value, vocabulary)
        if name == "locations":
            return show_points(value)
        if name in ("baseline", "practice") and measure.land_use:
            return "\n".join(carbon.level_label(measure.land_use, code, lang) for code in value)
        return as_text(value)

    return describe


@bp.get("/measures/<int:measure_id>/history")
def history(measure_id: int):
    measure = visible_measure(measure_id)
    return history_page(_pages(measure), measures.history(get_session(), measure))


@bp.get("/measures/<int:measure_id>/diff/<int:a>/<int:b>")
def diff(measure_id: int, a: int, b: int):
    measure = visible_measure(measure_id)
    db = get_session()
    return diff_page(_pages(measure), lambda number: measures.revision(db, measure, number),
                     a, b, lambda old, new: measures.compare(old, new, _describe(measure)),
                     measures.last_revision_number(db, measure))


@bp.get("/measures/<int:measure_id>/diff")
def diff_from_form(measure_id: int):
    return revision_pages.diff_from_form(_pages(visible_measure(measure_id)))


@bp.post("/measures/<int:measure_id>/revert/<int:number>")
@login_required
def revert(measure_id: int, number: int):
    measure = visible_measure(measure_id)
    require(may_edit_measure(measure))

    def bring_back(number: int, base: int | None):
        return measure_records.revert(get_session(), measure, number, author=acting_user(),
                               base_revision=base)

    return revert_from_form(_pages(measure), bring_back, number, (measures.MeasureError,))
