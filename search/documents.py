"""What the index holds for a sheet, read fresh from the database.

The indexer always rebuilds a sheet's document from the sheet's current state in the database
(never from the change that triggered it), so applying a change twice, late or out of order
gives the same index.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from practices.markdown import plain_text
from practices.models import Revision, Sheet, SheetTerm
from search import carbon
from search.practices import practice_key
from search.schema import FACETS, text_field_for

__all__ = ["all_documents", "count_live", "document", "documents_for", "fingerprint",
           "plain_text"]

BATCH = 500
# guard(sheet, build) -> document or None; build(with_body) makes the document.
Guard = Callable[[Sheet, Callable[[bool], dict]], dict | None]


def unguarded(_sheet: Sheet, build: Callable[[bool], dict]) -> dict:
    return build(True)

# Sheet-field facets (vocabulary codes in SheetTerm) by the sheet field they come from.
TERM_FACETS = {field: facet for facet, field in FACETS.items()
               if field not in ("language", "status", "source")}


def fingerprint(sheet: Sheet) -> str:
    """Everything about a sheet that changes its document; `search check` compares these."""
    updated = _utc(sheet.updated_at)
    return "|".join(str(part) for part in (
        sheet.current_revision_id, sheet.status, sheet.slug, sheet.organization_id,
        sheet.created_by_id, sheet.language, sheet.source, sheet.translation_of_id,
        updated.isoformat() if updated else ""))


def documents_for(session: Session, sheet_ids: Iterable[int],
                  guard: Guard = unguarded) -> dict[int, dict | None]:
    """The document of each sheet id, or None for a sheet that must not be in the index
    (deleted, or gone from the database). `guard` builds each one (search.unindexable)."""
    ids = sorted(set(sheet_ids))
    found: dict[int, dict | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        sheets = session.exec(select(Sheet).where(Sheet.id.in_(chunk))).all()
        for document in _build(session, [s for s in sheets if s.deleted_at is None], guard):
            found[int(document["id"])] = document
    return found


def all_documents(session: Session, guard: Guard = unguarded) -> Iterator[dict]:
    """Every live sheet's document, in id order, a batch at a time."""
    last = 0
    while True:
        sheets = session.exec(
            select(Sheet).where(Sheet.id > last, Sheet.deleted_at.is_(None))
            .order_by(Sheet.id).limit(BATCH)).all()
        if not sheets:
            return
        yield from _build(session, sheets, guard)
        last = sheets[-1].id
        session.expunge_all()  # a rebuild of 100k sheets must not keep them all in memory


def count_live(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Sheet)
                        .where(Sheet.deleted_at.is_(None))).one()


def _build(session: Session, sheets: list[Sheet], guard: Guard) -> list[dict]:
    if not sheets:
        return []
    ids = [sheet.id for sheet in sheets]
    revisions = {rev.id: rev for rev in session.exec(select(Revision).where(
        Revision.id.in_([s.current_revision_id for s in sheets if s.current_revision_id])))}
    terms: dict[int, dict[str, list[str]]] = {}
    # Plain rows, not ORM objects: a sheet has a score of terms, a rebuild 100,000 sheets.
    rows = select(SheetTerm.sheet_id, SheetTerm.facet, SheetTerm.code)
    for sheet_id, facet, code in session.exec(rows.where(SheetTerm.sheet_id.in_(ids))):
        terms.setdefault(sheet_id, {}).setdefault(facet, []).append(code)
    built = (guard(sheet, _builder(sheet, revisions.get(sheet.current_revision_id),
                                   terms.get(sheet.id, {})))
             for sheet in sheets)
    return [doc for doc in built if doc is not None]


def _builder(sheet: Sheet, revision: Revision | None, terms: dict[str, list[str]]):
    return lambda with_body: document(sheet, revision, terms, with_body=with_body)


def document(sheet: Sheet, revision: Revision | None, terms: dict[str, list[str]], *,
             with_body: bool = True) -> dict:
    """The index document of one sheet (pure: tests can call it without an index). Without
    its body when the body could not be read (search.unindexable)."""
    fields = revision.fields if revision is not None else {}
    body = plain_text(revision.body) if revision is not None and with_body else ""
    title, summary = sheet.title, sheet.summary or ""
    words = " ".join(filter(None, (title, fields.get("local_name", ""), summary, body)))
    # The spelling dictionary: titles and summaries (the words people type), not whole
    # bodies, which would double indexing time; vocabulary labels are in search.labels.
    spelling = (title, fields.get("local_name", ""), summary)
    doc = {
        "id": str(sheet.id),
        "slug": sheet.slug,
        "practice": practice_key(sheet.id, sheet.translation_of_id),
        "title": title,
        "summary": summary,
        "body": body,
        text_field_for(sheet.language): words,
        "spell": " ".join(dict.fromkeys(" ".join(spelling).split())),
        "language": sheet.language or "en",
        "status": sheet.status,
        "source": sheet.source or "local",
        "updated": _naive_utc(sheet.updated_at),
        "fingerprint": fingerprint(sheet).encode("utf-8"),
    }
    if sheet.organization_id is not None:
        doc["organization"] = str(sheet.organization_id)
    if sheet.created_by_id is not None:
        doc["author"] = str(sheet.created_by_id)
    if sheet.soc_change_t_c_ha_yr is not None:
        doc["soc_change"] = float(sheet.soc_change_t_c_ha_yr)
        doc["flags"] = "soc"
    for field, codes in terms.items():
        facet = TERM_FACETS.get(field)
        if facet and codes:
            doc[facet] = " ".join(sorted(codes))
    doc.update(carbon_document_fields(fields))
    return doc


def carbon_document_fields(fields: dict) -> dict:
    """IPCC Tier 1 estimates per zone × soil the sheet lists (issue 13; see search.carbon)."""
    return carbon.document_fields(fields)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _naive_utc(moment: datetime | None) -> datetime:
    """Whoosh stores naive datetimes; ours are UTC."""
    moment = _utc(moment) or datetime(1970, 1, 1, tzinfo=UTC)
    return moment.replace(tzinfo=None)
