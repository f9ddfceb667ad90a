"""Finished anonymous pages kept per process (wiki.page_cache): answered again without a
view until the wiki changes, and never for anyone who might see something else."""

import gzip
from pathlib import Path

import pytest
from sqlalchemy import event

from practices import sheets

SHEET = "/practices/zai-pits"


@pytest.fixture
def sheet(make_sheet):
    return make_sheet("Zai pits", slug="zai-pits", body="Planting pits with manure. " * 40)


@pytest.fixture
def statements(app):
    """How many SQL statements the app runs (a kept page costs one: the wiki's version)."""
    seen = []

    def count(*_args, **_kwargs):
        seen.append(1)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_an_anonymous_page_is_answered_again_from_the_kept_response(client, sheet, statements):
    first = client.get(SHEET, headers={"Accept-Encoding": "gzip"})
    rendered = len(statements)
    statements.clear()
    again = client.get(SHEET, headers={"Accept-Encoding": "gzip"})
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert again.headers["Content-Encoding"] == "gzip"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in again.headers
    assert len(statements) == 1 < rendered


def test_a_kept_page_still_names_its_own_request(client, sheet):
    client.get(SHEET, headers={"X-Request-Id": "first-1"})
    again = client.get(SHEET, headers={"X-Request-Id": "second-2"})
    assert again.headers["X-Request-Id"] == "second-2"


def test_compressed_and_plain_answers_are_kept_apart(client, sheet):
    for _ in range(2):
        zipped = client.get(SHEET, headers={"Accept-Encoding": "gzip"})
        plain = client.get(SHEET)
        assert "Content-Encoding" not in plain.headers
        assert gzip.decompress(zipped.get_data()) == plain.get_data()


def test_each_language_is_kept_apart(client, sheet):
    client.get(SHEET, headers={"Accept-Language": "en"})
    french = client.get(SHEET, headers={"Accept-Language": "fr"})
    assert 'lang="fr"' in french.text
    assert 'lang="en"' in client.get(SHEET, headers={"Accept-Language": "en"}).text


def test_a_change_shows_on_the_next_request(client, session, sheet, make_user):
    assert "Pits that hold water" not in client.get(SHEET).text
    content = sheets.Content.checked(title="Zai pits", summary="Pits that hold water")
    sheets.revise(session, sheet, content, author=make_user(),
                  base_revision_id=sheet.current_revision_id)
    session.commit()
    assert "Pits that hold water" in client.get(SHEET).text


def test_a_signed_in_reader_never_gets_a_kept_page(client, sheet, make_user, login):
    client.get(SHEET)
    client.get(SHEET)
    login(make_user(name="Awa Traoré"))
    page = client.get(SHEET)
    assert "Awa Traoré" in page.text
    assert page.headers["Cache-Control"].startswith("private")


def test_a_signed_in_page_is_never_kept_for_others(app, sheet, make_user, login, client):
    login(make_user(name="Awa Traoré"))
    assert "Awa Traoré" in client.get(SHEET).text
    stranger = app.test_client()
    page = stranger.get(SHEET)
    assert "Awa Traoré" not in page.text
    assert page.headers["Cache-Control"] == "public, max-age=60"


def test_a_draft_is_never_served_to_others_from_a_kept_page(
    app, session, client, make_sheet, make_user, login
):
    author = make_user(name="Awa Traoré")
    draft = make_sheet("Secret trial", slug="secret-trial", status="draft", author=author,
                       body="Not ready yet.")
    login(author)
    assert "Not ready yet." in client.get("/practices/secret-trial").text
    stranger = app.test_client()
    for _ in range(2):
        assert stranger.get("/practices/secret-trial").status_code == 404
    sheets.set_status(session, draft, "published")
    session.commit()
    assert stranger.get("/practices/secret-trial").status_code == 200
    sheets.set_status(session, draft, "draft")
    session.commit()
    hidden = stranger.get("/practices/secret-trial")
    assert hidden.status_code == 404 and "Not ready yet." not in hidden.text


def test_a_page_with_a_message_for_one_reader_is_not_kept(app, client, sheet):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved.")]
    assert "Saved." in client.get(SHEET).text
    assert "Saved." not in app.test_client().get(SHEET).text


# --- Shared by the workers of one machine ---------------------------------------------------


@pytest.fixture
def other_worker(app):
    """A second worker of the same machine: its own app and memory, the same database and
    the same folders (search index, shared pages)."""
    from wiki import create_app

    worker = create_app(dict(app.config), instance_path=app.instance_path)
    yield worker
    worker.extensions["engine"].dispose()


def count_statements(app):
    seen = []
    event.listen(app.extensions["engine"], "before_cursor_execute", lambda *a, **k: seen.append(1))
    return seen


def test_a_page_made_by_one_worker_is_answered_by_the_others(client, sheet, other_worker):
    made = client.get(SHEET, headers={"Accept-Encoding": "gzip"})
    statements = count_statements(other_worker)
    shared = other_worker.test_client().get(SHEET, headers={"Accept-Encoding": "gzip"})
    assert shared.status_code == 200 and shared.get_data() == made.get_data()
    assert shared.headers["ETag"] == made.headers["ETag"]
    assert shared.headers["Content-Encoding"] == "gzip"
    assert len(statements) == 1  # the wiki's version, and nothing else


def test_after_a_change_no_worker_answers_with_the_older_page(
    client, session, sheet, make_user, other_worker, tmp_path
):
    client.get(SHEET)
    content = sheets.Content.checked(title="Zai pits", summary="Pits that hold water")
    sheets.revise(session, sheet, content, author=make_user(),
                  base_revision_id=sheet.current_revision_id)
    session.commit()
    assert "Pits that hold water" in other_worker.test_client().get(SHEET).text
    versions = [p for p in (tmp_path / "index-pages").iterdir() if p.is_dir()]
    assert len(versions) == 1  # the older version's pages were removed


def test_a_page_for_a_signed_in_reader_is_never_shared(
    client, sheet, make_user, login, other_worker
):
    login(make_user(name="Awa Traoré"))
    assert "Awa Traoré" in client.get(SHEET).text
    assert "Awa Traoré" not in other_worker.test_client().get(SHEET).text


def test_a_damaged_shared_page_is_made_again(client, sheet, other_worker, tmp_path):
    made = client.get(SHEET)
    for page in (tmp_path / "index-pages").rglob("*"):
        if page.is_file():
            page.write_bytes(b"\xff\xff")  # e.g. cut short by a full disk before the rename
    again = other_worker.test_client().get(SHEET)
    assert again.status_code == 200 and again.get_data() == made.get_data()


def test_a_worker_shares_no_more_than_its_allowance(tmp_path):
    from wiki.page_cache import Entry, SharedPages

    shared = SharedPages(tmp_path / "pages", max_bytes=3_000)
    page = Entry(b"x" * 1_000, (("Content-Type", "text/html"),), "text/html")
    for number in range(5):
        shared.put("v1", (f"/practices/{number}",), page)
    kept = [n for n in range(5) if shared.get("v1", (f"/practices/{n}",)) is not None]
    assert kept == [0, 1]
    assert shared.get("v1", ("/practices/0",)) == page
    shared.put("v2", ("/practices/9",), page)  # a new version: a new allowance
    assert shared.get("v2", ("/practices/9",)) == page
    assert shared.get("v1", ("/practices/0",)) is None


def test_a_worker_keeps_no_copy_of_the_pages_it_shares(client, sheet, tmp_path, statements):
    """The system's file cache holds the shared pages once for all the workers: a copy in
    each worker's memory would only make every worker bigger."""
    client.get(SHEET)
    for page in (tmp_path / "index-pages").rglob("*"):
        if page.is_file():
            page.unlink()
    statements.clear()
    assert client.get(SHEET).status_code == 200
    assert len(statements) > 1  # made again: nothing was kept in memory


def test_without_a_shared_folder_each_worker_keeps_its_pages(app, sheet, statements):
    from wiki import create_app

    alone = create_app({**app.config, "SHARED_PAGE_BYTES": 0, "PAGE_CACHE_BYTES": None},
                       instance_path=app.instance_path)
    seen = count_statements(alone)
    reader = alone.test_client()
    first = reader.get(SHEET)
    seen.clear()
    again = reader.get(SHEET)
    assert again.get_data() == first.get_data()
    assert len(seen) == 1  # the wiki's version, then the page from this worker's memory
    shared = Path(alone.config["SEARCH_INDEX_DIR"] + "-pages")
    assert not any(page.is_file() for page in shared.rglob("*"))  # nothing was shared
    alone.extensions["engine"].dispose()
