"""HTTP done right: compressed responses, static files under content-hashed URLs that never
expire, conditional requests (ETag / Last-Modified, 304) and Cache-Control for every page.

Pages a reader gets without signing in, and without anything in a session, are the same for
everyone who asks in the same language: they are `public, max-age=60`, so a reverse proxy
may keep them, and they carry no cookie. Their ETag is the wiki's version
(`practices.freshness`) plus what else shapes the page (address, language, the code of this
release), so a revalidation costs one small query and no rendering. Signed-in pages are
`private`, and so are pages for a reader whose session holds something (a language chosen,
a form's token); an answer that sets the session cookie is `no-store`.
"""

import hashlib
from pathlib import Path

from flask import Flask, current_app, g, request, session
from flask_compress import Compress
from flask_login import current_user
from werkzeug.http import is_resource_modified

from practices.freshness import Version, current_version
from wiki import page_cache
from wiki.db import get_session
from wiki.i18n import current_language

IMMUTABLE = "public, max-age=31536000, immutable"
PUBLIC_MAX_AGE = 60
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/geo+json",
    "application/atom+xml",
    "application/xml",
    "image/svg+xml",
    "text/plain",
    "text/csv",
]
PUBLIC_STATUSES = {200, 301, 304, 404, 410}
# Pages whose content follows the wiki's version alone (with the address and the language).
CONDITIONAL_ENDPOINTS = frozenset(
    {
        "home.index",
        "home.practices",
        "home.recent",
        "sheets.view",
        "sheets.history",
        "sheets.diff",
        "sheets.revision",
        "feeds.recent",
        "feeds.sheet",
        "feeds.college",
        "groups.college",
        "groups.college_list",
        "groups.organization",
        "groups.organization_list",
        "discussions.index",
        "discussions.thread",
        "map.world_map",
        # (api.get_practice has its own strong ETag: the one a PUT's If-Match names.)
        "api.list_practices",
        "api.list_revisions",
        "api.get_revision",
        "api.search_practices",
        "api.list_threads",
        "api.get_thread",
        "api.list_colleges",
        "api.get_college",
        "api.list_organizations",
        "api.get_organization",
    }
)

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Streamed answers (exports) are sent as they are made, uncompressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    hashes = static_hashes(app.static_folder)
    app.extensions["static_hashes"] = hashes
    app.extensions["release"] = release_stamp(app, hashes)
    app.url_defaults(_hashed_static_url)
    app.before_request(_answer_not_modified)
    # Registered after Flask-Compress: after-request functions run last-registered first,
    # so validators and Cache-Control are set before the body is compressed.
    app.after_request(_cache_headers)
    page_cache.init_app(app)  # finished anonymous pages, answered again until a change


# Static files ----------------------------------------------------------------------------


def static_hashes(folder: str | None) -> dict[str, str]:
    """File name (relative, with /) -> a short hash of its content, computed once at start."""
    if not folder or not Path(folder).is_dir():
        return {}
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): _digest(path.read_bytes())[:12]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


RELEASE_FILES = (".py", ".html", ".mo", ".json", ".csv", ".tsv", ".txt")


def release_stamp(app: Flask, hashes: dict[str, str]) -> str:
    """Changes whenever the code, templates, translations, vocabularies or static files
    change (a new release): part of each ETag, so an upgrade never answers 304 with a page
    of the old release. Read once per process at start (about a megabyte)."""
    parts = [f"{name}={digest}" for name, digest in hashes.items()]
    project = Path(app.root_path).parent
    folders = [Path(app.root_path, app.template_folder or "templates")]
    folders += [project / package for package in ("wiki", "practices", "search")]
    for folder in folders:
        parts += [
            _digest(path.read_bytes())
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix in RELEASE_FILES and "static" not in path.parts
        ]
    return _digest("\n".join(parts).encode())[:16]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hashed_static_url(endpoint: str, values: dict) -> None:
    """`url_for('static', filename=…)` gets `?v=<hash of the file>`: a new file, a new URL."""
    if endpoint != "static" or "v" in values:
        return
    digest = current_app.extensions["static_hashes"].get(values.get("filename", ""))
    if digest:
        values["v"] = digest


def _static_headers(response) -> None:
    digest = current_app.extensions["static_hashes"].get(request.view_args.get("filename", ""))
    if digest and request.args.get("v") == digest and response.status_code in (200, 304):
        response.headers["Cache-Control"] = IMMUTABLE


# Conditional requests --------------------------------------------------------------------


def _conditional() -> bool:
    if request.method not in ("GET", "HEAD") or request.endpoint not in CONDITIONAL_ENDPOINTS:
        return False
    if "_flashes" in session:  # a message shown once: this answer is this reader's own
        return False
    # Signed-in pages show notifications and per-user buttons; API answers do not.
    return not current_user.is_authenticated or request.blueprint == "api"


def _page_etag() -> tuple[str, Version]:
    version = current_version(get_session())
    user = current_user.get_id() if current_user.is_authenticated else "-"
    key = "\n".join(
        (
            current_app.extensions["release"],
            version.stamp,
            request.full_path,
            current_language(),
            user,
            request.headers.get("Accept", ""),
        )
    )
    return _digest(key.encode())[:32], version


def _answer_not_modified():
    if not _conditional():
        return None
    etag, version = _page_etag()
    last_modified = version.last_modified
    g.page_validators = (etag, last_modified)
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        return page_cache.answer(current_app, version.stamp, etag)
    response = current_app.response_class(status=304)
    _set_validators(response, etag, last_modified)
    return response


def _set_validators(response, etag: str, last_modified) -> None:
    # Weak: the compressed and the plain body are the same page to a cache.
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified


# Cache-Control ---------------------------------------------------------------------------


def _signed_in() -> bool:
    """Whether this request's user was signed in, without loading the user now (after the
    response is made, a refused API token must not raise again)."""
    if "Authorization" in request.headers:
        return True
    user = g.get("_login_user")
    return user is not None and user.is_authenticated


def _cache_headers(response):
    if (response.direct_passthrough and response.status_code == 200
            and response.mimetype in COMPRESSED_TYPES):
        # A file sent as is (CSS, JS, SVG): read now, so that it is compressed in one piece
        # and closed with the response (a compressing stream would leave it open).
        response.direct_passthrough = False
        response.make_sequence()
    if request.endpoint == "static":
        _static_headers(response)
        return response
    if page_cache.replayed():  # finished when it was kept
        return response
    validators = g.pop("page_validators", None)
    if validators and response.status_code == 200 and "ETag" not in response.headers:
        _set_validators(response, *validators)
    if "Cache-Control" in response.headers or request.method not in ("GET", "HEAD"):
        return response
    if session.modified:
        # This answer sets the reader's cookie (a form's CSRF token, a shown message).
        response.headers["Cache-Control"] = "private, no-store"
    elif session or _signed_in():
        # Shaped by the reader's session (a chosen language, an account): theirs only.
        response.headers["Cache-Control"] = "private, no-cache"
    elif response.status_code in PUBLIC_STATUSES:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
