"""Finished anonymous pages, kept per process and shared by the workers of a machine:
MediaWiki's file cache.

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

Pages are kept in a folder all the workers of the machine share (`SharedPages`), so that a
page is made once per version for the machine rather than once per worker; the folder holds
one subfolder per version. The system's file cache keeps those files in memory once for all
the workers, so a worker keeps no copy of its own (it would only add to each worker's size:
~1 MB after the benchmark, up to 8 MB on a busy wiki) unless told to (`PAGE_CACHE_BYTES`),
or unless nothing is shared (`SHARED_PAGE_BYTES=0`): then each worker keeps its pages in a
bounded LRU (`PageCache`). Both tiers are keyed the same way.
"""

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, g, request, request_finished, session

from wiki.config import DEFAULT_PAGE_CACHE_BYTES, DEFAULT_SHARED_PAGE_BYTES

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


class SharedPages:
    """Finished pages in a folder the workers of one machine share: one file per page in
    one subfolder per version of the wiki.

    A file is written whole under another name, then renamed: a reader finds the old page,
    the new one or none, never half of one. When a worker sees a newer version it removes
    the subfolders of the others (versions only grow). Each worker writes at most
    `max_bytes` per version, so crawlers asking for endless searches cannot fill the disk.
    """

    def __init__(self, folder: str | Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._version = None
        self._written = 0

    def get(self, version: str, key: tuple) -> Entry | None:
        try:
            data = (self._version_folder(version) / _file_name(key)).read_bytes()
        except OSError:
            return None
        return _decoded(data)

    def put(self, version: str, key: tuple, entry: Entry) -> None:
        with self._lock:
            if version != self._version:
                self._start_version(version)
            if self._written + entry.size > self.max_bytes:
                return
            self._written += entry.size
        folder = self._version_folder(version)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, part = tempfile.mkstemp(dir=folder, prefix=".part-")
        except OSError:  # a full disk, no permission: the page is simply not shared
            return
        try:
            with os.fdopen(handle, "wb") as writing:
                writing.write(_encoded(entry))
            os.replace(part, folder / _file_name(key))
        except OSError:
            _remove_quietly(part)

    def _start_version(self, version: str) -> None:
        self._version, self._written = version, 0
        current = _version_name(version)
        try:
            others = [p for p in self.folder.iterdir() if p.is_dir() and p.name != current]
        except OSError:
            return
        for older in others:
            shutil.rmtree(older, ignore_errors=True)

    def _version_folder(self, version: str) -> Path:
        return self.folder / _version_name(version)


def _version_name(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:32]


def _file_name(key: tuple) -> str:
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()


def _encoded(entry: Entry) -> bytes:
    head = json.dumps({"headers": entry.headers, "mimetype": entry.mimetype}).encode()
    return len(head).to_bytes(4, "big") + head + entry.body


def _decoded(data: bytes) -> Entry | None:
    """The entry a file holds, or None for a file that is not one (cut short, foreign)."""
    try:
        length = int.from_bytes(data[:4], "big")
        head = json.loads(data[4:4 + length])
        headers = tuple((str(name), str(value)) for name, value in head["headers"])
        mimetype = head["mimetype"]
    except (ValueError, KeyError, TypeError):
        return None
    if length + 4 > len(data) or not (mimetype is None or isinstance(mimetype, str)):
        return None
    return Entry(data[4 + length:], headers, mimetype)


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def init_app(app: Flask) -> None:
    app.config.setdefault("SHARED_PAGE_BYTES", DEFAULT_SHARED_PAGE_BYTES)
    shared_bytes = int(app.config["SHARED_PAGE_BYTES"])
    max_bytes = app.config.get("PAGE_CACHE_BYTES")
    if max_bytes is None:
        max_bytes = 0 if shared_bytes > 0 else DEFAULT_PAGE_CACHE_BYTES
    max_bytes = int(max_bytes)
    if max_bytes > 0:
        app.extensions["page_cache"] = PageCache(max_bytes)
    if shared_bytes > 0:
        # Beside the search index by default: like it, the folder belongs to one machine.
        folder = app.config.get("PAGE_CACHE_DIR") or f"{app.config['SEARCH_INDEX_DIR']}-pages"
        app.extensions["shared_pages"] = SharedPages(folder, shared_bytes)
    if max_bytes > 0 or shared_bytes > 0:
        request_finished.connect(_store, app, weak=False)


def do_not_store() -> None:
    """This answer is right for this request but must not be replayed (the view knows it
    is built from something the wiki's version does not follow)."""
    g.page_cache_skip = True


def answer(app: Flask, version: str, etag: str):
    """The kept response for this request, or None (and then, if the request is one whose
    answer may be kept, remember where to keep it)."""
    memory: PageCache | None = app.extensions.get("page_cache")
    shared: SharedPages | None = app.extensions.get("shared_pages")
    if (memory is None and shared is None) or not _anonymous_get():
        return None
    accept_encoding = request.headers.get("Accept-Encoding", "")
    if len(accept_encoding) > MAX_KEY_HEADER or len(request.headers.get("Accept", "")) > \
            MAX_KEY_HEADER:
        return None
    # The ETag already holds the release, version, full path, language, reader and Accept.
    key = (etag, accept_encoding, request.host_url)
    entry = memory.get(version, key) if memory is not None else None
    if entry is None and shared is not None:
        entry = shared.get(version, key)
        if entry is not None and memory is not None:
            memory.put(version, key, entry)
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
    for tier in ("page_cache", "shared_pages"):
        if tier in app.extensions:
            app.extensions[tier].put(*slot, entry)


def _keepable(response) -> bool:
    return (response.status_code == 200 and not response.is_streamed
            and not response.direct_passthrough and "Set-Cookie" not in response.headers
            and response.headers.get("Cache-Control", "").startswith("public")
            and not session.modified)
