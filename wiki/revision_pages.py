"""History, diff and revert pages of records that are not sheets: organisation profiles and
measures (issue 14). Sheets have their own pages (wiki/sheets.py); these follow them: a table
of revisions with "compare" and "revert to this revision", a field-by-field word diff, and a
revert saved as a new revision with a compare-and-set on the revision the page showed."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from practices import revisions
from practices.models import User
from wiki import form_input
from wiki.db import get_session
from wiki.input_guard import database_int


@dataclass(frozen=True)
class RecordPages:
    """What the shared templates need to know of one record."""

    title: str  # the record's name, for headings
    heading: str  # e.g. "History of the profile"
    record_url: str
    history_url: str
    compare_url: str  # the history's "compare selected revisions" form goes here
    diff_url: Callable[[int, int], str]
    revert_url: Callable[[int], str]
    field_label: Callable[[str], str]
    may_revert: bool


def record_pages(endpoints: dict[str, str], ids: dict[str, Any], *, title: str, heading: str,
                 labels: dict[str, Any], may_revert: bool) -> RecordPages:
    """The pages of one record from its endpoints (view, history, compare, diff, revert)
    and the URL values that name it (e.g. {"slug": …})."""
    return RecordPages(
        title=title,
        heading=heading,
        record_url=url_for(endpoints["view"], **ids),
        history_url=url_for(endpoints["history"], **ids),
        compare_url=url_for(endpoints["compare"], **ids),
        diff_url=lambda a, b: url_for(endpoints["diff"], a=a, b=b, **ids),
        revert_url=lambda number: url_for(endpoints["revert"], number=number, **ids),
        field_label=lambda name: str(labels.get(name, name)),
        may_revert=may_revert,
    )


def authors_of(rows: list) -> dict[int, User]:
    ids = {row.author_id for row in rows if row.author_id}
    if not ids:
        return {}
    return {user.id: user for user in get_session().exec(select(User).where(User.id.in_(ids)))}


def history_page(pages: RecordPages, rows: list):
    return render_template("revisions/history.html", pages=pages, revisions=rows,
                           authors=authors_of(rows),
                           current=rows[0].number if rows else 0)


def diff_page(pages: RecordPages, find: Callable[[int], Any], a: int, b: int,
              compare: Callable[[Any, Any], list], current: int):
    """Revisions `a` and `b` (in either order) side by side; 404 if either is missing."""
    old, new = find(min(a, b)), find(max(a, b))
    if old is None or new is None:
        abort(404)
    return render_template("revisions/diff.html", pages=pages, old=old, new=new,
                           changes=compare(old, new), authors=authors_of([old, new]),
                           current=current)


def diff_from_form(pages: RecordPages):
    """The history's compare form: two revision numbers, or back to the history."""
    old, new = (database_int(request.args.get(name)) for name in ("old", "new"))
    if old is None or new is None:
        flash(_("Choose two revisions to compare."), "error")
        return redirect(pages.history_url, 303)
    return redirect(pages.diff_url(min(old, new), max(old, new)), 303)


def revert_from_form(pages: RecordPages, revert: Callable[[int, int], Any],
                     number: int, refused_types: tuple[type[Exception], ...]):
    """POST "revert to revision N": a new revision if the record is still at the revision
    the page showed (`base_revision`), else back to the history with the reason; a 400
    page when the request does not say which revision that was."""
    db = get_session()
    try:
        revision = revert(number, form_input.revert_base("base_revision"))
    except LookupError:
        abort(404)
    except revisions.StaleEdit:
        db.rollback()
        flash(_("Someone saved meanwhile; look at the history and try again."), "error")
        return redirect(pages.history_url, 303)
    except refused_types as refused:
        db.rollback()
        problems = "; ".join(f"{pages.field_label(name)}: {_(message)}"
                             for name, message in refused.errors.items())
        flash(_("Revision %(n)d cannot be brought back as it is: %(problems)s", n=number,
                problems=problems), "error")
        return redirect(pages.history_url, 303)
    if revision is None:
        db.rollback()
        flash(_("Revision %(n)d is the same as the current one.", n=number), "info")
        return redirect(pages.record_url, 303)
    db.commit()
    flash(_("Reverted to revision %(n)d (saved as a new revision).", n=number), "success")
    return redirect(pages.record_url, 303)
