"""Our own JSON export (`practices.exporters.write_json`) read back, history included.

Into an empty wiki this reproduces every sheet with its revisions (numbers, authors, dates,
edit summaries, reverts), provenance, old addresses, translations and sync state. Authors
are matched by e-mail; missing accounts are created inactive with no usable password (an
admin can activate them). A sheet whose address or source id is already taken is left
alone: unchanged when it holds the same current version, rejected otherwise. The file is
streamed, one sheet at a time.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from practices import accounts, editing, sheets
from practices.fields import InvalidFields
from practices.importers import liveness
from practices.importers.incoming import parse_time
from practices.importers.json_items import UnreadableJSON, items_at
from practices.importers.sync import OUTCOMES, Progress, Report, Result, describe_errors
from practices.models import (
    ImportRecord,
    ImportRun,
    ImportRunStatus,
    Organization,
    Role,
    Sheet,
    SlugRedirect,
    SourceLink,
    User,
    utcnow,
)


class NotAnExport(Exception):
    """The file is not a practice-wiki JSON export."""


def is_export(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(200)
    return b'"format": "practice-wiki"' in start or b'"format":"practice-wiki"' in start


def _stream(path: Path, key: str) -> Iterator[dict]:
    """The objects of one of the export's lists, read one at a time."""
    with path.open("rb") as handle:
        for position, entry in enumerate(items_at(handle, (key,)), 1):
            if not isinstance(entry, dict):
                raise NotAnExport(f"{key} entry {position} is not an object")
            yield entry


def _by(path: Path, key: str, name: str) -> dict[Any, dict]:
    """An export's organisations by slug, or its users by key."""
    entries = {}
    for position, entry in enumerate(_stream(path, key), 1):
        if entry.get(name) is None:
            raise NotAnExport(f"{key} entry {position} has no {name}")
        entries[entry[name]] = entry
    return entries


def run(session: Session, path: Path, *, started_by: User | None = None,
        dry_run: bool = False, progress: Progress | None = None,
        keep_results: bool = False, run_row: ImportRun | None = None) -> Report:
    if not is_export(path):
        raise NotAnExport(f"{path.name} is not a practice-wiki JSON export")
    if not dry_run:
        liveness.settle_all(session)  # earlier runs killed mid-way: interrupted, not running
    if run_row is None and not dry_run:
        run_row = ImportRun(kind="json", source=path.name,
                            started_by_id=started_by.id if started_by else None)
    if run_row is not None:
        liveness.claim(run_row)
        session.add(run_row)
        session.commit()
    report = Report(run_row.id if run_row else None, dict.fromkeys(OUTCOMES, 0))
    try:
        restorer = Restorer(session, _by(path, "organizations", "slug"),
                            _by(path, "users", "key"), dry_run)
        for position, data in enumerate(_stream(path, "sheets"), 1):
            result = restorer.sheet(data)
            report.counts[result.outcome] += 1
            if keep_results:
                report.results.append(result)
            if run_row is not None:
                session.add(ImportRecord(run_id=run_row.id, position=position, key=result.key,
                                         title=result.title[:200], outcome=result.outcome,
                                         reason=result.reason, sheet_id=result.sheet_id,
                                         revision_id=restorer.last_revision_id))
                run_row.counts = dict(report.counts)
                liveness.beat(run_row)
                session.add(run_row)
                session.commit()
            if progress:
                progress(report, result, None)
    except KeyboardInterrupt:
        session.rollback()  # the sheet being restored when Ctrl-C came is dropped whole
        _finish(session, run_row, report, ImportRunStatus.INTERRUPTED)
        raise
    except (UnreadableJSON, NotAnExport) as broken:  # the sheets before it stay imported
        session.rollback()
        _finish(session, run_row, report, ImportRunStatus.FAILED)
        raise NotAnExport(f"{path.name}: {broken}") from None
    _finish(session, run_row, report, ImportRunStatus.FINISHED)
    return report


def _finish(session: Session, run_row: ImportRun | None, report: Report, status: str) -> None:
    report.status = status
    if run_row is not None:
        run_row.status, run_row.finished_at = status, utcnow()
        run_row.counts = dict(report.counts)
        session.add(run_row)
        session.commit()


class Restorer:
    def __init__(self, session: Session, organizations: dict, users: dict, dry_run: bool):
        self.session, self.organizations, self.users = session, organizations, users
        self.dry_run = dry_run
        self.user_ids: dict[str, int | None] = {}
        self.organization_ids: dict[str, int | None] = {}
        self.last_revision_id: int | None = None

    def sheet(self, data: dict) -> Result:
        slug = str(data.get("slug") or "")
        revisions = data.get("revisions") or []
        title = revisions[-1]["title"] if revisions else slug
        self.last_revision_id = None
        existing, _ = sheets.find(self.session, slug, include_deleted=True)
        if existing is None and data.get("source_id"):
            existing = self.session.exec(select(Sheet).where(
                Sheet.source_id == data["source_id"])).first()
        if existing is not None:
            current = sheets.current_revision(self.session, existing)
            last = next((r for r in revisions if r["number"] == data.get("current_revision")),
                        revisions[-1] if revisions else None)
            same = last is not None and (current.title, current.summary, current.body,
                                         current.fields) == (last["title"], last["summary"],
                                                             last["body"], last["fields"])
            if same:
                return Result(slug, title, "unchanged", sheet_id=existing.id)
            return Result(slug, title, "rejected", "a different sheet with this address or "
                          "source id is already in the wiki", sheet_id=existing.id)
        if not revisions:
            return Result(slug, title, "rejected", "the sheet has no revision")
        try:
            contents = [sheets.Content.checked(title=r["title"], summary=r["summary"],
                                               body=r["body"], fields=r["fields"])
                        for r in revisions]
        except InvalidFields as invalid:
            return Result(slug, title, "rejected", describe_errors(invalid))
        if self.dry_run:
            return Result(slug, title, "created")
        try:
            sheet = self._create(data, revisions, contents)
        except (sheets.SheetError, InvalidFields, KeyError, ValueError) as broken:
            self.session.rollback()
            self.user_ids.clear()
            self.organization_ids.clear()
            return Result(slug, title, "rejected", f"could not be restored: {broken}"[:500])
        return Result(slug, title, "created", sheet_id=sheet.id)

    def _create(self, data: dict, revisions: list[dict], contents) -> Sheet:
        numbers: dict[int, int] = {}
        sheet = None
        for revision, content in zip(revisions, contents, strict=True):
            author = self._user(revision.get("author"))
            if sheet is None:
                sheet = sheets.create(
                    self.session, content, author=author, slug=data["slug"],
                    status=data.get("status") or "published",
                    organization_id=self._organization(data.get("organization")),
                    edit_summary=revision.get("edit_summary") or "",
                    provenance={"source": data.get("source") or "local",
                                "source_id": data.get("source_id"),
                                "source_url": data.get("source_url"),
                                "source_updated": parse_time(data.get("source_updated"))})
                saved = sheets.current_revision(self.session, sheet)
            else:
                try:
                    saved = editing.save_edit(
                        self.session, sheet, content, author=author,
                        base_revision_id=sheet.current_revision_id,
                        edit_summary=revision.get("edit_summary") or "",
                        flag=False)  # history replayed from an export, reviewed there
                except sheets.NothingChanged:
                    continue
            saved.edit_summary = (revision.get("edit_summary") or "")[:300]
            saved.created_at = parse_time(revision.get("created_at")) or saved.created_at
            saved.reverted_from = revision.get("reverted_from")
            saved.base_revision_id = numbers.get(revision.get("base_revision"))
            numbers[revision["number"]] = saved.id
            self.session.add(saved)
        sheet.created_by_id = self._user_id(data.get("created_by"))
        sheet.created_at = parse_time(data.get("created_at")) or sheet.created_at
        sheet.updated_at = parse_time(data.get("updated_at")) or sheet.updated_at
        sheet.license = data.get("license") or sheet.license
        sheet.attribution = data.get("attribution") or sheet.attribution
        if data.get("translation_of"):
            original, _ = sheets.find(self.session, data["translation_of"], include_deleted=True)
            sheet.translation_of_id = original.id if original else None
        for old in data.get("old_slugs") or ():
            if not sheets.existing_slugs(self.session, {old}) and self.session.get(
                    SlugRedirect, old) is None:
                self.session.add(SlugRedirect(old_slug=old, sheet_id=sheet.id))
        sync = data.get("sync")
        if sync:
            self.session.add(SourceLink(
                sheet_id=sheet.id, revision_id=numbers.get(sync.get("revision")),
                fingerprint=sync.get("fingerprint") or "",
                source_updated=parse_time(sync.get("source_updated"))))
        if data.get("deleted_at"):
            sheets.soft_delete(self.session, sheet)
            sheet.deleted_at = parse_time(data["deleted_at"])
        self.session.add(sheet)
        self.last_revision_id = sheet.current_revision_id
        return sheet

    def _user_id(self, key: str | None) -> int | None:
        user = self._user(key)
        return user.id if user else None

    def _user(self, key: str | None) -> User | None:
        if not key or key not in self.users:
            return None
        if key not in self.user_ids:
            data = self.users[key]
            user = accounts.find_by_email(self.session, data.get("email") or "")
            if user is None:
                user = User(email=data["email"], name=data.get("name") or data["email"],
                            role=data.get("role") if data.get("role") in Role.ALL
                            else Role.CONTRIBUTOR, active=False, password_hash="!restored",
                            organization_id=self._organization(data.get("organization")))
                self.session.add(user)
                self.session.flush()
            self.user_ids[key] = user.id
        return self.session.get(User, self.user_ids[key])

    def _organization(self, slug: str | None) -> int | None:
        if not slug:
            return None
        if slug not in self.organization_ids:
            organization = self.session.exec(select(Organization).where(
                Organization.slug == slug)).first()
            if organization is None:
                data = self.organizations.get(slug) or {"slug": slug, "name": slug}
                organization = Organization(slug=slug, name=data.get("name") or slug,
                                            kind=data.get("kind") or "ngo",
                                            country=data.get("country"),
                                            website=data.get("website"))
                self.session.add(organization)
                self.session.flush()
            self.organization_ids[slug] = organization.id
        return self.organization_ids[slug]

