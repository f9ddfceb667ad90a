"""Every error under /api/ is JSON: {"error": {"code", "message", "fields"}}, never a page.

Domain errors become HTTP once, here; request validation failures (spectree + Pydantic) are
turned into the same shape; anything that escapes the blueprint (an unknown /api/ address, a
wrong method) is rewritten on its way out.
"""

import json
import math
import time

from flask import Flask, current_app, jsonify, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from wiki.errors import forget_failed_transaction

API_PREFIX = "/api/"

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 410: "gone",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_fields",
    429: "rate_limited", 500: "internal_error",
}


def messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Send a personal API token: Authorization: Bearer <token>."),
        403: _("Your account may not do this."),
        404: _("There is nothing at this address, or you may not see it."),
        405: _("This address does not accept this method."),
        406: _("This address answers in JSON only."),
        409: _("The request conflicts with the current state of the resource."),
        410: _("This was deleted."),
        413: _("The request body is larger than this wiki accepts."),
        415: _("Send the request body as JSON (Content-Type: application/json)."),
        422: _("Some values are not valid."),
        429: _("Too many requests. Wait a moment, then try again."),
        500: _("Something went wrong on our side. The error was logged."),
    }


class ApiError(Exception):
    def __init__(self, status: int, message: str | None = None, *, code: str | None = None,
                 fields: dict[str, str] | None = None, extra: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message or messages().get(status, ""))
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message or messages().get(status, "")
        self.fields = fields or {}
        self.extra = extra or {}
        self.headers = headers or {}


def error_response(status: int, message: str | None = None, *, code: str | None = None,
                   fields: dict[str, str] | None = None, extra: dict | None = None,
                   headers: dict | None = None):
    body = {"error": {"code": code or CODES.get(status, "error"),
                      "message": message or messages().get(status, ""),
                      "fields": fields or {}}}
    body.update(extra or {})
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_api_error(error: ApiError):
    return error_response(error.status, error.message, code=error.code, fields=error.fields,
                          extra=error.extra, headers=error.headers)


def handle_rate_limit(error: RateLimitExceeded):
    limiter = current_app.extensions.get("login_limiter")
    limit = limiter.current_limit if limiter is not None else None
    wait = max(1, math.ceil(limit.reset_at - time.time())) if limit is not None else 60
    return error_response(
        429, _("Too many changes in a short time (%(limit)s). Try again in %(seconds)d "
               "seconds.", limit=str(error.limit.limit), seconds=wait),
        headers={"Retry-After": str(wait)})


def handle_csrf(error: CSRFError):
    return error_response(400, _("Send a personal API token (Authorization: Bearer …). "
                                 "Without one, a write must come from this site's pages "
                                 "with their CSRF token."), code="csrf_failed")


def handle_http(error: HTTPException):
    if error.code in (301, 302, 303, 307, 308):
        return error
    status = error.code or 500
    original = getattr(error, "response", None)
    if original is not None and original.is_json:  # e.g. the 401 of an unknown token
        body = original.get_json(silent=True) or {}
        detail = body.get("error") if isinstance(body, dict) else None
        if isinstance(detail, dict):
            response = error_response(original.status_code, str(detail.get("message", "")),
                                      code=str(detail.get("code", CODES.get(status))))
            for name in ("WWW-Authenticate", "Retry-After"):
                if name in original.headers:
                    response.headers[name] = original.headers[name]
            return response
    response = error_response(status if status in CODES else 400)
    if status == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error in the API")
    forget_failed_transaction()
    return error_response(500)


def register(bp) -> None:
    bp.register_error_handler(ApiError, handle_api_error)
    bp.register_error_handler(RateLimitExceeded, handle_rate_limit)
    bp.register_error_handler(CSRFError, handle_csrf)
    bp.register_error_handler(HTTPException, handle_http)
    bp.register_error_handler(Exception, handle_unexpected)


def json_errors_under_api(response):
    """An error page produced outside the API blueprint (no such address, wrong method,
    a body too large before routing) becomes the API's JSON error under /api/."""
    if not request.path.startswith(API_PREFIX) or response.status_code < 400:
        return response
    if response.is_json:  # e.g. the 401 of an unknown token, from wiki.auth
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("error"), dict) \
                and "fields" not in body["error"]:
            body["error"]["fields"] = {}
            response.set_data(json.dumps(body))
        return response
    status = response.status_code
    replacement = error_response(status if status in CODES else 400)
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in response.headers:
            replacement.headers[name] = response.headers[name]
    return replacement


def validation_fields(errors: list[dict]) -> dict[str, str]:
    """Pydantic's error list as {"field.path": "message"}."""
    fields: dict[str, str] = {}
    for problem in errors:
        if "none" in problem.get("loc", ()):
            continue  # the "or leave it out" member of an optional parameter
        parts = [str(part) for part in problem.get("loc", ())
                 if not _is_union_member(str(part))]
        location = ".".join(parts) or "body"
        fields.setdefault(location, str(problem.get("msg", "invalid")))
    return fields


def _is_union_member(part: str) -> bool:
    """Pydantic names the member of a union that failed ("none", "list[literal[...]]");
    clients want the field's path only."""
    return "[" in part or part in {"none", "str", "int", "float", "bool", "list", "dict"}


def before_view(req, resp, validation_error, instance, model_adapter) -> None:
    """spectree's hook after request validation: a failure becomes our error shape
    (400 for query parameters, 422 for a body)."""
    if validation_error is None:
        return
    fields = validation_fields(json.loads(validation_error.json()))
    title = getattr(validation_error, "title", "")
    if title.endswith("Query"):
        raise ApiError(400, _("Some parameters are not valid."), code="invalid_parameters",
                       fields=fields)
    raise ApiError(422, _("Some values are not valid."), code="invalid_fields", fields=fields)


def after_view(req, resp, validation_error, instance, model_adapter) -> None:
    """A response that breaks its own schema is our bug: log it loudly (it is a 500)."""
    if validation_error is not None:
        current_app.logger.error("API response does not match its schema: %s",
                                 validation_error)
        raise ApiError(500)


def init_app(app: Flask) -> None:
    app.after_request(json_errors_under_api)
