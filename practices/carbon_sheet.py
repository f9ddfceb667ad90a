"""What the IPCC Tier 1 estimator says about one sheet: an estimate for every IPCC climate
zone × soil class the sheet lists, from the management change it records.

A thin adapter over `practices.carbon` (which computes and cites): it reads the sheet's carbon
fields, keeps "no IPCC default" answers as answers, and remembers results, since many sheets
share one change and the index asks for every sheet at once. Also: the measured SOC change a
sheet reports, as a rate of its baseline stock.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from practices import carbon


@dataclass(frozen=True)
class Change:
    """The management change a sheet records: land use, baseline and practice levels."""

    land_use: str
    baseline: tuple[str, ...]
    practice: tuple[str, ...]

    def query(
        self, climate_zone: str, soil_class: str, edition: str = carbon.DEFAULT_EDITION
    ) -> dict[str, str]:
        """The calculator's query parameters (`/carbon?...`) for this change in one cell."""
        params = {
            "climate_zone": climate_zone,
            "soil_class": soil_class,
            "land_use": self.land_use,
            "baseline": ",".join(self.baseline),
            "practice": ",".join(self.practice),
        }
        if edition != carbon.DEFAULT_EDITION:
            params["edition"] = edition
        return params


@dataclass(frozen=True)
class CellEstimate:
    """The answer for one climate zone × soil class: a result, or why there is none."""

    climate_zone: str
    soil_class: str
    result: Mapping[str, Any] | None  # Estimate.to_dict()
    no_default: str | None = None  # the reason, naming the table and cell (in English)
    query: Mapping[str, str] | None = None
    # The reason as a message template and its parameters, for the web layer to translate.
    reason_template: str | None = None
    reason_params: Mapping[str, Any] | None = None

    @property
    def per_mille_yr(self) -> float | None:
        return self.result["per_mille_yr"] if self.result else None

    @property
    def meets_4_per_1000(self) -> bool:
        return bool(self.result and self.result["meets_4_per_1000"])


def change_of(fields: Mapping[str, Any]) -> Change | None:
    """The sheet's management change, or None when it records none (or only half of one)."""
    land_use = fields.get("carbon_land_use")
    baseline, practice = fields.get("carbon_baseline"), fields.get("carbon_practice")
    if not (land_use and baseline and practice):
        return None
    return Change(land_use, tuple(baseline), tuple(practice))


def cells_of(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every (climate zone, soil class) pair the sheet lists, in the vocabularies' order."""
    return [
        (zone, soil)
        for zone in fields.get("ipcc_climate_zones", ())
        for soil in fields.get("ipcc_soil_classes", ())
    ]


def estimates_for(
    fields: Mapping[str, Any], edition: str = carbon.DEFAULT_EDITION
) -> list[CellEstimate]:
    """The estimate in every zone × soil the sheet lists (none without a change)."""
    change = change_of(fields)
    if change is None:
        return []
    return [estimate_cell(change, zone, soil, edition) for zone, soil in cells_of(fields)]


def estimate_cell(
    change: Change, climate_zone: str, soil_class: str, edition: str = carbon.DEFAULT_EDITION
) -> CellEstimate:
    result, reason = _estimate(change, climate_zone, soil_class, edition)
    return CellEstimate(
        climate_zone, soil_class, result, reason, change.query(climate_zone, soil_class, edition)
    )


def per_mille_by_cell(fields: Mapping[str, Any]) -> dict[tuple[str, str], tuple[float, bool]]:
    """(zone, soil) -> (estimated ‰/yr, whether it reaches 4 ‰), for the cells that have an
    IPCC default: what the search index keeps."""
    return {
        (cell.climate_zone, cell.soil_class): (cell.per_mille_yr, cell.meets_4_per_1000)
        for cell in estimates_for(fields)
        if cell.result is not None
    }


@lru_cache(maxsize=4096)
def _estimate(
    change: Change, climate_zone: str, soil_class: str, edition: str
) -> tuple[Mapping[str, Any] | None, str | None]:
    try:
        estimate = carbon.estimate(
            climate_zone=climate_zone,
            soil_class=soil_class,
            land_use=change.land_use,
            baseline=change.baseline,
            practice=change.practice,
            edition=edition,
        )
    except carbon.NoDefault as missing:
        return None, str(missing.reason)
    except carbon.EstimateError as invalid:  # e.g. a 2006-only level asked of 2019
        return None, str(invalid)
    return estimate.to_dict(), None


@dataclass(frozen=True)
class Measured:
    """The SOC change a sheet reports from measurements."""

    change_t_c_ha_yr: float
    baseline_t_c_ha: float | None
    depth_cm: int | None
    duration_years: float | None

    @property
    def per_mille_yr(self) -> float | None:
        """The change as a rate of the baseline stock (needs the baseline)."""
        if not self.baseline_t_c_ha:
            return None
        return 1000 * self.change_t_c_ha_yr / self.baseline_t_c_ha

    @property
    def meets_4_per_1000(self) -> bool | None:
        rate = self.per_mille_yr
        return None if rate is None else rate >= 4


def measured_of(fields: Mapping[str, Any]) -> Measured | None:
    change = fields.get("soc_change_t_c_ha_yr")
    if change is None:
        return None
    return Measured(
        change,
        fields.get("soc_baseline_t_c_ha"),
        fields.get("soc_depth_cm"),
        fields.get("duration_years"),
    )
