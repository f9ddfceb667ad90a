"""One edit of a sheet: the save is a compare-and-set on its current revision, so an edit
that read the sheet before someone else saved is refused even when everything it read still
says it is current (two web workers, an import beside an editor)."""

import pytest
from sqlmodel import Session, select

from practices import audit, editing, sheets
from practices.importers import sync
from practices.models import PendingRevision, Revision, Role, Sheet
from tests.practices.importers.conftest import sheet_by_source, wocat_runner, write_json
from tests.practices.importers.synthetic import database_record


@pytest.fixture
def other_session(app):
    """A second worker: its own connection, committing on its own."""
    with Session(app.extensions["engine"], expire_on_commit=False) as other:
        yield other


def content(body: str, title: str = "Alley cropping") -> sheets.Content:
    return sheets.Content.checked(title=title, body=body)


def save_elsewhere(other_session, sheet_id: int, body: str, author) -> Revision:
    """Someone else's save, committed while our session still holds what it read before."""
    theirs = other_session.get(Sheet, sheet_id)
    revision = editing.save_edit(
        other_session,
        theirs,
        content(body),
        author=author,
        base_revision_id=theirs.current_revision_id,
    )
    other_session.commit()
    return revision


def numbers(session, sheet: Sheet) -> list[int]:
    session.expire_all()
    return [revision.number for revision in reversed(sheets.history(session, sheet))]


def test_an_edit_read_before_another_save_is_refused_with_the_other_save(
    session, other_session, make_sheet, make_user
):
    sheet = make_sheet(body="First text.")
    base = sheets.current_revision(session, sheet)  # what our editor's form started from
    theirs = save_elsewhere(other_session, sheet.id, "Their text.", make_user())
    assert sheet.current_revision_id == base.id  # our session has not seen their save

    with pytest.raises(sheets.StaleRevision) as refused:
        editing.save_edit(
            session, sheet, content("My text."), author=make_user(), base_revision_id=base.id
        )

    assert refused.value.current.id == theirs.id
    assert refused.value.current.body == "Their text.\n"
    session.rollback()
    assert numbers(session, sheet) == [1, 2]
    assert sheets.current_revision(session, sheet).body == "Their text.\n"


def test_a_revert_read_before_another_save_is_refused(
    session, other_session, make_sheet, make_user
):
    sheet = make_sheet(body="Good text.")
    editing.save_edit(
        session,
        sheet,
        content("Spam."),
        author=make_user(),
        base_revision_id=sheet.current_revision_id,
    )
    session.commit()
    save_elsewhere(other_session, sheet.id, "Spam removed by hand.", make_user())

    with pytest.raises(sheets.StaleRevision):
        editing.revert(session, sheet, 1, author=make_user(Role.MODERATOR))

    session.rollback()
    assert numbers(session, sheet) == [1, 2, 3]
    assert sheets.current_revision(session, sheet).body == "Spam removed by hand.\n"


def test_after_a_refusal_the_same_edit_on_the_current_revision_is_saved(
    session, other_session, make_sheet, make_user
):
    sheet = make_sheet(body="First text.")
    base_id = sheet.current_revision_id
    theirs = save_elsewhere(other_session, sheet.id, "Their text.", make_user())
    with pytest.raises(sheets.StaleRevision):
        editing.save_edit(
            session, sheet, content("Merged text."), author=make_user(), base_revision_id=base_id
        )
    session.rollback()

    saved = editing.save_edit(
        session, sheet, content("Merged text."), author=make_user(), base_revision_id=theirs.id
    )
    session.commit()
    assert saved.number == 3 and saved.base_revision_id == theirs.id
    assert numbers(session, sheet) == [1, 2, 3]


def test_an_edit_to_a_sheet_whose_organisation_reviews_edits_is_flagged(
    session, make_sheet, make_user, make_organization
):
    organization = make_organization(review_edits=True)
    sheet = make_sheet(body="First text.", organization=organization)
    editor = make_user(organization=organization)
    editing.save_edit(
        session,
        sheet,
        content("Second text."),
        author=editor,
        base_revision_id=sheet.current_revision_id,
        edit_summary="typo",
    )
    session.commit()
    assert sheet.needs_review
    assert [event.reason for event in audit.events_for(session, sheet, ("sheet.flag",))] == ["typo"]


def test_an_import_update_meeting_a_fresh_local_edit_waits_as_a_conflict(
    session, other_session, tmp_path, make_user, monkeypatch
):
    run_wocat = wocat_runner(session)
    write_json(tmp_path / "record.json", database_record(70, updated="2026-01-01T00:00:00Z"))
    run_wocat(tmp_path / "record.json")
    sheet = sheet_by_source(session, "wocat:technologies_70")
    write_json(
        tmp_path / "record.json",
        database_record(70, updated="2026-02-01T00:00:00Z", title="Synthetic terrace 70, revised"),
    )
    editor = make_user()
    real_update = sync.Syncer._update

    def edited_meanwhile(self, *args):  # a person saves after the import read the sheet
        save_elsewhere(other_session, sheet.id, "Fixed by hand during the import.", editor)
        return real_update(self, *args)

    monkeypatch.setattr(sync.Syncer, "_update", edited_meanwhile)
    report = run_wocat(tmp_path / "record.json")

    assert report.counts["conflict"] == 1 and report.counts["updated"] == 0
    session.expire_all()
    current = sheets.current_revision(session, sheet)
    assert current.body == "Fixed by hand during the import.\n"
    assert current.author_id == editor.id
    waiting = session.exec(
        select(PendingRevision).where(PendingRevision.sheet_id == sheet.id)
    ).one()
    assert waiting.title == "Synthetic terrace 70, revised"


@pytest.fixture
def slug_check_passes(monkeypatch):
    """Two saves that both checked the slug before either wrote: the check saw it free."""
    monkeypatch.setattr(sheets, "_check_slug_free", lambda *args, **kwargs: None)


def test_a_new_sheet_taking_a_slug_taken_a_moment_ago_is_refused_as_taken(
    session, make_sheet, make_user, slug_check_passes
):
    make_sheet(title="Zai pits", slug="zai-pits")
    session.commit()

    with pytest.raises(sheets.SlugTaken):
        editing.create_sheet(session, content("Mine."), author=make_user(), slug="zai-pits")

    session.rollback()
    assert session.exec(select(Sheet).where(Sheet.slug == "zai-pits")).one().title == "Zai pits"


def test_a_rename_to_a_slug_taken_a_moment_ago_is_refused_as_taken(
    session, make_sheet, make_user, slug_check_passes
):
    make_sheet(title="Zai pits", slug="zai-pits")
    mine = make_sheet(title="Planting pits", slug="planting-pits", body="Old.")
    session.commit()

    with pytest.raises(sheets.SlugTaken):
        editing.save_edit(session, mine, content("New.", title="Planting pits"),
                          author=make_user(), base_revision_id=mine.current_revision_id,
                          new_slug="zai-pits")

    session.rollback()
    assert numbers(session, mine) == [1]
    assert session.get(Sheet, mine.id).slug == "planting-pits"


def test_the_new_sheet_form_answers_a_slug_taken_a_moment_ago_with_the_form(
    client, login, session, make_sheet, make_user, slug_check_passes
):
    make_sheet(title="Zai pits", slug="zai-pits")
    session.commit()
    login(make_user())

    answer = client.post("/practices/new", data={"title": "Zai", "slug": "zai-pits",
                                                 "body": "My text.", "action": "save"})

    assert 400 <= answer.status_code < 500
    assert "My text." in answer.get_data(as_text=True)
