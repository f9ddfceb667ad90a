"""The "Carbon" panel of a sheet page: the IPCC Tier 1 estimate in each climate zone × soil
class the sheet lists, a small bar against the 4 ‰ line, and the measured SOC change.

The numbers come from `practices.carbon_sheet`; this module only shapes them for the template
(labels in the reader's language, rounded numbers, the bar's geometry, the calculator link).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask_babel import format_decimal
from flask_babel import gettext as _

from practices import carbon, carbon_sheet
from practices.vocab import vocabulary
from wiki.i18n import current_language

CALCULATOR_PATH = "/carbon"
BAR_WIDTH, BAR_HEIGHT, BAR_PAD = 280, 40, 8


@dataclass(frozen=True)
class Bar:
    """Geometry of the SVG bar: x positions in px of zero, the value, the range, 4 ‰."""

    zero: float
    value: float
    low: float
    high: float
    target: float
    width: int = BAR_WIDTH
    height: int = BAR_HEIGHT

    @property
    def left(self) -> float:
        return min(self.zero, self.value)

    @property
    def length(self) -> float:
        return max(abs(self.value - self.zero), 1.0)


def bar(per_mille: float, low: float, high: float) -> Bar:
    """Place zero, the estimate, its range and the 4 ‰ target on one horizontal scale that
    always shows zero and the target, and the whole range."""
    start = min(0.0, low, per_mille)
    end = max(carbon.TARGET_PER_MILLE * 2, high, per_mille)
    span = end - start

    def x(value: float) -> float:
        return round(BAR_PAD + (value - start) / span * (BAR_WIDTH - 2 * BAR_PAD), 1)

    return Bar(x(0.0), x(per_mille), x(low), x(high), x(carbon.TARGET_PER_MILLE))


def number(value: float, digits: int = 2) -> str:
    return format_decimal(round(value, digits), format=f"#,##0.{'0' * digits}")


def signed(value: float, digits: int = 2) -> str:
    return ("+" if value > 0 else "") + number(value, digits)


def panel(fields: dict[str, Any]) -> dict[str, Any]:
    """Everything the panel shows, ready for the template."""
    change = carbon_sheet.change_of(fields)
    measured = carbon_sheet.measured_of(fields)
    return {
        "change": _describe_change(change) if change else None,
        "note": fields.get("carbon_note"),
        "cells": [_cell(cell) for cell in carbon_sheet.estimates_for(fields)],
        "lists_cells": bool(carbon_sheet.cells_of(fields)),
        "measured": _measured(measured) if measured else None,
        "sources": _sources(fields),
        "years": carbon.YEARS,
        "depth_cm": carbon.DEPTH_CM,
    }


def _describe_change(change: carbon_sheet.Change) -> dict[str, str]:
    """What changes (baseline → practice levels) and what stays the same, as labels."""
    lang = current_language()

    def labels(codes) -> str:
        return ", ".join(carbon.level_label(change.land_use, code, lang) for code in codes)

    return {
        "land_use": vocabulary("carbon_land_uses").label(change.land_use, lang),
        "baseline": labels(c for c in change.baseline if c not in change.practice) or "—",
        "practice": labels(c for c in change.practice if c not in change.baseline) or "—",
        "same": labels(c for c in change.baseline if c in change.practice),
    }


def _cell(cell: carbon_sheet.CellEstimate) -> dict[str, Any]:
    lang = current_language()
    shown = {
        "zone": vocabulary("ipcc_climate_zones").label(cell.climate_zone, lang),
        "soil": vocabulary("ipcc_soil_classes").label(cell.soil_class, lang),
        "link": f"{CALCULATOR_PATH}?{urlencode(dict(cell.query or {}))}",
    }
    if cell.result is None:
        shown["no_default"] = (
            _(cell.reason_template, **cell.reason_params)
            if cell.reason_template
            else cell.no_default
        )
        return shown
    result = cell.result
    rate, change = result["per_mille_yr"], result["change_t_c_ha_yr"]
    rate_low, rate_high = result["uncertainty"]["per_mille_yr"]
    change_low, change_high = result["uncertainty"]["change_t_c_ha_yr"]
    shown.update(
        change=signed(change),
        change_low=signed(change_low),
        change_high=signed(change_high),
        rate=signed(rate, 1),
        rate_low=signed(rate_low, 1),
        rate_high=signed(rate_high, 1),
        total=signed(change * result["years"], 1),
        meets=result["meets_4_per_1000"],
        bar=bar(rate, rate_low, rate_high),
    )
    shown["alt"] = _(
        "Estimated %(rate)s ‰ per year (range %(low)s to %(high)s); the 4 per 1000 target "
        "is 4 ‰ per year.",
        rate=shown["rate"],
        low=shown["rate_low"],
        high=shown["rate_high"],
    )
    return shown


def _measured(measured: carbon_sheet.Measured) -> dict[str, Any]:
    rate = measured.per_mille_yr
    return {
        "change": signed(measured.change_t_c_ha_yr),
        "baseline": number(measured.baseline_t_c_ha, 1) if measured.baseline_t_c_ha else None,
        "depth_cm": measured.depth_cm,
        "duration": number(measured.duration_years, 0) if measured.duration_years else None,
        "rate": signed(rate, 1) if rate is not None else None,
        "meets": measured.meets_4_per_1000,
    }


def _sources(fields: dict[str, Any]) -> list[str]:
    """The IPCC tables the estimates used, once each, in the order first used."""
    found: dict[str, None] = {}
    for cell in carbon_sheet.estimates_for(fields):
        for source in (cell.result or {}).get("sources", ()):
            found.setdefault(source["source"], None)
    return list(found)
