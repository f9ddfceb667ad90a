"""Security: drafts stay private, CSRF, login throttling, no clear-text passwords, headers,
session fixation, tampered cookies, open redirects."""

import logging
import re
from urllib.parse import urljoin, urlsplit

import pytest
from flask import url_for
from sqlalchemy import text
from sqlmodel import SQLModel
from werkzeug.routing import AnyConverter, IntegerConverter

from practices import organizations as groups
from practices.models import Role
from tests.conftest import PASSWORD
from wiki import create_app


def crawl(client, start: list[str], limit: int = 150) -> dict[str, str]:
    """Every same-site page reachable by GET from `start`, with its text."""
    seen, queue, pages = set(), list(start), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(("/static/", "/uploads/")):
            continue
        seen.add(url)
        with client.get(url) as response:
            pages[url] = response.text
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            for href in re.findall(r'href="([^"#]+)', response.text):
                target = urljoin(url, href.replace("&amp;", "&"))
                parts = urlsplit(target)
                if not parts.netloc and "lang=" not in target and "/logout" not in target:
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_no_page_renders_another_organisations_draft(client, session, login, make_user,
                                                     make_sheet, make_organization,
                                                     make_college):
    ours, theirs = make_organization("Our partner"), make_organization("Their partner")
    author = make_user(organization=theirs)
    college = make_college("Shared college", members=(author,))
    secret = "Confidential biochar trial"
    draft = make_sheet(secret, author=author, status="draft", organization=theirs,
                       body="Unpublished numbers.")
    in_review = make_sheet(secret + " two", author=author, status="in_review",
                           organization=theirs)
    make_sheet("Public mulching", author=author, organization=theirs)
    outsider = make_user(organization=ours)
    make_college("Outsiders", members=(outsider,))
    start = ["/", "/practices/", "/recent", "/feeds/recent.atom", "/organizations/",
             f"/organizations/{theirs.slug}", "/colleges/", f"/colleges/{college.slug}"]
    for sheet in (draft, in_review):
        start += [f"/practices/{sheet.slug}", f"/practices/{sheet.slug}/history",
                  f"/practices/{sheet.slug}/revisions/1", f"/practices/{sheet.slug}/diff/1/1",
                  f"/practices/{sheet.slug}/edit"]
    for visitor in (None, make_user(Role.READER, organization=theirs), outsider):
        if visitor is not None:
            login(visitor)
        pages = crawl(client, start)
        assert len(pages) > 15
        leaks = [url for url, body in pages.items() if secret.lower() in body.lower()]
        assert leaks == [], f"{visitor and visitor.role} sees the draft on {leaks}"
        client.post("/logout")
    login(make_user(organization=theirs))  # a colleague does see it on the partner's page
    with client.get(f"/organizations/{theirs.slug}") as response:
        assert secret in response.text


def test_post_without_csrf_token_fails_and_changes_nothing(app, client, session, make_user,
                                                           make_sheet):
    app.config["WTF_CSRF_ENABLED"] = True
    moderator = make_user(Role.MODERATOR)
    sheet = make_sheet("Hedgerows", status="in_review")
    with client.post("/login", data={"email": moderator.email, "password": PASSWORD}) as r:
        assert r.status_code == 400 and "reload the page" in r.text
    with client.session_transaction() as flask_session:  # signed in, but no token sent
        flask_session["_user_id"] = f"{moderator.id}:{moderator.session_token}"
        flask_session["_fresh"] = True
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not rule.rule.startswith("/static")]
    assert len(posts) >= 15
    for rule in posts:
        url = post_url(app, rule, sheet.slug)
        # A write with neither token nor session cookie is a script's, for the API: 401.
        refused = {400, 401} if url.startswith("/api/") else {400}
        with client.post(url, data={"comment": "x", "name": "x", "role": "admin"}) as response:
            assert response.status_code in refused, (url, response.status_code)
        with client.post(url, data={"csrf_token": "forged", "name": "x"}) as response:
            assert response.status_code in refused, url
    session.expire_all()
    assert sheet.status == "in_review"
    assert session.exec(text("SELECT count(*) FROM colleges")).one()[0] == 0


def test_csrf_token_from_the_form_is_accepted(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    with client.get("/login") as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    with client.post("/login", data={"email": user.email, "password": PASSWORD,
                                     "csrf_token": token}) as response:
        assert response.status_code == 303


def post_url(app, rule, slug: str) -> str:
    """A URL for this rule, with every argument filled in (the first choice of an any())."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            values[name] = 1
        else:
            values[name] = slug
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


@pytest.fixture
def throttled(app):
    """The same app with the login limits switched on (the suite switches them off)."""
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True})
    yield limited.test_client()
    limited.extensions["engine"].dispose()


def test_eleven_rapid_failed_logins_are_throttled(throttled, make_user):
    user = make_user()
    codes = []
    for _attempt in range(11):
        with throttled.post("/login", data={"email": user.email, "password": "wrong guess"}) as r:
            codes.append(r.status_code)
            last = r.text
    assert codes == [401] * 10 + [429]
    assert "Too many failed sign-in attempts" in last
    # ... even with the right password now, from this address, for a while
    with throttled.post("/login", data={"email": user.email, "password": PASSWORD}) as r:
        assert r.status_code == 429


def test_throttling_is_per_account_across_addresses(throttled, make_user):
    user, other = make_user(), make_user()
    for number in range(10):
        with throttled.post("/login", data={"email": user.email, "password": "nope"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{number}"}) as r:
            assert r.status_code == 401
    with throttled.post("/login", data={"email": user.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.1.1"}) as r:
        assert r.status_code == 429
    with throttled.post("/login", data={"email": other.email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.1.2"}) as r:
        assert r.status_code == 303  # another account from a fresh address is not affected


def test_successful_logins_are_not_throttled(throttled, make_user):
    user = make_user()
    for _attempt in range(12):
        with throttled.post("/login", data={"email": user.email, "password": PASSWORD}) as r:
            assert r.status_code == 303
        throttled.post("/logout").close()


def test_passwords_are_stored_nowhere_in_clear(app, client, session, caplog, make_college,
                                               make_user, login):
    caplog.set_level(logging.DEBUG)
    college = make_college()
    secret = "Tr0ub4dor&3-horse-staple"
    new_secret = "an0ther-Secret-for-the-test"
    with client.post("/register", data={"name": "Ama", "email": "ama@example.org",
                                        "password": secret, "password_again": secret,
                                        "colleges": str(college.id)}) as response:
        assert response.status_code == 200
    admin = make_user(Role.ADMIN)
    login(admin)
    user_id = session.exec(text("SELECT id FROM users WHERE email='ama@example.org'")).one()[0]
    client.post(f"/admin/registrations/{user_id}/approve").close()
    client.post("/logout").close()
    client.post("/login", data={"email": "ama@example.org", "password": "wrong " + secret}).close()
    client.post("/login", data={"email": "ama@example.org", "password": secret}).close()
    client.post("/profile/password", data={"current_password": secret,
                                           "new_password": new_secret,
                                           "new_password_again": new_secret}).close()
    dump = []
    with app.extensions["engine"].connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            dump += [repr(tuple(row)) for row in connection.execute(table.select())]
    everything = "\n".join(dump) + caplog.text
    assert "ama@example.org" in everything  # the dump did read the accounts
    for word in (secret, new_secret):
        assert word not in everything
    stored = session.exec(text("SELECT password_hash FROM users WHERE id=:id"),
                          params={"id": user_id}).one()[0]
    assert stored.startswith("$argon2id$")


def test_security_headers_and_cookie_flags(client, make_user):
    user = make_user()
    with client.get("/login") as response:
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "<script>" not in response.text and " style=" not in response.text
    with client.post("/login", data={"email": user.email, "password": PASSWORD,
                                     "remember": "1"}) as response:
        cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_configured_for_https(app, client, make_user):
    app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    user = make_user()
    with client.post("/login", data={"email": user.email, "password": PASSWORD,
                                     "remember": "1"}) as response:
        assert all("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))


def test_login_starts_a_fresh_session(client, make_user):
    """Whatever a visitor's session held before signing in (e.g. planted by an attacker)
    is gone after it: no session fixation."""
    user = make_user()
    with client.session_transaction() as flask_session:
        flask_session["planted"] = "by an attacker"
        flask_session["_user_id"] = "999:stolen"
    client.post("/login", data={"email": user.email, "password": PASSWORD}).close()
    with client.session_transaction() as flask_session:
        assert "planted" not in flask_session
        assert flask_session["_user_id"] == f"{user.id}:{user.session_token}"


def test_tampered_session_cookie_is_refused_with_a_message(client, make_user, login):
    user = login(make_user(Role.MODERATOR))
    cookie = client.get_cookie("session")
    payload, _sep, signature = cookie.value.rpartition(".")
    client.set_cookie("session", payload + "." + ("A" if signature[0] != "A" else "B")
                      + signature[1:])
    with client.get("/admin/") as response:
        assert response.status_code == 302  # treated as signed out
    with client.get("/") as response:
        assert user.name not in response.text
        assert "session could not be read" in response.text


def test_failed_login_does_not_say_which_part_was_wrong(client, make_user):
    user = make_user()
    with client.post("/login", data={"email": user.email, "password": "wrong password"}) as r:
        known = r.text
        assert r.status_code == 401
    with client.post("/login", data={"email": "nobody@example.org", "password": "whatever"}) as r:
        unknown = r.text
        assert r.status_code == 401
    assert "Wrong e-mail or password." in known and "Wrong e-mail or password." in unknown
    assert without_tokens(known.replace(user.email, "")) == \
        without_tokens(unknown.replace("nobody@example.org", ""))


def without_tokens(page: str) -> str:
    """CSRF tokens carry a timestamp: two pages a second apart differ only there."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example"])
def test_open_redirects_in_next_are_refused(client, make_user, target):
    user = make_user()
    with client.post("/login", data={"email": user.email, "password": PASSWORD,
                                     "next": target}) as response:
        assert response.status_code == 303
        assert response.location in ("/", "http://localhost/")


def test_next_keeps_a_same_site_path(client, make_user):
    user = make_user()
    with client.post("/login", data={"email": user.email, "password": PASSWORD,
                                     "next": "/practices/?q=zai"}) as response:
        assert response.location == "/practices/?q=zai"


def test_deactivated_organisation_members_keep_their_drafts_private(session, make_user,
                                                                     make_organization,
                                                                     make_sheet, client):
    partner = make_organization()
    draft = make_sheet("Quiet draft", author=make_user(organization=partner), status="draft",
                       organization=partner)
    groups.set_active(session, partner, False, actor=None)
    session.commit()
    with client.get(f"/organizations/{partner.slug}") as response:
        assert draft.title not in response.text
