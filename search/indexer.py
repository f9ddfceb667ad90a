"""Keeping the index equal to the database: catch-up from the change log, check, rebuild.

Every committed change to a sheet appends a `ChangeLogEntry` in the same transaction. The
index stores (in its own state document, committed together with the documents) the last
change it applied; catching up takes the write lock, reads the newer rows, re-reads those
sheets' current state from the database while still holding the lock, and commits documents
and state at once. So an older save can never overwrite a newer one, a lost or failed index
write is just applied by the next catch-up, and several processes (or hosts sharing one
database) converge on the same index.

Ids of the change log are handed out before commit: on PostgreSQL row 11 can become visible
before row 10. Ids skipped over are kept as `gaps` and looked at again until they appear (or,
after GAP_TTL, are taken to be rolled back).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_
from sqlmodel import Session, select
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from practices.models import ChangeLogEntry, Sheet
from search.documents import all_documents, count_live, documents_for, fingerprint
from search.matrix import IndexState, read_state
from search.schema import STATE_ID
from search.store import IndexStore
from search.unindexable import DocumentGuard, settle

GAP_TTL = 3600.0
# Memory for sorting a rebuild's postings, shared by its processes. Beyond it Whoosh spills
# sorted runs to disk and merges them back, which doubles the time: 10,000 sheets fit.
REBUILD_MEMORY_MB = 1024
MAX_GAPS = 1000
BATCH_ROWS = 500
Progress = Callable[[int], None]


class IndexBusy(Exception):
    """Another process holds the index's write lock; the change will be applied later."""


@dataclass(frozen=True)
class CheckReport:
    database: int
    index: int
    missing: int
    stale: int
    extra: int
    backlog: int
    fixed: bool
    # (sheet id, why) of the sheets indexed without their body (search.unindexable)
    unindexable: tuple[tuple[int, str], ...] = ()

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.backlog
                    or self.unindexable)


def open_writer(ix: FileIndex, timeout: float) -> SegmentWriter:
    try:
        return ix.writer(timeout=timeout, delay=0.05)
    except LockError:
        raise IndexBusy("the search index is being written by another process") from None


def latest_change(session: Session) -> int:
    return session.exec(select(func.max(ChangeLogEntry.id))).one() or 0


def has_pending(session: Session, state: IndexState) -> bool:
    """Is there a committed change the index has not applied? (One cheap query.)"""
    condition = ChangeLogEntry.id > state.applied
    if state.gaps:
        condition = or_(condition, ChangeLogEntry.id.in_(list(state.gaps)))
    return session.exec(select(ChangeLogEntry.id).where(condition).limit(1)).first() is not None


def catch_up(ix: FileIndex, engine: Engine, *, timeout: float = 5.0,
             max_rows: int = BATCH_ROWS) -> int:
    """Apply up to `max_rows` change-log rows the index has not seen; returns how many."""
    writer = open_writer(ix, timeout)
    guard = DocumentGuard(_folder(ix))
    try:
        with writer.searcher() as searcher:
            known = read_state(searcher)
        with Session(engine) as session:
            rows, state = _pending(session, known, max_rows)
            sheet_ids = {sheet_id for _id, sheet_id in rows}
            documents = documents_for(session, sheet_ids, guard.build)
        state.failed = settle(known.failed, guard, sheet_ids)
        if not rows and state.gaps == known.gaps:
            writer.cancel()
            guard.done()
            return 0
        _apply(writer, documents)
        _write_state(writer, state)
        writer.commit()
        guard.done()
        return len(rows)
    except Exception:
        guard.done()  # not for a stopped process (SystemExit...): its marker must stay
        raise
    finally:
        if not writer.is_closed:
            writer.cancel()


def _folder(ix: FileIndex) -> str | None:
    return getattr(ix.storage, "folder", None)  # None for an index in memory


def catch_up_all(ix: FileIndex, engine: Engine, *, timeout: float = 30.0) -> int:
    total = 0
    while applied := catch_up(ix, engine, timeout=timeout):
        total += applied
    return total


def _pending(session: Session, state: IndexState, max_rows: int):
    condition = ChangeLogEntry.id > state.applied
    gaps = dict(state.gaps)
    if gaps:
        condition = or_(condition, ChangeLogEntry.id.in_(list(gaps)))
    rows = session.exec(select(ChangeLogEntry.id, ChangeLogEntry.sheet_id).where(condition)
                        .order_by(ChangeLogEntry.id).limit(max_rows)).all()
    seen = {row[0] for row in rows}
    now = time.time()
    gaps = {gap: since for gap, since in gaps.items() if gap not in seen and now - since < GAP_TTL}
    newest = max([state.applied, *seen])
    skipped = [i for i in range(state.applied + 1, newest) if i not in seen]
    if len(skipped) + len(gaps) <= MAX_GAPS:
        gaps.update((i, now) for i in skipped)
    return [(row[0], row[1]) for row in rows], IndexState(newest, gaps)


def _apply(writer: SegmentWriter, documents: dict[int, dict | None]) -> None:
    """Each sheet once per writer: `update_document` twice for one key leaves duplicates."""
    for sheet_id, document in documents.items():
        writer.delete_by_term("id", str(sheet_id))
        if document is not None:
            writer.add_document(**document)


def _write_state(writer: SegmentWriter, state: IndexState) -> None:
    writer.delete_by_term("id", STATE_ID)
    writer.add_document(id=STATE_ID, state=state.dumps())


# Check ---------------------------------------------------------------------------------


def indexed_fingerprints(ix: FileIndex) -> dict[str, str]:
    """Sheet id -> fingerprint of every document, read from columns (not stored fields,
    which would load every body). Segment by segment: Whoosh's multi-segment column leaves
    out a segment without that column (one holding only the state document, after a
    catch-up that deleted a sheet), and reads its documents at another segment's place."""
    found = {}
    with ix.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            ids = reader.column_reader("id")
            prints = reader.column_reader("fingerprint")
            for docnum in reader.all_doc_ids():
                found[ids[docnum]] = prints[docnum].decode("utf-8")
    found.pop(STATE_ID, None)
    return found


def database_fingerprints(session: Session) -> dict[str, str]:
    columns = (Sheet.id, Sheet.current_revision_id, Sheet.status, Sheet.slug,
               Sheet.organization_id, Sheet.created_by_id, Sheet.language, Sheet.source,
               Sheet.translation_of_id, Sheet.updated_at)
    rows = session.exec(select(*columns).where(Sheet.deleted_at.is_(None))).all()
    return {str(row.id): fingerprint(row) for row in rows}


def check(ix: FileIndex, engine: Engine, *, fix: bool = True, timeout: float = 30.0,
          progress: Progress | None = None, retry_unindexable: bool = False) -> CheckReport:
    """Compare the index with the database (which sheets, at which revision and status) and,
    with `fix`, re-index whatever differs and apply the change log's backlog; with
    `retry_unindexable` too, try again the sheets that could not be indexed (the command
    line does; a worker starting up does not, lest a sheet that stops workers stop each)."""
    with Session(engine) as session:
        in_database = database_fingerprints(session)
        with ix.searcher() as searcher:
            state = read_state(searcher)
        backlog = session.exec(select(func.count()).select_from(ChangeLogEntry)
                               .where(ChangeLogEntry.id > state.applied)).one()
    in_index = indexed_fingerprints(ix)
    missing = in_database.keys() - in_index.keys()
    extra = in_index.keys() - in_database.keys()
    stale = {key for key in in_database.keys() & in_index.keys()
             if in_database[key] != in_index[key]}
    if fix:
        # Sheets that could not be indexed are tried again on demand: the cause may be gone.
        retried = set(state.failed) if retry_unindexable else set()
        wrong = sorted({int(key) for key in missing | stale | extra} | retried)
        for start in range(0, len(wrong), BATCH_ROWS):
            chunk = wrong[start:start + BATCH_ROWS]
            _reindex(ix, engine, chunk, timeout)
            if progress:
                progress(len(chunk))
        catch_up_all(ix, engine, timeout=timeout)
        with ix.searcher() as searcher:
            state = read_state(searcher)
    unindexable = tuple((sheet_id, entry.get("reason", "")) for sheet_id, entry
                        in sorted(state.failed.items()) if str(sheet_id) in in_database)
    return CheckReport(len(in_database), len(in_index), len(missing), len(stale),
                       len(extra), backlog, fix, unindexable)


def _reindex(ix: FileIndex, engine: Engine, sheet_ids: list[int], timeout: float) -> None:
    writer = open_writer(ix, timeout)
    guard = DocumentGuard(_folder(ix))
    try:
        with writer.searcher() as searcher:
            state = read_state(searcher)  # under the lock: a catch-up may have moved it on
        with Session(engine) as session:
            documents = documents_for(session, sheet_ids, guard.build)
        state.failed = settle(state.failed, guard, set(sheet_ids))
        _apply(writer, documents)
        _write_state(writer, state)
        writer.commit()
        guard.done()
    except Exception:
        guard.done()
        raise
    finally:
        if not writer.is_closed:
            writer.cancel()


# Rebuild -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildReport:
    version: str
    sheets: int
    seconds: float


def rebuild(store: IndexStore, engine: Engine, *, progress: Progress | None = None,
            on_total: Callable[[int], None] | None = None, procs: int = 1,
            memory_mb: int = REBUILD_MEMORY_MB) -> RebuildReport:
    """Index every live sheet into a new version, switch to it, then apply what changed
    meanwhile. Searches keep using the old version until the switch. With `procs` > 1,
    Whoosh's multiprocess writer indexes in that many processes, one segment each."""
    started = time.perf_counter()
    with store.rebuild_lock():
        name, ix = store.create_version()
        try:
            count = _fill(ix, engine, progress, on_total, procs,
                          limitmb=max(32, memory_mb // max(1, procs)))
        except BaseException:
            store.discard(name)
            raise
        store.switch_to(name)
        catch_up_all(ix, engine)
        store.cleanup()
    return RebuildReport(name, count, time.perf_counter() - started)


def _fill(ix: FileIndex, engine: Engine, progress, on_total, procs: int, *,
          limitmb: int) -> int:
    with Session(engine) as session:
        # Rows up to `start` are reflected in what is read next; ids below it that are not
        # there yet are in flight (or rolled back): they become gaps, looked at again.
        start = latest_change(session)
        present = set(session.exec(select(ChangeLogEntry.id).where(
            ChangeLogEntry.id > max(0, start - MAX_GAPS))).all())
        now = time.time()
        state = IndexState(start, {i: now for i in range(max(1, start - MAX_GAPS + 1), start)
                                   if i not in present})
        if on_total:
            on_total(count_live(session))
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = ix.writer(limitmb=limitmb, **options)
        count = 0
        guard = DocumentGuard(None)  # exceptions only: a rebuild is not run by a web worker
        try:
            for document in all_documents(session, guard.build):
                writer.add_document(**document)
                count += 1
                if progress and count % 100 == 0:
                    progress(100)
            state.failed = guard.failed
            writer.add_document(id=STATE_ID, state=state.dumps())
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        if progress and count % 100:
            progress(count % 100)
    return count
