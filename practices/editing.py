"""One edit of a sheet, wherever it comes from: the edit page, the API, a revert, an import.

`sheets.revise` and `sheets.revert` store the revision as a compare-and-set on the sheet's
current revision (see `sheets._claim`). This module is the one door every editor goes
through: it adds what follows a saved edit (the review flag and its audit event, by
`workflow.edited`) and turns a race the database itself caught into the same StaleRevision
as any other stale base, so that every caller answers with its conflict, never a 500.

On StaleRevision nothing of the edit was written; the caller rolls its transaction back (the
losing claim may hold SQLite's write lock until then). Two people taking the same new slug at
once (two new sheets, or two renames) pass the slug check together; the database's unique
index refuses the later one, which becomes the same SlugTaken the check would have raised.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from practices import sheets, workflow
from practices.models import Revision, Sheet, User


def create_sheet(
    session: Session,
    content: sheets.Content,
    *,
    author: User | None,
    slug: str | None = None,
    organization_id: int | None = None,
    edit_summary: str = "",
) -> Sheet:
    """A new sheet written here (page or API): a draft for contributors, published for
    moderators, with its audit trail; SlugTaken if the slug is someone else's, even when
    they took it a moment ago."""
    with _slug_taken_on_clash(session, slug):
        sheet = sheets.create(
            session,
            content,
            author=author,
            slug=slug,
            status=workflow.initial_status(author),
            organization_id=organization_id,
            edit_summary=edit_summary,
        )
    workflow.created(session, sheet, author)
    return sheet


def save_edit(
    session: Session,
    sheet: Sheet,
    content: sheets.Content,
    *,
    author: User | None,
    base_revision_id: int | None,
    edit_summary: str = "",
    new_slug: str | None = None,
    flag: bool = True,
) -> Revision:
    """Save `content` as the sheet's next revision if the sheet is still at
    `base_revision_id`; StaleRevision (with the current revision) if someone saved first.

    `flag=False` skips the review flag, for replaying history that was reviewed elsewhere
    (an export read back)."""
    with _stale_on_clash(session, sheet), _slug_taken_on_clash(session, new_slug):
        revision = sheets.revise(
            session,
            sheet,
            content,
            author=author,
            base_revision_id=base_revision_id,
            edit_summary=edit_summary,
            new_slug=new_slug,
        )
    if flag:
        workflow.edited(session, sheet, author, edit_summary)
    return revision


def revert(
    session: Session,
    sheet: Sheet,
    number: int,
    *,
    author: User | None,
    base_revision_id: int | None = None,
    flag: bool = True,
) -> Revision:
    """Bring back revision `number` as a new revision (if the sheet is still at
    `base_revision_id`, when given: the history page the user looked at).

    `flag=False` skips the review flag, for undoing an import (the sheet goes back to
    what it was before the run)."""
    with _stale_on_clash(session, sheet):
        revision = sheets.revert(
            session, sheet, number, author=author, base_revision_id=base_revision_id
        )
    if flag:
        workflow.edited(session, sheet, author, revision.edit_summary)
    return revision


@contextmanager
def _stale_on_clash(session: Session, sheet: Sheet) -> Iterator[None]:
    """Two saves that both took the same revision number: the later one is stale.

    The claim makes this unreachable for saves that go through `sheets`; it stays as the
    database's own guard (uq_revision_number) for anything that writes revisions otherwise.
    The failed flush leaves the transaction unusable, so it is rolled back here."""
    try:
        yield
    except IntegrityError as clash:
        if not _is_revision_number_clash(clash):
            raise
        session.rollback()
        raise sheets.StaleRevision(sheets.current_revision(session, sheet)) from clash


@contextmanager
def _slug_taken_on_clash(session: Session, slug: str | None) -> Iterator[None]:
    """The slug was free when checked, and another save took it before ours was written."""
    try:
        yield
    except IntegrityError as clash:
        if not _is_slug_clash(clash):
            raise
        session.rollback()
        raise sheets.SlugTaken(slug or "") from clash


_SLUG_CONSTRAINTS = ("ix_sheets_slug", "sheets_slug_key", "slug_redirects_pkey")


def _is_slug_clash(error: IntegrityError) -> bool:
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:
        return diagnostics.constraint_name in _SLUG_CONSTRAINTS
    return any(f"UNIQUE constraint failed: {column}" in str(error.orig)
               for column in ("sheets.slug", "slug_redirects.old_slug"))


def _is_revision_number_clash(error: IntegrityError) -> bool:
    diagnostics = getattr(error.orig, "diag", None)  # psycopg names the constraint
    if diagnostics is not None:
        return diagnostics.constraint_name == "uq_revision_number"
    return "revisions.sheet_id, revisions.number" in str(error.orig)  # SQLite names columns
