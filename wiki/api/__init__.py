"""The JSON API under /api/v1/ (DESIGN.md §5), documented at /api/v1/openapi.json.

Views stay thin: they read a validated request (Pydantic models in `schemas`, checked by
spectree), ask `practices.policy`, call a service in `practices/`, and answer with a model.
Modules: `spec` (OpenAPI document, reference page), `errors` (the one error shape),
`paging` (page/per_page and Link headers), `sheets` (sheets, revisions, transitions,
search), `measures` (measures of organisations: read, write, review), `directory`
(vocabularies, organisations, colleges, the caller's account), `imports` (start imports,
follow import runs), `threads` (discussions of a sheet), `mapdata` (the map's layers).
"""

import hashlib

from flask import Blueprint, Flask, current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from wiki.api import errors
from wiki.api.errors import ApiError
from wiki.input_guard import UnsafeJson

bp = Blueprint("api", __name__, url_prefix="/api/v1")
errors.register(bp)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
FORM_MIMETYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
LIST_BODIES = {"api.start_import"}  # the operations whose body may be a JSON array
# Writes per token (or signed-in account) and per address; reads are not limited.
WRITE_RATE_LIMIT_PER_TOKEN = "60/minute"
WRITE_RATE_LIMIT_PER_ADDRESS = "120/minute"


@bp.before_request
def check_write_request() -> None:
    """Before validation: who may write at all, CSRF for browser sessions, and a JSON body."""
    if request.method not in WRITE_METHODS:
        return
    if not current_user.is_authenticated and not _has_session_cookie():
        raise ApiError(401, headers={"WWW-Authenticate": "Bearer"})  # a script, no token
    if not getattr(current_user, "by_token", False) and current_app.config.get(
            "WTF_CSRF_ENABLED", True):
        current_app.extensions["csrf"].protect()  # without a token: same-site pages only
    if not current_user.is_authenticated:
        raise ApiError(401, headers={"WWW-Authenticate": "Bearer"})
    if request.mimetype in FORM_MIMETYPES:
        raise ApiError(415)  # even empty: the body would not be validated as JSON at all
    if not request.content_length and not request.data:
        return  # no body: the operation's defaults apply (or it says what is missing)
    if request.mimetype != "application/json":
        raise ApiError(415)
    try:
        body = request.get_json()
    except BadRequest as refused:
        message = (str(refused.__cause__) if isinstance(refused.__cause__, UnsafeJson)
                   else _("The request body is not valid JSON."))
        raise ApiError(400, message, code="invalid_json") from None
    if not isinstance(body, dict) and not (isinstance(body, list)
                                           and request.endpoint in LIST_BODIES):
        # (spectree would read null, [], 0 or "" as {}, and take it)
        message = _("Send a JSON object.")
        raise ApiError(422, message, code="invalid_fields", fields={"body": message})


def _has_session_cookie() -> bool:
    """A browser's write carries the session cookie: it answers for CSRF, not for a token."""
    return bool(request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session")))


def _writer_key() -> str:
    """Rate-limit key of the caller: the token (hashed), else the account, else the address."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "address:" + (get_remote_address() or "")


def init_app(app: Flask) -> None:
    from wiki.api import (  # noqa: F401 - routes register on import
        carbon,
        dashboard,
        directory,
        imports,
        mapdata,
        measures,
        sheets,
        spec,
        threads,
    )

    app.register_blueprint(bp)
    app.register_blueprint(spec.docs)
    app.extensions["csrf"].exempt(bp)  # token requests; sessions are checked above
    errors.init_app(app)
    limiter = app.extensions["login_limiter"]
    limiter.limit(app.config.get("API_WRITE_RATE_LIMIT_PER_TOKEN", WRITE_RATE_LIMIT_PER_TOKEN),
                  key_func=_writer_key, methods=list(WRITE_METHODS), scope="api-writer")(bp)
    limiter.limit(app.config.get("API_WRITE_RATE_LIMIT_PER_ADDRESS",
                                 WRITE_RATE_LIMIT_PER_ADDRESS),
                  key_func=get_remote_address, methods=list(WRITE_METHODS),
                  scope="api-address")(bp)
