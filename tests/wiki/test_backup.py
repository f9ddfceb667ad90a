"""`practice-wiki backup PATH` and `restore PATH`: the whole wiki in one file and back, on
SQLite and PostgreSQL and across them (issue 12)."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from practices import discussions, sheets
from practices.backup import tables
from practices.models import Organization, Role, User
from tests.conftest import PASSWORD, postgres_url, reset_postgres, sibling_postgres_url
from tests.wiki.test_upload_store import legacy_uploads, png_bytes, upload, uploaded_url
from wiki import create_app


def second_postgres_url() -> str | None:
    """A second database beside the test one (`<name>_restore`), emptied."""
    url = postgres_url()
    if not url:
        return None
    target = sibling_postgres_url(url, "_restore")
    reset_postgres(target)
    return target


def empty_target(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}"
    url = second_postgres_url()
    if not url:
        pytest.skip("PostgreSQL run skipped: TEST_DATABASE_URL is not set")
    return url


@pytest.fixture
def wiki_content(app, client, session, make_user, make_sheet, make_college, login, tmp_path):
    """A little of everything: accounts, a partner, a college, a sheet with history, a
    discussion, an upload in the store and one still in UPLOAD_DIR."""
    partner = Organization(slug="sahel", name="Sahel Network")
    session.add(partner)
    session.commit()
    author = make_user(Role.CONTRIBUTOR, organization=partner, name="Ama Mensah")
    member = make_user(name="Bo Diallo")
    make_college("NGOs", members=(member,))
    sheet = make_sheet("Zaï pits", author=author, body="Dig *pits*.", summary="Planting pits")
    sheets.revise(
        session,
        sheet,
        sheets.Content.checked(
            title="Zaï pits", summary="Planting pits", body="Dig pits 80 cm apart.", fields={}
        ),
        author=author,
        base_revision_id=sheet.current_revision_id,
        edit_summary="spacing",
    )
    thread = discussions.start_thread(
        session, sheet, member, title="Spacing", body="How far apart?"
    )
    session.commit()
    discussions.reply(session, thread, author, body="80 cm.")
    session.commit()
    login(author)
    image = png_bytes((50, 50), noise=True)
    url = uploaded_url(upload(client, image))
    [(legacy_name, legacy_data)] = legacy_uploads(session, tmp_path / "uploads", 1)
    return {url: image, f"/uploads/{legacy_name}": legacy_data}


def snapshot(engine) -> dict[str, list[dict]]:
    """Every row of every table, comparable across databases."""
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in tables()
        }


def restored_app(url: str, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "UPLOAD_DIR": str(tmp_path / "restored-uploads"),
            "SEARCH_INDEX_DIR": str(tmp_path / "restored-index"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
        instance_path=str(tmp_path / "restored-instance"),
    )


def backup_to(app, path) -> None:
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output


def restore_and_compare(app, wiki_content, target_url: str, tmp_path) -> None:
    path = tmp_path / "wiki-backup.zip"
    backup_to(app, path)
    target = restored_app(target_url, tmp_path)
    try:
        result = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        assert "Restored" in result.output
        before, after = snapshot(app.extensions["engine"]), snapshot(target.extensions["engine"])
        for name in (
            "users",
            "sheets",
            "revisions",
            "threads",
            "comments",
            "uploads",
            "organizations",
            "colleges",
            "change_log",
            "upload_chunks",
        ):
            assert after[name] == before[name] and before[name], name
        assert after == before
        client = target.test_client()
        for url, data in wiki_content.items():
            with client.get(url) as served:
                assert served.status_code == 200 and served.data == data, url
        with client.get("/practices/zai-pits/history") as history:
            assert "spacing" in history.text
        with client.post(
            "/login", data={"email": before["users"][0]["email"], "password": PASSWORD}
        ) as signed_in:
            assert signed_in.status_code == 303
        client.post("/logout").close()
        with target.app_context():  # a new row takes the next id (sequences were reset)
            engine = target.extensions["engine"]
            with engine.begin() as connection:
                new_id = connection.execute(
                    User.__table__.insert()
                    .values(
                        email="new@example.org",
                        name="New",
                        password_hash="x",
                        role="reader",
                        active=True,
                        session_token="t",
                        created_at=before["users"][0]["created_at"],
                    )
                    .returning(User.__table__.c.id)
                ).scalar_one()
            assert new_id == max(row["id"] for row in before["users"]) + 1
    finally:
        target.extensions["engine"].dispose()


def test_backup_then_restore_into_an_empty_database_gives_the_same_wiki(
    app, wiki_content, database_url, tmp_path
):
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    restore_and_compare(app, wiki_content, empty_target(kind, tmp_path), tmp_path)


def test_a_backup_restores_into_the_other_kind_of_database(
    app, wiki_content, database_url, tmp_path
):
    other = "postgresql" if database_url.startswith("sqlite") else "sqlite"
    restore_and_compare(app, wiki_content, empty_target(other, tmp_path), tmp_path)


def test_restore_refuses_a_non_empty_database_unless_forced(app, make_sheet, tmp_path, session):
    make_sheet("Mulching")
    path = tmp_path / "one.zip"
    backup_to(app, path)
    make_sheet("Cover crops")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0 and "not empty" in refused.output and "--force" in refused.output
    assert len(snapshot(app.extensions["engine"])["sheets"]) == 2
    forced = runner.invoke(args=["restore", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    titles = [row["title"] for row in snapshot(app.extensions["engine"])["sheets"]]
    assert titles == ["Mulching"]


def with_schema(path, revision: list[str]):
    """A copy of the backup that claims another schema revision."""
    changed = path.with_name(f"schema-{'-'.join(revision)}.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "metadata.json":
                metadata = json.loads(data)
                metadata["schema_revision"] = revision
                data = json.dumps(metadata).encode()
            out.writestr(item, data)
    return changed


@pytest.mark.parametrize(
    ("revision", "message"),
    [(["0004"], "older schema"), (["0042_from_the_future"], "newer practice-wiki")],
)
def test_restore_refuses_a_backup_of_another_schema(app, tmp_path, revision, message):
    path = tmp_path / "wiki.zip"
    backup_to(app, path)
    target = restored_app(f"sqlite:///{tmp_path / 'other.db'}", tmp_path)
    result = target.test_cli_runner().invoke(args=["restore", str(with_schema(path, revision))])
    target.extensions["engine"].dispose()
    assert result.exit_code != 0 and message in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", io.BytesIO(b"hi").getvalue())
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not a practice-wiki backup" in result.output


def test_files_of_a_filesystem_store_travel_in_the_backup(app, client, login, make_user, tmp_path):
    app.config["UPLOAD_STORE"] = "filesystem"
    login(make_user())
    data = png_bytes((30, 30), noise=True)
    url = uploaded_url(upload(client, data))
    path = tmp_path / "wiki.zip"
    backup_to(app, path)
    target = restored_app(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)
    try:  # the new wiki keeps its files in the database (the default)
        assert target.test_cli_runner().invoke(args=["restore", str(path)]).exit_code == 0
        with target.test_client().get(url) as served:
            assert served.status_code == 200 and served.data == data
    finally:
        target.extensions["engine"].dispose()
