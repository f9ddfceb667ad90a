"""Has anything a reader can see changed? One cheap query that answers for the whole wiki.

Every change readers see leaves a row with a growing id: a new revision, status change or
deletion in the change log, an administrative act in the audit log, a comment or its edit,
an endorsement. Hiding a comment only sets a date, so that is counted too. The newest of
each (read through primary-key indexes, not by scanning) is the wiki's version: pages,
feeds and API answers built from the same version are the same, so HTTP caches may keep
them (an ETag), and the newest date is their Last-Modified.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import func, select
from sqlmodel import Session

from practices.models import AuditEvent, ChangeLogEntry, Comment, CommentVersion, Endorsement

_TABLES = (ChangeLogEntry, AuditEvent, Comment, CommentVersion, Endorsement)


@dataclass(frozen=True)
class Version:
    stamp: str
    last_modified: datetime | None


def _newest(model):
    newest = select(func.max(model.id)).scalar_subquery()
    moment = model.written_at if model is CommentVersion else model.created_at
    created = select(moment).where(model.id == newest).scalar_subquery()
    return newest, created


@cache
def _statement():
    """Built once: it is the same query every time (half its cost was building it)."""
    columns = []
    for model in _TABLES:
        columns.extend(_newest(model))
    columns.append(select(func.count(Endorsement.id)).scalar_subquery())  # withdrawals
    columns.append(select(func.max(Comment.hidden_at)).scalar_subquery())
    columns.append(select(func.count(Comment.id)).where(Comment.hidden_at.is_not(None))
                   .scalar_subquery())
    return select(*columns)


def current_version(session: Session) -> Version:
    row = session.execute(_statement()).one()
    dates = [_aware(value) for value in row if isinstance(value, datetime)]
    stamp = "-".join("" if value is None else _plain(value) for value in row)
    return Version(stamp, max(dates) if dates else None)


def _plain(value) -> str:
    if isinstance(value, datetime):
        return str(int(_aware(value).timestamp() * 1_000_000))
    return str(value)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
