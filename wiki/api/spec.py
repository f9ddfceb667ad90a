"""The OpenAPI document and the interactive reference page.

One `SpecTree` validates every API request and response with the Pydantic models of
`wiki.api.schemas` and generates the OpenAPI 3.1 document from the same models. What
spectree cannot express (response headers, links between operations for clients and
stateful tests, the export endpoint served by the imports blueprint) is added to the
generated document here, in one place.
"""

import copy
import importlib.util
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory
from spectree import Response as Responses
from spectree import SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType

from wiki.api import errors
from wiki.api.schemas import ErrorResponse

DESCRIPTION = """\
Read and write the practice sheets of practice-wiki from scripts, with the same search,
filters and permission rules as the web pages.

* **Authentication**: anonymous requests read published content. To write (or to read
  your drafts), create a personal token on your profile page and send it as
  `Authorization: Bearer <token>`; it acts with your account's role.
* **Errors** are always JSON: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
* **Pages**: lists take `page` and `per_page` (at most 100) and send `Link` headers
  (`first`, `prev`, `next`, `last`).
* **Editing**: `PUT /practices/{slug}` and `PUT /measures/{measure_id}` need the
  `base_revision` your edit started from; if someone saved since, nothing is saved and the
  answer is 409 with the current revision.
* **Caching**: a sheet's detail has an `ETag`; send it back in `If-None-Match` to get
  `304 Not Modified` while it has not changed.
* **Rate limits**: writes are limited per token and per address; over the limit the answer
  is 429 with `Retry-After` (seconds).
"""

api_spec = SpecTree(
    "flask",
    mode="strict",
    title="practice-wiki API",
    version="1.0.0",
    description=DESCRIPTION,
    path="api/v1/_spectree",  # spectree's own routes are not registered; see `openapi`
    page_templates={},
    annotations=False,
    before=errors.before_view,
    after=errors.after_view,
    validation_error_model=ErrorResponse,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[SecurityScheme(name="bearerAuth", data=SecuritySchemeData(
        type=SecureType.HTTP, scheme="bearer",
        description="A personal API token from your profile page (pw_…)."))],
)

ERROR_DESCRIPTIONS = {
    400: "Malformed request or invalid parameters",
    401: "No valid token (a write, or a resource that needs an account)",
    403: "Your account may not do this",
    404: "Not found, or not visible to you",
    409: "Conflict with the current state",
    413: "Request body too large",
    415: "Request body is not JSON",
    422: "Invalid values",
    429: "Too many writes; see Retry-After",
}


def responses(ok: dict, *errors_: int) -> Responses:
    """A spectree Response: the success models plus ErrorResponse for each error status."""
    models = {f"HTTP_{status}": model for status, model in ok.items()}
    for status in errors_:
        models.setdefault(f"HTTP_{status}", (ErrorResponse, ERROR_DESCRIPTIONS[status]))
    return Responses(**models)


WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 422, 429)

# Extra documentation by operationId: response headers and links. ---------------------

LINK_HEADER = {"Link": {"description": "RFC 8288 links to the first, prev, next and last "
                                       "pages", "schema": {"type": "string"}}}
ETAG_HEADER = {"ETag": {"description": "Send it back in If-None-Match", "schema": {
    "type": "string"}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {
    "type": "string", "pattern": "^[0-9]+$"}}}
SLUG_FROM_BODY = {"slug": "$response.body#/slug"}
SHEET_LINKS = {
    "GetPractice": {"operationId": "getPractice", "parameters": SLUG_FROM_BODY},
    "ListRevisions": {"operationId": "listRevisions", "parameters": SLUG_FROM_BODY},
    "UpdatePractice": {"operationId": "updatePractice", "parameters": SLUG_FROM_BODY,
                       "requestBody": {"title": "$response.body#/title",
                                       "base_revision": "$response.body#/revision/number"}},
    "SubmitPractice": {"operationId": "transitionPractice",
                       "parameters": {**SLUG_FROM_BODY, "transition": "submit"}},
}
MEASURE_FROM_BODY = {"measure_id": "$response.body#/id"}
MEASURE_LINKS = {
    "GetMeasure": {"operationId": "getMeasure", "parameters": MEASURE_FROM_BODY},
    "UpdateMeasure": {"operationId": "updateMeasure", "parameters": MEASURE_FROM_BODY,
                      "requestBody": {"title": "$response.body#/title",
                                      "base_revision": "$response.body#/revision"}},
    "SubmitMeasure": {"operationId": "transitionMeasure",
                      "parameters": {**MEASURE_FROM_BODY, "transition": "submit"}},
    "DeleteMeasure": {"operationId": "deleteMeasure", "parameters": MEASURE_FROM_BODY},
}
EXTRA = {
    "listPractices": {"200": {"headers": LINK_HEADER}},
    "searchPractices": {"200": {"headers": LINK_HEADER}},
    "listRevisions": {"200": {"headers": LINK_HEADER}},
    "listImportRuns": {"200": {"headers": LINK_HEADER}},
    "listImportRecords": {"200": {"headers": LINK_HEADER}},
    "getPractice": {"200": {"headers": ETAG_HEADER, "links": {
        key: SHEET_LINKS[key] for key in ("ListRevisions", "UpdatePractice")}}},
    "createPractice": {"201": {"headers": {"Location": {"schema": {"type": "string"}}},
                               "links": SHEET_LINKS}},
    "updatePractice": {"200": {"links": {"GetPractice": SHEET_LINKS["GetPractice"]}}},
    "startThread": {"201": {"headers": {"Location": {"schema": {"type": "string"}}},
                            "links": {key: {"operationId": operation, "parameters": {
                                "slug": "$request.path.slug", "thread_id": "$response.body#/id"}}
                                for key, operation in (("GetThread", "getThread"),
                                                       ("AddComment", "addComment"))}}},
    "startImport": {"202": {"headers": {"Location": {"schema": {"type": "string"}}}}},
    "getMeasure": {"200": {"links": {key: MEASURE_LINKS[key]
                                     for key in ("UpdateMeasure", "DeleteMeasure")}}},
    "createMeasure": {"201": {"headers": {"Location": {"schema": {"type": "string"}}},
                              "links": MEASURE_LINKS}},
    "updateMeasure": {"200": {"links": {"GetMeasure": MEASURE_LINKS["GetMeasure"]}}},
}
PATH_PARAMETERS = {
    "slug": "The address of the sheet, organisation or college (e.g. zai-pits-burkina-faso)",
    "number": "A revision number (1 is the first save)",
    "name": "A vocabulary name (e.g. agro_climatic_zones)",
    "run_id": "The number of an import run",
    "thread_id": "The number of a discussion thread",
    "transition": "submit, publish, return (or, for sheets, approve-edits)",
    "measure_id": "The number of a measure",
}
# Operations whose body may be left out (spectree marks every body required).
OPTIONAL_BODIES = {"transitionPractice", "transitionMeasure"}
# Operations without a body whose 422 is their own (not spectree's validation error).
OWN_422 = {"estimateCarbon"}
# Parameters that spectree has no place for.
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False,
                 "description": "An ETag from an earlier answer", "schema": {"type": "string"}}

EXPORT = {
    "get": {
        "operationId": "exportWiki",
        "summary": "Export the whole wiki (administrators)",
        "description": "Every sheet with its whole history as JSON (importable into an empty "
                       "wiki with `practice-wiki import`), or the current sheets as CSV.",
        "tags": ["imports"],
        "parameters": [{"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["json", "csv"],
                                   "default": "json"}}],
        "responses": {
            "200": {"description": "The export", "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}}}},
            **{str(status): {"description": ERROR_DESCRIPTIONS[status], "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
               for status in (400, 401, 403)},
        },
    }
}


def document() -> dict:
    """The OpenAPI document of the running app."""
    spec = copy.deepcopy(api_spec.spec)
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            extra = EXTRA.get(operation.get("operationId"), {})
            for status, additions in extra.items():
                operation["responses"].setdefault(status, {"description": "OK"}).update(
                    copy.deepcopy(additions))
            for parameter in operation.get("parameters", ()):
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = PATH_PARAMETERS.get(parameter["name"], "")
            if "requestBody" not in operation and operation.get(
                    "operationId") not in OWN_422:  # spectree adds its 422 to every operation
                operation["responses"].pop("422", None)
            if operation.get("operationId") in OPTIONAL_BODIES:
                operation["requestBody"]["required"] = False
            if operation.get("operationId") == "getMapFeatures":  # issue 14: GeoJSON's own type
                content = operation["responses"]["200"]["content"]
                content["application/geo+json"] = content.pop("application/json")
            if operation.get("operationId") == "getPractice":
                operation["parameters"].append(IF_NONE_MATCH)
                operation["responses"]["304"] = {"description": "Not modified (the ETag "
                                                                "still matches)"}
            for status, answer in operation["responses"].items():
                if status == "429":
                    answer["headers"] = RETRY_AFTER
                if status == "401":
                    answer["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
            if any(status in operation["responses"] for status in ("401", "403")):
                operation["security"] = [{}, {"bearerAuth": []}]
    if "export_api" in {rule.endpoint.split(".")[-1]
                        for rule in current_app.url_map.iter_rules()}:
        spec["paths"]["/api/v1/export"] = copy.deepcopy(EXPORT)
    spec["security"] = [{}, {"bearerAuth": []}]
    spec["servers"] = [{"url": "/"}]
    return spec


# Routes --------------------------------------------------------------------------------

docs = Blueprint("api_docs", __name__, url_prefix="/api/v1",
                 template_folder="templates", static_folder="static",
                 static_url_path="/reference/static")
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css")


def _swagger_ui_dir() -> Path:
    """Swagger UI's files as the `swagger-ui-py` package ships them (no CDN)."""
    found = importlib.util.find_spec("swagger_ui")
    return Path(next(iter(found.submodule_search_locations))) / "static"


@docs.get("/openapi.json")
def openapi():
    return jsonify(document())


@docs.get("/docs")
def reference():
    return render_template("api/reference.html")


@docs.get("/reference/swagger-ui/<name>")
def swagger_asset(name: str):
    if name not in ASSETS:
        abort(404)
    return send_from_directory(_swagger_ui_dir(), name, max_age=86400)
