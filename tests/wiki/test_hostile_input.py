"""Hostile input never gets a 500, and a refused request changes nothing.

The corpus walks EVERY route of `app.url_map` (pages and API alike): path parameters filled
with hostile values, hostile query strings and hostile bodies (form, JSON, raw bytes), sent
by an anonymous visitor, a contributor and an administrator. Then the cases of issue 11
one by one, each with what the user sees instead of the 500.
"""

import io
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlmodel import SQLModel, select
from werkzeug.test import EnvironBuilder

from practices import accounts, discussions, tokens
from practices.fields import FIELDS
from practices.impacts import IMPACT_INDICATORS
from practices.models import Role, Sheet, User
from tests.conftest import PASSWORD
from wiki.db import get_session

HOSTILE_PATH_VALUES = {
    "nul": "a%00b",
    "huge number": "99999999999999999999",
    "past INTEGER": str(2**31),
    "negative": "-1",
    "bad percent-encoding": "%zz%",
    "invalid UTF-8": "%ff%fe%ed%a0%80",
    "control character": "a%01%1bb",
    "overlong": "x" * 3000,
}
# Hostile field values in groups: every field of one request gets a value of one group, the
# fields taking the group's values in turn (so that each kind meets every field somewhere).
HOSTILE_TEXT = {
    "nul": ["a\x00b"],
    "odd characters": [
        "a\x01\x08\x1b[31mb",  # control characters
        "<script>alert(1)</script>{{ 7*7 }}",  # markup and template syntax
        "\u202e\u200bx",  # direction marks, zero width
        "",  # empty
    ],
    "odd numbers": ["99999999999999999999", str(2**31), "-1", "NaN", "1e999", "0x10"],
    "overlong": ["x" * 20_000],  # longer than any field but the body, in every field
}  # (overlong last: query strings leave it out)
RAW_BODIES = {
    "invalid UTF-8 form": (
        b"title=\xff\xfe&body=\xc3&name=%ed%a0%80&email=%ff",
        "application/x-www-form-urlencoded",
    ),
    "bad percent-encoding": (b"title=%zz%&body=%&email=%%", "application/x-www-form-urlencoded"),
    "empty body": (b"", "application/x-www-form-urlencoded"),
    "JSON to a form": (b'{"title": "x"}', "application/json"),
    "text/plain": (b"title=x", "text/plain"),
    "broken multipart": (
        b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\n',
        "multipart/form-data; boundary=x",
    ),
}
JSON_BODIES = {
    "JSON lone surrogate": (b'{"title": "\\ud800", "name": "\\udfff"}', "application/json"),
    "JSON NUL": (b'{"title": "a\\u0000b", "body": "\\u0000"}', "application/json"),
    "JSON deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "JSON array for an object": (b"[1, 2, 3]", "application/json"),
    "JSON wrong types": (
        b'{"title": ["x"], "fields": [], "base_revision": "one", '
        b'"body": {"a": 1}, "comment": 1e999}',
        "application/json",
    ),
    "JSON huge numbers": (
        b'{"title": "x", "base_revision": 99999999999999999999, '
        b'"revision_number": 99999999999999999999, "parent_id": -1}',
        "application/json",
    ),
    "broken JSON": (b'{"title": ', "application/json"),
}
SOURCES = Path(__file__).resolve().parents[2] / "wiki"


def hostile_values(names: list[str]) -> list[dict[str, str]]:
    """One {field: value} per group of HOSTILE_TEXT, values taken in turn."""
    return [
        {name: group[number % len(group)] for number, name in enumerate(names)}
        for group in HOSTILE_TEXT.values()
    ]


def form_field_names() -> list[str]:
    """Every form and query field some view reads, found in the views' source, and the
    sheet form's fields."""
    names = set()
    for source in SOURCES.rglob("*.py"):
        names.update(
            re.findall(r"(?:form|args)\.get(?:list)?\(\s*\"([\w.]+)\"", source.read_text())
        )
    names.update(spec.name for spec in FIELDS)
    names.update(f"impacts.{key}" for key in IMPACT_INDICATORS)
    return sorted(names)


def snapshot(engine) -> tuple[int, ...]:
    """Row counts of every table, in one query."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    query = "SELECT " + ", ".join(f"(SELECT count(*) FROM {name})" for name in tables)
    with engine.connect() as connection:
        return tuple(connection.execute(text(query)).one())


@pytest.fixture
def cheap_passwords(monkeypatch):
    """Argon2 at its real cost (about half a second a check) would make the corpus, which
    signs in and changes passwords hundreds of times, take minutes."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def world(app, session, cheap_passwords, make_organization, make_college, make_user, make_sheet):
    """A little of everything, so that valid path parameters reach the views."""
    home = make_organization("Sahel partner")
    contributor = make_user(Role.CONTRIBUTOR, organization=home)
    admin = make_user(Role.ADMIN, organization=home)
    target = make_user(Role.CONTRIBUTOR, organization=home)
    for user in (contributor, admin, target):
        user.password_hash = accounts.hash_password(PASSWORD)
        session.add(user)
    college = make_college("Research", members=(contributor,))
    sheet = make_sheet("Zai pits", author=contributor, organization=home, body="Pits.")
    make_sheet("Second thoughts", author=contributor, organization=home, status="draft")
    thread = discussions.start_thread(session, sheet, contributor, title="Depth?", body="How deep?")
    session.commit()
    token, _plain = tokens.create(session, contributor, "script", key=app.config["SECRET_KEY"])
    session.commit()
    comment_id = session.exec(text("SELECT min(id) FROM comments")).one()[0]
    return {
        "users": {"contributor": contributor, "admin": admin},
        "values": {
            "slug": sheet.slug,
            "name": "agro_climatic_zones",
            "key": "nokey",
            "user_id": target.id,
            "thread_id": thread.id,
            "comment_id": comment_id,
            "token_id": token.id,
            "number": 1,
            "a": 1,
            "b": 1,
            "run_id": 1,
            "notification_id": 1,
            "pending_id": 1,
            "endorsement_id": 1,
            "filename": "missing.css",
        },
        "group_slugs": {"organizations": home.slug, "colleges": college.slug},
    }


@pytest.fixture(params=["anonymous", "contributor", "admin"])
def caller(request, app, session, world):
    """A client for each kind of caller; signed-in ones also send their API token."""
    client = app.test_client()
    headers = {}
    if request.param != "anonymous":
        user = world["users"][request.param]
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        _token, plain = tokens.create(session, user, "corpus", key=app.config["SECRET_KEY"])
        session.commit()
        headers = {"Authorization": f"Bearer {plain}"}
    return request.param, client, headers


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=str):
        if rule.endpoint in ("static", "api_docs.static", "auth.logout"):
            continue  # files on disk; signing out would end the caller's session
        yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


PARAMETER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def fill(rule, world, hostile: str | None = None) -> str:
    """The rule's path with valid values (or `hostile` for every parameter)."""

    def value(match):
        converter, arguments, name = match.groups()
        if hostile is not None:
            return hostile
        if converter == "any":
            choice = arguments.split(",")[0].strip().strip("'\"")
            return choice
        if name == "slug" and "/admin/" in rule.rule:
            return world["group_slugs"]["organizations"]
        if name == "slug" and rule.rule.startswith(("/organizations", "/api/v1/organizations")):
            return world["group_slugs"]["organizations"]
        if name == "slug" and "colleges" in rule.rule:
            return world["group_slugs"]["colleges"]
        return quote(str(world["values"].get(name, "x")))

    return PARAMETER.sub(value, rule.rule)


def check(response, method: str, url: str, before=None, engine=None):
    where = f"{method} {url[:120]}"
    assert response.status_code < 500, (
        f"{where}: {response.status_code}\n" + response.get_data(as_text=True)[:600]
    )
    if before is not None and response.status_code >= 400:
        assert snapshot(engine) == before, f"{where} was refused but changed the database"


def test_hostile_path_parameters_never_give_a_500(app, caller, world):
    _who, client, headers = caller
    for rule, methods in routes(app):
        if not rule.arguments:
            continue
        for hostile in HOSTILE_PATH_VALUES.values():
            url = fill(rule, world, hostile)
            for method in methods:
                check(client.open(url, method=method, headers=headers), method, url)


def test_hostile_query_strings_never_give_a_500(app, caller, world):
    _who, client, headers = caller
    names = form_field_names() + ["page", "per_page", "q", "sort", "lang", "format"]
    queries = [urlencode(values) for values in hostile_values(names)[:-1]]  # not overlong
    queries += [
        "page=99999999999999999999&per_page=-1",
        "q=%ff%fe&page=%zz",
        "%zz=%zz&=&&",
        "q=" + "x" * 5000,
    ]
    for rule, methods in routes(app):
        if "GET" not in methods:
            continue
        for query in queries:
            url = f"{fill(rule, world)}?{query}"
            check(client.get(url, headers=headers), "GET", url)


def test_hostile_bodies_never_give_a_500_and_refusals_change_nothing(app, caller, world):
    _who, client, headers = caller
    engine = app.extensions["engine"]
    names = form_field_names()
    for rule, methods in routes(app):
        url = fill(rule, world)
        as_json = rule.rule.startswith("/api/")
        raw = {**RAW_BODIES, **JSON_BODIES} if as_json else RAW_BODIES
        bodies = [{"json" if as_json else "data": values} for values in hostile_values(names)]
        bodies += [{"data": data, "content_type": kind} for data, kind in raw.values()]
        for method in set(methods) - {"GET"}:
            # A file is read (and closed) by the request that sends it: a new one each time.
            not_a_zip = {"data": {"file": (io.BytesIO(b"not a zip"), "a\x00.xlsx")},
                         "content_type": "multipart/form-data"}
            for body in [*bodies, not_a_zip]:
                before = snapshot(engine)
                response = client.open(url, method=method, headers=headers, **body)
                finish_background_work(app)
                check(response, method, url, before, engine)


def finish_background_work(app) -> None:
    """An accepted import runs in a thread: let it end before the next snapshot."""
    for thread in app.extensions.get("import_threads", []):
        thread.join(timeout=30)


# The cases of issue 11, one by one ----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/practices/a%00b",
        "/api/v1/practices/a%00b",
        "/feeds/practices/a%00b.atom",
        "/practices/?q=a%00b",
    ],
)
def test_a_nul_in_the_address_is_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["a..b", "a" * 64])  # labels IDNA refuses
@pytest.mark.parametrize(("path", "answer"), [
    ("/", "the Host header is not a valid host name"),
    ("/static/wiki.css", "the Host header is not a valid host name"),
    ("/api/v1/practices", '"code":"bad_request"'),
])
def test_a_host_header_that_is_not_a_host_name_is_a_400(client, host, path, answer):
    """No address can be built for such a host, so not even an error page: a plain 400."""
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert answer in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/practices/", "/static/wiki.css"])
def test_a_host_that_cannot_be_decoded_is_a_400(app, path):
    """xn--a encodes but does not decode: werkzeug's own test client cannot send it, so the
    request goes to the app as a server would pass it."""
    environ = EnvironBuilder(path=path, headers={"Host": "xn--a"}).get_environ()
    answer = []
    body = b"".join(app.wsgi_app(environ, lambda status, headers: answer.append(status)))
    assert answer == ["400 BAD REQUEST"]
    assert b"the Host header is not a valid host name" in body


def test_a_nul_in_a_form_is_a_400_and_registers_nobody(client, session):
    response = client.post(
        "/register",
        data={
            "email": "nul@example.org",
            "name": "Nul\x00Name",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "nul@example.org")).first() is None


def test_a_nul_in_the_login_e_mail_is_a_400(client):
    response = client.post("/login", data={"email": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/practices/zai-pits/revisions/99999999999999999999",
        "/practices/zai-pits/diff/1/99999999999999999999",
        f"/practices/zai-pits/revisions/{2**31}",
        "/api/v1/practices/zai-pits/revisions/99999999999999999999",
    ],
)
def test_numbers_past_the_database_range_are_not_found(client, make_sheet, path):
    make_sheet("Zai pits")
    assert client.get(path).status_code == 404
    assert (
        client.get(path.replace("99999999999999999999", "1").replace(str(2**31), "1")).status_code
        != 404
    )


def test_huge_page_numbers_show_the_last_page(client, make_sheet, make_user, login):
    make_sheet("Zai pits")
    login(make_user())
    for path in (
        "/practices/?page=99999999999999999999",
        "/recent?page=99999999999999999999",
        "/notifications?page=99999999999999999999",
    ):
        assert client.get(path).status_code == 200


def test_control_characters_in_a_sheet_are_a_field_error(client, session, make_user, login):
    login(make_user())
    response = client.post("/practices/new", data={"title": "Bell\x07 pits", "summary": "ok"})
    assert response.status_code == 422
    assert "U+0007" in response.get_data(as_text=True)
    assert session.exec(select(Sheet)).all() == []


def test_control_characters_in_a_thread_are_refused(client, session, make_sheet, make_user, login):
    sheet = make_sheet("Zai pits")
    login(make_user())
    response = client.post(
        f"/practices/{sheet.slug}/discussion",
        data={"title": "Escape\x1b[2J", "body": "Hello"},
        follow_redirects=True,
    )
    assert "control character" in response.get_data(as_text=True)
    assert discussions.threads_of(session, sheet, None) == []


def test_an_error_page_after_a_database_error_still_shows_the_signed_in_page(
    app, client, make_user, login
):
    """A failed statement aborts the transaction (PostgreSQL); the error page, which reads the
    signed-in user's notifications, must not fail with it into a bare server error."""

    def broken():
        get_session().execute(text("SELECT * FROM no_such_table"))

    app.add_url_rule("/broken", "broken", broken)
    user = login(make_user(name="Ada Contributor"))
    response = client.get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and user.name in page


def test_405_says_which_methods_are_allowed(client):
    page = client.delete("/practices/")
    assert page.status_code == 405 and set(page.headers["Allow"].split(", ")) >= {"GET"}
    api = client.delete("/api/v1/practices")
    assert api.status_code == 405 and set(api.headers["Allow"].split(", ")) >= {"GET", "POST"}


def upload(client, name: str, content: bytes):
    return client.post(
        "/imports/upload",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_a_csv_row_with_a_nul_fails_in_the_dry_run_and_the_real_run_keeps_the_rest(
    app, client, session, make_user, login
):
    login(make_user(Role.ADMIN))
    rows = "title,summary,source_id\nGood pits,Fine,table:good\nBad\x00pits,Broken,table:bad\n"
    dry_run = upload(client, "rows.csv", rows.encode())
    html = dry_run.get_data(as_text=True)
    assert dry_run.status_code == 200 and "row 3" in html and "U+0000" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    confirmed = client.post("/imports/confirm", data={"token": token, "filename": "rows.csv"})
    finish_background_work(app)
    run_page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "finished" in run_page and "U+0000" in run_page
    assert [sheet.title for sheet in session.exec(select(Sheet))] == ["Good pits"]


def test_an_xlsx_that_is_not_a_spreadsheet_is_refused_with_a_reason(
    client, session, make_user, login
):
    login(make_user(Role.ADMIN))
    refused = upload(client, "sheets.xlsx", b"this is no zip file")
    assert refused.status_code == 303
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "This file cannot be imported" in page and "spreadsheet" in page
    assert session.exec(select(Sheet)).all() == []
