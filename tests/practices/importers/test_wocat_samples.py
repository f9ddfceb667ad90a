"""The real WOCAT records in ../shared/wocat/samples, imported end to end (read, never copied
into the project; changed versions are written to the test's temporary folder only)."""

import json
import re

from sqlalchemy import text
from sqlmodel import SQLModel

from practices import sheets
from practices.importers import review
from practices.models import PendingRevision
from tests.practices.importers.conftest import (
    DATABASE_RECORD,
    V2_DETAIL,
    V2_LIST,
    find_question,
    sheet_by_source,
    table_counts,
    write_json,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+|00)\d[\d\s().-]{7,}\d")


def test_v2_record_becomes_a_sheet_a_practitioner_recognises(session, samples, run_wocat):
    report = run_wocat(samples)
    assert report.counts["created"] == 2 and report.status == "finished"
    sheet = sheet_by_source(session, "wocat:technologies_1724")
    revision = sheets.current_revision(session, sheet)
    fields = revision.fields
    assert revision.title == "Contour Trench Bund"
    assert revision.summary.startswith("Contour trench bund applied on contour lines")
    assert fields["countries"] == ["AF"] and sheet.region == "southern-asia"
    assert fields["agro_climatic_zones"] == ["semi-arid"]
    assert fields["land_use"] == ["grazing-land"]
    assert set(fields["practice_groups"]) == {"cross-slope-measure", "improved-ground-cover"}
    assert fields["measures"] == ["S2", "S4"]
    assert fields["degradation_addressed"] == ["Wt"]
    assert fields["locations"] == [[67.54596, 34.44429]]
    assert fields["cost_establishment"] == 939 and fields["cost_currency"] == "USD"
    assert fields["impacts"]["soil_loss"] == 2 and fields["impacts"]["biomass"] == 2
    assert "Aqila Haidery" in sheet.attribution and sheet.license == "cc-by-nc-sa-3.0"
    assert sheet.source == "wocat" and sheet.source_updated.year == 2017  # from the list page
    assert sheet.source_url.endswith("/technologies_1724/")
    for heading in ("## Description", "## Establishment", "## Impacts", "## Weaknesses"):
        assert heading in revision.body
    assert "| Labour: Excavation of the trenches" in revision.body
    everything = revision.title + revision.summary + revision.body + json.dumps(fields)
    assert "â€" not in everything and "user’s" in revision.body  # mojibake repaired


def test_new_api_record_keeps_its_arabic_text_right_to_left(client, session, samples,
                                                            run_wocat):
    run_wocat(samples / DATABASE_RECORD)
    sheet = sheet_by_source(session, "wocat:technologies_7810")
    revision = sheets.current_revision(session, sheet)
    assert sheet.language == "ar" and revision.title.startswith("التشجير المقاوم للملوحة")
    assert revision.fields["countries"] == ["SA"]
    assert revision.fields["agro_climatic_zones"] == ["arid"]
    assert revision.fields["impacts"]["soil_organic_matter"] == 2
    assert "## الوصف" in revision.body
    # The compiler's "title" field holds a postal address: it must not travel with the name.
    assert "Wadaani" not in sheet.attribution and "Al Buhwaih" in sheet.attribution
    with client.get(f"/practices/{sheet.slug}") as page:
        html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'dir="rtl"' in html and "التشجير المقاوم للملوحة" in html
    assert re.search(r'<h1 lang="ar" dir="(auto|rtl)"', html)  # the title reads right to left
    # The body's own words are Arabic too: labels, table heads, the source note.
    assert "من وجهة نظر مستخدمي الأراضي" in revision.body and "| المُدخل |" in revision.body
    assert "[السجل الأصلي](https://qcat.wocat.net/ar/" in revision.body


def test_no_contact_data_anywhere_in_the_database(app, session, samples, run_wocat):
    run_wocat(samples)
    skipped = {"users"}  # accounts hold their own e-mail by design
    with app.extensions["engine"].connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in skipped:
                continue
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):
                dumped = json.dumps([str(value) for value in row], ensure_ascii=False)
                assert not EMAIL.search(dumped), (table.name, EMAIL.search(dumped).group())
                assert not PHONE.search(dumped), (table.name, PHONE.search(dumped).group())


def test_second_import_of_the_same_files_writes_nothing(session, samples, run_wocat):
    run_wocat(samples)
    before = table_counts(session)
    again = run_wocat(samples)
    assert again.counts["created"] == again.counts["updated"] == 0
    assert again.counts["unchanged"] == 2 and again.counts["conflict"] == 0
    assert table_counts(session) == before


def _changed_1724(samples, tmp_path, definition: str):
    data = json.loads((samples / V2_DETAIL).read_text("utf-8"))
    question = find_question(data, "tech_qg_1", "tech_definition")
    question["value"][0]["value"] = definition
    return write_json(tmp_path / "technologies_1724.json", data)


def test_a_changed_record_updates_and_a_locally_edited_one_waits(session, samples, run_wocat,
                                                                 make_user, tmp_path):
    run_wocat(samples / V2_DETAIL)
    sheet = sheet_by_source(session, "wocat:technologies_1724")
    changed = run_wocat(_changed_1724(samples, tmp_path, "Bunds along the contour, changed."))
    assert changed.counts["updated"] == 1
    sheet = sheet_by_source(session, "wocat:technologies_1724")
    assert sheets.current_revision(session, sheet).summary == "Bunds along the contour, changed."
    # Someone improves the sheet here; then the source changes again.
    current = sheets.current_revision(session, sheet)
    local = sheets.Content.checked(title=current.title, summary="Our own wording.",
                                   body=current.body, fields=current.fields)
    sheets.revise(session, sheet, local, author=make_user(), base_revision_id=current.id)
    session.commit()
    conflict = run_wocat(_changed_1724(samples, tmp_path, "Changed twice at the source."))
    assert conflict.counts["conflict"] == 1
    sheet = sheet_by_source(session, "wocat:technologies_1724")
    assert sheets.current_revision(session, sheet).summary == "Our own wording."
    pending = review.pending_for(session, sheet)
    assert pending.summary == "Changed twice at the source."
    # The same incoming version again: still waiting, nothing new written.
    before = table_counts(session)
    assert run_wocat(tmp_path / "technologies_1724.json").counts["conflict"] == 1
    assert table_counts(session) == before
    editor = make_user("moderator")
    review.accept(session, pending, by=editor)
    session.commit()
    sheet = sheet_by_source(session, "wocat:technologies_1724")
    assert sheets.current_revision(session, sheet).summary == "Changed twice at the source."
    assert session.get(PendingRevision, pending.id).status == "accepted"
    assert run_wocat(tmp_path / "technologies_1724.json").counts["unchanged"] == 1


def test_list_page_reports_records_whose_detail_is_missing(session, samples, run_wocat):
    report = run_wocat(samples / V2_LIST)
    outcomes = {result.key: result for result in report.results}
    assert outcomes["wocat:technologies_1724"].outcome == "created"
    missing = outcomes["wocat:technologies_1723"]
    assert missing.outcome == "rejected" and "no detail file" in missing.reason
    assert any(r.reason.startswith("not an SLM Technology") for r in report.results)
