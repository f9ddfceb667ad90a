"""Imports and exports on the web and on the command line: upload, dry-run report, confirm,
follow and undo a run, decide on an incoming version, templates, `GET /api/v1/export`."""

import io
import json

import pytest
from sqlmodel import select

from practices import sheets
from practices.models import ImportRun, PendingRevision, Sheet
from tests.practices.importers.conftest import (
    sheet_by_source,
    table_counts,
    wocat_runner,
    write_json,
)
from tests.practices.importers.synthetic import database_record


@pytest.fixture
def run_wocat(session):
    return wocat_runner(session)


def wait_for_runs(app) -> None:
    for thread in app.extensions.get("import_threads", []):
        thread.join(timeout=30)


def upload(client, name: str, content: bytes):
    return client.post("/imports/upload", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_only_admins_reach_the_imports(client, make_user, login):
    assert "/login" in client.get("/imports/").headers["Location"]
    login(make_user("moderator"))
    assert client.get("/imports/").status_code == 403
    assert upload(client, "a.json", b"[]").status_code == 403


def test_admin_uploads_sees_the_dry_run_confirms_and_follows_the_run(app, client, session,
                                                                     make_user, login):
    login(make_user("admin"))
    records = [database_record(1), database_record(2, languages=("en", "fr")), {"id": 3}]
    before = table_counts(session)
    page = upload(client, "wocat.json", json.dumps(records).encode())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "What importing wocat.json would do" in html
    assert "Synthetic terrace 2" in html and "Import now" in html
    assert table_counts(session) == before  # nothing written before the confirmation
    token = html.split('name="token" value="')[1].split('"')[0]
    confirmed = client.post("/imports/confirm", data={"token": token, "filename": "wocat.json"})
    assert confirmed.status_code == 303
    wait_for_runs(app)
    run_page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "finished" in run_page and "Synthetic terrace 1" in run_page
    assert "/practices/synthetic-terrace-1" in run_page  # each record links to its sheet
    run = session.exec(select(ImportRun)).one()
    assert run.counts["created"] == 3 and run.counts["rejected"] == 1
    listing = client.get("/imports/").get_data(as_text=True)
    assert f"/imports/runs/{run.id}" in listing and "wocat.json" in listing
    # The run can be undone from its page.
    client.post(f"/imports/runs/{run.id}/undo")
    assert sheet_by_source(session, "wocat:technologies_1").is_deleted
    assert "undone" in client.get(f"/imports/runs/{run.id}").get_data(as_text=True)


def test_a_spreadsheet_with_a_bad_row_is_reported_row_and_column(client, session, make_user,
                                                                  login):
    login(make_user("admin"))
    csv_text = ("title,agro_climatic_zones,countries\nGood,semi-arid,KE\n"
                "Bad,moonlike,Atlantis\n")
    html = upload(client, "rows.csv", csv_text.encode()).get_data(as_text=True)
    assert "row 3" in html and "<code>agro_climatic_zones</code>" in html
    assert "<code>countries</code>" in html and "moonlike" in html
    assert session.exec(select(Sheet)).all() == []


def test_an_unreadable_upload_changes_nothing_and_says_why(client, session, make_user, login):
    login(make_user("admin"))
    refused = upload(client, "notes.txt", b"hello")
    assert refused.status_code == 303
    assert "Choose a WOCAT JSON file" in client.get("/imports/").get_data(as_text=True)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("records.json", b'[{"a": 1}', "premature EOF"),
    ("records.json", b"[1e400]", "numeric (floating point) overflow"),
    ("records.json", b"[" * 10_000, "nested more than 64 levels deep"),
    ("records.json", b'["\x00"]', "invalid character inside string"),
    ("page.json", b'{"count": 1, "next": null, "results": [{"x": NaN}]}', "invalid char"),
    ("export.json", b'{"format": "practice-wiki", "sheets": [NaN]}', "invalid char"),
    ("export.json", b'{"format": "practice-wiki", "sheets": [1]}', "sheets entry 1 is not"),
])
def test_a_broken_json_upload_says_why_and_imports_nothing(client, session, make_user, login,
                                                           name, content, reason):
    login(make_user("admin"))
    refused = upload(client, name, content)
    assert refused.status_code == 303
    page = client.get("/imports/").get_data(as_text=True)
    assert "This file cannot be imported" in page and reason in page
    assert session.exec(select(Sheet)).all() == []


def test_templates_download(client, make_user, login):
    login(make_user())
    csv_template = client.get("/imports/template.csv")
    assert csv_template.status_code == 200 and csv_template.mimetype == "text/csv"
    assert csv_template.get_data(as_text=True).startswith("slug,title,summary")
    xlsx = client.get("/imports/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert "attachment" in xlsx.headers["Content-Disposition"]


def test_export_api_is_for_admins(client, make_user, make_sheet, login):
    make_sheet("Hedgerows", summary="Lines of shrubs.")
    anonymous = client.get("/api/v1/export?format=json")
    assert anonymous.status_code == 401 and anonymous.json["error"]["code"] == "unauthorized"
    login(make_user("moderator"))
    assert client.get("/api/v1/export?format=json").status_code == 403
    client.post("/logout")
    login(make_user("admin"))
    assert client.get("/api/v1/export?format=xml").status_code == 400
    exported = client.get("/api/v1/export?format=json")
    data = json.loads(exported.get_data(as_text=True))
    assert data["format"] == "practice-wiki" and data["sheets"][0]["slug"] == "hedgerows"
    assert data["sheets"][0]["revisions"][0]["summary"] == "Lines of shrubs."
    csv_export = client.get("/api/v1/export?format=csv").get_data(as_text=True)
    assert csv_export.startswith("slug,title,") and "hedgerows,Hedgerows" in csv_export


def test_an_editor_compares_and_accepts_the_incoming_version(client, session, tmp_path,
                                                             make_user, login, run_wocat):
    write_json(tmp_path / "r.json", database_record(7, updated="2026-01-01T00:00:00Z"))
    run_wocat(tmp_path / "r.json")
    sheet = sheet_by_source(session, "wocat:technologies_7")
    current = sheets.current_revision(session, sheet)
    sheets.revise(session, sheet, sheets.Content.checked(
        title=current.title, summary="Our own wording.", body=current.body,
        fields=current.fields), author=make_user(), base_revision_id=current.id)
    session.commit()
    write_json(tmp_path / "r.json", database_record(7, updated="2026-02-01T00:00:00Z",
                                                    title="Terrace seven, from the source"))
    assert run_wocat(tmp_path / "r.json").counts["conflict"] == 1
    login(make_user("moderator"))
    page = client.get(f"/practices/{sheet.slug}").get_data(as_text=True)
    assert "Compare and decide" in page
    compare = client.get(f"/practices/{sheet.slug}/incoming").get_data(as_text=True)
    assert "Terrace seven, from the source" in compare and "Our own wording" in compare
    pending = session.exec(select(PendingRevision)).one()
    client.post(f"/practices/{sheet.slug}/incoming/{pending.id}/accept",
                data={"base_revision_id": sheet.current_revision_id})
    sheet = sheet_by_source(session, "wocat:technologies_7")
    assert sheets.current_revision(session, sheet).title == "Terrace seven, from the source"
    assert len(sheets.history(session, sheet)) == 3  # the local edit stays in the history
    assert client.get(f"/practices/{sheet.slug}/incoming").status_code == 404


def test_cli_imports_with_a_plain_log_and_exports(app, client, session, tmp_path):
    runner = app.test_cli_runner()
    write_json(tmp_path / "list.json", [database_record(1), database_record(2, title="Qanat")])
    dry = runner.invoke(args=["import", "wocat", str(tmp_path / "list.json"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "created   wocat:technologies_1" in dry.output  # one line per record off a terminal
    assert "Dry run (nothing written): 2 created" in dry.output
    assert session.exec(select(Sheet)).all() == []
    done = runner.invoke(args=["import", "wocat", str(tmp_path / "list.json")])
    assert "2 created" in done.output and "practice-wiki import undo" in done.output
    found = client.get("/practices/?q=qanat").get_data(as_text=True)
    assert "/practices/qanat" in found  # indexed for search by the time the command ends
    again = runner.invoke(args=["import", "wocat", str(tmp_path / "list.json")])
    assert "0 created, 0 updated, 2 unchanged" in again.output
    for kind in ("json", "csv"):
        exported = runner.invoke(args=["export", kind, str(tmp_path / f"out.{kind}")])
        assert exported.exit_code == 0 and "Exported 2 sheets" in exported.output
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["format"] == "practice-wiki"
    assert (tmp_path / "out.csv").read_text("utf-8").startswith("slug,title")
    missing = runner.invoke(args=["import", "wocat", str(tmp_path / "nowhere.json")])
    assert missing.exit_code == 2 and "No such file or folder" in missing.output
    shown = runner.invoke(args=["import", "show", "1"])
    assert "created   wocat:technologies_2" in shown.output


def test_wocat_import_exit_status_says_whether_records_were_rejected(app, tmp_path):
    runner = app.test_cli_runner()
    write_json(tmp_path / "good.json", [database_record(1)])
    (tmp_path / "broken.json").write_text("{not json", "utf-8")
    write_json(tmp_path / "mixed.json", [database_record(2), {"id": 3, "title": 42}])
    good = runner.invoke(args=["import", "wocat", str(tmp_path / "good.json")])
    assert good.exit_code == 0, good.output
    broken = runner.invoke(args=["import", "wocat", str(tmp_path / "broken.json")])
    assert "1 rejected" in broken.output and broken.exit_code == 1
    mixed = runner.invoke(args=["import", "wocat", str(tmp_path / "mixed.json"), "--dry-run"])
    assert "1 created" in mixed.output and "1 rejected" in mixed.output
    assert mixed.exit_code == 1
    missing = runner.invoke(args=["import", "wocat", str(tmp_path / "nowhere.json")])
    assert missing.exit_code == 2 and "No such file or folder" in missing.output
    assert "Exit status: 0 when no record was rejected" in runner.invoke(
        args=["import", "wocat", "--help"]).output


def test_table_import_exit_status_says_whether_rows_were_rejected(app, session, tmp_path):
    runner = app.test_cli_runner()
    (tmp_path / "good.csv").write_text("title,summary\nZai pits,Pits\n", "utf-8")
    (tmp_path / "bad.csv").write_text("title,status\nHalf moons,\nNo status,nonsense\n",
                                      "utf-8")
    (tmp_path / "garbage.xlsx").write_bytes(b"not a spreadsheet at all")
    good = runner.invoke(args=["import", "table", str(tmp_path / "good.csv")])
    assert good.exit_code == 0, good.output
    bad = runner.invoke(args=["import", "table", str(tmp_path / "bad.csv")])
    assert "1 created" in bad.output and "1 rejected" in bad.output and bad.exit_code == 1
    garbage = runner.invoke(args=["import", "table", str(tmp_path / "garbage.xlsx")])
    assert garbage.exit_code == 2 and "cannot be read" in garbage.output
    runs = session.exec(select(ImportRun).order_by(ImportRun.id)).all()
    assert [run.status for run in runs] == ["finished", "finished", "failed"]
    assert "Exit status: 0 when no record was rejected" in runner.invoke(
        args=["import", "table", "--help"]).output


def test_the_page_of_a_run_whose_process_was_killed_says_interrupted_and_stops_polling(
        client, session, make_user, login):
    import subprocess
    import sys

    from practices.importers import liveness

    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    run = ImportRun(kind="wocat", source="technologies.json", host=liveness.this_host(),
                    pid=killed.pid)
    session.add(run)
    session.commit()
    login(make_user("admin"))
    page = client.get(f"/imports/runs/{run.id}").get_data(as_text=True)
    assert "interrupted" in page and "run the import again to finish it" in page
    assert "data-refresh" not in page
    assert client.get(f"/api/v1/imports/{run.id}").json["status"] == "interrupted"
