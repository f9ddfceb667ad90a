"""How much soil carbon a change of management stores: the IPCC Tier 1 "4 per 1000" estimator.

The method is the IPCC's for mineral soils (2006 Guidelines and 2019 Refinement, Vol. 4,
Ch. 2, Eq. 2.25): the stock in the top 30 cm under a management is

    SOC = SOC_REF × F_LU × F_MG × F_I                         (t C/ha, 0–30 cm)

with SOC_REF from Table 2.3 (climate zone × soil class) and the stock-change factors from
Table 5.5 (cropland) or Table 6.2 (grassland). A change from a baseline management to a
practice moves the stock linearly to its new value over D = 20 years, so

    ΔC = (SOC_practice − SOC_baseline) / 20                  (t C/ha/yr, for 20 years)
    ‰/yr = 1000 × ΔC / SOC_baseline = 1000 × (F_practice / F_baseline − 1) / 20

SOC_REF cancels out of the rate in ‰: only the factors decide whether a change reaches the
"4 per 1000" target (4 ‰/yr). Where the tables have no default (a soil that does not occur or
has no data in a zone, a zone without a row for a level, a level an edition does not have,
organic soils, which IPCC treats with emission factors instead), `estimate` raises `NoDefault`
naming the table and the cell: it never takes a value from another row or another edition.
`EstimateError` is for input that is wrong (an unknown code, a missing or invalid level).

Uncertainty (IPCC 2006 Vol. 1 Ch. 3, Approach 1, error propagation). The tables give each
value's ± as a percentage: the 95 % confidence interval of the mean for the 2019 SOC_REF,
a nominal ±90 % for the 2006 SOC_REF and two standard deviations for the factors. Factors
at their reference level (1.0) have none. Factors that the baseline and the practice share
(the same cell) cancel out of the ratio and are counted once for ΔC:

    ΔC = A × d,  A = SOC_REF × F_shared / 20,  d = P_practice − P_baseline
    u(product) = √Σ u_i²                       (relative ± of a product, Eq. 3.1)
    U(d) = √((P_practice·u_practice)² + (P_baseline·u_baseline)²)   (absolute ±, Eq. 3.2)
    U(ΔC) = A × √(U(d)² + d²·u(A)²)
    U(‰) = 1000 × (P_practice / P_baseline) × √(u_practice² + u_baseline²) / 20

The ranges are value ± U. They describe the uncertainty of the table means only: they leave
out the spread between individual soils and fields, and Approach 1 is approximate when a
relative uncertainty passes ~30 %. IPCC Tier 1 is an inventory method for regional averages;
it is not a measurement or a prediction for one field.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from practices import carbon_tables as tables
from practices.carbon_levels import (
    DEFAULT_EDITION,
    EDITIONS,
    LAND_USES,
    N_,
    EstimateError,
    LevelGroup,
    Management,
    check_edition,
    check_land_use,
    level_editions,
    level_label,
    level_spec,
    management,
    management_levels,
)

__all__ = [
    "DEFAULT_EDITION",
    "DEPTH_CM",
    "EDITIONS",
    "LAND_USES",
    "TARGET_PER_MILLE",
    "YEARS",
    "Estimate",
    "EstimateError",
    "LevelGroup",
    "Management",
    "NoDefault",
    "estimate",
    "level_editions",
    "level_label",
    "management",
    "management_levels",
]

YEARS = 20
DEPTH_CM = 30
TARGET_PER_MILLE = 4.0
_GRASSLAND_FLU_ROW = "all"  # Table 6.2 has one F_LU row for all grassland (1.0)
EDITION_TITLES = {
    "2019": "2019 Refinement to the 2006 IPCC Guidelines",
    "2006": "2006 IPCC Guidelines",
}


class NoDefault(Exception):  # noqa: N818 (a domain answer, "no IPCC default", not a failure)
    """The IPCC tables have no default for this case: `reason` says why, `table` and `cell`
    where. `template` and `params` let the web layer translate the reason."""

    def __init__(self, template: str, *, table: str, cell: str, kind: str, **params):
        self.template = template
        self.params = {"table": table, "cell": cell, **params}
        self.reason = template % self.params
        self.table = table
        self.cell = cell
        self.kind = kind
        super().__init__(self.reason)


@dataclass(frozen=True)
class Estimate:
    """The answer: stocks in t C/ha (0–30 cm), the change in t C/ha/yr for `years` years, the
    rate in ‰/yr of the baseline stock, 95 % ranges in `uncertainty`, the cells in `sources`."""

    soc_ref_t_c_ha: float
    baseline_stock_t_c_ha: float
    practice_stock_t_c_ha: float
    change_t_c_ha_yr: float
    per_mille_yr: float
    meets_4_per_1000: bool
    years: int
    depth_cm: int
    edition: str
    uncertainty: dict
    area_ha: float | None
    area_change_t_c_yr: float | None
    area_change_t_c_20yr: float | None
    sources: list
    climate_zone: str = ""
    soil_class: str = ""
    baseline: Management | None = None
    practice: Management | None = None
    baseline_factors: dict = field(default_factory=dict)  # F_LU, F_MG, F_I -> value
    practice_factors: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain JSON values, rounded to 6 decimals (the tables have at most 3 significant
        digits: more would only show floating-point noise)."""
        return {
            "climate_zone": self.climate_zone,
            "soil_class": self.soil_class,
            "land_use": self.baseline.land_use if self.baseline else None,
            "baseline": list(self.baseline.levels) if self.baseline else [],
            "practice": list(self.practice.levels) if self.practice else [],
            "edition": self.edition,
            "years": self.years,
            "depth_cm": self.depth_cm,
            "soc_ref_t_c_ha": self.soc_ref_t_c_ha,
            "baseline_factors": dict(self.baseline_factors),
            "practice_factors": dict(self.practice_factors),
            "baseline_stock_t_c_ha": _round(self.baseline_stock_t_c_ha),
            "practice_stock_t_c_ha": _round(self.practice_stock_t_c_ha),
            "change_t_c_ha_yr": _round(self.change_t_c_ha_yr),
            "per_mille_yr": _round(self.per_mille_yr),
            "meets_4_per_1000": self.meets_4_per_1000,
            "uncertainty": {
                key: [_round(low), _round(high)] for key, (low, high) in self.uncertainty.items()
            },
            "area_ha": self.area_ha,
            "area_change_t_c_yr": _round(self.area_change_t_c_yr),
            "area_change_t_c_20yr": _round(self.area_change_t_c_20yr),
            "sources": [cell.to_dict() for cell in self.sources],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6) + 0.0  # + 0.0: no "-0.0"


def estimate(
    *,
    climate_zone: str,
    soil_class: str,
    land_use: str,
    baseline: Sequence[str],
    practice: Sequence[str],
    area_ha: float | None = None,
    edition: str = DEFAULT_EDITION,
) -> Estimate:
    """The IPCC Tier 1 estimate of changing `baseline` to `practice` (see the module doc)."""
    check_edition(edition)
    zone = _zone(climate_zone)
    _check_soil(soil_class)
    check_land_use(land_use)
    base = management(land_use, baseline, edition=edition, field="baseline")
    new = management(land_use, practice, edition=edition, field="practice")
    area = _area(area_ha)
    soc_ref = _socref_cell(zone, soil_class, edition)
    base_cells = _factor_cells(zone, base, edition)
    new_cells = _factor_cells(zone, new, edition)
    return _combine(zone, soil_class, edition, soc_ref, base, new, base_cells, new_cells, area)


def _combine(zone, soil_class, edition, soc_ref, base, new, base_cells, new_cells, area):
    shared = [cell for cell in base_cells if cell in new_cells]
    base_only = [cell for cell in base_cells if cell not in shared]
    new_only = [cell for cell in new_cells if cell not in shared]
    base_stock = soc_ref.value * _product(base_cells)
    new_stock = soc_ref.value * _product(new_cells)
    change = (new_stock - base_stock) / YEARS
    per_mille = 1000 * change / base_stock
    change_range, per_mille_range = _uncertainty(soc_ref, shared, base_only, new_only)
    uncertainty = {
        "change_t_c_ha_yr": (change - change_range, change + change_range),
        "per_mille_yr": (per_mille - per_mille_range, per_mille + per_mille_range),
    }
    if area is not None:
        uncertainty["area_change_t_c_yr"] = tuple(
            value * area for value in uncertainty["change_t_c_ha_yr"]
        )
    return Estimate(
        soc_ref_t_c_ha=soc_ref.value,
        baseline_stock_t_c_ha=base_stock,
        practice_stock_t_c_ha=new_stock,
        change_t_c_ha_yr=change,
        per_mille_yr=per_mille,
        meets_4_per_1000=round(per_mille, 9) >= TARGET_PER_MILLE,
        years=YEARS,
        depth_cm=DEPTH_CM,
        edition=edition,
        uncertainty=uncertainty,
        area_ha=area,
        area_change_t_c_yr=None if area is None else change * area,
        area_change_t_c_20yr=None if area is None else change * area * YEARS,
        sources=[soc_ref, *_label_roles(shared, base_only, new_only)],
        climate_zone=zone.code,
        soil_class=soil_class,
        baseline=base,
        practice=new,
        baseline_factors=_factors(base_cells),
        practice_factors=_factors(new_cells),
    )


def _uncertainty(soc_ref, shared, base_only, new_only) -> tuple[float, float]:
    """Half-widths of the 95 % ranges of ΔC and of the ‰ (Approach 1, see the module doc)."""
    scale = soc_ref.value * _product(shared) / YEARS
    u_scale = _quadrature([soc_ref, *shared])
    p_base, p_new = _product(base_only), _product(new_only)
    u_base, u_new = _quadrature(base_only), _quadrature(new_only)
    spread = math.hypot(p_new * u_new, p_base * u_base)
    difference = p_new - p_base
    change_half = scale * math.hypot(spread, difference * u_scale)
    per_mille_half = 1000 * (p_new / p_base) * math.hypot(u_new, u_base) / YEARS
    return change_half, per_mille_half


def _quadrature(cells) -> float:
    return math.sqrt(sum(cell.relative_uncertainty**2 for cell in cells))


def _product(cells) -> float:
    return math.prod(cell.value for cell in cells)


def _factors(cells) -> dict:
    values = {"F_LU": 1.0, "F_MG": 1.0, "F_I": 1.0}
    values.update({cell.quantity: cell.value for cell in cells})
    return values


_ROLE_ORDER = {"both": 0, "baseline": 1, "practice": 2}
_FACTOR_ORDER = {"F_LU": 0, "F_MG": 1, "F_I": 2}


def _label_roles(shared, base_only, new_only) -> list:
    """The factor cells marked with whom they apply to, in the order of the formula."""
    cells = (
        [replace(cell, applies_to="both") for cell in shared]
        + [replace(cell, applies_to="baseline") for cell in base_only]
        + [replace(cell, applies_to="practice") for cell in new_only]
    )
    return sorted(cells, key=lambda c: (_FACTOR_ORDER[c.quantity], _ROLE_ORDER[c.applies_to]))


def _zone(code: str) -> tables.Zone:
    zone = tables.zones().get(code)
    if zone is None:
        raise EstimateError(N_("Unknown IPCC climate zone “%(code)s”."), "climate_zone", code=code)
    return zone


def _check_soil(code: str) -> None:
    if code != tables.ORGANIC_SOIL and code not in tables.SOIL_CLASS_COLUMNS:
        raise EstimateError(N_("Unknown IPCC soil class “%(code)s”."), "soil_class", code=code)


def _table_title(edition: str, number: str) -> str:
    return f"IPCC {EDITION_TITLES[edition]}, Vol. 4, Table {number}"


def _socref_cell(zone: tables.Zone, soil_class: str, edition: str) -> tables.Cell:
    table = _table_title(edition, "2.3")
    if soil_class == tables.ORGANIC_SOIL:
        raise NoDefault(
            N_(
                "Organic soils (Histosols) are outside the Tier 1 stock method: "
                "IPCC estimates their carbon losses with emission factors instead."
            ),
            table=table,
            cell="organic soils",
            kind="organic_soil",
        )
    column = tables.SOIL_CLASS_COLUMNS[soil_class]
    key = zone.socref_row_2019 if edition == "2019" else zone.socref_row_2006
    row = tables.socref_rows().get((edition, key, column)) if key else None
    if row is None:
        raise NoDefault(
            N_("%(table)s has no row for the %(cell)s zone."),
            table=table,
            cell=zone.name,
            kind="no_zone_row",
        )
    label = row["climate_zone"] + (f" ({row['zone_code']})" if row["zone_code"] else "")
    cell = f"{label} × {row['soil_class_name']}"
    if row["flag"] == "NO" or (edition == "2006" and row["flag"] == "NA"):
        raise NoDefault(
            N_(
                "%(table)s gives no reference stock for %(cell)s: the soil does not "
                "normally occur in this zone."
            ),
            table=table,
            cell=cell,
            kind="soil_not_in_zone",
        )
    if row["flag"] == "NA" or not row["socref_tC_per_ha_0_30cm"]:
        raise NoDefault(
            N_(
                "%(table)s gives no reference stock for %(cell)s: the soil may occur "
                "in this zone but there are no data."
            ),
            table=table,
            cell=cell,
            kind="soil_no_data",
        )
    return tables.socref_cell(row, label)


def _factor_cells(zone: tables.Zone, chosen: Management, edition: str) -> list[tables.Cell]:
    covered = zone.temperature if chosen.land_use == "cropland" else zone.grassland_regime
    if covered is None:
        raise NoDefault(
            N_("%(table)s has no row for the %(cell)s zone."),
            table=_table_for(chosen.land_use, edition),
            cell=zone.name,
            kind="no_zone_row",
        )
    cells = []
    if chosen.land_use == "grazing-land":
        cells.append(
            _factor_cell(zone, "grazing-land", "F_LU", _GRASSLAND_FLU_ROW, "grassland", edition)
        )
    for code in chosen.levels:
        factor, level = level_spec(chosen.land_use, code)
        if edition not in level.editions:
            raise NoDefault(
                N_("%(table)s has no level “%(cell)s” in this edition."),
                table=_table_for(chosen.land_use, edition),
                cell=level.row,
                kind="level_not_in_edition",
            )
        cells.append(_factor_cell(zone, chosen.land_use, factor, level.row, code, edition))
    return cells


def _table_for(land_use: str, edition: str) -> str:
    return _table_title(edition, "5.5" if land_use == "cropland" else "6.2")


def _factor_cell(zone, land_use, factor, row_name, code, edition) -> tables.Cell:
    in_zone = zone.in_cropland_row if land_use == "cropland" else zone.in_grassland_row
    rows = [
        row
        for row in tables.factor_rows(land_use)
        if row["edition"] == edition
        and row["factor"] == factor.replace("_", "")
        and row["level"].startswith(row_name)
        and in_zone(row)
    ]
    table = _table_for(land_use, edition)
    if not rows:
        raise NoDefault(
            N_("%(table)s has no %(factor)s value for %(cell)s."),
            table=table,
            cell=f"{row_name} × {zone.name}",
            kind="no_factor_row",
            factor=factor,
        )
    if len(rows) > 1:  # a transcription problem; picking one would be a guess
        raise RuntimeError(f"{table}: {len(rows)} rows for {factor} {row_name} in {zone.name}")
    return tables.factor_cell(rows[0], land_use, applies_to="")


def _area(area_ha) -> float | None:
    if area_ha is None or area_ha == "":
        return None
    try:
        area = float(area_ha)
    except (TypeError, ValueError):
        raise EstimateError(N_("The area must be a number of hectares."), "area_ha") from None
    if not math.isfinite(area) or area < 0 or area > 1e9:
        raise EstimateError(N_("The area must be between 0 and 1,000,000,000 ha."), "area_ha")
    return area
