"""HTTP done right (issue 12): compression, hashed static URLs, conditional requests, and
cache headers that let a reverse proxy keep anonymous pages."""

import gzip
import hashlib
import re

import brotli
import pytest

from practices import discussions, sheets

ANONYMOUS_PAGES = [
    "/",
    "/practices/",
    "/practices/zai-pits",
    "/recent",
    "/feeds/recent.atom",
    "/api/v1/practices",
    "/practices/zai-pits/history",
]


@pytest.fixture
def sheet(make_sheet):
    return make_sheet(
        "Zai pits",
        slug="zai-pits",
        agro_climatic_zones=["semi-arid"],
        body="Planting pits with manure. " * 60,
    )


@pytest.mark.parametrize(
    "path", ["/practices/zai-pits", "/api/v1/practices", "/feeds/recent.atom", "/static/wiki.css"]
)
def test_responses_are_gzipped_for_clients_that_accept_it(client, sheet, path):
    with (
        client.get(path) as plain,
        client.get(path, headers={"Accept-Encoding": "gzip"}) as response,
    ):
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert gzip.decompress(response.get_data()) == plain.get_data()
        assert len(response.get_data()) < len(plain.get_data())


def test_brotli_is_preferred_when_the_client_accepts_it(client, sheet):
    plain = client.get("/practices/zai-pits")
    response = client.get("/practices/zai-pits", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == plain.get_data()


def test_nothing_is_compressed_for_clients_that_do_not_ask(client, sheet):
    assert "Content-Encoding" not in client.get("/practices/zai-pits").headers


def test_pages_link_static_files_by_content_hash_and_those_never_expire(client, app, sheet):
    page = client.get("/practices/zai-pits").text
    css = re.search(r'href="(/static/wiki\.css\?v=([0-9a-f]+))"', page)
    assert css, "the stylesheet is linked under a hashed URL"
    with open(f"{app.static_folder}/wiki.css", "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest().startswith(css.group(2))
    with client.get(css.group(1)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_static_url_without_the_current_hash_is_revalidated(client):
    for url in ("/static/wiki.css", "/static/wiki.css?v=0123456789ab"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert "immutable" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    ["/practices/zai-pits", "/practices/", "/feeds/recent.atom", "/api/v1/practices", "/recent"],
)
def test_unchanged_pages_answer_304_to_if_none_match(client, sheet, path):
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(
        path, headers={"If-None-Match": first.headers["ETag"], "Accept-Encoding": "gzip"}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize(
    "path", ["/practices/zai-pits", "/practices/", "/feeds/recent.atom", "/api/v1/practices"]
)
def test_unchanged_pages_answer_304_to_if_modified_since(client, sheet, path):
    first = client.get(path)
    assert first.headers["Last-Modified"]
    again = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_an_edit_makes_pages_new_again(client, session, sheet, make_user):
    first = client.get("/practices/zai-pits")
    content = sheets.Content.checked(title="Zai pits", summary="Pits that hold water")
    sheets.revise(
        session, sheet, content, author=make_user(), base_revision_id=sheet.current_revision_id
    )
    session.commit()
    again = client.get("/practices/zai-pits", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "Pits that hold water" in again.text
    assert again.headers["ETag"] != first.headers["ETag"]


def test_a_new_comment_makes_the_sheet_page_new_again(client, session, sheet, make_user):
    first = client.get("/practices/zai-pits")
    discussions.start_thread(
        session, sheet, make_user(), title="Depth?", body="How deep are the pits?"
    )
    session.commit()
    again = client.get("/practices/zai-pits", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200


def test_another_language_is_another_page(client, sheet):
    english = client.get("/practices/zai-pits", headers={"Accept-Language": "en"})
    french = client.get(
        "/practices/zai-pits",
        headers={"Accept-Language": "fr", "If-None-Match": english.headers["ETag"]},
    )
    assert french.status_code == 200
    assert "Accept-Language" in french.headers["Vary"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages_are_public_for_a_minute_and_set_no_cookie(client, sheet, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers


def test_the_login_form_keeps_its_csrf_token_in_a_private_uncached_page(app, sheet):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.get("/login")
    assert "Set-Cookie" in response.headers  # the CSRF token's session
    assert response.headers["Cache-Control"] == "private, no-store"
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
    refused = app.test_client().post(
        "/login", data={"email": "a@example.org", "password": "x", "csrf_token": token}
    )
    assert refused.status_code == 400  # a token without its session is worthless
    answered = client.post(
        "/login", data={"email": "a@example.org", "password": "x", "csrf_token": token}
    )
    assert answered.status_code != 400


def test_after_the_login_form_pages_are_private_but_still_answer_304(app, sheet):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    client.get("/login")
    response = client.get("/practices/zai-pits")
    assert response.headers["Cache-Control"].startswith("private")
    again = client.get("/practices/zai-pits", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_signed_in_pages_are_private(client, sheet, make_user, login):
    login(make_user())
    response = client.get("/practices/zai-pits")
    assert response.headers["Cache-Control"].startswith("private")
    assert "public" not in response.headers["Cache-Control"]


def test_a_flashed_message_is_not_answered_from_a_shared_cache(client, sheet):
    first = client.get("/practices/zai-pits")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved.")]
    again = client.get("/practices/zai-pits", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "Saved." in again.text
    assert "public" not in again.headers["Cache-Control"]


def test_a_304_still_names_its_request(client, sheet):
    first = client.get("/practices/zai-pits")
    again = client.get("/practices/zai-pits", headers={"If-None-Match": first.headers["ETag"],
                                                       "X-Request-Id": "probe-7"})
    assert again.status_code == 304 and again.headers["X-Request-Id"] == "probe-7"
