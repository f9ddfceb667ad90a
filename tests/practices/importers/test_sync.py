"""Syncing synthetic WOCAT records from every kind of file: outcomes, translations, labels
kept as text, incremental runs, dry runs, interruptions, cleaning and undo."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from practices import sheets
from practices.importers import review, sync
from practices.models import ImportRecord, ImportRun, Sheet
from tests.practices.importers.conftest import sheet_by_source, table_counts, write_json
from tests.practices.importers.synthetic import database_record, v2_detail, v2_summary


def body_of(session, key: str) -> sheets.Revision:
    return sheets.current_revision(session, sheet_by_source(session, key))


def test_every_file_form_is_read(session, tmp_path, run_wocat):
    write_json(tmp_path / "one.json", database_record(1))
    write_json(tmp_path / "list.json", [database_record(2), database_record(3)])
    (tmp_path / "dump.jsonl").write_text(
        "\n".join(json.dumps(database_record(n)) for n in (4, 5)) + "\n", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    write_json(tmp_path / "pages" / "list-page.json", {
        "count": 1, "next": "", "previous": "", "results": [v2_summary(6)]})
    write_json(tmp_path / "pages" / "technologies_6.json", v2_detail(6))
    report = run_wocat(tmp_path)
    assert report.counts["created"] == 6, report.results
    assert {r.key for r in report.results} == {f"wocat:technologies_{n}" for n in range(1, 7)}
    sixth = sheet_by_source(session, "wocat:technologies_6")
    assert sixth.title == "Synthetic bund 6" and sixth.source_updated.year == 2026
    # Each form also reads on its own.
    assert run_wocat(tmp_path / "dump.jsonl").counts["unchanged"] == 2


def test_language_versions_become_linked_translations(session, tmp_path, run_wocat):
    write_json(tmp_path / "record.json", database_record(20, languages=("fr", "en", "es")))
    run_wocat(tmp_path / "record.json")
    original = sheet_by_source(session, "wocat:technologies_20")
    assert original.language == "fr"
    for language in ("en", "es"):
        version = sheet_by_source(session, f"wocat:technologies_20:{language}")
        assert version.translation_of_id == original.id and version.language == language
        assert version.title.startswith(f"[{language}] ")
    # A v2 list page whose details are saved per language.
    summary = dict(v2_summary(21), translations=[["en", "English"], ["fr", "French"]])
    (tmp_path / "v2").mkdir()
    write_json(tmp_path / "v2" / "page.json",
               {"count": 1, "next": "", "previous": "", "results": [summary]})
    write_json(tmp_path / "v2" / "technologies_21.json", v2_detail(21))
    write_json(tmp_path / "v2" / "technologies_21.fr.json",
               v2_detail(21, title="Diguettes synthétiques 21"))
    report = run_wocat(tmp_path / "v2" / "page.json")
    assert report.counts["created"] == 2
    french = sheet_by_source(session, "wocat:technologies_21:fr")
    assert french.title == "Diguettes synthétiques 21" and french.language == "fr"
    assert french.translation_of_id == sheet_by_source(session, "wocat:technologies_21").id


def test_a_label_that_matches_no_code_is_kept_as_text_and_reported(session, tmp_path,
                                                                  run_wocat):
    record = v2_detail(30)
    groups = record["section_general_information"]["children"]["tech__1"]["children"][
        "tech__1__1"]["children"]
    groups["tech_qg_55"]["children"]["tech_agroclimatic_zone"]["value"][0]["values"] = [
        "semi-arid", "sub-arctic tundra"]
    report = run_wocat(write_json(tmp_path / "technologies_30.json", record))
    result = report.results[0]
    assert result.outcome == "created"
    assert any("“sub-arctic tundra” matches no code; kept as text" in n for n in result.notes)
    revision = body_of(session, "wocat:technologies_30")
    assert revision.fields["agro_climatic_zones"] == ["semi-arid"]  # not guessed
    assert "sub-arctic tundra" in revision.body
    stored = session.exec(select(ImportRecord).where(ImportRecord.run_id == report.run_id)).one()
    assert any("sub-arctic tundra" in note for note in stored.notes)


def test_since_and_the_stored_source_time_skip_what_did_not_change(session, tmp_path,
                                                                   run_wocat):
    write_json(tmp_path / "a.json", database_record(40, updated="2025-01-01T00:00:00Z"))
    write_json(tmp_path / "b.json", database_record(41, updated="2026-06-01T00:00:00Z"))
    report = run_wocat(tmp_path, since=datetime(2026, 1, 1, tzinfo=UTC))
    assert report.counts["created"] == 1 and report.counts["unchanged"] == 1
    assert sheet_by_source(session, "wocat:technologies_41").source_updated.year == 2026
    # Without --since, the stored source time says 41 did not change: it is not even read.
    write_json(tmp_path / "b.json", database_record(41, updated="2026-06-01T00:00:00Z",
                                                    title="Changed without a new time"))
    again = run_wocat(tmp_path / "b.json")
    assert again.counts["unchanged"] == 1
    assert body_of(session, "wocat:technologies_41").title == "Synthetic terrace 41"
    write_json(tmp_path / "b.json", database_record(41, updated="2026-07-01T00:00:00Z",
                                                    title="Changed at the source"))
    assert run_wocat(tmp_path / "b.json").counts["updated"] == 1
    assert body_of(session, "wocat:technologies_41").title == "Changed at the source"


def test_a_dry_run_reports_the_same_and_writes_nothing(session, tmp_path, run_wocat):
    write_json(tmp_path / "list.json", [database_record(50), {"id": 51, "oops": True},
                                        database_record(52, languages=("en", "fr"))])
    before = table_counts(session)
    users_before = len(session.exec(select(sync.User)).all())
    dry = run_wocat(tmp_path / "list.json", dry_run=True)
    assert table_counts(session) == before
    assert len(session.exec(select(sync.User)).all()) == users_before
    assert session.exec(select(ImportRun)).all() == []
    real = run_wocat(tmp_path / "list.json")
    assert dry.counts == real.counts == {"created": 3, "updated": 0, "unchanged": 0,
                                         "conflict": 0, "rejected": 1}


def test_one_malformed_record_never_stops_the_others(session, tmp_path, run_wocat):
    (tmp_path / "dump.jsonl").write_text(
        json.dumps(database_record(60)) + "\n{not json\n" + json.dumps({"id": 61}) + "\n"
        + json.dumps(database_record(62)) + "\n", encoding="utf-8")
    report = run_wocat(tmp_path / "dump.jsonl")
    outcomes = [result.outcome for result in report.results]
    assert outcomes == ["created", "rejected", "rejected", "created"]
    assert "line 2 is not valid JSON" in report.results[1].reason


def test_ctrl_c_mid_run_leaves_whole_records_and_a_rerun_finishes(session, tmp_path,
                                                                  run_wocat, monkeypatch):
    write_json(tmp_path / "list.json", [database_record(n) for n in (70, 71, 72, 73)])
    real_link, calls = sync.Syncer._link, []

    def interrupted(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the third sheet is written but not yet committed
            raise KeyboardInterrupt
        return real_link(self, *args, **kwargs)

    monkeypatch.setattr(sync.Syncer, "_link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_wocat(tmp_path / "list.json")
    monkeypatch.undo()
    session.expire_all()
    assert sorted(s.source_id for s in session.exec(select(Sheet))) == [
        "wocat:technologies_70", "wocat:technologies_71"]
    run = session.exec(select(ImportRun)).one()
    assert run.status == "interrupted" and "run the import again" in run.message
    assert run.counts["created"] == 2
    again = run_wocat(tmp_path / "list.json")
    assert again.counts["created"] == 2 and again.counts["unchanged"] == 2
    assert len(session.exec(select(Sheet)).all()) == 4


def test_text_is_repaired_stripped_of_html_and_of_contact_data(session, tmp_path, run_wocat):
    description = ("The landâ€™s users <b>dig</b> trenches.<script>alert('x')</script> "
                   "Ask <a href='http://evil.example'>me</a> at farmer@example.org or "
                   "+254 20 123 4567. [link](javascript:alert(1)) <img src=x onerror=alert(1)>")
    run_wocat(write_json(tmp_path / "r.json", database_record(80, description=description)))
    revision = body_of(session, "wocat:technologies_80")
    assert "land’s users dig trenches." in revision.body
    for unwanted in ("<script", "alert('x')", "<b>", "<a ", "<img", "farmer@example.org",
                     "123 4567", "[link](javascript"):
        assert unwanted not in revision.body, unwanted
    sheet = sheet_by_source(session, "wocat:technologies_80")
    assert "Somewhere Street" not in sheet.attribution  # the compiler's "title" is an address


def test_undo_deletes_what_a_run_created_and_reverts_its_updates(session, tmp_path,
                                                                 run_wocat):
    write_json(tmp_path / "a.json", database_record(90, updated="2026-01-01T00:00:00Z"))
    first = run_wocat(tmp_path / "a.json")
    write_json(tmp_path / "a.json", database_record(90, updated="2026-02-01T00:00:00Z",
                                                    title="Terrace 90, revised"))
    write_json(tmp_path / "b.json", database_record(91))
    second = run_wocat(tmp_path)
    assert second.counts["updated"] == 1 and second.counts["created"] == 1
    done = review.undo(session, session.get(ImportRun, second.run_id), by=None)
    assert (done.deleted, done.reverted) == (1, 1)
    assert sheet_by_source(session, "wocat:technologies_91").is_deleted
    sheet = sheet_by_source(session, "wocat:technologies_90")
    assert sheets.current_revision(session, sheet).title == "Synthetic terrace 90"
    assert len(sheets.history(session, sheet)) == 3  # nothing lost: the revert is a revision
    assert session.get(ImportRun, second.run_id).status == "undone"
    # Importing again brings both back.
    third = run_wocat(tmp_path)
    assert third.counts["updated"] == 1 and third.counts["created"] == 1
    assert not sheet_by_source(session, "wocat:technologies_91").is_deleted
    assert first.run_id != third.run_id


def test_a_run_whose_process_died_can_still_be_undone(session, tmp_path, run_wocat):
    write_json(tmp_path / "list.json", [database_record(n) for n in (95, 96)])
    report = run_wocat(tmp_path / "list.json")
    run = session.get(ImportRun, report.run_id)
    run.status = "running"  # as a killed process leaves it
    session.add(run)
    session.commit()
    with pytest.raises(review.ReviewError, match="still going"):
        review.undo(session, run, by=None)
    for record in session.exec(select(ImportRecord).where(ImportRecord.run_id == run.id)):
        record.created_at = record.created_at - timedelta(hours=1)
        session.add(record)
    session.commit()
    assert review.undo(session, run, by=None).deleted == 2
    assert sheet_by_source(session, "wocat:technologies_95").is_deleted
