"""Input no view should ever see: refused at the door with a clear 400 (or 404), never a 500.

- A NUL character or a lone UTF-16 surrogate in the path, the query string, a form field
  or a file name: PostgreSQL refuses NUL in text, and no encoder accepts a lone surrogate, so
  such a value would fail deep inside a query or a template. 400 before any view runs.
- Integers beyond what the database's INTEGER columns hold: in a URL (`<int:…>`) the route
  does not match (404); read with `request.args/form.get(name, type=int)` they count as
  "not a number" (the default), instead of an overflow in a query.
- JSON bodies: nested deeper than any document of ours, or holding lone surrogates, are not
  valid JSON for us (400); the JSON parser's own recursion limit becomes a 400 too. (A NUL
  in a JSON string is left to the schemas, which name the field: a 422 field error.)

Finer rules (other control characters in a text field) belong to the domain, which answers
with a field error: see `practices.fields.text_error`.
"""

import re

from flask import Flask, Request, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadHost, BadRequest
from werkzeug.routing import IntegerConverter

from wiki.errors import render_error

# The ids and numbers in URLs, queries and forms are INTEGER columns: 32 bits on PostgreSQL.
MAX_INTEGER = 2**31 - 1
MIN_INTEGER = -(2**31)
MAX_JSON_DEPTH = 32
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>` that matches only numbers an INTEGER column can hold (otherwise: 404)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


class UnsafeJson(ValueError):
    """A JSON body that parses but that we refuse; the message says why, for the client."""


class CheckedJsonProvider(DefaultJSONProvider):
    """Flask's JSON, refusing documents we would choke on later (request bodies are read
    with `app.json.loads`)."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise UnsafeJson(
                _("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH)
            ) from None
        check_json_value(value)
        return value


def check_json_value(value) -> None:
    """Walk a parsed document without recursion: its depth, and lone surrogates."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_string(item)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise UnsafeJson(
                _("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH)
            )
        if isinstance(item, dict):
            for key, member in item.items():
                _check_string(key)
                pending.append((member, depth + 1))
        else:
            pending.extend((member, depth + 1) for member in item)


def _check_string(text: str) -> None:
    if LONE_SURROGATE.search(text):
        raise UnsafeJson(
            _(
                "The JSON holds an unpaired surrogate (\\ud800…\\udfff), which "
                "is not text: send UTF-8 or a surrogate pair."
            )
        )


class DatabaseIntegerMultiDict(ImmutableMultiDict):
    """Query and form values: `.get(name, type=int)` answers the default for a number no
    INTEGER column holds, as werkzeug does for one that is not a number at all."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's parameter name
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not _fits(value):
            return default
        return value

    def getlist(self, key, type=None):  # noqa: A002
        values = super().getlist(key, type)
        if type is int:
            return [value for value in values if _fits(value)]
        return values


def _fits(number: int) -> bool:
    return MIN_INTEGER <= number <= MAX_INTEGER


def database_int(value) -> int | None:
    """`value` as a number an INTEGER column holds, or None (not a number, or too large)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if _fits(number) else None


class CheckedRequest(Request):
    parameter_storage_class = DatabaseIntegerMultiDict

    def on_json_loading_failed(self, error):
        if isinstance(error, UnsafeJson):
            raise BadRequest(str(error)) from error
        return super().on_json_loading_failed(error)


def unstorable_input() -> str | None:
    """The name of the first part of the request holding NUL or a lone surrogate, if any."""
    if UNSTORABLE.search(request.path):
        return "path"
    for source, values in (("query", request.args), ("form", request.form)):
        for key, value in values.items(multi=True):
            if UNSTORABLE.search(key) or UNSTORABLE.search(value):
                return f"{source}:{key}"
    for key, upload in request.files.items(multi=True):
        if UNSTORABLE.search(key) or UNSTORABLE.search(upload.filename or ""):
            return f"file:{key}"
    return None


def refuse_unstorable_input():
    if unstorable_input() is None:
        return None
    message = _(
        "The request holds a NUL character or an unpaired surrogate, which this "
        "wiki does not accept. Remove it and try again."
    )
    if request.path.startswith("/api/"):
        from wiki.api.errors import error_response  # wiki.api imports this module

        return error_response(400, message, code="invalid_characters")
    return render_error(400, message)


def refuse_undecodable_host() -> None:
    """A Host header that IDNA can encode but not decode (xn--a): werkzeug builds the
    request's own URLs from it, so every page that needs one would fail. BadHost is
    answered with a plain 400 (wiki.errors), as werkzeug does for a host it cannot encode."""
    try:
        request.host_url  # noqa: B018 - decoding it is the check
    except UnicodeError:
        raise BadHost() from None


def init_app(app: Flask) -> None:
    """Call first in the factory: the converter must exist before any route is added, and
    the check must run before every other before_request function (sign-in included)."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.request_class = CheckedRequest
    app.json = CheckedJsonProvider(app)
    app.before_request(refuse_undecodable_host)
    app.before_request(refuse_unstorable_input)
