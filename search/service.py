"""The one object the web app (and the CLI) talks to: search, keep up with edits, recover.

One `SearchService` per app and process. It opens the live index lazily, after any fork, and
reopens it when a rebuild switches versions; each thread keeps a searcher and refreshes it
when the index changes; what depends only on the index generation (facet bitsets, sort
orders, whole result pages) is cached under that generation. After every commit that touched
a sheet the service applies the change log, never failing the commit. A missing or damaged
index is rebuilt (in the request when the wiki is small, otherwise in the background while
pages are served from the database) and pages say so.
"""

import contextlib
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from itertools import islice

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from practices import catalog
from practices.models import ChangeLogEntry, User
from practices.paging import Paged, page_count
from search import indexer
from search.carbon import best_rates, chosen_cells
from search.documents import count_live
from search.matrix import Snapshot, all_of, any_of, docnums_of
from search.query import SearchRequest, text_query
from search.schema import FACETS
from search.snippets import highlighted, query_terms, suggestion
from search.store import IndexStore, IndexUnavailable, RebuildRunning, SchemaChanged
from search.visibility import Scope, scope_for

log = logging.getLogger(__name__)
CACHE_SIZE = 512
RECOVERY_REBUILD_MEMORY_MB = 256  # a rebuild inside a worker (the CLI's default is 1024)
RECOVERY_PAUSE = 60.0  # seconds between two recovery attempts of one process
# "Did you mean" for a query that finds something: only when it finds at most NEAR_MISS_FEW
# sheets and the close spelling finds NEAR_MISS_FACTOR times as many, and NEAR_MISS_MORE more.
NEAR_MISS_FEW = 5
NEAR_MISS_FACTOR = 3
NEAR_MISS_MORE = 3
CATALOG_FACETS = {facet: name for facet, name in FACETS.items()
                  if name in catalog.FILTERABLE}


class Notice:
    REBUILDING = "rebuilding"  # no usable index yet: the page comes from the database
    REBUILT = "rebuilt"        # the index was missing or damaged and was rebuilt just now
    BEHIND = "behind"          # the index cannot be written (disk full, permissions): the
                               # latest changes are not in the results yet


@dataclass(frozen=True)
class CheckResult(indexer.CheckReport):
    unwritable: str | None = None  # why the index cannot be written, when it cannot


@dataclass
class Hit:
    sheet_id: int
    slug: str
    language: str
    title_html: str | None = None
    snippet_html: str | None = None
    carbon_per_mille: float | None = None  # best IPCC estimate in the chosen zone × soil


@dataclass
class SearchPage(Paged):
    request: SearchRequest
    total: int
    page: int
    hits: list[Hit]
    counts: dict[str, dict[str, int]]
    suggestion: str | None = None
    notice: str | None = None
    scope: Scope | None = field(default=None, repr=False)
    # The index had not applied every committed change (another process was writing it):
    # right for now, but not a page to keep for this version of the wiki (wiki.page_cache).
    lagging: bool = False

    @property
    def per_page(self) -> int:
        return self.request.per_page


class SearchService:
    def __init__(self, index_dir: str, engine: Engine, *, sync_rebuild_limit: int = 2000,
                 write_timeout: float = 5.0):
        self.store = IndexStore(index_dir)
        self.engine = engine
        self.sync_rebuild_limit = sync_rebuild_limit
        self.write_timeout = write_timeout
        self._lock = threading.RLock()
        self._pid: int | None = None
        self._reset()
        _SERVICES[engine] = self

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._name: str | None = None
        self._ix: FileIndex | None = None
        self._checked = False
        self._local = threading.local()
        self._snapshot: tuple[tuple, Snapshot] | None = None
        self._pages: OrderedDict = OrderedDict()
        self._rebuilder: threading.Thread | None = None
        self._last_recovery = -RECOVERY_PAUSE
        self.unwritable: str | None = None  # why the last write of the index failed
        self._outdated: str | None = None  # a version found built with an older schema

    # The live index ------------------------------------------------------------------

    def _open(self) -> FileIndex | None:
        """The live index of this process, (re)opened when needed; None if there is none."""
        with self._lock:
            if self._pid != os.getpid():  # forked: nothing opened before may be shared
                self._reset()
            name = self.store.current_name()
            if name is None:
                self._ix = self._name = None
                return None
            if name != self._name:
                try:
                    self._ix, self._name = self.store.open(name), name
                except SchemaChanged:
                    # Not damage: a new release changed the fields. Callers rebuild it.
                    if self._outdated != name:
                        self._outdated = name
                        log.warning("search schema changed: rebuilding the index")
                    self._ix = self._name = None
                    return None
            ix = self._ix
            if not self._checked:
                self._checked = True
                self._startup_check(ix)
            return ix

    def _startup_check(self, ix: FileIndex) -> None:
        try:
            report = indexer.check(ix, self.engine, fix=True, timeout=self.write_timeout)
            if not report.in_sync:
                log.info("search index caught up at start: %s", report)
        except indexer.IndexBusy:
            log.info("search index busy at start; another process is catching up")
        except Exception:  # noqa: BLE001 - a check must never stop the app from serving
            log.exception("search index check failed at start")

    def _acquire(self) -> tuple[FileIndex | None, str | None]:
        """The index to search and a notice for the page; recovers a missing or bad index."""
        try:
            ix = self._open()
            if ix is not None:
                return ix, None
        except IndexUnavailable:
            log.exception("search index unusable")
        return self._recover(urgent=True)

    def _recover(self, *, urgent: bool = False) -> tuple[FileIndex | None, str | None]:
        """Rebuild the index: at once when there is none (`urgent`); after a failed search,
        at most once per RECOVERY_PAUSE (a failure may not be the index's fault)."""
        with self._lock:
            if self._rebuilder is not None and self._rebuilder.is_alive():
                return None, Notice.REBUILDING
            if not urgent and time.monotonic() - self._last_recovery < RECOVERY_PAUSE:
                return None, Notice.REBUILDING
            self._last_recovery = time.monotonic()
            with Session(self.engine) as session:
                sheets = count_live(session)
            if sheets > self.sync_rebuild_limit:
                self._rebuilder = threading.Thread(target=self._rebuild_quietly,
                                                   name="search-rebuild", daemon=True)
                self._rebuilder.start()
                return None, Notice.REBUILDING
            if not self._rebuild_quietly():
                return None, Notice.REBUILDING
        try:
            ix = self._open()
        except IndexUnavailable:
            return None, Notice.REBUILDING
        return ix, (Notice.REBUILT if sheets else None)

    def _rebuild_quietly(self) -> bool:
        try:
            # In a web worker: a small sorting budget, as Python keeps memory it has used.
            report = indexer.rebuild(self.store, self.engine,
                                     memory_mb=RECOVERY_REBUILD_MEMORY_MB)
            log.warning("search index rebuilt: %d sheets in %.1f s", report.sheets,
                        report.seconds)
            return True
        except RebuildRunning:
            return False
        except Exception:  # noqa: BLE001 - logged; the next request tries again later
            log.exception("search index rebuild failed")
            return False

    def rebuild_in_background(self) -> None:
        """Start building a missing or outdated index, unless a rebuild is running (for a
        readiness probe: a new node must not wait for a first search to get its index)."""
        with self._lock:
            if self._pid != os.getpid():
                self._reset()
            if self._rebuilder is not None and self._rebuilder.is_alive():
                return
            self._rebuilder = threading.Thread(target=self._rebuild_quietly,
                                               name="search-rebuild", daemon=True)
            self._rebuilder.start()

    def wait_for_rebuild(self, timeout: float = 120.0) -> None:
        thread = self._rebuilder
        if thread is not None:
            thread.join(timeout)

    # Keeping up with the database ----------------------------------------------------

    def apply_changes(self, *, timeout: float | None = None) -> int:
        """Apply committed changes the index has not seen. Never raises: whatever is not
        applied now stays in the change log for the next catch-up."""
        try:
            ix = self._open()
            if ix is None:  # no index yet (a new wiki): build it, with this change in it
                self._recover(urgent=True)
                return 0
            applied = indexer.catch_up(ix, self.engine, timeout=self.write_timeout
                                       if timeout is None else timeout)
            self.unwritable = None
            return applied
        except indexer.IndexBusy:
            log.info("search index busy; the change will be applied by the next catch-up")
        except OSError as error:  # disk full, permissions: pages say search is behind
            self.unwritable = str(error)
            log.exception("search index cannot be written; it will be retried")
        except Exception:  # noqa: BLE001 - an edit must never fail because of the index
            log.exception("search index catch-up failed; it will be retried")
        return 0

    def _catch_up_if_behind(self, ix: FileIndex, snapshot: Snapshot) -> tuple[bool, bool]:
        """Readers help: if the change log is ahead of the index and no one is writing it,
        apply the backlog now (without waiting for the lock). Whether something was
        applied, and whether the index may still be behind."""
        with Session(self.engine) as session:
            behind = indexer.has_pending(session, snapshot.state)
        if behind:
            applied = self.apply_changes(timeout=0)
            return applied > 0, applied == 0 or applied >= indexer.BATCH_ROWS
        self.unwritable = None  # nothing left to write (another process wrote it)
        return False, False

    def problem(self) -> str | None:
        """Why the index cannot answer searches now (for /readyz and `doctor`), or None.
        Reads only: a missing or outdated index is rebuilt by the next search, not here."""
        name = self.store.current_name()
        if name is None:
            return "there is no search index yet"
        if name == self._name and self._ix is not None and self._pid == os.getpid():
            return None
        try:
            self.store.open(name).close()
        except SchemaChanged:
            return "search schema changed: the index must be rebuilt"
        except IndexUnavailable as unusable:
            return str(unusable)
        return None

    def check(self, *, fix: bool = True, progress=None) -> CheckResult:
        """Drift between index and database; with `fix`, caught up. An index that cannot
        be written is reported (`unwritable`), not raised."""
        ix = self._open()
        if ix is None and self._outdated is not None:
            raise SchemaChanged("search schema changed: run `search rebuild`")
        if ix is None:
            raise IndexUnavailable("there is no search index yet: run `search rebuild`")
        try:
            report = indexer.check(ix, self.engine, fix=fix, progress=progress,
                                   retry_unindexable=fix)
            unwritable = None if fix else _write_problem(ix)
        except OSError as error:
            report, unwritable = indexer.check(ix, self.engine, fix=False), str(error)
        self.unwritable = unwritable
        return CheckResult(**asdict(report), unwritable=unwritable)

    def rebuild(self, *, progress=None, on_total=None, procs: int = 1,
                memory_mb: int = indexer.REBUILD_MEMORY_MB) -> indexer.RebuildReport:
        report = indexer.rebuild(self.store, self.engine, progress=progress, on_total=on_total,
                                 procs=procs, memory_mb=memory_mb)
        with self._lock:
            self._pages.clear()
        return report

    # Searching -----------------------------------------------------------------------

    def search(self, request: SearchRequest, user: User | None = None) -> SearchPage:
        """One page of results with every facet's counts; never raises for a bad index."""
        scope = scope_for(user)
        ix, notice = self._acquire()
        # A failure may be a version switched under us (reopen) or damage (rebuild).
        for next_try in (self._acquire, self._recover, None):
            if ix is None:
                break
            try:
                page = self._search(ix, request, scope)
                page.notice = notice or (Notice.BEHIND if self.unwritable else None)
                return page
            except Exception:  # noqa: BLE001 - a damaged index must not give a 500
                log.exception("search failed")
                self._forget()
            if next_try is None:
                break
            ix, notice = next_try()
        return self._from_database(request, scope, notice or Notice.REBUILDING)

    def _forget(self) -> None:
        with self._lock:
            self._ix = self._name = None
            self._snapshot = None
            self._pages.clear()
            self._local = threading.local()

    def _searcher(self, ix: FileIndex) -> Searcher:
        """This thread's searcher of the latest generation. Not `Searcher.refresh()`: it
        reuses segment readers whose deleted-document sets have changed since (an updated
        sheet would then be found twice, its old text included)."""
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is not None and local.ix is ix and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()
        local.searcher, local.ix = ix.searcher(), ix
        return local.searcher

    def _snapshot_for(self, searcher: Searcher) -> tuple[tuple, Snapshot]:
        key = (self._name, searcher.reader().generation())
        with self._lock:
            if self._snapshot is not None and self._snapshot[0] == key:
                return self._snapshot
        snapshot = Snapshot(searcher)
        with self._lock:
            self._snapshot = (key, snapshot)
            self._pages.clear()
        return key, snapshot

    def _search(self, ix: FileIndex, request: SearchRequest, scope: Scope) -> SearchPage:
        searcher = self._searcher(ix)
        key, snapshot = self._snapshot_for(searcher)
        applied, lagging = self._catch_up_if_behind(ix, snapshot)
        if applied:
            searcher = self._searcher(ix)
            key, snapshot = self._snapshot_for(searcher)
        cache_key = (key, request, scope)
        with self._lock:
            cached = self._pages.get(cache_key)
            if cached is not None:
                self._pages.move_to_end(cache_key)
        if cached is None:
            cached = self._compute(searcher, snapshot, request, scope)
            with self._lock:
                self._pages[cache_key] = cached
                while len(self._pages) > CACHE_SIZE:
                    self._pages.popitem(last=False)
        return SearchPage(request, cached.total, cached.page, list(cached.hits),
                          cached.counts, cached.suggestion, None, scope, lagging)

    def _visible(self, searcher: Searcher, snapshot: Snapshot, scope: Scope) -> int:
        status = snapshot.values["status"]
        visible = snapshot.facet_mask("status", scope.anyone)
        if scope.user_id and scope.own:
            visible |= (any_status(status, scope.own)
                        & snapshot.owned(searcher, "author", scope.user_id))
        if scope.organization_id and scope.organization:
            visible |= (any_status(status, scope.organization)
                        & snapshot.owned(searcher, "organization", scope.organization_id))
        return visible

    def matching_ids(self, request: SearchRequest, user: User | None = None,
                     limit: int | None = None) -> tuple[list[int], int] | None:
        """The ids of every sheet this search finds for this reader (up to `limit`, in index
        order) and how many there are, without ranking or facets (the map needs all of
        them at once); None when the index cannot answer (the caller pages instead)."""
        scope = scope_for(user)
        ix, _notice = self._acquire()
        if ix is None:
            return None
        try:
            searcher = self._searcher(ix)
            _key, snapshot = self._snapshot_for(searcher)
            matching, _base, chosen, _query, visible, carbon = self._matching(
                searcher, snapshot, request, scope)
            docnums = docnums_of(matching)
            total = matching.bit_count()
            if request.one_per_practice:  # one marker per practice: the reader's version
                docnums = snapshot.practices.first_of_each(docnums, len(docnums))
                total = len(docnums)
                if request.language:
                    docnums = self._readers_versions(snapshot, docnums, request.language,
                                                     all_of(chosen.values(), visible & carbon))
            ids = searcher.reader().column_reader("id")  # a column: no stored-field reads
            return [int(ids[docnum]) for docnum in docnums[:limit]], total
        except Exception:  # noqa: BLE001 - a damaged index must not give a 500
            log.exception("search failed")
            return None

    def _matching(self, searcher: Searcher, snapshot: Snapshot, request: SearchRequest,
                  scope: Scope) -> tuple[int, int, dict, object, int, int]:
        """(the matching documents' mask, the mask before facet filters, each filter's mask,
        the text query, the visible documents' mask, the carbon filters' mask)."""
        visible = self._visible(searcher, snapshot, scope)
        query = text_query(request.text)
        base = visible
        if query is not None:
            base &= snapshot.query_mask(searcher, query)
        chosen = {facet: snapshot.facet_mask(facet, codes) for facet, codes in request.filters}
        carbon = self._carbon_mask(searcher, snapshot, request)
        base &= carbon
        return all_of(chosen.values(), base), base, chosen, query, visible, carbon

    def _compute(self, searcher: Searcher, snapshot: Snapshot, request: SearchRequest,
                 scope: Scope) -> SearchPage:
        matching, base, chosen, query, visible, carbon = self._matching(
            searcher, snapshot, request, scope)
        grouped = request.one_per_practice
        counts = {}
        for facet in FACETS:
            if facet == "status" and not scope.sees_unpublished:
                continue
            within = matching if facet not in chosen else all_of(
                (mask for name, mask in chosen.items() if name != facet), base)
            counts[facet] = snapshot.counts(facet, within, practices=grouped)
        total = snapshot.practices.count(matching) if grouped else matching.bit_count()
        page = min(request.page, page_count(total, request.per_page))
        start = (page - 1) * request.per_page
        docnums = self._ordered(searcher, snapshot, request, query, matching,
                                start + request.per_page)[start:]
        if grouped and request.language:
            docnums = self._readers_versions(snapshot, docnums, request.language,
                                             all_of(chosen.values(), visible & carbon))
        terms = query_terms(query, searcher.reader()) if query is not None else {}
        hits = [self._hit(searcher, docnum, terms) for docnum in docnums]
        self._add_carbon_rates(searcher, request, docnums, hits)
        better = None
        if query is not None:
            better = suggestion(searcher, request.text)
            if better and not self._finds_any(searcher, snapshot, better, visible):
                better = None
            if better is None:
                better = self._near_miss(searcher, snapshot, request.text, visible,
                                         (base & visible).bit_count())
        return SearchPage(request, total, page, hits, counts, better)

    @staticmethod
    def _readers_versions(snapshot: Snapshot, docnums: list[int], language: str,
                          pool: int) -> list[int]:
        """Each practice in the reader's language when it has a version there that passes
        the filters (`pool`); the words may have matched another version."""
        in_language = snapshot.values["language"].get(language, 0)
        wanted = pool & in_language
        return [docnum if in_language >> docnum & 1 else
                next(iter(snapshot.practices.versions(docnum, wanted)), docnum)
                for docnum in docnums]

    def _add_carbon_rates(self, searcher, request: SearchRequest, docnums, hits) -> None:
        if not request.carbon_cells:
            return
        rates = best_rates(searcher, docnums, chosen_cells(*request.carbon_cells))
        for docnum, hit in zip(docnums, hits, strict=True):
            hit.carbon_per_mille = rates.get(docnum)

    def _carbon_mask(self, searcher, snapshot: Snapshot, request: SearchRequest) -> int:
        """With "reaches 4 ‰": the sheets whose estimate does in one of the chosen cells."""
        if not (request.meets_4_per_1000 and request.carbon_cells):
            return -1
        return any_of(snapshot.word_mask(searcher, "carbon_meets", cell)
                      for cell in chosen_cells(*request.carbon_cells))

    def _ordered(self, searcher, snapshot, request, query, matching: int, limit: int):
        """The first `limit` matching documents in the request's order; with
        `one_per_practice`, the best-placed version of each practice only."""
        if not matching:
            return []
        grouped = request.one_per_practice
        if request.sort == "relevance" and query is not None:
            # Whoosh's collapse= does nothing once a filter= is given (whoosh-reloaded
            # 2.7.5): each practice's best-placed version is kept here, as for the other
            # orders. A practice has at most `largest` versions, so the best `limit` times
            # that many documents hold the page's practices.
            fetch = limit * snapshot.practices.largest if grouped else limit
            results = searcher.search(query, filter=set(docnums_of(matching)), limit=fetch)
            found = (docnum for _score, docnum in results.top_n)
            return snapshot.practices.first_of_each(found, limit) if grouped else list(found)
        order = snapshot.orders.get(request.sort, snapshot.orders["updated"])
        if request.sort == "carbon" and request.carbon_cells:
            order = snapshot.carbon_order(searcher, chosen_cells(*request.carbon_cells))
        found = (docnum for docnum in order if matching >> docnum & 1)
        if grouped:
            return snapshot.practices.first_of_each(found, limit)
        return list(islice(found, limit))

    def _hit(self, searcher: Searcher, docnum: int, terms) -> Hit:
        stored = searcher.stored_fields(docnum)
        hit = Hit(int(stored["id"]), stored["slug"], stored.get("language", "en"))
        if terms:
            hit.title_html = highlighted(stored.get("title", ""), hit.language, terms,
                                         whole=True)
            hit.snippet_html = (highlighted(stored.get("body", ""), hit.language, terms)
                                or highlighted(stored.get("summary", ""), hit.language, terms))
        return hit

    def _near_miss(self, searcher, snapshot, text: str, visible: int, found: int) -> str | None:
        """A close spelling that finds many more sheets than the few this query finds
        ("agroforestri": 3, "agroforestry": 14), or None."""
        if found > NEAR_MISS_FEW:
            return None
        better = suggestion(searcher, text, known_words_too=True)
        if not better or better.lower() == text.lower():
            return None
        query = text_query(better)
        if query is None:
            return None
        more = (snapshot.query_mask(searcher, query) & visible).bit_count()
        return better if more >= max(NEAR_MISS_FACTOR * found, found + NEAR_MISS_MORE) else None

    def _finds_any(self, searcher, snapshot, text: str, visible: int) -> bool:
        query = text_query(text)
        if query is None:
            return False
        return bool(snapshot.query_mask(searcher, query) & visible)

    # Without an index ----------------------------------------------------------------

    def _from_database(self, request: SearchRequest, scope: Scope, notice: str) -> SearchPage:
        """Facets and lists straight from the database while the index is rebuilt (published
        sheets only; the words of the query cannot be searched meanwhile)."""
        filters = {CATALOG_FACETS[facet]: list(codes) for facet, codes in request.filters
                   if facet in CATALOG_FACETS}
        sort = request.sort if request.sort in catalog.SORTS else "updated"
        with Session(self.engine) as session:
            result = catalog.browse(session, filters, page=request.page,
                                    per_page=request.per_page, sort=sort,
                                    one_per_practice=request.one_per_practice,
                                    language=request.language)
            hits = [Hit(sheet.id, sheet.slug, sheet.language) for sheet in result.sheets]
        counts = {facet: result.facet_counts.get(name, {})
                  for facet, name in CATALOG_FACETS.items()}
        return SearchPage(request, result.total, result.page, hits, counts, None, notice, scope)


def _write_problem(ix: FileIndex) -> str | None:
    """Why a file cannot be written into the index's folder (full, read-only), or None."""
    name = f".write-probe-{os.getpid()}-{threading.get_ident()}"
    try:
        with ix.storage.create_file(name) as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.file.fileno())
    except OSError as error:
        return str(error)
    finally:
        with contextlib.suppress(OSError):
            ix.storage.delete_file(name)
    return None


def any_status(values: dict[str, int], statuses) -> int:
    mask = 0
    for status in statuses:
        mask |= values.get(status, 0)
    return mask


# Catching up after every commit ------------------------------------------------------

_SERVICES: "weakref.WeakKeyDictionary[Engine, SearchService]" = weakref.WeakKeyDictionary()


@event.listens_for(OrmSession, "after_flush")
def _note_changes(session, _context) -> None:
    if any(isinstance(obj, ChangeLogEntry) for obj in session.new):
        session.info["search_changes"] = True


@event.listens_for(OrmSession, "after_commit")
def _apply_after_commit(session) -> None:
    if not session.info.pop("search_changes", False):
        return
    service = _SERVICES.get(session.bind) if session.bind is not None else None
    if service is not None:
        service.apply_changes()


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_changes(session, _previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop("search_changes", None)
