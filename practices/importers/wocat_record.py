"""A WOCAT technology record as both formats read it: one `Mapped` language version.

`wocat_api` and `wocat_v2` each read their format into these types and `wocat` turns
them into sheets; kept apart so the format readers and the mapping need not import
each other.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from practices.importers.cleaning import one_line
from practices.vocab import vocabulary

PUBLIC_PAGE = "https://qcat.wocat.net/{lang}/wocat/technologies/view/technologies_{id}/"

# Our impact indicators (practices.impacts) from qcat keys and from new-API indicator keys.
IMPACTS = {
    "soilorganicmatter": "soil_organic_matter", "soil_organic_matter_below_ground_C":
    "soil_organic_matter", "biomass": "biomass", "biomass_above_ground_C": "biomass",
    "cropproduction": "crop_production", "crop_production": "crop_production",
    "fodderproduction": "fodder_production", "fodder_production": "fodder_production",
    "woodproduction": "wood_production", "wood_production": "wood_production",
    "farmincome": "farm_income", "farm_income": "farm_income", "workload": "workload",
    "soilmoisture": "soil_moisture", "soil_moisture": "soil_moisture",
    "soilcover": "soil_cover", "soil_cover": "soil_cover", "soilloss": "soil_loss",
    "soil_loss": "soil_loss", "nutrientcycling": "nutrient_cycling",
    "nutrient_cycling_recharge": "nutrient_cycling", "vegcover": "vegetation_cover",
    "vegetation_cover": "vegetation_cover", "plantdiversity": "plant_diversity",
    "plant_diversity": "plant_diversity", "surfacerunoff": "surface_runoff",
    "surface_runoff": "surface_runoff", "wateravailability": "water_availability",
    "water_availability": "water_availability", "droughtimpacts": "drought_impacts",
    "drought_impacts": "drought_impacts", "emissioncarbon": "emission_of_carbon",
    "emission_of_carbon_and_greenhouse_gases": "emission_of_carbon",
}


@dataclass
class Impact:
    key: str  # the source's indicator key
    label: str
    score: int
    left: str = ""  # WOCAT's words for -3 ... +3, e.g. "increased" -> "decreased"
    right: str = ""
    comment: str = ""

    @property
    def indicator(self) -> str | None:
        return IMPACTS.get(self.key)


@dataclass
class Cost:
    item: str
    unit: str = ""
    quantity: float | None = None
    per_unit: float | None = None
    total: float | None = None
    land_users_pct: float | None = None


@dataclass
class Mapped:
    """One language version of a WOCAT record, read from either format."""

    id: int
    language: str
    title: str
    edition: str = ""
    updated: datetime | None = None
    original_language: str | None = None  # None: this is the original
    local_name: str = ""
    definition: str = ""
    country: str = ""  # as the source gives it
    points: list[list[float]] = field(default_factory=list)
    codes: dict[str, list[str]] = field(default_factory=dict)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (what, label as given)
    rainfall_classes: list[str] = field(default_factory=list)
    rainfall_annual: float | None = None
    impacts: list[Impact] = field(default_factory=list)
    establishment: list[Cost] = field(default_factory=list)
    maintenance: list[Cost] = field(default_factory=list)
    establishment_total: float | None = None
    maintenance_total: float | None = None
    currency: str = ""  # ISO code when the source says USD
    currency_text: str = ""
    cost_unit: str = ""
    people: list[str] = field(default_factory=list)  # compilers' names: the attribution
    sections: dict[str, list[str]] = field(default_factory=dict)  # Markdown blocks
    public_url: str = ""
    references: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tillage: list[str] = field(default_factory=list)  # A3 tillage (2018), as the source says
    photos: list = field(default_factory=list)  # wocat_photos.RemotePhoto (issue 16)

    def add(self, section: str, *blocks: str) -> None:
        self.sections.setdefault(section, []).extend(block for block in blocks if block)

    def code(self, vocab_name: str, field_name: str, what: str,
             raws: Iterable[str | None]) -> None:
        """Map source keys or labels to codes; keep the ones that match nothing as text."""
        vocab = vocabulary(vocab_name)
        for raw in raws:
            if raw is None or not str(raw).strip():
                continue
            raw = str(raw)
            code = vocab.from_wocat(raw) or vocab.from_label(raw)
            if code is None:
                self.unmapped.append((what, one_line(raw)))
            elif code not in self.codes.setdefault(field_name, []):
                self.codes[field_name].append(code)


def technology_number(value: object) -> int | None:
    """12 from 12, "12", "technologies_12" or a URL naming technologies_12."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = re.search(r"(?:technologies_|^)(\d+)\b", str(value or ""))
    return int(match.group(1)) if match else None
