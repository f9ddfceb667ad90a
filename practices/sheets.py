"""What can be done to a practice sheet: create, revise, revert, rename, delete, restore.

Every save is a new immutable revision; the sheet keeps a pointer to its current revision
and a copy of the values that lists and filters read. Every change appends a change-log row
in the same transaction, which the search indexer follows.

A save is a compare-and-set on that pointer: `_claim` moves nothing unless the sheet is still
at the revision the edit started from, and holds the sheet's row until the transaction ends,
so of several saves from one base exactly one gets through and the others raise
StaleRevision. Callers go through `practices.editing`, which adds what follows an edit.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, update
from sqlmodel import Session, select

from practices import notifications, photos, policy
from practices.fields import (
    N_,
    FieldError,
    InvalidFields,
    check_text,
    clean_fields,
    facet_values,
)
from practices.models import (
    ChangeLogEntry,
    Revision,
    Sheet,
    SheetStatus,
    SheetTerm,
    SlugRedirect,
    User,
    utcnow,
)
from practices.slugs import is_reserved, is_valid_slug, slugify, unreserved
from practices.vocab import region_of_country


class SheetError(Exception):
    """Base class of the domain errors a view translates into a message."""


class StaleRevision(SheetError):
    """Someone saved the sheet after the revision this edit started from."""

    def __init__(self, current: Revision):
        super().__init__(f"the sheet is now at revision {current.number}")
        self.current = current


class NothingChanged(SheetError):
    """The edit would store a revision identical to the current one."""


class SlugTaken(SheetError):
    """Another sheet (or an old name of one) already uses this slug."""


@dataclass(frozen=True)
class Content:
    """The editable content of a sheet: text plus validated structured fields."""

    title: str
    summary: str
    body: str
    fields: Mapping[str, Any]

    @classmethod
    def checked(cls, *, title: str, summary: str = "", body: str = "",
                fields: Mapping[str, Any] | None = None) -> "Content":
        """Validate everything at once so that a form can show every problem together."""
        errors: dict[str, FieldError] = check_text(title, summary, body)
        try:
            cleaned = clean_fields(fields or {})
        except InvalidFields as invalid:
            errors.update(invalid.errors)
            cleaned = {}
        if errors:
            raise InvalidFields(errors)
        return cls(title.strip(), summary.strip(), _normalise_newlines(body), cleaned)

    @classmethod
    def of(cls, revision: Revision) -> "Content":
        return cls(revision.title, revision.summary, revision.body, dict(revision.fields))

    def same_as(self, revision: Revision) -> bool:
        return (self.title, self.summary, self.body, dict(self.fields)) == (
            revision.title, revision.summary, revision.body, dict(revision.fields))


def _normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text + "\n" if text.strip() else ""


# Reading -------------------------------------------------------------------------------


def find(session: Session, slug: str, *,
         include_deleted: bool = False) -> tuple[Sheet | None, bool]:
    """The sheet for a slug, following old slugs of renamed sheets; says if it redirected."""
    sheet = session.exec(select(Sheet).where(Sheet.slug == slug)).first()
    redirected = False
    if sheet is None:
        redirect = session.get(SlugRedirect, slug)
        sheet = session.get(Sheet, redirect.sheet_id) if redirect else None
        redirected = sheet is not None
    if sheet is not None and sheet.is_deleted and not include_deleted:
        return None, False
    return sheet, redirected


def current_revision(session: Session, sheet: Sheet) -> Revision:
    return session.get(Revision, sheet.current_revision_id)


def revision_by_number(session: Session, sheet: Sheet, number: int) -> Revision | None:
    return session.exec(
        select(Revision).where(Revision.sheet_id == sheet.id, Revision.number == number)
    ).first()


def history(session: Session, sheet: Sheet) -> list[Revision]:
    return list(session.exec(
        select(Revision).where(Revision.sheet_id == sheet.id).order_by(Revision.number.desc())
    ))


def existing_slugs(session: Session, slugs: set[str]) -> set[str]:
    """Which of these slugs name a live sheet (directly or as an old name)."""
    return set(link_titles(session, slugs))


def link_titles(session: Session, slugs: set[str]) -> dict[str, str]:
    """slug -> title, for those of these slugs that name a live sheet (or did, before a
    rename): what a wiki link to them should read."""
    if not slugs:
        return {}
    live = session.exec(
        select(Sheet.slug, Sheet.title).where(Sheet.slug.in_(slugs), Sheet.deleted_at.is_(None))
    ).all()
    renamed = session.exec(
        select(SlugRedirect.old_slug, Sheet.title).join(Sheet, Sheet.id == SlugRedirect.sheet_id)
        .where(SlugRedirect.old_slug.in_(slugs), Sheet.deleted_at.is_(None))
    ).all()
    return dict(renamed) | dict(live)


def visible_link_titles(session: Session, slugs: Iterable[str],
                        viewer: User | None) -> dict[str, str]:
    """slug -> title, for those of these slugs (current or old names) that name a live sheet
    `viewer` may see. A sheet they may not see is left out, exactly as if it did not exist:
    a wiki link must not tell anyone a draft's title, or even that its slug is taken."""
    slugs = set(slugs)
    if not slugs:
        return {}
    named = {sheet.slug: sheet for sheet in session.exec(
        select(Sheet).where(Sheet.slug.in_(slugs), Sheet.deleted_at.is_(None)))}
    renamed = session.exec(
        select(SlugRedirect.old_slug, Sheet).join(Sheet, Sheet.id == SlugRedirect.sheet_id)
        .where(SlugRedirect.old_slug.in_(slugs), Sheet.deleted_at.is_(None))
    ).all()
    found = dict(renamed) | named
    return {slug: sheet.title for slug, sheet in found.items() if policy.can_view(viewer, sheet)}


def terms_of(session: Session, sheet: Sheet) -> dict[str, list[str]]:
    terms: dict[str, list[str]] = {}
    for row in session.exec(select(SheetTerm).where(SheetTerm.sheet_id == sheet.id)):
        terms.setdefault(row.facet, []).append(row.code)
    return terms


CARD_FACETS = ("countries", "agro_climatic_zones", "practice_groups")


def card_terms(session: Session, sheet_ids: Iterable[int],
               facets: Sequence[str] = CARD_FACETS) -> dict[int, dict[str, list[str]]]:
    """What a result card shows of each sheet (countries, zones, practice groups), in one
    query for a whole page of results."""
    ids = list(sheet_ids)
    found: dict[int, dict[str, list[str]]] = {sheet_id: {} for sheet_id in ids}
    if not ids:
        return found
    rows = session.exec(select(SheetTerm).where(SheetTerm.sheet_id.in_(ids),
                                                SheetTerm.facet.in_(facets)))
    for row in sorted(rows, key=lambda row: (row.sheet_id, row.facet, row.code)):
        found[row.sheet_id].setdefault(row.facet, []).append(row.code)
    return found


def translation_families(session: Session, sheets: Sequence[Sheet]) -> dict[int, list[Sheet]]:
    """root id -> every live sheet of that practice (the original and its translations)."""
    roots = {sheet.translation_of_id or sheet.id for sheet in sheets}
    if not roots:
        return {}
    rows = session.exec(select(Sheet).where(
        or_(Sheet.id.in_(roots), Sheet.translation_of_id.in_(roots)),
        Sheet.deleted_at.is_(None)))
    families: dict[int, list[Sheet]] = {}
    for sheet in sorted(rows, key=lambda sheet: sheet.id):
        families.setdefault(sheet.translation_of_id or sheet.id, []).append(sheet)
    return families


# Writing -------------------------------------------------------------------------------


def create(session: Session, content: Content, *, author: User | None, slug: str | None = None,
           status: str = SheetStatus.PUBLISHED, organization_id: int | None = None,
           edit_summary: str = "", provenance: Mapping[str, Any] | None = None) -> Sheet:
    """A new sheet with its first revision."""
    slug = slug or unreserved(slugify(content.title) or "sheet")  # "sheet": no Latin letters
    _check_slug_free(session, slug)
    sheet = Sheet(slug=slug, status=status, title=content.title,
                  organization_id=organization_id,
                  created_by_id=author.id if author else None, **dict(provenance or {}))
    session.add(sheet)
    session.flush()
    _append_revision(session, sheet, content, author=author, summary=edit_summary or "Created",
                     base=None)
    return sheet


def revise(session: Session, sheet: Sheet, content: Content, *, author: User | None,
           base_revision_id: int | None, edit_summary: str = "",
           new_slug: str | None = None) -> Revision:
    """Save an edit as a new revision, refusing it if someone saved in between."""
    current = current_revision(session, sheet)
    if base_revision_id != current.id:
        raise StaleRevision(current)
    renaming = new_slug is not None and new_slug != sheet.slug
    if content.same_as(current) and not renaming:
        raise NothingChanged()
    _claim(session, sheet, current)
    if renaming:
        rename(session, sheet, new_slug)
    if content.same_as(current):
        _log(session, sheet, "rename")
        return current
    return _append_revision(session, sheet, content, author=author, summary=edit_summary,
                            base=current)


def revert(session: Session, sheet: Sheet, number: int, *, author: User | None,
           base_revision_id: int | None = None) -> Revision:
    """Bring back an old revision's content as a new revision; history is never rewritten."""
    target = revision_by_number(session, sheet, number)
    if target is None:
        raise SheetError(f"no revision {number}")
    current = current_revision(session, sheet)
    if base_revision_id is not None and base_revision_id != current.id:
        raise StaleRevision(current)
    content = Content.of(target)
    if content.same_as(current):
        raise NothingChanged()
    _claim(session, sheet, current)
    revision = _append_revision(session, sheet, content, author=author,
                                summary=f"Reverted to revision {number}", base=current)
    revision.reverted_from = number
    return revision


def rename(session: Session, sheet: Sheet, new_slug: str) -> None:
    """Give the sheet a new slug; the old one keeps redirecting to it."""
    if not is_valid_slug(new_slug):
        raise InvalidFields({"slug": FieldError(
            "Use lower-case letters, digits and hyphens only.", {})})
    _check_slug_free(session, new_slug, allow_sheet=sheet)
    old_redirect = session.get(SlugRedirect, new_slug)
    if old_redirect is not None:  # taking back one of its own old names
        session.delete(old_redirect)
    session.add(SlugRedirect(old_slug=sheet.slug, sheet_id=sheet.id))
    sheet.slug = new_slug
    sheet.updated_at = utcnow()


def soft_delete(session: Session, sheet: Sheet) -> None:
    if sheet.is_deleted:
        return
    sheet.deleted_at = utcnow()
    _log(session, sheet, "delete")


def restore(session: Session, sheet: Sheet) -> None:
    if not sheet.is_deleted:
        return
    sheet.deleted_at = None
    _log(session, sheet, "restore")


def set_status(session: Session, sheet: Sheet, status: str) -> None:
    if status not in SheetStatus.ALL:
        raise SheetError(f"unknown status {status}")
    sheet.status = status
    sheet.updated_at = utcnow()
    _log(session, sheet, "status")


def _check_slug_free(session: Session, slug: str, allow_sheet: Sheet | None = None) -> None:
    if not is_valid_slug(slug):
        raise InvalidFields({"slug": FieldError(
            "Use lower-case letters, digits and hyphens only.", {})})
    if is_reserved(slug):
        raise InvalidFields({"slug": FieldError(
            N_("The address %(value)s is reserved for a page of the wiki; choose another."),
            {"value": slug})})
    owner = session.exec(select(Sheet).where(Sheet.slug == slug)).first()
    redirect = session.get(SlugRedirect, slug)
    taken_by_other = (owner is not None and owner is not allow_sheet) or (
        redirect is not None and (allow_sheet is None or redirect.sheet_id != allow_sheet.id))
    if taken_by_other:
        raise SlugTaken(slug)


def _claim(session: Session, sheet: Sheet, base: Revision) -> None:
    """Hold the sheet for this save if it is still at `base`; StaleRevision otherwise.

    One conditional UPDATE, decided by the database, not by what this session read earlier:
    on PostgreSQL it locks the row (a concurrent claim waits, then finds the pointer moved);
    on SQLite it takes the database's single write lock (the busy timeout makes the others
    wait for it, then they read the committed pointer). Either way the lock lasts until the
    caller commits or rolls back, so the revision number below cannot be taken meanwhile.
    """
    claimed = session.execute(
        update(Sheet).where(Sheet.id == sheet.id, Sheet.current_revision_id == base.id)
        .values(current_revision_id=Sheet.current_revision_id)  # no change, only the lock
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        session.refresh(sheet)  # what the other save made of it, for the conflict answer
        raise StaleRevision(current_revision(session, sheet))


def _append_revision(session: Session, sheet: Sheet, content: Content, *, author: User | None,
                     summary: str, base: Revision | None) -> Revision:
    """The next revision, made current. Edits have claimed the sheet first (`_claim`); a new
    sheet is not visible to anyone else yet."""
    number = (session.exec(
        select(func.max(Revision.number)).where(Revision.sheet_id == sheet.id)
    ).one() or 0) + 1
    revision = Revision(sheet_id=sheet.id, number=number, author_id=author.id if author else None,
                        edit_summary=summary[:300], base_revision_id=base.id if base else None,
                        title=content.title, summary=content.summary, body=content.body,
                        fields=dict(content.fields))
    session.add(revision)
    session.flush()
    _apply(session, sheet, revision)
    _log(session, sheet, "revision")
    notifications.revision_saved(session, sheet, revision, author)
    return revision


def _apply(session: Session, sheet: Sheet, revision: Revision) -> None:
    """Make the revision current and copy the values lists and filters read."""
    fields = revision.fields
    countries = fields.get("countries", [])
    sheet.current_revision_id = revision.id
    sheet.title = revision.title
    sheet.summary = revision.summary
    sheet.language = fields.get("language", sheet.language or "en")
    sheet.basis = fields.get("basis")
    sheet.soc_change_t_c_ha_yr = fields.get("soc_change_t_c_ha_yr")
    sheet.yield_change_pct = fields.get("yield_change_pct")
    sheet.region = region_of_country(countries[0]) if countries else None
    sheet.license = fields.get("license", sheet.license)
    sheet.attribution = fields.get("attribution", sheet.attribution or "")
    sheet.source_url = fields.get("source_url", sheet.source_url)
    sheet.cover_photo = photos.cover(fields)
    sheet.updated_at = revision.created_at
    session.exec(delete(SheetTerm).where(SheetTerm.sheet_id == sheet.id,
                                         SheetTerm.facet != ENDORSED_BY))
    pairs = set(facet_values(fields))
    pairs |= {("regions", region) for country in countries
              if (region := region_of_country(country))}
    if pairs:  # a Core insert: rows identical to the deleted ones must not clash in the ORM
        session.execute(insert(SheetTerm), [
            {"sheet_id": sheet.id, "facet": facet, "code": code} for facet, code in sorted(pairs)])


# The SheetTerm facet of endorsements (practices.endorsements keeps those rows); an edit
# rewrites the vocabulary terms of a sheet, never these.
ENDORSED_BY = "endorsed_by"


def _log(session: Session, sheet: Sheet, kind: str) -> None:
    session.add(ChangeLogEntry(sheet_id=sheet.id, kind=kind))
