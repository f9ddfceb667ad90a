"""What operators ask the wiki (issue 12): /healthz, /readyz, `practice-wiki doctor`,
request ids and JSON logs, and an index built with an older schema."""

import json
import logging

import pytest
from flask.cli import ScriptInfo

from practices import database
from wiki import create_app
from wiki.doctor import doctor_command

UNREACHABLE = "postgresql://nobody@127.0.0.1:5179/nothing"  # a port of ours, nobody listens


def app_on(url: str, tmp_path, **config):
    return create_app({"TESTING": True, "DATABASE_URL": url,
                       "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                       "UPLOAD_DIR": str(tmp_path / "uploads"), **config},
                      instance_path=str(tmp_path / "instance"))


@pytest.fixture
def older_schema(database_url):
    """The shared test database, migrated only to an older revision (then put back)."""
    database.downgrade(database_url, "0004")
    yield database_url
    database.upgrade(database_url)


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_with_database_migrations_and_index(app, client, make_sheet):
    make_sheet("Zai pits")  # builds the index
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"
    assert {name for name, check in response.json["checks"].items() if check["ok"]} == {
        "database", "migrations", "search"}


def test_readyz_says_the_database_is_unreachable(tmp_path):
    response = app_on(UNREACHABLE, tmp_path).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert not response.json["checks"]["database"]["ok"]
    assert "database unreachable" in response.json["checks"]["database"]["reason"]


def test_readyz_says_migrations_are_pending(older_schema, tmp_path):
    response = app_on(older_schema, tmp_path).test_client().get("/readyz")
    assert response.status_code == 503
    migrations = response.json["checks"]["migrations"]
    assert not migrations["ok"]
    assert "migrations pending" in migrations["reason"] and "0004" in migrations["reason"]


def test_readyz_starts_building_a_missing_index_and_is_ready_after(app, client, make_sheet):
    make_sheet("Zai pits")
    service = app.extensions["search"]
    for version in service.store.root.glob("v*"):
        service.store.discard(version.name)
    (service.store.root / "CURRENT").unlink()
    service._forget()
    refused = client.get("/readyz")
    assert refused.status_code == 503
    assert refused.json["checks"]["search"]["reason"] == "there is no search index yet"
    service.wait_for_rebuild()
    assert client.get("/readyz").status_code == 200


def test_request_ids_are_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers[
        "X-Request-Id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]
    assert made != "<script>" and len(made) == 32


def test_json_logs_carry_the_request_id(database_url, tmp_path, capsys):
    app = app_on(database_url, tmp_path, LOG_FORMAT="json")

    @app.get("/boom")
    def boom():
        logging.getLogger("wiki.test").warning("something odd")
        return "ok"

    app.test_client().get("/boom", headers={"X-Request-Id": "req-42"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    entry = next(line for line in lines if line["message"] == "something odd")
    assert entry["request_id"] == "req-42" and entry["level"] == "warning"
    assert entry["path"] == "/boom"
    for name in ("wiki", "search", "practices"):  # put logging back for the other tests
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


# doctor ----------------------------------------------------------------------------------


def run_doctor(runner_app, monkeypatch, **environment):
    from click.testing import CliRunner

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(doctor_command, obj=ScriptInfo(create_app=runner_app))
    return result.exit_code, result.output


def test_doctor_is_content_with_a_healthy_wiki(app, make_sheet, monkeypatch):
    make_sheet("Zai pits")
    code, output = run_doctor(lambda: app, monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert code == 0, output
    assert "FAIL" not in output
    assert "search index: usable" in output


def test_doctor_names_pending_migrations_and_the_fix(older_schema, tmp_path, monkeypatch):
    code, output = run_doctor(lambda: app_on(older_schema, tmp_path), monkeypatch)
    assert code == 1
    assert "FAIL  migrations: migrations pending" in output
    assert "fix: practice-wiki db upgrade" in output


def test_doctor_names_an_unreachable_database(tmp_path, monkeypatch):
    code, output = run_doctor(lambda: app_on(UNREACHABLE, tmp_path), monkeypatch)
    assert code == 1
    assert "FAIL  database: database unreachable" in output


def test_doctor_names_a_missing_index_and_the_fix(app, monkeypatch):
    code, output = run_doctor(lambda: app, monkeypatch)
    assert code == 1
    assert "FAIL  search index: there is no search index yet" in output
    assert "fix: practice-wiki search rebuild" in output


def test_doctor_refuses_a_malformed_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere/wiki")
    code, output = run_doctor(lambda: create_app(instance_path=str(tmp_path)), monkeypatch)
    assert code == 1
    assert "FAIL  configuration: DATABASE_URL must be" in output


def test_doctor_names_an_unreachable_redis(app, make_sheet, monkeypatch):
    make_sheet("Zai pits")
    code, output = run_doctor(lambda: app, monkeypatch, REDIS_URL="redis://127.0.0.1:5178/0")
    assert code == 1
    assert "FAIL  redis" in output


# An index of an older schema -------------------------------------------------------------


def install_an_index_of_an_older_schema(app) -> str:
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    service = app.extensions["search"]
    old = service.store.root / "v00000000-old"
    old.mkdir(parents=True)
    whoosh_index.create_in(str(old), Schema(id=ID(stored=True, unique=True)))
    service.store.switch_to(old.name)
    service._forget()
    return old.name


def test_an_index_of_an_older_schema_is_named_and_rebuilt_not_called_damaged(
        app, client, make_sheet, caplog):
    make_sheet("Zai pits", body="Planting pits with manure.")
    old = install_an_index_of_an_older_schema(app)
    with caplog.at_level(logging.INFO, logger="search"):
        page = client.get("/practices/?q=manure").text
    assert "Zai pits" in page
    messages = [record.getMessage() for record in caplog.records]
    assert "search schema changed: rebuilding the index" in messages
    assert not any("search failed" in message or "unusable" in message
                   for message in messages), messages
    assert not any(record.exc_info for record in caplog.records)
    assert app.extensions["search"].store.current_name() != old


def test_readyz_names_an_index_of_an_older_schema(app, client, make_sheet):
    make_sheet("Zai pits")
    install_an_index_of_an_older_schema(app)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["search"]["reason"].startswith("search schema changed")
    app.extensions["search"].wait_for_rebuild()
    assert client.get("/readyz").status_code == 200
