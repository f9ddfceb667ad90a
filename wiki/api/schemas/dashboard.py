"""The dashboard's query (its filters) and answers (`GET /api/v1/dashboard…`, issue 15)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from practices.dashboard_filters import FIRST_YEAR, LAST_YEAR
from practices.dashboard_regions import areas
from practices.vocab import vocabulary
from practices.vocab.regions import REGION_OF_COUNTRY

__all__ = ["DashboardFigureOut", "DashboardHeadline", "DashboardQuery"]


def _enum(codes) -> Any:
    return Annotated[str, Field(max_length=80, json_schema_extra={"enum": list(codes)})]


def _countries() -> list[str]:
    """ISO alpha-2 codes, from the M49 table rather than the countries vocabulary: that one
    loads pycountry (70 ms), which every process starting the app would pay. Antarctica, the
    one ISO country outside M49, is added by hand."""
    return sorted([*REGION_OF_COUNTRY, "AQ"])


Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class DashboardQuery(BaseModel):
    """The filters, the same for the headline and every figure (and the page's address)."""

    model_config = ConfigDict(extra="forbid")

    region: _enum(areas()) | None = Field(
        None, description="UN M49 region, sub-region or intermediate region code "
        "(002 Africa, 202 Sub-Saharan Africa, 419 Latin America and the Caribbean, …)",
        examples=["002"])
    country: _enum(_countries()) | None = Field(
        None, description="ISO 3166-1 alpha-2 country code", examples=["BF"])
    college: Annotated[str, Field(max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = \
        Field(None, description="College slug (an unknown college matches nothing)")
    group: _enum(vocabulary("practice_groups").codes) | None = Field(
        None, description="Practice group code", examples=["agroforestry"])
    year_from: Year | None = Field(None, description="First year (inclusive)")
    year_to: Year | None = Field(None, description="Last year (inclusive), not before "
                                 "year_from")
    lang: Literal["en", "fr", "es"] | None = Field(
        None, description="Language of titles, summaries and labels")


class DashboardHeadline(BaseModel):
    """The headline numbers: published sheets and measures, active organisations, the area of
    the measures and their IPCC Tier 1 estimate with its 95 % range."""

    sheets_published: int
    organizations: int
    measures_published: int
    area_ha: float
    estimated_t_c_yr: float = Field(description="Estimated soil carbon storage, t C a year")
    estimated_t_c_yr_low: float
    estimated_t_c_yr_high: float
    estimated_t_c_20yr: float = Field(description="The same over 20 years, t C")
    estimated_t_c_20yr_low: float
    estimated_t_c_20yr_high: float
    measures_estimated: int
    measures_no_ipcc_default: int = Field(
        description="Measures the IPCC tables have no default for, counted apart")
    measures_without_estimate: int = Field(
        description="Measures without enough data (or without an area) for an estimate")
    filters: dict[str, str]
    figures: list[str] = Field(description="The figures' names, in page order")


class DashboardColumn(BaseModel):
    key: str
    label: str
    unit: str | None


class DashboardFigureOut(BaseModel):
    """One figure: its rows are exactly the data of its chart and of its CSV."""

    name: str
    section: Literal["knowledge", "community", "action"]
    title: str
    summary: str
    kind: Literal["timeline", "bars", "stacked-bars", "matrix", "choropleth", "table"]
    columns: list[DashboardColumn]
    rows: list[dict[str, Any]]
    notes: list[str]
    filters: dict[str, str]



