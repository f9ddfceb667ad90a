"""Shared state for many workers and machines: rate limits in Redis, the real client address
behind trusted proxies (issue 12)."""

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlmodel import select

from practices.models import AuditEvent, Role
from tests.conftest import PASSWORD
from wiki import create_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def own_redis_prefix():
    """A key prefix of one's own; only its keys are removed afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"pw-test-{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


@pytest.fixture
def redis_prefix():
    with own_redis_prefix() as prefix:
        yield prefix


def workers(app, count: int, **config):
    """`count` separate apps on the same database, like gunicorn workers or nodes."""
    return [
        create_app(
            {**app.config, "RATELIMIT_ENABLED": True, **config}, instance_path=app.instance_path
        )
        for _ in range(count)
    ]


def close(apps) -> None:
    for each in apps:
        each.extensions["engine"].dispose()


def failed_logins(apps, email: str, attempts: int, **extra) -> list[int]:
    codes = []
    for attempt in range(attempts):
        client = apps[attempt % len(apps)].test_client()
        with client.post(
            "/login", data={"email": email, "password": "wrong guess"}, **extra
        ) as response:
            codes.append(response.status_code)
    return codes


def test_failed_logins_spread_across_workers_are_throttled_through_redis(
    app, make_user, redis_prefix
):
    user = make_user()
    apps = workers(app, 4, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix)
    try:
        codes = failed_logins(apps, user.email, 15)
        assert codes == [401] * 10 + [429] * 5
        # the right password does not help on a worker that has not seen a failure yet
        with (
            apps[0]
            .test_client()
            .post("/login", data={"email": user.email, "password": PASSWORD}) as response
        ):
            assert response.status_code == 429
    finally:
        close(apps)


def test_redis_url_setting_puts_the_limits_in_redis(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'wiki.db'}"}, instance_path=str(tmp_path)
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    monkeypatch.delenv("REDIS_URL")
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'wiki.db'}"}, instance_path=str(tmp_path)
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def login_from(client, email: str, forwarded_for: str):
    return client.post(
        "/login",
        data={"email": email, "password": "wrong guess"},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.parametrize("hops", [1, 2])
def test_behind_trusted_proxies_limits_count_per_real_client(app, hops):
    [proxied] = workers(app, 1, TRUSTED_PROXIES=hops)
    client = proxied.test_client()
    chain = ", ".join(["203.0.113.7"] + ["10.0.0.2"] * (hops - 1))
    try:
        for number in range(10):  # a different account each time: only the address limit counts
            with login_from(client, f"guess{number}@example.org", chain) as response:
                assert response.status_code == 401
        with login_from(client, "guess10@example.org", chain) as response:
            assert response.status_code == 429
        other = ", ".join(["203.0.113.8"] + ["10.0.0.2"] * (hops - 1))
        with login_from(client, "guess11@example.org", other) as response:
            assert response.status_code == 401
    finally:
        close([proxied])


def test_without_trusted_proxies_forwarded_for_is_ignored(app):
    [direct] = workers(app, 1)
    client = direct.test_client()
    try:
        for number in range(10):  # a forged header per attempt does not escape the limit
            with login_from(client, f"guess{number}@example.org", f"198.51.100.{number}") as r:
                assert r.status_code == 401
        with login_from(client, "guess10@example.org", "198.51.100.99") as response:
            assert response.status_code == 429
    finally:
        close([direct])


@pytest.mark.parametrize(("hops", "expected"), [(1, "203.0.113.7"), (0, "127.0.0.1")])
def test_audit_log_records_the_client_address(app, session, make_user, login, hops, expected):
    app.config["OPEN_REGISTRATION"] = True
    [node] = workers(app, 1, TRUSTED_PROXIES=hops, RATELIMIT_ENABLED=False)
    client = node.test_client()
    try:
        with client.post(
            "/register",
            data={
                "name": "Ama",
                "email": "ama@example.org",
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
            headers={"X-Forwarded-For": "203.0.113.7"},
        ) as response:
            assert response.status_code in (200, 303), response.text
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.register")).one()
        assert event.details["address"] == expected
        admin = make_user(Role.ADMIN)
        client.post("/logout").close()
        with client.post("/login", data={"email": admin.email, "password": PASSWORD}) as r:
            assert r.status_code == 303
        with client.get("/admin/audit") as page:
            assert expected in page.text
    finally:
        close([node])


@pytest.mark.parametrize(
    ("hops", "expected"), [(1, "https://wiki.example.org/"), (0, "http://localhost/")]
)
def test_feed_links_use_the_forwarded_scheme_and_host_only_when_trusted(app, hops, expected):
    [node] = workers(app, 1, TRUSTED_PROXIES=hops)
    try:
        with node.test_client().get(
            "/feeds/recent.atom",
            headers={
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "wiki.example.org",
            },
        ) as feed:
            assert feed.status_code == 200
            assert f'href="{expected}' in feed.text
    finally:
        close([node])
