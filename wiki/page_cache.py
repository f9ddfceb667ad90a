"""Finished anonymous pages, kept per process: MediaWiki's file cache, in memory.

A page a reader gets without signing in and without anything in a session is the same for
everyone who asks for it with the same address, language, Accept header, Accept-Encoding
and host, as long as the wiki's version (`practices.freshness`) has not changed: that is
what its ETag already promises (`wiki.caching`). So the finished response (headers, and the
body already compressed) is kept in a bounded LRU and the next such request is answered
from it after the one version query, without a view, a template or compression.

Never kept: anything for a signed-in reader, an API token, a reader with a session (a chosen
language, a message shown once, a form's token), an answer that is not `200` and
`Cache-Control: public`, one that sets a cookie, a streamed one, and one whose view said it
must not be (`do_not_store()`: a search page built from an index that lags behind the
database). Drafts are never public, so a kept page never shows one. When the version moves
on, every kept page is dropped at once: none of them can be asked for again.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, g, request, request_finished, session

from wiki.config import DEFAULT_PAGE_CACHE_BYTES

MAX_ENTRY_BYTES = 512 * 1024
MAX_KEY_HEADER = 256  # longer Accept / Accept-Encoding headers are not worth keeping apart
PER_REQUEST_HEADERS = {"x-request-id", "set-cookie", "date"}


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    mimetype: str | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class PageCache:
    """A bounded LRU of finished responses, all of one version of the wiki."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._version = None

    def get(self, version: str, key: tuple) -> Entry | None:
        with self._lock:
            if version != self._version:
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, version: str, key: tuple, entry: Entry) -> None:
        size = entry.size
        if size > min(self.max_bytes, MAX_ENTRY_BYTES):
            return
        with self._lock:
            if version != self._version:
                self._forget_all(version)
            previous = self._entries.pop(key, None)
            self._bytes += size - (previous.size if previous is not None else 0)
            self._entries[key] = entry
            while self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def _forget_all(self, version: str) -> None:
        # Versions only grow: a page of an older one can never be asked for again.
        self._entries.clear()
        self._bytes = 0
        self._version = version

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE_BYTES", DEFAULT_PAGE_CACHE_BYTES)
    max_bytes = int(app.config["PAGE_CACHE_BYTES"])
    if max_bytes <= 0:
        return
    app.extensions["page_cache"] = PageCache(max_bytes)
    request_finished.connect(_store, app, weak=False)


def do_not_store() -> None:
    """This answer is right for this request but must not be replayed (the view knows it
    is built from something the wiki's version does not follow)."""
    g.page_cache_skip = True


def answer(app: Flask, version: str, etag: str):
    """The kept response for this request, or None (and then, if the request is one whose
    answer may be kept, remember where to keep it)."""
    cache: PageCache | None = app.extensions.get("page_cache")
    if cache is None or not _anonymous_get():
        return None
    accept_encoding = request.headers.get("Accept-Encoding", "")
    if len(accept_encoding) > MAX_KEY_HEADER or len(request.headers.get("Accept", "")) > \
            MAX_KEY_HEADER:
        return None
    # The ETag already holds the release, version, full path, language, reader and Accept.
    key = (etag, accept_encoding, request.host_url)
    entry = cache.get(version, key)
    if entry is None:
        g.page_cache_slot = (version, key)
        return None
    response = app.response_class(entry.body, status=200, mimetype=entry.mimetype)
    response.headers.clear()
    response.headers.extend(entry.headers)
    g.page_cache_hit = True
    return response


def replayed() -> bool:
    return g.get("page_cache_hit", False)


def _anonymous_get() -> bool:
    from flask_login import current_user  # (imported here: flask-login needs an app context)

    return (request.method == "GET" and "Authorization" not in request.headers
            and not session and not current_user.is_authenticated)


def _store(app: Flask, response, **_extra) -> None:
    slot = g.pop("page_cache_slot", None)
    if slot is None or g.get("page_cache_skip") or not _keepable(response):
        return
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in PER_REQUEST_HEADERS)
    entry = Entry(response.get_data(), headers, response.mimetype)
    app.extensions["page_cache"].put(*slot, entry)


def _keepable(response) -> bool:
    return (response.status_code == 200 and not response.is_streamed
            and not response.direct_passthrough and "Set-Cookie" not in response.headers
            and response.headers.get("Cache-Control", "").startswith("public")
            and not session.modified)
