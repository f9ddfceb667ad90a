"""The IPCC Tier 1 soil-carbon tables, as shipped in `practices/ipcc_data/`, and their cells.

The CSVs are the project's transcription of the IPCC 2006 Guidelines and the 2019 Refinement
(Vol. 4): Table 2.3 (reference SOC stocks), Table 5.5 (cropland factors), Table 6.2 (grassland
factors) and the climate-zone scheme of Annex 3A.5; `ipcc_data/README.md` says where each
comes from. This module only reads them and finds cells; `practices.carbon` computes.

A zone belongs to a row of Table 5.5 by its temperature and moisture regime (Table 5.5,
footnote 1): the table's rows name regimes loosely ("temperate/boreal and tropical",
"dry and moist/wet", "all"), so each zone lists every regime label that includes it. Exactly
one row may match; two matching rows would be a transcription problem, never resolved by
picking one (a test walks every zone × level).
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "ipcc_data"
SOIL_CLASS_COLUMNS = {
    "high-activity-clay": "HAC",
    "low-activity-clay": "LAC",
    "sandy": "SAN",
    "spodic": "POD",
    "volcanic": "VOL",
    "wetland": "WET",
}
ORGANIC_SOIL = "organic"

# Table 5.5 temperature-regime labels that include each group of zones.
_TEMPERATURE_LABELS = {
    "cool": frozenset(
        {"cool temperate/boreal", "temperate/boreal", "temperate/boreal and tropical", "all"}
    ),
    "warm": frozenset(
        {"warm temperate", "temperate/boreal", "temperate/boreal and tropical", "all"}
    ),
    "tropical": frozenset({"tropical", "temperate/boreal and tropical", "all"}),
    "montane": frozenset({"tropical montane", "all"}),
}
_MOISTURE_LABELS = {
    "dry": frozenset({"dry", "dry and moist", "dry and moist/wet"}),
    "moist": frozenset({"moist", "moist/wet", "dry and moist", "dry and moist/wet"}),
    "montane": frozenset({"n/a", "dry and moist/wet"}),  # montane rows have no moisture split
}
# Table 6.2 climate-regime labels that include each Annex 3A.5 regime.
_GRASSLAND_LABELS = {
    "temperate/boreal": frozenset({"temperate/boreal", "all"}),
    "tropical": frozenset({"tropical", "all"}),
    "tropical montane": frozenset({"tropical montane", "all"}),
}
_PAGE = re.compile(r"\bpp?\.\s*\d+\.\d+(?:\s*[-–]\s*\d+\.\d+)?")
_NOT_COVERED = "(not covered)"


@dataclass(frozen=True)
class Zone:
    """One IPCC climate zone and the rows of each table it uses."""

    code: str  # the vocabulary's code, e.g. "cool-temperate-moist"
    name: str  # "Cool temperate moist"
    socref_row_2019: str  # Table 2.3 (2019) zone code: "C1"
    socref_row_2006: str | None  # Table 2.3 (2006) zone name: "Cold temperate, moist"
    temperature: str | None  # a key of _TEMPERATURE_LABELS, None where Table 5.5 has no row
    moisture: str | None
    grassland_regime: str | None  # a key of _GRASSLAND_LABELS, None where Table 6.2 has none

    def in_cropland_row(self, row: dict) -> bool:
        if self.temperature is None or self.moisture is None:
            return False
        return (
            row["temperature_regime"] in _TEMPERATURE_LABELS[self.temperature]
            and row["moisture_regime"] in _MOISTURE_LABELS[self.moisture]
        )

    def in_grassland_row(self, row: dict) -> bool:
        if self.grassland_regime is None:
            return False
        return row["climate_regime"] in _GRASSLAND_LABELS[self.grassland_regime]


@dataclass(frozen=True)
class Cell:
    """One value read from an IPCC table, with where it comes from (shown to users)."""

    quantity: str  # SOC_REF, F_LU, F_MG or F_I
    table: str  # "Table 2.3"
    row: str
    column: str
    value: float
    uncertainty_pct: float | None  # ± as % of the value; None for a reference level (1.0)
    edition: str
    source: str
    page: str | None
    note: str = ""
    applies_to: str = ""  # baseline, practice or both (factors); "" for SOC_REF

    def to_dict(self) -> dict:
        return {
            "quantity": self.quantity,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "uncertainty_pct": self.uncertainty_pct,
            "edition": self.edition,
            "source": self.source,
            "page": self.page,
            "note": self.note,
            "applies_to": self.applies_to,
        }

    @property
    def relative_uncertainty(self) -> float:
        return (self.uncertainty_pct or 0.0) / 100


def _read(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "-", text.lower()).strip("-")


def _temperature_group(code_2019: str) -> str | None:
    return {
        "T1": "montane",
        "T2": "tropical",
        "T3": "tropical",
        "T4": "tropical",
        "W1": "warm",
        "W2": "warm",
        "C1": "cool",
        "C2": "cool",
        "Bx": "cool",
    }.get(code_2019)


def _moisture_group(label: str) -> str | None:
    if label.startswith("n/a"):
        return "montane"
    return {"dry": "dry", "moist": "moist", "moist/wet": "moist"}.get(label)


@cache
def zones() -> dict[str, Zone]:
    """The twelve zones of `ipcc_climate_zone_map.csv`, by vocabulary code."""
    found = {}
    for row in _read("ipcc_climate_zone_map.csv"):
        code_2019 = row["code_2019"]
        row_2006 = row["table_2_3_row_2006"]
        regime = row["table_6_2_climate_regime"]
        zone = Zone(
            code=_slug(row["ipcc_zone"]),
            name=row["ipcc_zone"],
            socref_row_2019=code_2019,
            socref_row_2006=None if row_2006.startswith("(") else row_2006,
            temperature=_temperature_group(code_2019),
            moisture=_moisture_group(row["table_5_5_moisture_regime"]),
            grassland_regime=None if regime == _NOT_COVERED else regime,
        )
        found[zone.code] = zone
    return found


def _page(source: str) -> str | None:
    match = _PAGE.search(source)
    return match.group(0) if match else None


def _uncertainty(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "n/a" / "NA": the reference level, exactly 1 by definition
        return None


@cache
def socref_rows() -> dict[tuple[str, str, str], dict]:
    """Table 2.3 rows by (edition, zone key, soil column); the zone key is the 2019 zone code
    or the 2006 zone name."""
    rows = {}
    for row in _read("ipcc_socref.csv"):
        zone_key = row["zone_code"] if row["edition"] == "2019" else row["climate_zone"]
        rows[row["edition"], zone_key, row["soil_class"]] = row
    return rows


@cache
def factor_rows(land_use: str) -> tuple[dict, ...]:
    name = "ipcc_cropland_factors.csv" if land_use == "cropland" else "ipcc_grassland_factors.csv"
    return tuple(_read(name))


def socref_cell(row: dict, zone_label: str) -> Cell:
    return Cell(
        quantity="SOC_REF",
        table="Table 2.3",
        row=zone_label,
        column=row["soil_class_name"],
        value=float(row["socref_tC_per_ha_0_30cm"]),
        uncertainty_pct=_uncertainty(row["error_pct_plusminus"]),
        edition=row["edition"],
        source=row["source"],
        page=_page(row["source"]),
        note=row["note"] if row["flag"] != "data" or row["edition"] == "2006" else "",
    )


def factor_cell(row: dict, land_use: str, applies_to: str) -> Cell:
    if land_use == "cropland":
        table, column = "Table 5.5", f"{row['temperature_regime']}, {row['moisture_regime']}"
    else:
        table, column = "Table 6.2", row["climate_regime"]
    verification = row.get("verification", "")
    return Cell(
        quantity="F_" + row["factor"][1:],
        table=table,
        row=row["level"],
        column=column,
        value=float(row["value"]),
        uncertainty_pct=_uncertainty(row["error_pct_plusminus"]),
        edition=row["edition"],
        source=row["source"],
        page=_page(row["source"]),
        note=verification if "UNVERIFIED" in verification else "",
        applies_to=applies_to,
    )
