"""The practice-wiki command: migrations, demo data and accounts."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from practices import database
from practices.models import ApiToken, Sheet, User


def test_demo_loads_sheets_and_prints_generated_passwords(app, session):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.output and "admin@demo.practice-wiki.org" in result.output
    assert len(session.exec(select(Sheet)).all()) >= 30
    password = next(line.split()[-1] for line in result.output.splitlines()
                    if line.startswith("admin "))
    again = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    assert password in again.output  # `make run` keeps showing how to sign in


def test_users_create_and_set_role(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "boss@example.org",
                                 "--role", "admin"])
    assert result.exit_code == 0 and "Password:" in result.output
    duplicate = runner.invoke(args=["users", "create", "--email", "boss@example.org"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    runner.invoke(args=["users", "set-role", "--email", "boss@example.org", "--role", "reader"])
    user = session.exec(select(User).where(User.email == "boss@example.org")).one()
    assert user.role == "reader"
    assert "boss" not in user.password_hash


def test_migrations_go_down_and_up_again(database_url):
    database.downgrade(database_url, "base")
    engine = database.make_engine(database_url)
    assert "sheets" not in inspect(engine).get_table_names()
    database.upgrade(database_url)
    assert {"sheets", "revisions", "sheet_terms"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_migrations_build_exactly_the_tables_the_models_describe(database_url):
    # A model change without its migration would work in tests that create tables from the
    # models, then fail on a real `db upgrade`; this compares the two on each database.
    engine = database.make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_users_token_prints_a_token_that_works_and_is_listed_on_the_profile(
        app, client, session, make_user, login):
    moderator = make_user("moderator")
    result = app.test_cli_runner().invoke(
        args=["users", "token", "--email", moderator.email.upper(), "--name", "nightly"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip()
    assert plain.startswith("pw_") and "\n" not in plain
    bearer = {"Authorization": f"Bearer {plain}"}
    assert client.get("/review", headers=bearer).status_code == 200  # a moderator's page
    login(moderator)
    assert "nightly" in client.get("/profile/tokens").text
    token = session.exec(select(ApiToken)).one()
    client.post(f"/profile/tokens/{token.id}/revoke")
    client.post("/logout")
    assert client.get("/review", headers=bearer).status_code == 401


def test_users_token_refuses_unknown_and_inactive_accounts(app, session, make_user):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["users", "token", "--email", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No account with the e-mail" in unknown.output
    inactive = make_user(active=False)
    refused = runner.invoke(args=["users", "token", "--email", inactive.email])
    assert refused.exit_code == 1 and "not active" in refused.output
    assert session.exec(select(ApiToken)).all() == []
