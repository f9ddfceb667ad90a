"""Eight people save the same sheet from the same revision at the same moment, through a real
multi-threaded server (one thread per request, as in production): exactly one save wins each
round, every other one gets the conflict answer with nothing lost, never a 500, and the
history has no gap and no double.

The server listens on 127.0.0.1, on TEST_SERVER_PORT when it is set (else a free port).
"""

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import select
from werkzeug.serving import make_server

from practices import sheets, tokens
from practices.models import Revision, Sheet
from tests.conftest import PASSWORD

CLIENTS = 8
ROUNDS = 20


@pytest.fixture
def server_url(app):
    server = make_server(
        "127.0.0.1", int(os.environ.get("TEST_SERVER_PORT", "0")), app, threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def people(make_user):
    return [make_user(name=f"Editor {number}") for number in range(CLIENTS)]


@pytest.fixture
def signed_in_clients(server_url, people) -> Iterator[list[httpx.Client]]:
    """One browser-like client per person, signed in through the login form."""
    clients = [httpx.Client(base_url=server_url, timeout=60) for _person in people]
    try:
        for client, person in zip(clients, people, strict=True):
            signed_in = client.post("/login", data={"email": person.email, "password": PASSWORD})
            assert signed_in.status_code == 303
        yield clients
    finally:
        for client in clients:
            client.close()


def _race(send: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Every client sends at once (a barrier releases them together)."""
    barrier = threading.Barrier(CLIENTS)

    def one(number: int) -> httpx.Response:
        barrier.wait(timeout=30)
        return send(number)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def _text(round_number: int, client: int) -> str:
    return f"Round {round_number}: the version of editor {client}."


def _check_round(session, sheet: Sheet, responses, won: int, round_number: int) -> Revision:
    statuses = [response.status_code for response in responses]
    assert Counter(statuses) == {won: 1, 409: CLIENTS - 1}, (round_number, statuses)
    winner = statuses.index(won)
    session.rollback()  # see what the server committed
    session.expire_all()
    current = sheets.current_revision(session, session.get(Sheet, sheet.id))
    assert current.body == _text(round_number, winner) + "\n"
    assert current.number == round_number + 2
    return current


def _assert_contiguous_history(session, sheet: Sheet) -> None:
    session.rollback()
    session.expire_all()
    numbers = session.exec(
        select(Revision.number).where(Revision.sheet_id == sheet.id).order_by(Revision.number)
    ).all()
    assert numbers == list(range(1, ROUNDS + 2))


def _bearer(app, session, person) -> dict[str, str]:
    _token, plain = tokens.create(session, person, "race", key=app.config["SECRET_KEY"])
    session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_simultaneous_api_updates_save_exactly_one(app, server_url, session, people, make_sheet):
    sheet = make_sheet("Contested practice", body="The first text.")
    clients = [
        httpx.Client(base_url=server_url, headers=_bearer(app, session, person), timeout=60)
        for person in people
    ]
    try:
        for round_number in range(ROUNDS):
            base = round_number + 1

            def send(number: int, round_number=round_number, base=base) -> httpx.Response:
                return clients[number].put(
                    f"/api/v1/practices/{sheet.slug}",
                    json={
                        "title": "Contested practice",
                        "body": _text(round_number, number),
                        "base_revision": base,
                    },
                )

            responses = _race(send)
            current = _check_round(session, sheet, responses, 200, round_number)
            for response in responses:
                if response.status_code == 409:
                    error = response.json()
                    assert error["error"]["code"] == "stale_revision"
                    assert error["current_revision"]["number"] == current.number
    finally:
        for client in clients:
            client.close()
    _assert_contiguous_history(session, sheet)


def test_simultaneous_form_saves_save_exactly_one(signed_in_clients, session, make_sheet):
    clients = signed_in_clients
    sheet = make_sheet("Contested practice", body="The first text.")
    base_id = sheet.current_revision_id
    for round_number in range(ROUNDS):

        def send(number: int, round_number=round_number, base_id=base_id) -> httpx.Response:
            return clients[number].post(
                f"/practices/{sheet.slug}/edit",
                data={
                    "title": "Contested practice",
                    "body": _text(round_number, number),
                    "base_revision_id": str(base_id),
                    "slug": sheet.slug,
                    "action": "save",
                },
            )

        responses = _race(send)
        current = _check_round(session, sheet, responses, 303, round_number)
        for number, response in enumerate(responses):
            if response.status_code == 409:  # the conflict page keeps what they wrote
                assert _text(round_number, number) in response.text
        base_id = current.id
    _assert_contiguous_history(session, sheet)


def test_simultaneous_reverts_and_edits_save_exactly_one(signed_in_clients, session,
                                                         make_sheet):
    """Half the clients revert to the revision before the current one, half edit."""
    clients = signed_in_clients
    sheet = make_sheet("Contested practice", body="The first text.")
    editing_first = clients[0].post(
        f"/practices/{sheet.slug}/edit",
        data={
            "title": "Contested practice",
            "body": "The second text.",
            "base_revision_id": str(sheet.current_revision_id),
            "slug": sheet.slug,
            "action": "save",
        },
    )
    assert editing_first.status_code == 303
    for round_number in range(ROUNDS // 2):
        session.rollback()
        session.expire_all()
        base = sheets.current_revision(session, session.get(Sheet, sheet.id))

        def send(number: int, round_number=round_number, base=base) -> httpx.Response:
            if number % 2:
                return clients[number].post(
                    f"/practices/{sheet.slug}/revert/{base.number - 1}",
                    data={"base_revision_id": str(base.id)},
                )
            return clients[number].post(
                f"/practices/{sheet.slug}/edit",
                data={
                    "title": "Contested practice",
                    "body": _text(round_number, number),
                    "base_revision_id": str(base.id),
                    "slug": sheet.slug,
                    "action": "save",
                },
            )

        outcomes = Counter(_outcome(response) for response in _race(send))
        assert outcomes == {"saved": 1, "refused": CLIENTS - 1}, (round_number, outcomes)
        session.rollback()
        session.expire_all()
        assert sheets.current_revision(session, session.get(Sheet, sheet.id)).number == (
            base.number + 1
        )
    numbers = session.exec(
        select(Revision.number).where(Revision.sheet_id == sheet.id).order_by(Revision.number)
    ).all()
    assert numbers == list(range(1, ROUNDS // 2 + 3))


def _outcome(response: httpx.Response) -> str:
    """A saved edit or revert goes to the sheet; a refused edit is the 409 conflict page, a
    refused revert goes back to the history."""
    if response.status_code == 409:
        return "refused"
    if response.status_code == 303:
        return "refused" if response.headers["location"].endswith("/history") else "saved"
    return f"status {response.status_code}"
