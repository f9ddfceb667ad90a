"""`practice-wiki search rebuild|check`: the search index from the command line."""

from practices import sheets
from search import SearchRequest, SearchService


def _search(app, text: str) -> list[str]:
    page = app.extensions["search"].search(SearchRequest.from_params({"q": [text]}))
    return [hit.slug for hit in page.hits]


def _slugs(page) -> list[str]:
    return [hit.slug for hit in page.hits]


def _index(app):
    store = app.extensions["search"].store
    return store.current_name(), store.open(store.current_name())


def test_rebuild_with_two_processes_indexes_every_sheet_into_a_new_version(app, make_sheet):
    for number in range(5):
        make_sheet(f"Zai pits {number}", body="Planting pits catch the runoff.")
    before, _ix = _index(app)
    result = app.test_cli_runner().invoke(args=["search", "rebuild", "--procs", "2",
                                                "--memory", "128"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the search index: 5 sheets" in result.output
    after, ix = _index(app)
    assert after != before
    assert ix.doc_count() == 6  # the sheets and the index's own progress document
    assert sorted(_search(app, "runoff")) == [f"zai-pits-{n}" for n in range(5)]


def test_rebuild_refuses_nonsense_options_and_changes_nothing(app, make_sheet):
    make_sheet("Half moons")
    before, _ix = _index(app)
    result = app.test_cli_runner().invoke(args=["search", "rebuild", "--procs", "0"])
    assert result.exit_code != 0 and "--procs" in result.output
    assert _index(app)[0] == before


def test_check_reports_a_sheet_missing_from_the_index_and_puts_it_back(app, make_sheet):
    sheet = make_sheet("Stone lines", body="Stone lines slow the runoff.")
    _name, ix = _index(app)
    with ix.writer() as writer:  # as if an index write had been lost
        writer.delete_by_term("id", str(sheet.id))
    runner = app.test_cli_runner()
    report = runner.invoke(args=["search", "check", "--report-only"])
    assert report.exit_code == 0, report.output
    assert "Missing from the index: 1" in report.output and "Nothing changed" in report.output
    assert _search(app, "stone") == []
    fixed = runner.invoke(args=["search", "check"])
    assert "Caught up." in fixed.output
    assert _search(app, "stone") == ["stone-lines"]
    assert "The index is up to date." in runner.invoke(args=["search", "check"]).output


def test_check_after_a_sheet_is_deleted_finds_the_index_up_to_date(app, make_sheet, session):
    make_sheet("Stone lines", body="Stone lines slow the runoff.")
    sheets.soft_delete(session, make_sheet("Half moons"))
    session.commit()  # the index drops it in a segment holding only its progress record
    result = app.test_cli_runner().invoke(args=["search", "check", "--report-only"])
    assert result.exit_code == 0, result.output
    assert "Database: 1 sheets; index: 1 documents." in result.output
    assert "The index is up to date." in result.output


def test_start_up_check_after_a_deletion_puts_back_a_lost_sheet(app, make_sheet, session):
    kept = make_sheet("Stone lines", body="Stone lines slow the runoff.")
    _name, ix = _index(app)
    with ix.writer() as writer:  # as if an index write had been lost
        writer.delete_by_term("id", str(kept.id))
    sheets.soft_delete(session, make_sheet("Half moons"))
    session.commit()
    worker = SearchService(app.config["SEARCH_INDEX_DIR"], app.extensions["engine"])
    assert _slugs(worker.search(SearchRequest.from_params({"q": ["runoff"]}))) == ["stone-lines"]
