"""One sheet that cannot be indexed must not block the index for everyone (issue 11): its
change is applied without its body, later changes still apply, and `search check` names it."""

import pytest

from search import documents
from tests.search.conftest import slugs


@pytest.fixture
def poisoned(monkeypatch):
    """Reading a body with POISON in it stops with `what` (an error, or the process being
    stopped, as gunicorn stops a worker past its timeout)."""

    def poison(what: BaseException):
        readable = documents.plain_text

        def reading(body: str) -> str:
            if "POISON" in body:
                raise what
            return readable(body)

        monkeypatch.setattr(documents, "plain_text", reading)

    return poison


def test_a_sheet_whose_body_fails_is_indexed_without_it_and_others_still_are(
    app, make_sheet, search_service, find, poisoned, monkeypatch
):
    poisoned(ValueError("unreadable body"))
    stone = make_sheet("Stone lines", body="POISON runoff")
    make_sheet("Half moons", body="runoff basins")
    assert slugs(find(q="basins")) == ["half-moons"]
    assert slugs(find(q="stone")) == ["stone-lines"]  # by its title
    assert slugs(find(q="runoff")) == ["half-moons"]
    report = search_service.check(fix=False)
    assert report.unindexable == ((stone.id, "ValueError: unreadable body"),)
    assert not report.in_sync

    monkeypatch.undo()  # the cause is gone: `search check` indexes it whole
    assert search_service.check(fix=True).unindexable == ()
    assert sorted(slugs(find(q="runoff"))) == ["half-moons", "stone-lines"]
    assert search_service.check(fix=False).in_sync


def test_a_sheet_that_stopped_the_indexing_process_is_indexed_without_its_body_next_time(
    app, make_sheet, search_service, find, poisoned
):
    make_sheet("Zai pits")  # the wiki and its index exist
    poisoned(SystemExit(1))
    apply_changes = search_service.apply_changes
    search_service.apply_changes = lambda **_kw: 0  # both saved before the index hears of it
    try:
        make_sheet("Stone lines", body="POISON runoff")
        make_sheet("Half moons", body="runoff basins")
    finally:
        search_service.apply_changes = apply_changes
    with pytest.raises(SystemExit):  # the worker is stopped while indexing the first one
        search_service.apply_changes()
    # The next search (in any worker) applies both, the first one without its body.
    assert slugs(find(q="basins")) == ["half-moons"]
    assert slugs(find(q="stone")) == ["stone-lines"]
    ((sheet_id, reason),) = search_service.check(fix=False).unindexable
    assert "did not finish" in reason


def test_search_check_names_the_sheets_it_could_not_index(app, make_sheet, poisoned):
    poisoned(RecursionError("too deep"))
    sheet = make_sheet("Stone lines", body="POISON")
    result = app.test_cli_runner().invoke(args=["search", "check", "--report-only"])
    assert result.exit_code == 0, result.output
    assert f"Sheet {sheet.id} could not be indexed" in result.output
    assert "RecursionError: too deep" in result.output
