"""Rendered revisions kept in the database, shared by every worker and host.

A revision never changes, so its HTML is rendered once per way of showing it (see
`models.RenderedRevision`). What is stored is made by `wiki.rendering`; this module only
finds and keeps rows. Writes go through their own short session, so a cache write never
mixes with (or fails) the request's transaction.
"""

import logging

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from practices.models import RenderedRevision

log = logging.getLogger(__name__)

# Ways of showing one revision worth keeping (readers who see different sets of drafts, or
# titles since renamed); older ones are dropped when a new one is stored.
KEEP_PER_REVISION = 8


def links_of(session: Session, revision_id: int, source_key: str) -> list[str] | None:
    """The wiki links found when this source (renderer and body) was last rendered, or None
    if it has not been."""
    return session.exec(
        select(RenderedRevision.links)
        .where(
            RenderedRevision.revision_id == revision_id, RenderedRevision.source_key == source_key
        )
        .limit(1)
    ).first()


def find(
    session: Session, revision_id: int, source_key: str, links_key: str
) -> RenderedRevision | None:
    return session.exec(
        select(RenderedRevision).where(
            RenderedRevision.revision_id == revision_id,
            RenderedRevision.source_key == source_key,
            RenderedRevision.links_key == links_key,
        )
    ).first()


def store(engine: Engine, row: RenderedRevision) -> None:
    """Keep a rendering; if another worker stored the same one meanwhile, theirs is kept.
    Never raises: a page must not fail because its rendering could not be kept."""
    with Session(engine) as session:
        session.add(row)
        try:
            session.commit()
            _prune(session, row.revision_id)
        except IntegrityError:
            session.rollback()
        except SQLAlchemyError:  # a locked SQLite file, a read-only replica...
            session.rollback()
            log.warning("rendered revision %s not cached", row.revision_id, exc_info=True)


def _prune(session: Session, revision_id: int) -> None:
    ids = session.exec(
        select(RenderedRevision.id)
        .where(RenderedRevision.revision_id == revision_id)
        .order_by(RenderedRevision.id.desc())
    ).all()
    if len(ids) > KEEP_PER_REVISION:
        session.exec(
            delete(RenderedRevision).where(RenderedRevision.id.in_(ids[KEEP_PER_REVISION:]))
        )
        session.commit()
