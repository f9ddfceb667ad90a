"""Numbered revisions of a record other than a sheet (an organisation's profile, a measure),
saved as sheets are: the record's row is claimed before the last number is read, so two
saves at once never take the same number, and a save that started from an older revision
than the current one is refused instead of silently replacing it.

Sheets have their own compare-and-set on `current_revision_id` (practices.sheets._claim);
these records keep no pointer, so the row itself is the lock.

History, diff and revert read the same rows: a revert is one more revision holding an old
snapshot (`reverted_from` says which), saved with the same compare-and-set.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from practices.diff import FieldChange, as_text, word_diff


class StaleEdit(Exception):
    """Someone saved this record after the revision the edit started from."""

    def __init__(self, current: int):
        super().__init__(f"saved meanwhile: revision {current} is the current one")
        self.current = current


def claim(session: Session, record: Any) -> None:
    """Hold the record's row until the transaction ends: a row lock on PostgreSQL, the
    database's write lock on SQLite; then read the record as it is now."""
    model = type(record)
    session.execute(update(model).where(model.id == record.id).values(id=model.id)
                    .execution_options(synchronize_session=False))
    session.refresh(record)


def last_number(session: Session, revision_model: Any, parent_column: Any, parent_id: int) -> int:
    """The number of the record's latest revision (0 when it has none)."""
    return session.exec(select(func.max(revision_model.number))
                        .where(parent_column == parent_id)).one() or 0


def check_base(current: int, base: int | None) -> None:
    """StaleEdit unless the edit started from the current revision (None: not checked, for
    scripts and imports that replace the record on purpose)."""
    if base is not None and base != current:
        raise StaleEdit(current)


def append(session: Session, revision_model: Any, parent_field: str, record: Any,
           values: dict[str, Any], author: Any, summary: str,
           reverted_from: int | None = None) -> Any:
    """The record's next revision, a snapshot of `values` (the row is claimed, or new)."""
    parent_column = getattr(revision_model, parent_field)
    revision = revision_model(
        **{parent_field: record.id},
        number=last_number(session, revision_model, parent_column, record.id) + 1,
        author_id=author.id if author else None,
        edit_summary=summary[:300],
        data=values,
        reverted_from=reverted_from,
    )
    session.add(revision)
    session.flush()
    return revision


def history(session: Session, revision_model: Any, parent_field: str, record: Any) -> list:
    """The record's revisions, newest first."""
    return list(session.exec(select(revision_model)
                             .where(getattr(revision_model, parent_field) == record.id)
                             .order_by(revision_model.number.desc())))


def by_number(session: Session, revision_model: Any, parent_field: str, record: Any,
              number: int) -> Any | None:
    return session.exec(select(revision_model).where(
        getattr(revision_model, parent_field) == record.id,
        revision_model.number == number)).first()


def compare(old: Any, new: Any, fields: Sequence[str],
            describe: Callable[[str, Any], str] | None = None) -> list[FieldChange]:
    """What changed between two snapshots, field by field, word by word (practices.diff);
    `describe` writes a value out for people (e.g. the label of a code)."""
    describe = describe or (lambda _name, value: as_text(value))
    changes = []
    for name in fields:
        before, after = old.data.get(name), new.data.get(name)
        if before != after:
            changes.append(FieldChange(name, before, after,
                                       word_diff(describe(name, before), describe(name, after))))
    return changes


def revert(old: Any | None, number: int, base_revision: int | None,
           revise: Callable[..., Any]) -> Any:
    """Save revision `number` (`old`) again through the record's own `revise(values, **how)`,
    which returns the new revision, or None when it is the current content; LookupError when
    the record has no such revision."""
    if old is None:
        raise LookupError(number)
    return revise(dict(old.data), summary=f"Reverted to revision {number}",
                  base_revision=base_revision, reverted_from=number)
