"""History, diff and revert of organisation profiles and measures, their soft delete, and
the CSV/XLSX export that re-imports (issue 14)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from practices import measure_table, measures, profiles
from practices.models import AuditEvent, Measure
from tests.partners import organisation_with_managers


@pytest.fixture
def partner(session, make_organization, make_user, make_sheet):
    make_sheet("Zai pits")
    return organisation_with_managers(session, make_organization, make_user)


def two_saves(session, measure, manager):
    measures.revise(session, measure, {**measures.snapshot(session, measure), "area_ha": 150},
                    author=manager, summary="more land")
    session.commit()


def actions(session) -> list[str]:
    session.expire_all()
    return list(session.exec(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_measure_is_brought_back_to_an_old_revision_as_a_new_one(client, session, partner,
                                                                   login):
    organization, manager, _moderator, _outsider = partner
    measure = measures.create(session, organization, {"title": "Zai", "sheets": ["zai-pits"],
                                                      "area_ha": 120}, author=manager)
    session.commit()
    two_saves(session, measure, manager)
    login(manager)
    history = client.get(f"/measures/{measure.id}/history").text
    assert "more land" in history and "Revert to revision 1" in history
    diff = client.get(f"/measures/{measure.id}/diff/1/2").text
    assert "Area (ha)" in diff and "<del>120</del>" in diff and "<ins>150</ins>" in diff
    assert client.get(f"/measures/{measure.id}/diff?old=1&new=2").headers["Location"] \
        .endswith(f"/measures/{measure.id}/diff/1/2")
    stale = client.post(f"/measures/{measure.id}/revert/1", data={"base_revision": "1"})
    assert stale.status_code == 303 and "history" in stale.headers["Location"]
    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 150  # nothing saved from a stale page
    reverted = client.post(f"/measures/{measure.id}/revert/1", data={"base_revision": "2"})
    assert reverted.status_code == 303
    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 120
    latest = measures.history(session, measure)[0]
    assert (latest.number, latest.reverted_from) == (3, 1)
    assert actions(session)[-1] == "measure.revert"
    assert "Reverted to revision 1" in client.get(f"/measures/{measure.id}/history").text


def test_only_those_who_edit_may_revert(client, session, partner, login):
    organization, manager, moderator, outsider = partner
    measure = measures.create(session, organization, {"title": "Zai", "area_ha": 1},
                              author=manager)
    measures.publish(session, measure, actor=moderator)
    session.commit()
    two_saves(session, measure, manager)
    login(outsider)
    assert "Revert to revision" not in client.get(f"/measures/{measure.id}/history").text
    assert client.post(f"/measures/{measure.id}/revert/1",
                       data={"base_revision": "2"}).status_code == 403
    assert client.post(f"/organizations/{organization.slug}/revert/1",
                       data={"base_revision": "1"}).status_code == 403
    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 150


def test_a_profile_is_brought_back_to_an_old_revision(client, session, partner, login):
    organization, manager, _moderator, _outsider = partner
    for standing in ("member-of-the-consortium", "partner-of-the-forum"):
        profiles.revise(session, organization, {"standing": standing, "country": "BF"},
                        author=manager, summary=standing)
    session.commit()
    login(manager)
    history = client.get(f"/organizations/{organization.slug}/history").text
    assert "History of the profile" in history and "Revert to revision 1" in history
    assert "Forum" in client.get(f"/organizations/{organization.slug}/diff/1/2").text
    answer = client.post(f"/organizations/{organization.slug}/revert/1",
                         data={"base_revision": "2"})
    assert answer.status_code == 303
    assert "Member of the Consortium" in client.get(f"/organizations/{organization.slug}").text
    assert actions(session)[-1] == "organization.revert"
    same = client.post(f"/organizations/{organization.slug}/revert/1",
                       data={"base_revision": "3"})
    assert same.status_code == 303
    assert len(profiles.history(session, organization)) == 3  # the same content: no revision


def test_a_deleted_measure_is_gone_until_a_moderator_restores_it_as_a_draft(
        client, session, partner, login):
    organization, manager, moderator, _outsider = partner
    measure = measures.create(session, organization, {"title": "Zai"}, author=manager)
    measures.publish(session, measure, actor=moderator)
    session.commit()
    login(manager)
    assert client.post(f"/measures/{measure.id}/delete").status_code == 303
    assert client.get(f"/measures/{measure.id}").status_code == 404
    assert ">Zai</a>" not in client.get(f"/organizations/{organization.slug}").text
    client.post("/logout")
    login(moderator)
    assert "Deleted measures" in client.get(f"/organizations/{organization.slug}").text
    page = client.get(f"/measures/{measure.id}").text
    assert "deleted" in page and "Restore (as a draft)" in page
    assert client.post(f"/measures/{measure.id}/restore").status_code == 303
    session.expire_all()
    restored = session.get(Measure, measure.id)
    assert not restored.is_deleted and restored.state == "draft"
    assert actions(session)[-2:] == ["measure.delete", "measure.restore"]


TRICKY = {"title": "=HYPERLINK(\"http://evil\") ; and, commas", "sheets": ["zai-pits"],
          "status": "completed", "country": "BF", "locations": [[-2.123456, 13.654321]],
          "boundary": [[[-2.13, 13.65], [-2.12, 13.65], [-2.12, 13.66], [-2.13, 13.65]]],
          "area_ha": 1234567.891, "start_year": 2019, "end_year": 2023, "land_use": "cropland",
          "climate_zone": "tropical-dry", "soil_class": "low-activity-clay",
          "baseline": ["long-term-cultivated", "full-tillage", "low-input"],
          "practice": ["long-term-cultivated", "no-till", "medium-input"],
          "soc_change_t_c_ha_yr": -0.123456789, "soc_method": "+dry combustion"}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_re_imports_into_the_same_measures(client, session, partner, login, kind,
                                                     tmp_path):
    organization, manager, moderator, _outsider = partner
    shown = measures.create(session, organization, TRICKY, author=manager)
    measures.publish(session, shown, actor=moderator)
    measures.create(session, organization, {"title": "Secret draft"}, author=manager)
    session.commit()
    anonymous = client.get(f"/organizations/{organization.slug}/measures.{kind}")
    assert anonymous.status_code == 200 and "private" in anonymous.headers["Cache-Control"]
    path = tmp_path / f"export.{kind}"
    path.write_bytes(anonymous.data)
    titles = [row["title"] for _number, row in measure_table.read_rows(path)]
    assert titles == ["'" + TRICKY["title"]]  # no draft; no formula a spreadsheet would run
    if kind == "xlsx":
        cell = load_workbook(path).active["A2"]
        assert cell.data_type == "s"
    login(manager)
    page = client.get(f"/organizations/{organization.slug}").text
    assert f"/organizations/{organization.slug}/measures.{kind}" in page
    path.write_bytes(client.get(f"/organizations/{organization.slug}/measures.{kind}").data)
    report = measure_table.import_rows(session, organization, path, author=manager)
    assert [row.outcome for row in report.rows] == ["created", "created"]
    session.commit()
    copy = session.get(Measure, next(row.measure_id for row in report.rows
                                     if row.title == TRICKY["title"]))
    assert measures.snapshot(session, copy) == measures.snapshot(session, shown)


def test_the_csv_export_has_the_import_columns_first(client, session, partner):
    organization, manager, moderator, _outsider = partner
    measure = measures.create(session, organization, TRICKY, author=manager)
    measures.publish(session, measure, actor=moderator)
    session.commit()
    rows = list(csv.DictReader(io.StringIO(client.get("/measures.csv").text)))
    assert list(rows[0])[:len(measure_table.COLUMN_NAMES)] == list(measure_table.COLUMN_NAMES)
    assert rows[0]["area_ha"] == "1234567.891" and rows[0]["organization"] == organization.slug
    assert re.fullmatch(r"13\.654321, -2\.123456", rows[0]["locations"])


def test_the_import_page_dry_runs_and_refuses_what_it_cannot_read(client, session, partner,
                                                                  login):
    organization, manager, _moderator, outsider = partner
    url = f"/organizations/{organization.slug}/measures/import"

    def send(name: str, data: bytes, dry_run: str = "1"):
        return client.post(url, data={"dry_run": dry_run, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    login(outsider)
    assert send("m.csv", b"title\nZai\n").status_code == 403
    client.post("/logout")
    login(manager)
    broken = send("m.csv", b"title\n\xff\xfe\x00broken\n")
    assert broken.status_code == 422 and "cannot be read" in broken.text
    assert send("notes.txt", b"title\nZai\n").status_code == 422
    dry = send("m.csv", b"title,area_ha\nZai,12\n,3\n")
    assert dry.status_code == 200 and "would be created" in dry.text and "rejected" in dry.text
    assert session.exec(select(Measure)).all() == []
    done = send("m.csv", b"title,area_ha\nZai,12\n", dry_run="")
    assert "Import done" in done.text
    assert [m.title for m in session.exec(select(Measure))] == ["Zai"]


def test_the_measures_list_shows_what_the_reader_may_see_with_its_exports(client, session,
                                                                         partner, login):
    organization, manager, moderator, _outsider = partner
    shown = measures.create(session, organization, {"title": "Public zai", "area_ha": 12},
                            author=manager)
    measures.publish(session, shown, actor=moderator)
    measures.create(session, organization, {"title": "Secret draft"}, author=manager)
    session.commit()
    page = client.get("/measures/").text
    assert "Public zai" in page and "Secret draft" not in page
    assert 'href="/measures.csv"' in page and 'href="/measures.xlsx"' in page
    assert "Secret draft" not in client.get("/measures.csv").text
    login(manager)
    assert "Secret draft" in client.get("/measures/").text
    assert "Secret draft" in client.get("/measures.csv").text


@pytest.mark.parametrize("sent", [{"base_revision": "abc"}, {"base_revision": "99999999999"},
                                  {}])
def test_a_revert_that_does_not_say_its_base_is_refused_and_saves_nothing(
        client, session, partner, login, sent):
    organization, manager, _moderator, _outsider = partner
    measure = measures.create(session, organization, {"title": "Zai", "area_ha": 120},
                              author=manager)
    session.commit()
    two_saves(session, measure, manager)
    for standing in ("member-of-the-consortium", "partner-of-the-forum"):
        profiles.revise(session, organization, {"standing": standing, "country": "BF"},
                        author=manager, summary=standing)
    session.commit()
    login(manager)

    for url in (f"/measures/{measure.id}/revert/1", f"/organizations/{organization.slug}/revert/1"):
        refused = client.post(url, data=sent)
        assert refused.status_code == 400, url
        assert "did not say which revision the page showed" in refused.text

    session.expire_all()
    assert session.get(Measure, measure.id).area_ha == 150
    assert len(measures.history(session, measure)) == 2
    assert len(profiles.history(session, organization)) == 2
    assert "Forum" in client.get(f"/organizations/{organization.slug}").text
