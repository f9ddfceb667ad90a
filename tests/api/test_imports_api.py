"""Imports through the API (administrators): a dry run reports and writes nothing; a real run
starts in the background and is followed through /imports/{run_id} and its records."""

import json

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


def test_a_body_json_cannot_hold_is_refused_in_a_dry_run(client, make_user, make_token):
    admin = make_token(make_user(Role.ADMIN))
    for body in (b"[NaN]", b"[1e400]", b"[123456789012345678901234567890]"):
        response = client.post("/api/v1/imports?dry_run=true", headers=admin, data=body,
                               content_type="application/json")
        assert_error(response, 422, "not_importable")
        assert "API: not valid JSON" in response.get_json()["error"]["message"]


def test_a_run_whose_body_breaks_off_keeps_what_came_before_and_ends_failed(
        app, client, make_user, make_token):
    admin = make_token(make_user(Role.ADMIN))
    records = json.dumps([database_record(1), database_record(2)]).encode()
    started = client.post("/api/v1/imports?source=two.json", headers=admin,
                          data=records[:-1] + b", NaN]", content_type="application/json")
    assert started.status_code == 202, started.text  # Python reads NaN; JSON has no NaN
    for thread in app.extensions.get("import_threads", []):
        thread.join(30)
    run = client.get(started.headers["Location"], headers=admin).get_json()
    assert run["status"] == "failed"
    assert run["message"] == "two.json: not valid JSON: lexical error: invalid char in json text."
    assert run["finished_at"] is not None and run["counts"]["created"] == 2
    assert client.get("/api/v1/practices", headers=admin).get_json()["total"] == 2
