"""Everything out again: a JSON dump with every sheet and revision, or a CSV of current sheets.

JSON (`write_json`) is the full record, meant for backups and moving a wiki: every sheet
(deleted ones too) with its provenance, old addresses, sync state and every revision; the
organisations and the accounts that wrote them (name, e-mail and role only: no password).
`practices.importers.native` reads it back into an empty wiki. It is written sheet by
sheet, never built in memory.

CSV (`write_csv`) holds the current version of every live sheet in the spreadsheet import
format (`practices.importers.table`), so it can be edited and imported again.
"""

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from sqlmodel import Session, select

from practices.importers.table import COLUMN_NAMES, row_of
from practices.models import (
    Organization,
    Revision,
    Sheet,
    SlugRedirect,
    SourceLink,
    User,
    utcnow,
)

FORMAT = "practice-wiki"
VERSION = 1


def user_key(user_id: int | None) -> str | None:
    return f"user-{user_id}" if user_id else None


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _sheets(session: Session, include_deleted: bool = True) -> Iterator[Sheet]:
    """Originals before their translations, oldest first, a batch at a time."""
    query = select(Sheet)
    if not include_deleted:
        query = query.where(Sheet.deleted_at.is_(None))
    query = query.order_by(Sheet.translation_of_id.is_not(None), Sheet.id)
    yield from session.exec(query.execution_options(yield_per=200))


def write_json(session: Session, out: IO[str]) -> int:
    """Write the whole wiki as JSON; returns the number of sheets written."""
    organizations = {org.id: org for org in session.exec(select(Organization))}
    authors = set(session.exec(select(Revision.author_id).distinct()).all())
    authors |= set(session.exec(select(Sheet.created_by_id).distinct()).all())
    users = session.exec(select(User).where(User.id.in_([a for a in authors if a]))).all()
    out.write(json.dumps({"format": FORMAT, "version": VERSION,
                          "exported_at": _time(utcnow())})[:-1])
    out.write(',\n"organizations": ')
    json.dump([{"slug": org.slug, "name": org.name, "kind": org.kind, "country": org.country,
                "website": org.website} for org in organizations.values()], out,
              ensure_ascii=False)
    out.write(',\n"users": ')
    json.dump([{"key": user_key(user.id), "name": user.name, "email": user.email,
                "role": user.role,
                "organization": organizations[user.organization_id].slug
                if user.organization_id in organizations else None} for user in users], out,
              ensure_ascii=False)
    out.write(',\n"sheets": [')
    slugs = dict(session.exec(select(Sheet.id, Sheet.slug)).all())
    count = 0
    for sheet in _sheets(session):
        out.write(",\n" if count else "\n")
        json.dump(sheet_json(session, sheet, slugs, organizations), out, ensure_ascii=False)
        count += 1
    out.write("\n]}\n")
    return count


def sheet_json(session: Session, sheet: Sheet, slugs: dict[int, str],
               organizations: dict[int, Organization]) -> dict[str, Any]:
    revisions = session.exec(select(Revision).where(Revision.sheet_id == sheet.id)
                             .order_by(Revision.number)).all()
    numbers = {revision.id: revision.number for revision in revisions}
    link = session.get(SourceLink, sheet.id)
    old_slugs = session.exec(select(SlugRedirect.old_slug).where(
        SlugRedirect.sheet_id == sheet.id).order_by(SlugRedirect.created_at)).all()
    organization = organizations.get(sheet.organization_id)
    return {
        "slug": sheet.slug, "status": sheet.status, "language": sheet.language,
        "translation_of": slugs.get(sheet.translation_of_id),
        "organization": organization.slug if organization else None,
        "created_by": user_key(sheet.created_by_id), "created_at": _time(sheet.created_at),
        "updated_at": _time(sheet.updated_at), "deleted_at": _time(sheet.deleted_at),
        "source": sheet.source, "source_id": sheet.source_id, "source_url": sheet.source_url,
        "source_updated": _time(sheet.source_updated), "license": sheet.license,
        "attribution": sheet.attribution, "old_slugs": list(old_slugs),
        "current_revision": numbers.get(sheet.current_revision_id),
        "sync": {"revision": numbers.get(link.revision_id), "fingerprint": link.fingerprint,
                 "source_updated": _time(link.source_updated)} if link else None,
        "revisions": [{
            "number": revision.number, "author": user_key(revision.author_id),
            "created_at": _time(revision.created_at), "edit_summary": revision.edit_summary,
            "base_revision": numbers.get(revision.base_revision_id),
            "reverted_from": revision.reverted_from, "title": revision.title,
            "summary": revision.summary, "body": revision.body, "fields": revision.fields,
        } for revision in revisions],
    }


def write_csv(session: Session, out: IO[str]) -> int:
    """Write every live sheet's current version as a spreadsheet row; returns the count."""
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    slugs = dict(session.exec(select(Sheet.id, Sheet.slug)).all())
    count = 0
    for sheet in _sheets(session, include_deleted=False):
        revision = session.get(Revision, sheet.current_revision_id)
        if revision is None:
            continue
        writer.writerow(row_of(
            revision.title, revision.summary, revision.body, revision.fields, slug=sheet.slug,
            status=sheet.status, translation_of=slugs.get(sheet.translation_of_id, ""),
            source_id=sheet.source_id or ""))
        count += 1
    return count

