"""Where WOCAT records come from: a file, a folder, or one of the two WOCAT APIs.

A source yields `Item`s: a record's key and source timestamp, and a `load()` that reads or
fetches it only when the sync needs it, so that an unchanged record costs no download.
Files are streamed (JSON arrays and JSON lines are read item by item), never loaded whole.

HTTP: explicit timeouts; 429, 5xx and network errors are retried with exponential backoff
a bounded number of times (honouring Retry-After); 401/403 stop the run with `AccessDenied`.
"""

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from practices.importers.incoming import Failed, Incoming, parse_time
from practices.importers.json_items import UnreadableJSON, items_at
from practices.importers.wocat import map_record, source_id
from practices.importers.wocat_record import technology_number

if TYPE_CHECKING:  # httpx is loaded by the API client itself: web workers never need it
    import httpx

Loaded = Iterable[Incoming | Failed]
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_LIST_PAGE_START = re.compile(rb'^\s*\{\s*"(count|next|previous|results)"')


class SourceError(Exception):
    """The source as a whole cannot be read: the run stops with this message."""


class AccessDenied(SourceError):
    """The API refused the token (HTTP 401 or 403)."""


@dataclass
class Item:
    key: str  # the record's source_id, e.g. "wocat:technologies_1724"
    updated: datetime | None
    load: Callable[[], Loaded]
    label: str = ""


@dataclass
class Source:
    description: str
    items: Iterator[Item]
    total: int | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)
    http: "Http | None" = None  # an API's client, which also fetches the records' photos

    def close(self) -> None:
        for close in self.closers:
            close()


def open_source(location: str, *, token: str | None = None, client: "Http | None" = None) -> Source:
    """A source for a path (file or folder) or an http(s) URL."""
    if location.startswith(("http://", "https://")):
        http = client or Http(token=token)
        source = Source(_public(location), iter(()), closers=[http.close], http=http)
        source.items = _api_items(http, location, source)
        return source
    path = Path(location)
    if path.is_dir():
        return Source(str(path), _folder_items(path))
    if path.is_file():
        return Source(str(path), _file_items(path), total=_count_lines(path))
    raise SourceError(f"No such file or folder: {location}")


def _count_lines(path: Path) -> int | None:
    """How many records a JSON-lines file holds (a quick pass over its bytes), for the
    progress bar; None for other files."""
    with path.open("rb") as handle:
        first = handle.readline()
        if not _complete_json(first) or not handle.read(256).strip():
            return None
        handle.seek(0)
        return sum(1 for line in handle if line.strip())


def _public(url: str) -> str:
    """The URL without its query string (which could carry a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# Files and folders ---------------------------------------------------------------------


def _folder_items(folder: Path) -> Iterator[Item]:
    files = sorted(path for path in folder.rglob("*") if path.is_file()
                   and path.suffix.lower() in JSON_SUFFIXES)
    lists = [path for path in files if _is_list_page(path)]
    consumed: set[Path] = set()
    for page in lists:
        yield from _list_page_items(page, consumed)
    for path in files:
        if path not in consumed and path not in lists:
            yield from _file_items(path)


def _is_list_page(path: Path) -> bool:
    with path.open("rb") as handle:
        return bool(_LIST_PAGE_START.match(handle.read(512)))


def _file_items(path: Path) -> Iterator[Item]:
    if _is_list_page(path):
        yield from _list_page_items(path, set())
        return
    with path.open("rb") as handle, _unreadable_stops_the_run(path):
        for index, data in enumerate(_json_values(handle)):
            yield _loaded_item(data, {"filename": path.name}, f"{path.name}#{index + 1}")


@contextmanager
def _unreadable_stops_the_run(path: Path) -> Iterator[None]:
    """A file that breaks off or is not JSON stops the run (records before it are kept)."""
    try:
        yield
    except UnreadableJSON as broken:
        raise SourceError(f"{path.name}: {broken}") from None


def _json_values(handle: IO[bytes]) -> Iterator[Any]:
    """The records of a file: each item of a top-level array, each line of JSON lines, or
    the one object the file holds."""
    start = handle.read(1024)
    first = start.lstrip()[:1]
    handle.seek(0)
    if first == b"[":
        yield from items_at(handle)
        return
    first_line = handle.readline()  # a JSON-lines record can be far longer than `start`
    more = handle.read(256).strip()
    handle.seek(0)
    if more and _complete_json(first_line):
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except (ValueError, RecursionError) as broken:
                    yield _Broken(f"line {number} is not valid JSON: {_reason(broken)}")
        return
    try:
        yield json.load(handle)
    except (ValueError, RecursionError) as broken:
        yield _Broken(f"not valid JSON: {_reason(broken)}")


def _complete_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _reason(error: Exception) -> str:
    # json's parser recurses once per nested bracket: deep nesting is an error, not a crash.
    return "nested too deep" if isinstance(error, RecursionError) else str(error)


@dataclass(frozen=True)
class _Broken:
    reason: str


def _loaded_item(data: Any, hint: dict, label: str) -> Item:
    if isinstance(data, _Broken):
        return Item(label, None, lambda: [Failed(label, data.reason)], label)
    named = detail_file(Path(hint.get("filename") or ""))
    if named and named[1] and named[1] != "en" and not hint.get("language"):
        # A language version saved on its own: a translation of the English original.
        hint = dict(hint, language=named[1], translations=[["en"], [named[1]]])
    number = _number_of(data, hint)
    translated = named is not None and hint.get("translations") and \
        hint.get("language") != hint["translations"][0][0]
    key = source_id(number, hint.get("language") or "", not translated) \
        if number is not None else label
    updated = parse_time(hint.get("updated")) or _updated_of(data)
    return Item(key, updated, lambda: list(map_record(data, hint=hint)), label)


def _number_of(data: Any, hint: dict) -> int | None:
    if not isinstance(data, dict):
        return None
    return technology_number(hint.get("code") or data.get("id") or data.get("code")
                             or hint.get("filename"))


def _updated_of(data: Any) -> datetime | None:
    version = data.get("selected_version") if isinstance(data, dict) else None
    return parse_time(version.get("updated_at")) if isinstance(version, dict) else None


# A saved v2 detail: "…technologies_1724.json", or a language version of it,
# "…technologies_1724.fr.json" (also "_fr" or "-fr" before ".json").
_DETAIL_NAME = re.compile(r"(?<![0-9a-z])technologies_(\d+)(?:[._-]([a-z]{2}))?\.json$",
                          re.IGNORECASE)


def detail_file(path: Path) -> tuple[int, str | None] | None:
    """(technology number, language or None) for a saved v2 detail file's name."""
    match = _DETAIL_NAME.search(path.name)
    if not match:
        return None
    return int(match.group(1)), match.group(2).lower() if match.group(2) else None


def _list_page_items(page: Path, consumed: set[Path]) -> Iterator[Item]:
    """A saved v2 list page: each summary's detail is a file beside it named by its code
    (language versions named with the language after it: technologies_1724.fr.json)."""
    details: dict[int, dict[str | None, Path]] = {}
    for path in sorted(page.parent.iterdir()):
        named = detail_file(path) if path != page else None
        if named:
            details.setdefault(named[0], {})[named[1]] = path
    with page.open("rb") as handle, _unreadable_stops_the_run(page):
        for summary in items_at(handle, ("results",)):
            code = str(summary.get("code") or "") if isinstance(summary, dict) else ""
            number = technology_number(code) if code.startswith("technologies_") else None
            if number is None:
                yield Item(code, None, lambda c=code: [Failed(
                    c, "not an SLM Technology (only technologies are imported)")], code)
                continue
            key = source_id(number, "", True)
            hint = _hint(summary)
            files = details.get(number)
            if not files:
                reason = f"no detail file for {code} beside {page.name}"
                yield Item(key, hint["updated"], lambda r=reason, k=key: [Failed(k, r)], code)
                continue
            consumed.update(files.values())
            yield Item(key, hint["updated"], lambda f=files, h=hint: _load_files(f, h), code)


def _load_files(files: dict[str | None, Path], hint: dict) -> Loaded:
    """Every language version of one record, its original first."""
    own = hint.get("language") or "en"
    by_language = {language or own: path for language, path in files.items()}
    languages = [lang for lang, *_ in hint.get("translations") or ()] or [own]
    languages += [lang for lang in by_language if lang not in languages]
    hint = dict(hint, translations=[[lang] for lang in languages])
    results: list[Incoming | Failed] = []
    for language in languages:
        if language in by_language:
            results.extend(_load_file(by_language[language], dict(hint, language=language)))
    return results


def _hint(summary: dict) -> dict:
    details = str(summary.get("details") or "")
    match = re.match(r"^(?:https?://[^/]+)?/([a-z]{2})/", details)
    return {"code": summary.get("code"), "updated": parse_time(summary.get("updated")),
            "edition": summary.get("edition"), "translations": summary.get("translations"),
            "language": match.group(1) if match else None}


def _load_file(path: Path, hint: dict) -> Loaded:
    with path.open("rb") as handle:
        data = json.load(handle)
    return list(map_record(data, hint=dict(hint, filename=path.name)))


# APIs ----------------------------------------------------------------------------------


class Http:
    """A small, patient JSON client: timeouts, bounded retries with backoff, token auth."""

    def __init__(self, *, token: str | None = None, attempts: int = 4, backoff: float = 1.0,
                 timeout: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 transport: "httpx.BaseTransport | None" = None):
        import httpx  # imports only: web workers never load it (issue 12)

        headers = {"Accept": "application/json", "User-Agent": "practice-wiki importer"}
        if token:
            headers["Authorization"] = f"Token {token}"
        self.client = httpx.Client(headers=headers, follow_redirects=True, transport=transport,
                                   timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))
        self.attempts, self.backoff, self.sleep = attempts, backoff, sleep

    def get_json(self, url: str) -> Any:
        import httpx

        last_problem = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.client.get(url)
            except httpx.TransportError as error:  # timeouts, refused connections, resets
                last_problem = f"{type(error).__name__}"
                self._wait(attempt, None)
                continue
            if response.status_code in (401, 403):
                raise AccessDenied(
                    f"The server refused access (HTTP {response.status_code}) to "
                    f"{_public(url)}: check the token (--token).")
            if last_problem := self._retry_later(response, attempt):
                continue
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} for {_public(url)}")
            try:
                return response.json()
            except ValueError:
                raise FetchError(f"{_public(url)} did not answer JSON") from None
        raise FetchError(f"{_public(url)} failed {self.attempts} times ({last_problem})")

    def get_bytes(self, url: str, limit: int) -> bytes:
        """A file (a record's photo) of at most `limit` bytes; FetchError otherwise. A refusal
        is a FetchError too: one photo must not stop the run."""
        import httpx

        last_problem = ""
        for attempt in range(1, self.attempts + 1):
            try:
                with self.client.stream("GET", url, headers={"Accept": "image/*"}) as response:
                    if last_problem := self._retry_later(response, attempt):
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code}")
                    return _bounded(response.iter_bytes(), limit)
            except httpx.TransportError as error:
                last_problem = type(error).__name__
                self._wait(attempt, None)
        raise FetchError(f"failed {self.attempts} times ({last_problem})")

    def _retry_later(self, response: "httpx.Response", attempt: int) -> str:
        """Rate-limited or a server error: wait before the next attempt and say why; ""
        for an answer to keep."""
        if response.status_code == 429 or response.status_code >= 500:
            self._wait(attempt, response.headers.get("Retry-After"))
            return f"HTTP {response.status_code}"
        return ""

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        if attempt >= self.attempts:
            return
        delay = self.backoff * 2 ** (attempt - 1)
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        self.sleep(min(delay, 60.0))

    def close(self) -> None:
        self.client.close()


class FetchError(SourceError):
    """One URL could not be fetched even after retries."""


def _bounded(chunks: Iterable[bytes], limit: int) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > limit:
            raise FetchError(f"larger than {limit // 2**20} MB")
    return bytes(data)


def _origin(url: str) -> str:
    """Where a record's photo paths ("/upload/…", "/media/…") are: its server's root."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _api_items(http: Http, url: str, source: Source) -> Iterator[Item]:
    first = http.get_json(url)
    if isinstance(first, dict) and isinstance(first.get("results"), list):
        if isinstance(first.get("count"), int):
            source.total = first["count"]
        yield from _paged_items(http, url, first)
    elif isinstance(first, list):
        source.total = len(first)
        yield from _database_items(http, url, first)
    elif isinstance(first, dict):
        yield _loaded_item(first, {"language": _url_language(url), "media_base": _origin(url)},
                           _public(url))
    else:
        raise SourceError(f"{_public(url)} did not answer a list or a record")


def _paged_items(http: Http, url: str, page: dict) -> Iterator[Item]:
    """QCAT v2 (`next` links, `details` per summary) or a paged new-API list."""
    seen = {url}
    while True:
        for summary in page["results"]:
            if isinstance(summary, dict):
                yield _summary_item(http, url, summary)
        following = page.get("next")
        if not following:
            return
        url = urljoin(url, following)
        if url in seen:  # a server whose `next` loops back would otherwise never end
            raise SourceError(f"{_public(url)} was already read: the server's paging loops")
        seen.add(url)
        page = http.get_json(url)
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise SourceError(f"{_public(url)} is not a list page")


def _summary_item(http: Http, base: str, summary: dict) -> Item:
    if summary.get("details"):  # QCAT v2
        hint = _hint(summary)
        number = technology_number(summary.get("code"))
        key = source_id(number, "", True) if number is not None else str(summary.get("code"))
        detail_url = urljoin(base, summary["details"])
        return Item(key, hint["updated"], lambda: _fetch_v2(http, detail_url, hint),
                    str(summary.get("code")))
    return _database_item(http, base, summary)


def _fetch_v2(http: Http, detail_url: str, hint: dict) -> Loaded:
    """The detail in its own language, then in each of its other languages."""
    languages = [lang for lang, *_ in hint.get("translations") or ()]
    own = hint.get("language") or "en"
    urls = [(own, detail_url)] + [
        (lang, re.sub(r"/[a-z]{2}/api/", f"/{lang}/api/", detail_url, count=1))
        for lang in languages if lang != own]
    if languages and languages[0] != own:  # fetch the original first, then translations
        urls.sort(key=lambda pair: pair[0] != languages[0])
    results: list[Incoming | Failed] = []
    for lang, url in urls:
        try:
            data = http.get_json(url)
        except FetchError as failed:
            results.append(Failed(f"{hint.get('code')}:{lang}", str(failed)))
            continue
        results.extend(map_record(data, hint=dict(hint, language=lang,
                                                  media_base=_origin(url))))
    return results


def _database_items(http: Http, url: str, summaries: list) -> Iterator[Item]:
    for summary in summaries:
        if isinstance(summary, dict):
            yield _database_item(http, url, summary)


def _database_item(http: Http, base: str, summary: dict) -> Item:
    number = technology_number(summary.get("id"))
    updated = parse_time(summary.get("updated_at") or (
        summary.get("selected_version") or {}).get("updated_at"))
    if number is None:
        return Item("?", None, lambda: [Failed("?", "a summary without an id")], "?")
    key = source_id(number, "", True)
    detail_url = urljoin(base.split("?")[0].rstrip("/") + "/", f"{number}/")

    def load() -> Loaded:
        try:
            return list(map_record(http.get_json(detail_url),
                                   hint={"media_base": _origin(detail_url)}))
        except FetchError as failed:
            return [Failed(key, str(failed))]

    return Item(key, updated, load, f"technologies_{number}")


def _url_language(url: str) -> str | None:
    match = re.search(r"://[^/]+/([a-z]{2})/api/", url)
    return match.group(1) if match else None
