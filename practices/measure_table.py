"""Measures as a table (CSV or XLSX), one measure per row, for import and export.

The columns are the measure's field names. Multi-valued cells (sheets, baseline, practice,
locations) separate values with ";"; locations are "latitude, longitude"; boundary is GeoJSON
Polygon coordinates. A row with any problem is rejected as a whole, with "column: problem"
lines; a dry run reports what would happen and writes nothing. An export re-imports (as new
drafts): numbers are written in full (the shortest text that reads back as the same number),
and a text cell that a spreadsheet would run as a formula (starting with =, +, -, @) is
written after a "'", which the import takes off again.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from practices import measures
from practices.fields import N_
from practices.importers.sources import SourceError
from practices.importers.table import read_rows
from practices.models import Measure, Organization, User

SEPARATOR = ";"
MULTIPLE = ("sheets", "baseline", "practice", "locations")
FREE_TEXT = ("title", "soc_method")  # what people type; everything else is a code or number
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
EXTRA_COLUMNS = ("organization", "state", "estimated_t_c_yr", "estimated_per_mille_yr")
XLSX_SHEET = "Measures"


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # in English, translated when shown (N_ marks it for the catalogue)


COLUMNS = (
    Column("title", N_("Name of the measure (required).")),
    Column("sheets", N_("Slugs of the published practice sheets it applies, separated by ;")),
    Column("status", N_("planned, ongoing or completed.")),
    Column("country", N_("ISO 3166-1 alpha-2 code, e.g. BF.")),
    Column("locations", N_("Points as latitude, longitude separated by ; (e.g. 13.58, -2.37)")),
    Column("boundary", N_("The area drawn on the map: GeoJSON Polygon coordinates, "
                          "e.g. [[[-2.37, 13.58], [-2.36, 13.58], "
                          "[-2.36, 13.59], [-2.37, 13.58]]]")),
    Column("area_ha", N_("Area in hectares (computed from boundary when empty).")),
    Column("start_year", N_("Year the measure started.")),
    Column("end_year", N_("Year it ended or will end.")),
    Column("land_use", N_("cropland or grazing-land (IPCC terms of the carbon estimator).")),
    Column("climate_zone", N_("IPCC climate zone code, e.g. tropical-dry.")),
    Column("soil_class", N_("IPCC soil class code, e.g. low-activity-clay.")),
    Column("baseline", N_("Management levels before, separated by ;")),
    Column("practice", N_("Management levels with the practice, separated by ;")),
    Column("edition", N_("2019 (default) or 2006 edition of the IPCC tables.")),
    Column("soc_baseline_t_c_ha", N_("Measured SOC stock before (t C/ha).")),
    Column("soc_change_t_c_ha_yr", N_("Measured SOC change (t C/ha/yr).")),
    Column("soc_depth_cm", N_("Depth of the SOC measurement (cm).")),
    Column("soc_years", N_("Years the change was measured over.")),
    Column("soc_method", N_("How the SOC was measured.")),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


class Unreadable(Exception):
    """The file is not a CSV or XLSX table we can read."""


@dataclass
class RowOutcome:
    row: int
    title: str
    outcome: str  # created | rejected
    problems: list[str] = field(default_factory=list)
    measure_id: int | None = None


@dataclass
class ImportReport:
    rows: list[RowOutcome]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)


def values_of(row: dict[str, Any]) -> dict[str, Any]:
    """A table row as the raw values measures.clean() takes."""
    values: dict[str, Any] = {}
    for name in COLUMN_NAMES:
        cell = row.get(name)
        text = "" if cell is None else str(cell).strip()
        if name in MULTIPLE:
            parts = [part.strip() for part in text.split(SEPARATOR) if part.strip()]
            values[name] = [_point(part) for part in parts] if name == "locations" else parts
        elif name in FREE_TEXT and text.startswith(QUOTE) and _looks_like_formula(text[1:]):
            values[name] = text[1:]  # the quote an export put before a would-be formula
        else:
            values[name] = text
    return values


def _point(text: str) -> list:
    try:
        lat, lon = (float(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        return [text]  # the validator reports a malformed point
    return [lon, lat]


def import_rows(
    session: Session,
    organization: Organization,
    path: Path,
    *,
    author: User | None,
    dry_run: bool = False,
) -> ImportReport:
    """Create one draft measure per valid row; a dry run only checks (caller rolls back)."""
    outcomes = []
    try:
        rows = list(read_rows(path))
    except (SourceError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError,
            OSError) as problem:
        raise Unreadable(str(problem)) from None
    for number, row in rows:
        values = values_of(row)
        try:
            # clean() refuses a row before create() writes anything of it
            measure = measures.create(
                session, organization, values, author=author, summary="import"
            )
            outcomes.append(
                RowOutcome(
                    number, values["title"], "created", measure_id=None if dry_run else measure.id
                )
            )
        except measures.MeasureError as refused:
            outcomes.append(
                RowOutcome(
                    number,
                    values["title"],
                    "rejected",
                    [f"{name}: {message}" for name, message in refused.errors.items()],
                )
            )
    return ImportReport(outcomes)


def row_of(session: Session, measure: Measure) -> dict[str, str]:
    values = measures.snapshot(session, measure)
    row = {}
    for name in COLUMN_NAMES:
        value = values.get(name)
        if name == "locations":
            row[name] = f"{SEPARATOR} ".join(
                f"{_plain(lat)}, {_plain(lon)}" for lon, lat in value or [])
        elif name == "boundary":
            row[name] = json.dumps(value, separators=(",", ":")) if value else ""
        elif name in MULTIPLE:
            row[name] = f"{SEPARATOR} ".join(value or [])
        elif name in FREE_TEXT:
            row[name] = _inert(value or "")
        else:
            row[name] = _plain(value)
    return row


def rows(session: Session, measures_: list[Measure]) -> list[dict[str, str]]:
    """The export: the import's columns, then what the import ignores (organisation,
    publication state, the estimate)."""
    slugs: dict[int, str] = {}
    table = []
    for measure in measures_:
        if measure.organization_id not in slugs:
            organization = session.get(Organization, measure.organization_id)
            slugs[measure.organization_id] = organization.slug if organization else ""
        table.append({
            **row_of(session, measure),
            "organization": slugs[measure.organization_id],
            "state": measure.state,
            "estimated_t_c_yr": _plain(measure.estimated_t_c_yr),
            "estimated_per_mille_yr": _plain(measure.estimated_per_mille_yr),
        })
    return table


def to_csv(session: Session, measures_: list[Measure]) -> str:
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=(*COLUMN_NAMES, *EXTRA_COLUMNS),
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(session, measures_))
    return handle.getvalue()


def to_xlsx(session: Session, measures_: list[Measure]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = XLSX_SHEET
    header = (*COLUMN_NAMES, *EXTRA_COLUMNS)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows(session, measures_), 2):
        for column, name in enumerate(header, 1):
            cell = sheet.cell(number, column, row[name])
            cell.data_type = "s"  # text, always: openpyxl would take "=…" for a formula
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _inert(text: str) -> str:
    return QUOTE + text if _looks_like_formula(text) else text


def _looks_like_formula(text: str) -> bool:
    """(Quotes of its own are looked through, so that "'=x" survives the round trip too.)"""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def _plain(value: Any) -> str:
    """A number as the shortest text that reads back as the same number (no 1e+06 rounding)."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)
