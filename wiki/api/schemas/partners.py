"""Organisation profiles, measures and the map's GeoJSON layers, as the API shows them
(issue 14)."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class MapQuery(BaseModel):
    layer: Literal["practices", "organizations", "measures"] = Field(
        description="practices (the search filters apply: q, agro_climatic_zone, …), "
        "organizations (standing, college, country, region) or measures "
        "(organization, country, status, region)"
    )

    model_config = {"extra": "allow"}


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


class MeasureOut(BaseModel):
    id: int
    title: str
    organization: str
    state: str = Field(description="draft, in_review or published")
    status: str = Field(description="planned, ongoing or completed")
    sheets: list[str]
    country: str | None
    locations: list[list[float]] = Field(description="[longitude, latitude] pairs")
    boundary: list[list[list[float]]] | None = Field(
        default=None, description="the area drawn on the map: GeoJSON Polygon coordinates"
    )
    area_ha: float | None
    start_year: int | None
    end_year: int | None
    land_use: str | None
    climate_zone: str | None
    soil_class: str | None
    baseline: list[str]
    practice: list[str]
    edition: str
    soc_baseline_t_c_ha: float | None
    soc_change_t_c_ha_yr: float | None
    soc_depth_cm: float | None
    soc_years: float | None
    soc_method: str
    estimated_t_c_ha_yr: float | None
    estimated_per_mille_yr: float | None
    estimated_t_c_yr: float | None
    estimate_note: str = Field(description="Why there is no estimate, e.g. No IPCC default")
    revision: int = Field(description="The current revision: send it as `base_revision` "
                                      "when you update the measure")
    url: str = Field(description="The measure in the API")
    html_url: str = Field(description="The measure's page")


class MeasureList(BaseModel):
    items: list[MeasureOut]
