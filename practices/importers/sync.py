"""Sync incoming records into sheets, record by record, and keep the run's report.

For each incoming sheet (keyed by its `source_id`) the outcome is one of:

- created: no sheet has this key yet;
- updated: the source changed and nobody edited the sheet since the last import: a new
  revision by the importer account;
- unchanged: the source gives what was imported last time (nothing is written);
- conflict: the source changed but the sheet was edited locally since the last import:
  the incoming version waits as a `PendingRevision` an editor can compare and accept;
- rejected: the record is unreadable or invalid; the reason says why.

`SourceLink` remembers, per sheet, the revision and fingerprint of what the source gave
last time: that is what tells a source change from a local edit. Every record is
committed on its own, so an interrupted run leaves whole records and a second run
finishes the job; a dry run decides the same way and writes nothing.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, select

from practices import editing, sheets
from practices.fields import InvalidFields
from practices.importers import OUTCOMES, liveness, wocat_photos
from practices.importers.incoming import Failed, Incoming
from practices.importers.sources import Item, SourceError
from practices.importers.wocat_photos import PhotoFetcher
from practices.models import (
    ImportRecord,
    ImportRun,
    ImportRunStatus,
    PendingRevision,
    Role,
    Sheet,
    SourceLink,
    User,
    utcnow,
)
from practices.slugs import is_reserved, slugify

IMPORTERS = {
    "wocat": ("WOCAT importer", "wocat-importer@practice-wiki.invalid"),
    "table": ("Spreadsheet importer", "table-importer@practice-wiki.invalid"),
}


@dataclass
class Result:
    key: str
    title: str
    outcome: str
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    sheet_id: int | None = None


@dataclass
class Report:
    run_id: int | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    results: list[Result] = field(default_factory=list)
    error: str = ""
    status: str = ImportRunStatus.FINISHED

    @property
    def done(self) -> int:
        return sum(self.counts.values())


Progress = Callable[[Report, Result, int | None], None]


def importer_account(session: Session, kind: str = "wocat", *, create: bool = True) -> User:
    """The account imported revisions are written by; it cannot sign in.

    A dry run passes `create=False`: it gets an unsaved stand-in, so that it writes nothing.
    """
    name, email = IMPORTERS.get(kind, IMPORTERS["wocat"])
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None and not create:
        return User(email=email, name=name, role=Role.CONTRIBUTOR, active=False)
    if user is None:
        user = User(email=email, name=name, role=Role.CONTRIBUTOR, active=False,
                    password_hash="!imports-only")
        session.add(user)
        session.commit()
    return user


def run_import(session: Session, items: Iterable[Item], *, kind: str, source: str,
               author: User, started_by: User | None = None, dry_run: bool = False,
               since: datetime | None = None, force: bool = False, total: int | None = None,
               keep_results: bool = False, progress: Progress | None = None,
               run: ImportRun | None = None, index_alongside: bool = False,
               photo_fetcher: PhotoFetcher | None = None) -> Report:
    """Import every item; the report says what happened (or would, for a dry run).

    `run` is an ImportRun row made beforehand (the web UI makes it to show its page at once).
    `index_alongside`: another process keeps the search index up to date meanwhile (see
    `wiki.import_cli.indexing_alongside`), so this one never waits for it.
    `photo_fetcher`: brings the records' photos (from an API; issue 16).
    """
    if not dry_run:
        liveness.settle_all(session)  # earlier runs killed mid-way: interrupted, not running
    if run is None and not dry_run:
        run = ImportRun(kind=kind, source=source[:500], total=total,
                        started_by_id=started_by.id if started_by else None)
    if run is not None:
        liveness.claim(run)
        session.add(run)
        session.commit()
    report = Report(run.id if run else None)
    syncer = Syncer(session, run, author, dry_run=dry_run, counts=report.counts,
                    search_batches=not index_alongside, photo_fetcher=photo_fetcher)
    try:
        for item in items:
            for result in syncer.item(item, since=since, force=force):
                if keep_results:
                    report.results.append(result)
                if progress:
                    progress(report, result, total)
    except KeyboardInterrupt:
        session.rollback()  # the record being written when Ctrl-C came is dropped whole
        _finish(session, run, report, ImportRunStatus.INTERRUPTED,
                "Interrupted; run the import again to finish it.", syncer.search_batches)
        raise
    except SourceError as stopped:
        session.rollback()
        _finish(session, run, report, ImportRunStatus.FAILED, str(stopped),
                syncer.search_batches)
        return report
    _finish(session, run, report, ImportRunStatus.FINISHED, "", syncer.search_batches)
    return report


def _finish(session: Session, run: ImportRun | None, report: Report, status: str,
            message: str, search_batches: bool = True) -> None:
    report.status, report.error = status, message
    if run is None:
        return
    session.info[SEARCH_FLAG] = search_batches  # whatever the batches left for the index
    run.status, run.message, run.finished_at = status, message, utcnow()
    run.counts = dict(report.counts)
    session.add(run)
    session.commit()


# The search index follows every commit that logs a sheet change (search.service listens
# for this flag in `session.info`). Record by record, that is one index commit per record;
# an import lets it catch up in batches instead: at most SEARCH_EVERY records or
# SEARCH_SECONDS behind, and at the end of the run.
SEARCH_FLAG = "search_changes"
SEARCH_EVERY = 100
SEARCH_SECONDS = 2.0


class Syncer:
    def __init__(self, session: Session, run: ImportRun | None, author: User, *,
                 dry_run: bool, counts: dict[str, int] | None = None,
                 search_batches: bool = True, photo_fetcher: PhotoFetcher | None = None):
        self.session, self.run, self.author, self.dry_run = session, run, author, dry_run
        self.photo_fetcher = photo_fetcher
        self.counts = counts if counts is not None else dict.fromkeys(OUTCOMES, 0)
        self.position = 0
        self.unindexed, self.indexed_at = 0, time.monotonic()
        self.search_batches = search_batches
        self.planned: set[str] = set()  # keys a dry run would have created

    def item(self, item: Item, *, since: datetime | None, force: bool) -> Iterable[Result]:
        if item.updated and since and item.updated < since and not force:
            yield self._save(Result(item.key, item.label, "unchanged",
                                    f"not updated since {since:%Y-%m-%d}"))
            return
        seen = self._seen(item.key, item.updated) if item.updated and not force else None
        if seen is not None:
            yield self._save(Result(item.key, seen.title, "unchanged",
                                    "not updated since the last import", sheet_id=seen.id))
            return
        try:
            loaded = list(item.load())
        except SourceError:
            raise
        except Exception as broken:  # a record that cannot be read never stops the others
            loaded = [Failed(item.key, f"unreadable record: {broken!r}"[:300], item.label)]
        for incoming in loaded:
            if isinstance(incoming, Failed) and incoming.key in ("", "?"):  # say which one
                incoming = Failed(item.key, incoming.reason, incoming.title or item.label)
            yield self.one(incoming)

    def _seen(self, key: str, updated: datetime) -> Sheet | None:
        """The sheet, when the source says the record did not change since it was imported."""
        sheet = _sheet_by_key(self.session, key)
        link = self.session.get(SourceLink, sheet.id) if sheet and not sheet.is_deleted else None
        if link and link.source_updated and _aware(updated) <= _aware(link.source_updated):
            return sheet
        return None

    def one(self, incoming: Incoming | Failed) -> Result:
        if isinstance(incoming, Failed):
            return self._save(Result(incoming.key, incoming.title, "rejected", incoming.reason))
        try:
            result = self._sync(incoming)
        except Exception as broken:  # noqa: BLE001 - reported, and the run goes on
            self.session.rollback()
            self._pending_record = None
            result = Result(incoming.key, incoming.title, "rejected",
                            f"could not be saved: {broken!r}"[:500])
        result.notes = list(incoming.notes)
        result.key = incoming.origin or result.key
        return self._save(result)

    def _save(self, result: Result, record: ImportRecord | None = None) -> Result:
        """Count the result and commit the record with its outcome, all or nothing."""
        self.position += 1
        if self.dry_run or self.run is None:
            self.counts[result.outcome] += 1
            return result
        record = record or self._pending_record or ImportRecord(run_id=self.run.id,
                                                                 outcome=result.outcome)
        self._pending_record = None
        record.position, record.key = self.position, result.key[:200]
        record.title, record.outcome, record.reason = result.title[:200], result.outcome, \
            result.reason
        record.notes, record.sheet_id = result.notes, result.sheet_id
        self.session.add(record)
        self.run.counts = dict(self.counts) | {
            result.outcome: self.counts[result.outcome] + 1}
        liveness.beat(self.run)
        self.session.add(self.run)
        self.session.flush()
        self._batch_search()
        self.session.commit()
        self.counts[result.outcome] += 1  # only once it is saved: an interrupted run's
        return result                     # counts say what it wrote

    def _batch_search(self) -> None:
        if self.session.info.pop(SEARCH_FLAG, False):
            self.unindexed += 1
        if self.search_batches and self.unindexed and (self.unindexed >= SEARCH_EVERY
                               or time.monotonic() - self.indexed_at >= SEARCH_SECONDS):
            self.session.info[SEARCH_FLAG] = True  # this commit lets the index catch up
            self.unindexed, self.indexed_at = 0, time.monotonic()

    _pending_record: ImportRecord | None = None

    def _sync(self, incoming: Incoming) -> Result:
        title = incoming.title
        try:
            content = sheets.Content.checked(title=incoming.title, summary=incoming.summary,
                                             body=incoming.body, fields=incoming.fields)
        except InvalidFields as invalid:
            return Result(incoming.key, title, "rejected", describe_errors(invalid))
        content = self._photos(incoming, content)  # only for a record that will be saved
        original_id = None
        if incoming.translation_of:
            original = _sheet_by_key(self.session, incoming.translation_of,
                                     slug=incoming.translation_of)
            if original is None and incoming.translation_of not in self.planned:
                return Result(incoming.key, title, "rejected",
                              f"its original {incoming.translation_of} is not in the wiki")
            original_id = original.id if original else None
        sheet = _sheet_by_key(self.session, incoming.key, slug=incoming.slug)
        fingerprint = fingerprint_of(content, incoming.translation_of)
        if sheet is None:
            return self._create(incoming, content, fingerprint, original_id)
        link = self.session.get(SourceLink, sheet.id)
        if sheet.is_deleted:
            if link is not None:
                return Result(incoming.key, title, "rejected",
                              "the sheet was deleted in the wiki; restore it to sync it again",
                              sheet_id=sheet.id)
            return self._restore(incoming, content, fingerprint, sheet)
        current = sheets.current_revision(self.session, sheet)
        if link is not None and link.fingerprint == fingerprint:
            if incoming.source_updated and link.source_updated != incoming.source_updated \
                    and not self.dry_run:
                link.source_updated = incoming.source_updated
                self.session.add(link)
            return Result(incoming.key, title, "unchanged", sheet_id=sheet.id)
        if content.same_as(current):  # e.g. our own export of it, or an accepted version
            if not self.dry_run:
                self._link(sheet, current.id, fingerprint, incoming.source_updated)
            return Result(incoming.key, title, "unchanged", sheet_id=sheet.id)
        if link is not None and link.revision_id == sheet.current_revision_id:
            return self._update(incoming, content, fingerprint, sheet, link, current)
        return self._conflict(incoming, content, fingerprint, sheet, link)

    def _photos(self, incoming: Incoming, content: sheets.Content) -> sheets.Content:
        """The content with the record's photos in its gallery, when they can be fetched."""
        if not incoming.photos:
            return content
        if not (self.photo_fetcher and incoming.media_base and not self.dry_run):
            wocat_photos.not_fetched(incoming, dry_run=self.dry_run)
            return content
        self.photo_fetcher.attach(self.session, incoming)
        return sheets.Content.checked(title=content.title, summary=content.summary,
                                      body=content.body, fields=incoming.fields)

    def _create(self, incoming, content, fingerprint, original_id) -> Result:
        result = Result(incoming.key, incoming.title, "created")
        if self.dry_run:
            self.planned |= {incoming.key, incoming.slug or slugify(incoming.title)}
            return result
        slug = free_slug(self.session, incoming.slug or slugify(incoming.title)
                         or slugify(incoming.key.replace(":", "-")), incoming)
        sheet = sheets.create(
            self.session, content, author=self.author, slug=slug, status=incoming.status,
            edit_summary=f"Imported from {incoming.source}",
            provenance=self._provenance(incoming))
        sheet.translation_of_id = original_id
        self._link(sheet, sheet.current_revision_id, fingerprint, incoming.source_updated)
        self._pending_record = ImportRecord(run_id=self.run.id, outcome="created",
                                            sheet_id=sheet.id,
                                            revision_id=sheet.current_revision_id)
        result.sheet_id = sheet.id
        return result

    def _restore(self, incoming, content, fingerprint, sheet) -> Result:
        """A sheet an undone import had deleted: bring it back with the incoming content."""
        result = Result(incoming.key, incoming.title, "created",
                        "restored the sheet an undone import had deleted", sheet_id=sheet.id)
        if self.dry_run:
            return result
        sheets.restore(self.session, sheet)
        current = sheets.current_revision(self.session, sheet)
        previous = current.id
        if not content.same_as(current):
            current = editing.save_edit(self.session, sheet, content, author=self.author,
                                        base_revision_id=current.id,
                                        edit_summary=f"Imported from {incoming.source}")
        sheet.source_updated = incoming.source_updated
        self._link(sheet, current.id, fingerprint, incoming.source_updated)
        self._pending_record = ImportRecord(run_id=self.run.id, outcome="created",
                                            sheet_id=sheet.id, revision_id=current.id,
                                            previous_revision_id=previous)
        return result

    def _update(self, incoming, content, fingerprint, sheet, link, current) -> Result:
        result = Result(incoming.key, incoming.title, "updated", sheet_id=sheet.id)
        if self.dry_run:
            return result
        before = link_state(link)
        try:
            revision = editing.save_edit(self.session, sheet, content, author=self.author,
                                         base_revision_id=current.id,
                                         edit_summary=f"Updated from {incoming.source}")
        except sheets.NothingChanged:
            self._link(sheet, current.id, fingerprint, incoming.source_updated)
            return Result(incoming.key, incoming.title, "unchanged", sheet_id=sheet.id)
        except sheets.StaleRevision:  # someone saved it while this record was read: a conflict
            return self._conflict(incoming, content, fingerprint, sheet,
                                  self.session.get(SourceLink, sheet.id))
        sheet.source_updated = incoming.source_updated or sheet.source_updated
        self._link(sheet, revision.id, fingerprint, incoming.source_updated)
        self._pending_record = ImportRecord(run_id=self.run.id, outcome="updated",
                                            sheet_id=sheet.id, revision_id=revision.id,
                                            previous_revision_id=current.id,
                                            previous_link=before)
        return result

    def _conflict(self, incoming, content, fingerprint, sheet, link) -> Result:
        waiting = self.session.exec(select(PendingRevision).where(
            PendingRevision.sheet_id == sheet.id, PendingRevision.status == "pending")).all()
        if any(pending.fingerprint == fingerprint for pending in waiting):
            return Result(incoming.key, incoming.title, "conflict",
                          "edited in the wiki; this version already waits for an editor",
                          sheet_id=sheet.id)
        result = Result(incoming.key, incoming.title, "conflict",
                        "edited in the wiki since the last import; the incoming version "
                        "waits for an editor to compare and accept it", sheet_id=sheet.id)
        if self.dry_run:
            return result
        for pending in waiting:
            pending.status = "superseded"
            self.session.add(pending)
        record = ImportRecord(run_id=self.run.id, outcome="conflict", sheet_id=sheet.id)
        self.session.add(record)
        self.session.flush()
        self.session.add(PendingRevision(
            sheet_id=sheet.id, import_record_id=record.id,
            base_revision_id=link.revision_id if link else None, title=content.title,
            summary=content.summary, body=content.body, fields=dict(content.fields),
            fingerprint=fingerprint, source_updated=incoming.source_updated))
        self._pending_record = record
        return result

    def _provenance(self, incoming: Incoming) -> dict:
        return {"source": incoming.source, "source_id": incoming.key,
                "source_url": incoming.source_url, "source_updated": incoming.source_updated}

    def _link(self, sheet: Sheet, revision_id: int, fingerprint: str,
              updated: datetime | None) -> None:
        link = self.session.get(SourceLink, sheet.id) or SourceLink(sheet_id=sheet.id)
        link.revision_id, link.fingerprint, link.updated_at = revision_id, fingerprint, utcnow()
        link.source_updated = updated
        self.session.add(link)


def fingerprint_of(content: sheets.Content, translation_of: str | None) -> str:
    """Identifies what a source gave, so that an unchanged record writes nothing."""
    payload = json.dumps([content.title, content.summary, content.body, dict(content.fields),
                          translation_of], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def link_state(link: SourceLink | None) -> dict | None:
    if link is None:
        return None
    return {"revision_id": link.revision_id, "fingerprint": link.fingerprint,
            "source_updated": link.source_updated.isoformat() if link.source_updated else None}


def _sheet_by_key(session: Session, key: str, slug: str | None = None) -> Sheet | None:
    sheet = session.exec(select(Sheet).where(Sheet.source_id == key)).first()
    if sheet is None and slug:
        sheet, _redirected = sheets.find(session, slug, include_deleted=True)
    return sheet


def free_slug(session: Session, base: str, incoming: Incoming) -> str:
    base = (base or "sheet")[:100].strip("-") or "sheet"
    language = incoming.fields.get("language")
    candidates = [base]
    if incoming.translation_of and language:
        candidates.append(f"{base}-{language}")
    candidates += [f"{base}-{number}" for number in range(2, 1000)]
    for candidate in candidates:
        if is_reserved(candidate):  # /practices/new is the new-sheet form
            continue
        if not sheets.existing_slugs(session, {candidate}) and session.exec(
                select(Sheet.id).where(Sheet.slug == candidate)).first() is None:
            return candidate
    raise sheets.SlugTaken(base)


def describe_errors(invalid: InvalidFields) -> str:
    parts = []
    for name, error in sorted(invalid.errors.items()):
        try:
            message = error.message % dict(error.params) if error.params else error.message
        except (KeyError, TypeError, ValueError):
            message = error.message
        parts.append(f"{name}: {message}")
    return "\n".join(parts)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
