"""What a posted form names by number or by button, read so that junk never means "none".

A form names rows by number (an organisation, colleges), says which revision an edit
started from, and which button was pressed. Read loosely (`type=int`, `database_int`), a
value that is no such number (text, empty, past what an INTEGER column holds) comes out as
None, and None means something on these pages: "no organisation", or "no base, so no
conflict check". That is how `organization=abc` removed a user's organisation and
`base_revision=abc` let a stale edit overwrite a newer one.

Here such a value reads as NOT_AN_ID, a number no row and no revision has, so the domain
refuses it as it refuses any number that names nothing ("Choose an organisation from the
list.", a stale edit), with its own message, and saves nothing. Where a page has no such
answer (a revert button, an action button), the answer is a 400 page that says why.
"""

from typing import NoReturn

from flask import abort, make_response, request
from flask_babel import gettext as _

from wiki.errors import render_error
from wiki.input_guard import database_int

NOT_AN_ID = -1  # ids, revision numbers and comment versions are never negative


def number(value: str | None) -> int:
    """`value` as an id or a revision number, or NOT_AN_ID."""
    found = database_int(value)
    return NOT_AN_ID if found is None else found


def chosen_id(name: str) -> int | None:
    """The row chosen in a list whose empty option means "none" (then None)."""
    value = request.form.get(name, "")
    return None if value == "" else number(value)


def chosen_ids(name: str) -> list[int]:
    """The rows ticked in a group of checkboxes ([] when none is)."""
    return [number(value) for value in request.form.getlist(name)]


def edit_base(name: str) -> int:
    """The revision an edit form started from. Missing or unreadable, it is NOT_AN_ID, never
    the current revision: the save is refused as a conflict and the form comes back with
    what was typed and the current base, as the sheet edit form does."""
    return number(request.form.get(name))


def revert_base(name: str) -> int:
    """The revision a revert button's page showed, or a 400 page. Those buttons answer a
    stale base with a redirect to the history ("someone saved meanwhile"); a base that was
    never sent is a broken request, and the answer says so."""
    base = database_int(request.form.get(name))
    if base is None:
        refuse(
            _(
                "This request did not say which revision the page showed, so it cannot "
                "tell whether someone saved since. Nothing was changed: reload the page "
                "and try again."
            )
        )
    return base


def pressed(name: str, buttons: tuple[str, ...]) -> str:
    """Which of the form's `buttons` was pressed, or a 400 page: any other value is refused,
    never read as one of them."""
    value = request.form.get(name, "")
    if value not in buttons:
        refuse(
            _(
                "This form asked for something the page does not offer. Nothing was "
                "changed: reload the page and try again."
            )
        )
    return value


def refuse(message: str) -> NoReturn:
    """Stop the request with a 400 page saying `message`."""
    abort(make_response(render_error(400, message)))
