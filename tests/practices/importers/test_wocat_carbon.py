"""The WOCAT importer fills the IPCC management only where a record states it unambiguously
(the shared samples are read and changed in the test's temporary folder, never copied)."""

import json

from practices import sheets
from practices.importers.wocat import tillage_level
from tests.practices.importers.conftest import (
    DATABASE_RECORD,
    V2_DETAIL,
    find_question,
    sheet_by_source,
    write_json,
)

LEFT_EMPTY = "IPCC management left empty"


def carbon_fields(session, source_id):
    revision = sheets.current_revision(session, sheet_by_source(session, source_id))
    return {name: value for name, value in revision.fields.items() if name.startswith("carbon")}


def test_real_records_state_no_tillage_change_and_are_listed_in_the_report(
    session, samples, run_wocat
):
    report = run_wocat(samples)
    assert report.counts["created"] == 2
    created = [result for result in report.results if result.outcome == "created"]
    assert created and all(
        any(LEFT_EMPTY in note for note in result.notes) for result in created
    ), [(r.outcome, r.notes) for r in created]
    assert carbon_fields(session, "wocat:technologies_1724") == {}
    assert carbon_fields(session, "wocat:technologies_7810") == {}


def _database_record(samples, land_use, tillage):
    record = json.loads((samples / DATABASE_RECORD).read_text(encoding="utf-8"))
    for version in _versions(record):
        version["landuse"]["value"] = [land_use]
        version["slm_measures"]["agronomic_tillage"] = tillage
    return record


def _versions(node):
    """Every object holding `slm_measures` (the record's language versions)."""
    if isinstance(node, dict):
        if "slm_measures" in node and "landuse" in node:
            yield node
        for value in node.values():
            yield from _versions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _versions(value)


def test_no_till_cropland_record_gets_full_tillage_to_no_till(
    session, samples, tmp_path, run_wocat
):
    record = _database_record(samples, "CROPLAND", "TILLAGE_NO")
    report = run_wocat(write_json(tmp_path / "technology-7810.json", record))
    assert report.counts["created"] >= 1
    assert carbon_fields(session, "wocat:technologies_7810") == {
        "carbon_land_use": "cropland",
        "carbon_baseline": ["long-term-cultivated", "full-tillage", "medium-input"],
        "carbon_practice": ["long-term-cultivated", "no-till", "medium-input"],
    }
    notes = next(r.notes for r in report.results if r.outcome == "created")
    assert any("full tillage -> no-till" in note for note in notes)
    assert not any(LEFT_EMPTY in note for note in notes)


def test_no_till_on_grazing_land_or_full_tillage_is_left_empty(
    session, samples, tmp_path, run_wocat
):
    grazing = _database_record(samples, "GRAZINGLAND", "TILLAGE_NO")
    report = run_wocat(write_json(tmp_path / "technology-7810.json", grazing))
    assert carbon_fields(session, "wocat:technologies_7810") == {}
    assert any(LEFT_EMPTY in note for result in report.results for note in result.notes)


def test_v2_record_with_reduced_tillage_on_cropland(session, samples, tmp_path, run_wocat):
    record = json.loads((samples / V2_DETAIL).read_text(encoding="utf-8"))
    land_use = find_question(record, "tech_qg_9", "tech_landuse")
    land_use["value"][0]["values"] = [["Cropland", "", None, "tech_lu_cropland"]]
    agronomic = find_question(record, "tech_qg_21", "tech_measures_agronomic_sub")
    agronomic["value"] = [
        {
            "key": "Select",
            "values": [["A3: Soil surface treatment", "", None, "measures_agronomic_a3"]],
        }
    ]
    group = next(
        node for node in _groups(record) if "tech_measures_agronomic_sub" in node["children"]
    )
    group["children"]["tech_agronomic_tillage"] = {
        "label": "Tillage",
        "value": [
            {
                "key": "Tillage",
                "values": [
                    ["A 3.2: Reduced tillage (> 30% soil cover)", "", None, "tillage_reduced"]
                ],
            }
        ],
    }
    run_wocat(write_json(tmp_path / "technologies_1724.json", record))
    assert carbon_fields(session, "wocat:technologies_1724")["carbon_practice"] == [
        "long-term-cultivated",
        "reduced-tillage",
        "medium-input",
    ]


def _groups(node):
    if isinstance(node, dict):
        if isinstance(node.get("children"), dict):
            yield node
        for child in (node.get("children") or node).values():
            yield from _groups(child)


def test_tillage_values_are_read_in_every_spelling():
    assert tillage_level("tillage_no") == tillage_level("A 3.1: No tillage") == "no-till"
    assert tillage_level("REDUCED") == "reduced-tillage"
    assert tillage_level("tillage_full") == "full-tillage"
    assert tillage_level("minimum tillage") is None  # not a WOCAT value: not guessed
