"""API fixtures: personal tokens for the factories' users, and JSON helpers."""

import pytest

from practices import tokens
from practices.models import User


@pytest.fixture
def make_token(app, session):
    """`make_token(user)` -> the headers that authenticate as that user."""

    def make(user: User) -> dict[str, str]:
        _token, plain = tokens.create(session, user, "tests", key=app.config["SECRET_KEY"])
        session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The API's one error shape, with this status (and code)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body
