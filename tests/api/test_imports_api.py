"""Imports through the API (administrators): a dry run reports and writes nothing; a real run
starts in the background and is followed through /imports/{run_id} and its records."""

from practices.models import Role
from tests.api.conftest import assert_error
from tests.practices.importers.synthetic import database_record


def test_dry_run_reports_and_writes_nothing(client, make_user, make_token):
    admin = make_token(make_user(Role.ADMIN))
    records = [database_record(1), database_record(2)]

    report = client.post("/api/v1/imports?dry_run=true&source=two.json", headers=admin,
                         json=records)

    assert report.status_code == 200, report.text
    body = report.get_json()
    assert body["counts"]["created"] == 2
    assert [result["outcome"] for result in body["results"]] == ["created", "created"]
    assert client.get("/api/v1/practices", headers=admin).get_json()["total"] == 0
    assert client.get("/api/v1/imports", headers=admin).get_json()["total"] == 0


def test_import_runs_in_the_background_and_is_followed(app, client, make_user, make_token):
    admin = make_token(make_user(Role.ADMIN))

    started = client.post("/api/v1/imports?source=one.json", headers=admin,
                          json=database_record(7, title="Terraces from the API"))

    assert started.status_code == 202, started.text
    run_url = started.headers["Location"]
    for thread in app.extensions.get("import_threads", []):
        thread.join(30)
    run = client.get(run_url, headers=admin).get_json()
    assert run["status"] == "finished" and run["counts"]["created"] == 1
    records = client.get(f"{run_url}/records", headers=admin).get_json()
    assert records["items"][0]["outcome"] == "created"
    slug = records["items"][0]["sheet"]
    sheet = client.get(f"/api/v1/practices/{slug}").get_json()
    assert sheet["title"] == "Terraces from the API"
    assert sheet["provenance"]["source"] == "wocat"
    assert client.get("/api/v1/imports", headers=admin).get_json()["items"][0]["id"] == run["id"]


def test_imports_are_for_administrators(client, make_user, make_token):
    moderator = make_token(make_user(Role.MODERATOR))
    assert_error(client.post("/api/v1/imports?dry_run=true", headers=moderator,
                             json=database_record(1)), 403, "forbidden")
    assert_error(client.post("/api/v1/imports", json=database_record(1)), 401)


def test_what_is_not_a_record_is_reported_as_rejected(client, make_user, make_token):
    admin = make_token(make_user(Role.ADMIN))
    response = client.post("/api/v1/imports?dry_run=true", headers=admin, json={"foo": 1})
    body = response.get_json()
    assert body["counts"]["rejected"] == 1
    assert body["results"][0]["reason"].startswith("Not a WOCAT technology record")
