"""Offline reading (issue 16): the web app manifest, the service worker and the page that
lists the sheets saved on this device.

What may be kept offline is decided here, on the server: only sheet pages rendered for an
anonymous reader carry `X-Offline: public`, and the service worker stores nothing else. So a
signed-in page (a name, a watch button, a form with a CSRF token) is never cached, and one
account never sees what another saw on a shared phone.
"""

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_login import current_user

bp = Blueprint("offline", __name__)
OFFLINE_ENDPOINTS = frozenset({"sheets.view"})


@bp.get("/sw.js")
def service_worker():
    # Served from the root so that its scope is the whole site.
    response = Response(_static("sw.js"), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    return Response(_static("manifest.webmanifest"), mimetype="application/manifest+json")


def _static(name: str) -> bytes:
    return (Path(current_app.static_folder) / name).read_bytes()


@bp.get("/offline")
def saved():
    """The sheets saved on this device; the list itself is read from the browser's cache."""
    return render_template("offline/saved.html")


def mark_public_pages(response):
    # The endpoint first: reading current_user loads the user (or refuses an API token),
    # which only pages that may be kept need.
    if (request.endpoint in OFFLINE_ENDPOINTS | {"offline.saved"} and request.method == "GET"
            and response.status_code == 200 and response.mimetype == "text/html"
            and not current_user.is_authenticated):
        response.headers["X-Offline"] = "public"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(mark_public_pages)
