"""The carbon estimator's query and answer (`GET /api/v1/carbon/estimate`)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from practices import carbon
from practices.vocab import vocabulary
from wiki.api.schemas.sheets import ErrorBody, Unset

__all__ = ["CarbonErrorResponse", "CarbonEstimateOut", "CarbonQuery"]


def _codes(name: str) -> str:
    return ", ".join(f"`{code}`" for code in vocabulary(name).codes)


def _one_of(name: str) -> Any:
    """One code of the vocabulary. The document lists them; an unknown one is answered by the
    estimator (422 naming the field, as for every code of the API), not by the schema."""
    return Annotated[str, Field(max_length=60,
                                json_schema_extra={"enum": list(vocabulary(name).codes)})]


def _levels_pattern() -> str:
    """Comma-separated level codes of any land use and edition: which go together is the
    estimator's rule (a 422 naming the field), not the document's."""
    codes = sorted({code for land_use in carbon.LAND_USES
                    for group in carbon.management_levels(land_use, None)
                    for code in group.codes()})
    one = "(?:" + "|".join(codes) + ")"
    return f"^{one}(?:,{one})*$"


LEVELS_PATTERN = _levels_pattern()


def _levels_field() -> Any:
    return Annotated[str, Field(max_length=300, json_schema_extra={"pattern": LEVELS_PATTERN})]


def _levels(land_use: str) -> str:
    groups = carbon.management_levels(land_use, "2019")
    return "; ".join(f"{group.name}: " + ", ".join(group.codes()) for group in groups)


LEVELS_HELP = (
    "Comma-separated management levels. Cropland: one of each group ("
    + _levels("cropland")
    + "). Grazing land: "
    + _levels("grazing-land")
    + " (input for improved grassland only; `moderately-degraded` instead of "
    "`high-intensity-grazing` in the 2006 edition)."
)


class CarbonQuery(BaseModel):
    """What the IPCC Tier 1 estimate needs: where, which land use, from what to what."""

    model_config = ConfigDict(extra="forbid")

    climate_zone: _one_of("ipcc_climate_zones") = Field(
        description="IPCC climate zone",
        examples=["cool-temperate-moist"],
    )
    soil_class: _one_of("ipcc_soil_classes") = Field(
        description="IPCC soil class (organic soils have no Tier 1 stock default)",
        examples=["high-activity-clay"],
    )
    land_use: Annotated[str, Field(max_length=30, json_schema_extra={
        "enum": list(carbon.LAND_USES)})] = Field(examples=["cropland"])
    baseline: _levels_field() = Field(
        description="The management today. " + LEVELS_HELP,
        examples=["long-term-cultivated,full-tillage,medium-input"],
    )
    practice: _levels_field() = Field(
        description="The management with the practice. " + LEVELS_HELP,
        examples=["long-term-cultivated,no-till,medium-input"],
    )
    # The bounds on the number itself: on the union they would not reach the document.
    area_ha: Annotated[float, Field(ge=0, le=1e9)] | Unset = Field(
        None, description="An area in hectares, for the totals"
    )
    edition: Literal[carbon.EDITIONS] | Unset = Field(
        None, description="IPCC edition of the tables (default 2019, the 2019 Refinement)"
    )


class CarbonSourceOut(BaseModel):
    quantity: str = Field(description="SOC_REF, F_LU, F_MG or F_I")
    table: str
    row: str
    column: str
    value: float
    uncertainty_pct: float | None = Field(
        description="± as % of the value (95 % CI of the mean for SOC_REF 2019, nominal for "
        "2006; two standard deviations for factors); null at a reference level"
    )
    edition: str
    source: str = Field(description="Volume, chapter, table and page in the IPCC report")
    page: str | None
    note: str
    applies_to: str = Field(description="baseline, practice or both (empty for SOC_REF)")


class CarbonUncertaintyOut(BaseModel):
    change_t_c_ha_yr: tuple[float, float]
    per_mille_yr: tuple[float, float]
    area_change_t_c_yr: tuple[float, float] | None = None


class CarbonEstimateOut(BaseModel):
    """SOC = SOC_REF × F_LU × F_MG × F_I (0–30 cm); the change reaches the practice's stock
    linearly over `years`. The ranges are IPCC Approach 1 propagation of the tables' ±."""

    climate_zone: str
    soil_class: str
    land_use: str
    baseline: list[str]
    practice: list[str]
    edition: str
    years: int
    depth_cm: int
    soc_ref_t_c_ha: float
    baseline_factors: dict[str, float]
    practice_factors: dict[str, float]
    baseline_stock_t_c_ha: float
    practice_stock_t_c_ha: float
    change_t_c_ha_yr: float
    per_mille_yr: float = Field(description="The change as ‰ per year of the baseline stock")
    meets_4_per_1000: bool = Field(
        description="per_mille_yr ≥ 4 (the target covers 30–40 cm; IPCC Tier 1 covers 0–30 cm)"
    )
    uncertainty: CarbonUncertaintyOut
    area_ha: float | None
    area_change_t_c_yr: float | None
    area_change_t_c_20yr: float | None
    sources: list[CarbonSourceOut]


class NoDefaultOut(BaseModel):
    kind: str = Field(
        description="organic_soil, soil_not_in_zone, soil_no_data, no_zone_row, "
        "no_factor_row or level_not_in_edition"
    )
    table: str
    cell: str


class CarbonErrorResponse(BaseModel):
    """`no_ipcc_default` (with `no_default`: which table and cell), or `invalid_fields`."""

    error: ErrorBody
    no_default: NoDefaultOut | None = None
