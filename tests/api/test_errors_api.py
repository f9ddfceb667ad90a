"""Every error under /api/ is JSON {"error": {"code", "message", "fields"}} with the right
status, never an HTML page or a 500; and the things around the API: tokens, CSRF for browser
sessions, rate limits, the OpenAPI document and the reference page."""

import re

import pytest

from practices import tokens
from tests.api.conftest import assert_error
from wiki import create_app


@pytest.fixture
def writer(make_user, make_token):
    return make_token(make_user())


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("get", "/api/v1/no-such-thing", {}, 404, "not_found"),
    ("get", "/api/v1/practices/no-such-sheet", {}, 404, "not_found"),
    ("get", "/api/v1/practices/x/revisions/-1", {}, 404, "not_found"),
    ("delete", "/api/v1/practices", {}, 405, "method_not_allowed"),
    ("get", "/api/v1/practices?page=zero", {}, 400, "invalid_parameters"),
    ("get", "/api/v1/practices?per_page=1000", {}, 400, "invalid_parameters"),
    ("get", "/api/v1/practices?sort=random", {}, 400, "invalid_parameters"),
    ("get", "/api/v1/vocabularies/unknown", {}, 404, "not_found"),
    ("get", "/api/v1/vocabularies?lang=de", {}, 400, "invalid_parameters"),
    ("post", "/api/v1/practices", {"json": {"title": "x"}}, 401, "unauthorized"),
    ("get", "/api/v1/me", {}, 401, "unauthorized"),
    ("get", "/api/v1/me", {"headers": {"Authorization": "Bearer pw_unknown"}}, 401,
     "invalid_token"),
])
def test_errors_are_json_with_the_right_status(client, method, path, kwargs, status, code):
    assert_error(getattr(client, method)(path, **kwargs), status, code)


@pytest.mark.parametrize(("kwargs", "status", "code", "field"), [
    ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json", None),
    ({"data": "title=x", "content_type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type", None),
    ({"json": []}, 422, "invalid_fields", "body"),
    ({"json": {"title": "x", "colour": "red"}}, 422, "invalid_fields", "colour"),
    ({"json": {"title": "x", "fields": {"countries": ["XX"]}}}, 422, "invalid_fields",
     "fields.countries.0"),
    ({"json": {"title": "x", "fields": {"soc_change_t_c_ha_yr": 99}}}, 422, "invalid_fields",
     "fields.soc_change_t_c_ha_yr"),
    ({"json": {"title": "nul \u0000 byte"}}, 422, "invalid_fields", "title"),
    ({"json": {"title": "x", "slug": "Not A Slug"}}, 422, "invalid_fields", "slug"),
])
def test_bad_bodies_are_refused_with_field_errors(client, session, writer, kwargs, status, code,
                                                  field):
    body = assert_error(client.post("/api/v1/practices", headers=writer, **kwargs), status,
                        code)
    if field:
        assert field in body["error"]["fields"]
    assert client.get("/api/v1/practices", headers=writer).get_json()["total"] == 0


def test_too_large_body_is_413(app, client, writer):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/practices", headers=writer,
                           json={"title": "Big", "body": "x" * 4096})
    assert_error(response, 413, "too_large")


def test_update_needs_base_revision(client, make_sheet, writer):
    make_sheet("Zai pits")
    body = assert_error(client.put("/api/v1/practices/zai-pits", headers=writer,
                                   json={"title": "Zai pits"}), 422, "invalid_fields")
    assert "base_revision" in body["error"]["fields"]


def test_revoked_token_no_longer_works(client, session, make_user, make_token):
    user = make_user()
    headers = make_token(user)
    assert client.get("/api/v1/me", headers=headers).get_json()["id"] == user.id
    for token in tokens.active(session, user):
        tokens.revoke(session, token, actor=user)
    session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert_error(response, 401, "invalid_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_browser_session_writes_need_csrf_but_tokens_do_not(app, client, login, make_user,
                                                            make_token):
    user = make_user()
    headers = make_token(user)
    login(user)  # with CSRF off, as the test app has it; then on, as in production
    app.config["WTF_CSRF_ENABLED"] = True

    by_session = client.post("/api/v1/practices", json={"title": "From a form elsewhere"})
    by_token = client.post("/api/v1/practices", json={"title": "From a script"},
                           headers=headers)

    assert_error(by_session, 400, "csrf_failed")
    assert by_token.status_code == 201
    # A script with neither token nor session is told to authenticate, as HTTP says.
    forgot_token = app.test_client().post("/api/v1/practices", json={"title": "No token"})
    assert "Authorization: Bearer" in assert_error(forgot_token, 401)["error"]["message"]
    assert forgot_token.headers["WWW-Authenticate"] == "Bearer"


def test_writes_are_rate_limited_per_token_with_retry_after(database_url, tmp_path, session,
                                                            make_user, make_token):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                      "API_WRITE_RATE_LIMIT_PER_TOKEN": "2/minute"},
                     instance_path=str(tmp_path / "instance"))
    client = app.test_client()
    first, second = make_token(make_user()), make_token(make_user())
    answers = [client.post("/api/v1/practices", headers=first, json={"title": ""})
               for _attempt in range(3)]
    assert [answer.status_code for answer in answers] == [422, 422, 429]
    assert_error(answers[-1], 429, "rate_limited")
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 61
    assert client.get("/api/v1/practices", headers=first).status_code == 200  # reads are free
    assert client.post("/api/v1/practices", headers=second,
                       json={"title": ""}).status_code == 422  # another token has its own
    app.extensions["engine"].dispose()


def test_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item}
    routes = {(re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", str(rule)), method)
              for rule in app.url_map.iter_rules() if str(rule).startswith("/api/v1/")
              and rule.endpoint.startswith(("api.", "imports.")) for method in rule.methods
              if method not in ("HEAD", "OPTIONS")}
    assert len(routes) > 15 and routes <= documented
    create = document["paths"]["/api/v1/practices"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = document["components"]["schemas"][schema.rsplit("/", 1)[1]]
    assert "base_revision" not in fields["properties"]
    update = document["components"]["schemas"]["SheetUpdate"]
    assert "base_revision" in update["required"]
    zones = document["components"]["schemas"]["SheetFieldsIn"]["properties"][
        "agro_climatic_zones"]["anyOf"][0]["items"]["enum"]
    assert zones == ["humid", "sub-humid", "semi-arid", "arid"]


def test_reference_page_uses_local_files_only(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "https://" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script>" not in page.text  # no inline script (CSP)
    for asset in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css",
                  "static/api-reference.js"):
        with client.get(f"/api/v1/reference/{asset}") as response:
            assert response.status_code == 200


def test_writes_are_rate_limited_per_address_too(database_url, tmp_path, make_user, make_token):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                      "API_WRITE_RATE_LIMIT_PER_ADDRESS": "2/minute"},
                     instance_path=str(tmp_path / "instance"))
    client = app.test_client()
    statuses = [client.post("/api/v1/practices", headers=make_token(make_user()),
                            json={"title": ""}).status_code for _token in range(3)]
    assert statuses == [422, 422, 429]  # three tokens, one address
    app.extensions["engine"].dispose()
