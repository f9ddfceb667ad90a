"""Measures as the API writes them (issue 14): the body of a new measure and of an update,
and the conflict answer. What the API shows of a measure is `MeasureOut` (partners)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from practices import areas, carbon, measures
from practices.slugs import MAX_SLUG_LENGTH
from wiki.api.schemas.partners import MeasureOut
from wiki.api.schemas.sheets import MAX_INTEGER, SLUG, ErrorResponse, codes_of, strict, text

__all__ = ["MeasureConflict", "MeasureCreate", "MeasureUpdate"]


def _number(name: str, number: type = float):
    low, high, _whole = measures.NUMBERS[name]
    return strict(number, ge=low, le=high) | None


def _levels() -> tuple[str, ...]:
    return tuple(sorted({term.code for land_use in carbon.LAND_USES
                         for group in carbon.management_levels(land_use, None)
                         for term in group.terms}))


Longitude = strict(float, ge=-180, le=180)
Latitude = strict(float, ge=-90, le=90)
Level = Literal[_levels()]
SheetSlug = Annotated[str, Field(pattern=SLUG, max_length=MAX_SLUG_LENGTH)]


# A closed ring: the first corner again at the end, at least a triangle.
Ring = Annotated[list[tuple[Longitude, Latitude]],
                 Field(min_length=4, max_length=areas.MAX_VERTICES + 1)]


class MeasureCreate(BaseModel):
    """Every field of a measure; what is left out is empty (or its default)."""

    model_config = ConfigDict(extra="forbid")

    title: text(200, min_length=1)
    sheets: list[SheetSlug] = Field(default_factory=list, max_length=20,
                                    description="Slugs of the published sheets it applies")
    status: Literal[measures.STATUSES] = "ongoing"
    country: codes_of("countries") | None = None
    locations: list[tuple[Longitude, Latitude]] = Field(
        default_factory=list, max_length=measures.MAX_POINTS,
        description="[longitude, latitude] pairs")
    boundary: list[Ring] | None = Field(
        None, max_length=1,
        description="The area drawn on the map: GeoJSON Polygon coordinates (one closed ring "
                    "of [longitude, latitude]); area_ha is computed from it when left out")
    area_ha: _number("area_ha") = None
    start_year: _number("start_year", int) = None
    end_year: _number("end_year", int) = Field(None, description="Not before start_year")
    land_use: Literal[carbon.LAND_USES] | None = None
    climate_zone: codes_of("ipcc_climate_zones") | None = None
    soil_class: codes_of("ipcc_soil_classes") | None = None
    baseline: list[Level] = Field(default_factory=list, max_length=10,
                                  description="IPCC management levels before the practice")
    practice: list[Level] = Field(default_factory=list, max_length=10,
                                  description="IPCC management levels with the practice")
    edition: Literal["2019", "2006"] = "2019"
    soc_baseline_t_c_ha: _number("soc_baseline_t_c_ha") = None
    soc_change_t_c_ha_yr: _number("soc_change_t_c_ha_yr") = None
    soc_depth_cm: _number("soc_depth_cm") = None
    soc_years: _number("soc_years") = None
    soc_method: text(300) = ""
    edit_summary: text(300) = ""

    def values(self) -> dict:
        """The measure's values as `practices.measures.clean` takes them."""
        values = self.model_dump(exclude={"edit_summary"})
        values["locations"] = [list(point) for point in self.locations]
        if self.boundary is not None:
            values["boundary"] = [[list(point) for point in ring] for ring in self.boundary]
        return values


class MeasureUpdate(MeasureCreate):
    """The whole new measure (as for a new one) and the revision the edit started from."""

    base_revision: strict(int, ge=0, le=MAX_INTEGER) = Field(
        description="The `revision` of the measure your edit started from")


class MeasureConflict(ErrorResponse):
    current: MeasureOut | None = Field(
        None, description="With `stale_revision`: the measure as it is now")
