"""Hostile requests to the API get the API's JSON error with a 4xx, never a 500, and change
nothing. (Every route, pages and API, also goes through tests/wiki/test_hostile_input.py.)"""

import pytest

from tests.api.conftest import assert_error
from tests.wiki.test_hostile_input import snapshot


@pytest.fixture
def writer(make_user, make_token):
    return make_token(make_user())


@pytest.mark.parametrize(("raw", "status", "code", "words"), [
    (b'{"title": "\\ud800"}', 400, "invalid_json", "surrogate"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "invalid_json", "nested"),
    (b'{"a":' * 40 + b"1" + b"}" * 40, 400, "invalid_json", "nested"),
    (b"null", 422, "invalid_fields", "JSON object"),
    (b"[]", 422, "invalid_fields", "JSON object"),
    (b'"title"', 422, "invalid_fields", "JSON object"),
    (b'{"title": "a\\u0000b"}', 422, "invalid_fields", None),
    (b'{"title": "bell \\u0007"}', 422, "invalid_fields", None),
    (b'{"title": "   "}', 422, "invalid_fields", None),
    (b'{"title": "x", "fields": {"soc_depth_cm": true}}', 422, "invalid_fields", None),
    (b'{"title": "x", "fields": {"soc_depth_cm": "30"}}', 422, "invalid_fields", None),
    (b'{"title": "x", "fields": {"source_url": "javascript:alert(1)"}}', 422,
     "invalid_fields", None),
])
def test_hostile_json_bodies_are_refused_and_save_nothing(app, client, writer, raw, status,
                                                          code, words):
    before = snapshot(app.extensions["engine"])
    response = client.post("/api/v1/practices", headers=writer, data=raw,
                           content_type="application/json")
    body = assert_error(response, status, code)
    if words:
        assert words in body["error"]["message"] or words in str(body["error"]["fields"])
    assert snapshot(app.extensions["engine"]) == before


def test_an_integral_float_is_a_json_integer(client, make_sheet, make_user, make_token):
    author = make_user()
    sheet = make_sheet("Zai pits", author=author, status="draft")
    response = client.put(f"/api/v1/practices/{sheet.slug}", headers=make_token(author),
                          json={"title": "Zai pits, deeper", "base_revision": 1.0})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["revision"]["number"] == 2


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/api/v1/practices/a%00b", 400, "invalid_characters"),
    ("/api/v1/practices?q=a%00b", 400, "invalid_characters"),
    ("/api/v1/practices/x/revisions/99999999999999999999", 404, "not_found"),
    ("/api/v1/imports/2147483648", 404, "not_found"),
])
def test_hostile_addresses_are_json_errors(client, writer, path, status, code):
    assert_error(client.get(path, headers=writer), status, code)


def test_a_script_without_a_token_is_asked_for_one(client):
    response = client.post("/api/v1/practices", json={"title": "x"})
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_method_says_which_are_allowed(client):
    response = client.delete("/api/v1/practices/zai-pits")
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PUT"}


def test_a_thread_on_a_revision_that_does_not_exist_is_a_conflict(client, make_sheet, writer):
    make_sheet("Zai pits")
    response = client.post("/api/v1/practices/zai-pits/threads", headers=writer,
                           json={"title": "Depth", "body": "How deep?",
                                 "revision_number": 2_000_000_000})
    assert_error(response, 409, "refused")
