"""The sheet fields the IPCC Tier 1 estimate needs: checked, imported from spreadsheets,
exported, kept in revisions; the vocabulary agrees with the estimator; demo sheets use them."""

import csv
import io
import tomllib
from pathlib import Path

import pytest

from practices import carbon, carbon_sheet, exporters, sheets
from practices.fields import InvalidFields, clean_fields
from practices.importers import sync, table
from practices.vocab import vocabulary

LTC = "long-term-cultivated"
DEMO = Path(__file__).resolve().parents[2] / "practices" / "demo" / "sheets"


def test_levels_are_put_in_order_and_bad_combinations_name_the_field():
    cleaned = clean_fields(
        {
            "carbon_land_use": "cropland",
            "carbon_baseline": ["medium-input", "full-tillage", LTC],
            "carbon_practice": [LTC, "no-till", "medium-input"],
        }
    )
    assert cleaned["carbon_baseline"] == [LTC, "full-tillage", "medium-input"]
    cases = [
        ({"carbon_baseline": ["no-till"]}, "carbon_land_use"),
        (
            {
                "carbon_land_use": "grazing-land",
                "carbon_baseline": ["no-till"],
                "carbon_practice": ["improved", "medium-input"],
            },
            "carbon_baseline",
        ),
        (
            {
                "carbon_land_use": "grazing-land",
                "carbon_baseline": ["severely-degraded"],
                "carbon_practice": ["nominally-managed", "high-input"],
            },
            "carbon_practice",
        ),
        (
            {
                "carbon_land_use": "cropland",
                "carbon_baseline": [LTC, "full-tillage", "no-till"],
                "carbon_practice": [LTC, "no-till", "low-input"],
            },
            "carbon_baseline",
        ),
        (
            {"carbon_land_use": "cropland", "carbon_baseline": [LTC, "no-till", "low-input"]},
            "carbon_practice",
        ),
    ]
    for fields, name in cases:
        with pytest.raises(InvalidFields) as invalid:
            clean_fields(fields)
        assert set(invalid.value.errors) == {name}, fields


def test_vocabulary_holds_every_level_of_the_estimator_in_both_editions():
    ours = set(vocabulary("carbon_levels").codes)
    theirs = {
        term.code
        for land_use in carbon.LAND_USES
        for edition in carbon.EDITIONS
        for group in carbon.management_levels(land_use, edition)
        for term in group.terms
    }
    assert ours == theirs
    assert set(vocabulary("carbon_land_uses").codes) == set(carbon.LAND_USES)
    for code in ours:
        assert all(vocabulary("carbon_levels").label(code, lang) for lang in ("en", "fr", "es"))


def test_demo_sheets_have_realistic_changes_or_say_why_not():
    records = {path.stem: tomllib.loads(path.read_text()) for path in DEMO.glob("*.toml")}
    for record in records.values():
        clean_fields(record)  # every demo sheet passes the checks
    assert (
        records["siembra-directa-con-rastrojos-pampa-argentina"]["carbon_practice"][1] == "no-till"
    )
    assert records["cover-crops-temperate-cropland"]["carbon_practice"][2] == "high-input"
    assert records["grassland-restoration-on-former-cropland"]["carbon_baseline"] == [
        "severely-degraded"
    ]
    assert (
        records["improved-fallows-sesbania-gliricidia-tephrosia"]["carbon_practice"][0]
        == "set-aside"
    )
    assert records["cocoa-agroforestry-ghana"]["carbon_practice"][0] == "perennial-tree-crop"
    assert "carbon_practice" not in records["bench-terraces-rwanda"]
    assert "terraces" in records["bench-terraces-rwanda"]["carbon_note"]
    # The Pampa no-till sheet: warm temperate moist × HAC, 1000 × (1.10 − 1) / 20 = 5 ‰/yr
    pampa = clean_fields(records["siembra-directa-con-rastrojos-pampa-argentina"])
    rates = carbon_sheet.per_mille_by_cell(pampa)
    assert rates[("warm-temperate-moist", "high-activity-clay")] == (5.0, True)
    # Tigray: 2019 has no long-term cultivated row for the tropical montane zone.
    tigray = carbon_sheet.estimates_for(clean_fields(records["compost-and-manure-tigray-ethiopia"]))
    assert tigray and all(cell.result is None and "Table 5.5" in cell.no_default for cell in tigray)


def import_table(session, path) -> sync.Report:
    return sync.run_import(
        session,
        table.items(path),
        kind="table",
        source=path.name,
        author=sync.importer_account(session, "table"),
        keep_results=True,
    )


def test_spreadsheet_rows_take_levels_by_label_and_bad_ones_are_reported(session, tmp_path):
    path = tmp_path / "sheets.csv"
    path.write_text(
        "title,slug,carbon_land_use,carbon_baseline,carbon_practice\n"
        "No-till,no-till,Cropland,Long-term cultivated; Full tillage; Medium input,"
        "Long-term cultivated; Semis direct sans travail du sol; Medium input\n"
        "Bad,bad,Grazing land (grassland),Full tillage,Improved grassland; High input\n",
        encoding="utf-8",
    )
    report = import_table(session, path)
    assert report.counts["created"] == 1 and report.counts["rejected"] == 1
    sheet = sheets.find(session, "no-till")[0]
    assert sheets.current_revision(session, sheet).fields["carbon_practice"] == [
        LTC,
        "no-till",
        "medium-input",
    ]
    rejected = next(r for r in report.results if r.outcome == "rejected")
    assert rejected.reason.startswith("carbon_baseline: ")


def test_csv_export_writes_the_levels_and_they_import_back(session, make_sheet):
    make_sheet(
        "No-till",
        carbon_land_use="cropland",
        carbon_baseline=[LTC, "full-tillage", "medium-input"],
        carbon_practice=[LTC, "no-till", "medium-input"],
        carbon_note="Residues kept.",
    )
    out = io.StringIO()
    exporters.write_csv(session, out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["carbon_practice"] == f"{LTC}; no-till; medium-input"
    assert row["carbon_land_use"] == "cropland" and row["carbon_note"] == "Residues kept."
    parsed = table.parse_row(2, row)
    assert parsed.fields["carbon_baseline"] == [LTC, "full-tillage", "medium-input"]
