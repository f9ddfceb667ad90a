"""Spreadsheet imports (CSV, XLSX, the template, per-row errors) and exports that round-trip."""

import csv
import io

from sqlmodel import select

from practices import exporters, sheets
from practices.importers import native, sync, table
from practices.models import ImportRecord, Sheet, SlugRedirect, SourceLink, User
from tests.conftest import empty_tables
from tests.practices.importers.conftest import table_counts, write_json
from tests.practices.importers.synthetic import database_record

HEADER = "title,slug,summary,agro_climatic_zones,practice_groups,locations,impacts,countries"


def import_table(session, path, **options) -> sync.Report:
    return sync.run_import(session, table.items(path), kind="table", source=path.name,
                           author=sync.importer_account(session, "table",
                                                        create=not options.get("dry_run")),
                           keep_results=True, **options)


def test_csv_rows_become_sheets_and_bad_rows_are_reported_cell_by_cell(session, tmp_path):
    path = tmp_path / "sheets.csv"
    path.write_text(
        f"{HEADER}\n"
        "Stone lines,stone-lines,Lines of stones on the contour.,semi-aride,"
        "Mesures en travers de la pente,\"13.5, -2.1\",soil_loss=2,Burkina Faso\n"
        "Broken row,broken-row,,frozen desert,,\"north, east\",soil_loss=9,\n"
        "Cercas vivas,cercas-vivas,,semiárido,Agroforestería,,,MX\n", encoding="utf-8")
    before = table_counts(session)
    report = import_table(session, path)
    assert report.counts["created"] == 2 and report.counts["rejected"] == 1
    stones = sheets.find(session, "stone-lines")[0]
    fields = sheets.current_revision(session, stones).fields
    assert fields["agro_climatic_zones"] == ["semi-arid"]  # a French label, mapped to its code
    assert fields["practice_groups"] == ["cross-slope-measure"]
    assert fields["locations"] == [[-2.1, 13.5]] and fields["countries"] == ["BF"]
    rejected = next(r for r in report.results if r.outcome == "rejected")
    problems = rejected.reason.split("\n")
    assert rejected.key == "row 3"
    assert any(p.startswith("agro_climatic_zones: unknown value 'frozen desert'")
               for p in problems)
    assert any(p.startswith("locations: ") for p in problems)
    assert any(p.startswith("impacts: ") for p in problems)
    assert sheets.find(session, "broken-row")[0] is None  # nothing of a rejected row
    assert table_counts(session)[0] == before[0] + 2
    stored = session.exec(select(ImportRecord).where(ImportRecord.outcome == "rejected")).one()
    assert stored.key == "row 3" and "frozen desert" in stored.reason


def test_both_templates_import_as_they_are(session, tmp_path):
    (tmp_path / "template.csv").write_text(table.template_csv(), encoding="utf-8")
    (tmp_path / "template.xlsx").write_bytes(table.template_xlsx())
    for name in ("template.csv", "template.xlsx"):
        report = import_table(session, tmp_path / name, dry_run=True)
        assert report.counts["created"] == len(table.EXAMPLES), (name, report.results)
        assert report.counts["rejected"] == 0
    report = import_table(session, tmp_path / "template.xlsx")
    french = sheets.find(session, "paillage-residus-de-culture")[0]
    assert french.translation_of_id == sheets.find(session, "mulching-with-crop-residues")[0].id


def test_an_xlsx_row_with_a_problem_is_rejected_with_row_and_column(session, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title", "status", "soc_change_t_c_ha_yr", "rainfall_mm_min"])
    workbook.active.append(["Good row", "draft", 0.4, 600])
    workbook.active.append(["Bad row", "someday", "a lot", 300])
    workbook.save(tmp_path / "book.xlsx")
    report = import_table(session, tmp_path / "book.xlsx")
    assert [r.outcome for r in report.results] == ["created", "rejected"]
    bad = report.results[1]
    assert bad.key == "row 3" and "status: unknown status 'someday'" in bad.reason
    assert "soc_change_t_c_ha_yr" in bad.reason
    good = sheets.find(session, "good-row")[0]
    assert good.status == "draft"
    assert sheets.current_revision(session, good).fields["rainfall_mm_min"] == 600


def snapshot(session) -> list[dict]:
    """What a round trip must keep: every sheet, every revision, provenance, sync state."""
    session.expire_all()
    slugs = dict(session.exec(select(Sheet.id, Sheet.slug)).all())
    authors = dict(session.exec(select(User.id, User.email)).all())
    result = []
    for sheet in session.exec(select(Sheet).order_by(Sheet.slug)):
        link = session.get(SourceLink, sheet.id)
        revisions = sheets.history(session, sheet)
        result.append({
            "slug": sheet.slug, "language": sheet.language, "status": sheet.status,
            "deleted": sheet.is_deleted, "translation_of": slugs.get(sheet.translation_of_id),
            "source": (sheet.source, sheet.source_id, sheet.source_url, sheet.source_updated),
            "licence": (sheet.license, sheet.attribution), "created_at": sheet.created_at,
            "old_slugs": sorted(session.exec(select(SlugRedirect.old_slug).where(
                SlugRedirect.sheet_id == sheet.id)).all()),
            "sync": (link.fingerprint, link.source_updated,
                     next(r.number for r in revisions if r.id == link.revision_id))
            if link else None,
            "revisions": sorted((r.number, r.title, r.summary, r.body, sorted(r.fields.items(),
                                 key=str), r.edit_summary, r.created_at, r.reverted_from,
                                 authors.get(r.author_id)) for r in revisions),
        })
    return result


def test_json_export_imported_into_an_empty_wiki_gives_the_same_wiki(
        app, session, tmp_path, make_user, make_sheet, run_wocat):
    author, editor = make_user(name="Amina"), make_user("moderator", name="Bruno")
    sheet = make_sheet("Zaï pits", author=author, summary="Planting pits.",
                       agro_climatic_zones=["semi-arid"], countries=["BF"],
                       impacts={"soil_organic_matter": 2}, locations=[[-1.5, 12.25]])
    current = sheets.current_revision(session, sheet)
    sheets.revise(session, sheet, sheets.Content.checked(
        title="Zaï planting pits", summary="Planting pits that harvest water.",
        body="## How\n\nDig pits.", fields=current.fields), author=editor,
        base_revision_id=current.id, edit_summary="clearer", new_slug="zai-planting-pits")
    sheets.revert(session, sheet, 1, author=editor)
    translation = make_sheet("Trous zaï", author=editor, language="fr")
    translation.translation_of_id = sheet.id
    gone = make_sheet("Withdrawn practice", author=author)
    sheets.soft_delete(session, gone)
    session.commit()
    (tmp_path / "src").mkdir()
    write_json(tmp_path / "src" / "r.json", database_record(5, languages=("en", "es")))
    run_wocat(tmp_path / "src")
    before = snapshot(session)
    path = tmp_path / "export.json"
    with path.open("w", encoding="utf-8") as out:
        assert exporters.write_json(session, out) == len(before) == 5

    session.rollback()  # (PostgreSQL) a transaction still open here would block TRUNCATE
    empty_tables(app.extensions["engine"])
    assert snapshot(session) == []
    report = native.run(session, path, keep_results=True)
    assert report.counts["created"] == 5 and report.counts["rejected"] == 0, report.results
    assert snapshot(session) == before
    # The sync state came along: the same WOCAT file is unchanged, importing again too.
    again = run_wocat(tmp_path / "src")  # one record, in two languages
    assert again.counts == dict.fromkeys(sync.OUTCOMES, 0) | {"unchanged": 1}
    assert native.run(session, path).counts["unchanged"] == 5


def test_csv_export_is_the_spreadsheet_format_and_imports_back(app, session, tmp_path,
                                                               make_sheet, run_wocat):
    make_sheet("Hedgerows", summary="Lines of shrubs.", body="## Why\n\nShelter; shade.",
               practice_groups=["agroforestry"], locations=[[2.35, 48.8566]],
               impacts={"soil_loss": 2, "soil_organic_matter": 1}, rainfall_mm_min=600,
               references=[{"citation": "Smith (2020). Hedges.", "url": "https://example.org"}])
    write_json(tmp_path / "r.json", database_record(6))
    run_wocat(tmp_path / "r.json")
    before = {s["slug"]: s["revisions"][-1][1:5] for s in snapshot(session)}
    out = io.StringIO()
    assert exporters.write_csv(session, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == table.COLUMN_NAMES
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")

    session.rollback()  # (PostgreSQL) a transaction still open here would block TRUNCATE
    empty_tables(app.extensions["engine"])
    report = import_table(session, path)
    assert report.counts["created"] == 2, report.results
    after = {s["slug"]: s["revisions"][-1][1:5] for s in snapshot(session)}
    assert after == before
    assert sheets.find(session, "synthetic-terrace-6")[0].source_id == "wocat:technologies_6"


def test_a_row_titled_new_gets_an_address_the_wiki_does_not_use(session, tmp_path):
    path = tmp_path / "sheets.csv"
    path.write_text("title,summary\nNew,A practice called New.\n", encoding="utf-8")
    report = import_table(session, path)
    assert report.counts["created"] == 1, report.results
    assert session.exec(select(Sheet.slug)).all() == ["new-2"]
