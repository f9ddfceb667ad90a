"""The dashboard page as readers without an account or a session get it, rendered and gzipped
once per address, language and data generation.

Most readers of the dashboard are anonymous, and for them the page depends on nothing but
its address (the filters), the language and the data: after the figures and their cards
(wiki.dashboard_cards) are cached, compressing ~400 KB of HTML is the largest cost of a
request. A signed-in reader, or one with a session (a chosen language, a message to show),
gets the page rendered for them. A change of data is a new generation: it shows on the next
request."""

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Response, current_app, request, session
from flask_login import current_user

from practices.dashboard_figures import generation
from wiki.db import get_session
from wiki.i18n import current_language

PAGES_KEPT = 32
_LOCK = threading.Lock()


def page(render: Callable[[], str]) -> Response:
    if current_user.is_authenticated or session:
        return Response(render(), mimetype="text/html")
    search_behind = current_app.jinja_env.globals["search_behind"]()  # the page's banner
    key = (request.full_path, current_language(), generation(get_session()), search_behind)
    store = current_app.extensions.setdefault("dashboard_pages", OrderedDict())
    with _LOCK:
        entry = store.get(key)
    if entry is None:
        body = render().encode()
        entry = (body, gzip.compress(body, 6))
        with _LOCK:
            store[key] = entry
            while len(store) > PAGES_KEPT:
                store.popitem(last=False)
    response = Response(entry[0], mimetype="text/html")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(entry[1])  # Flask-Compress leaves an encoded answer alone
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    return response
