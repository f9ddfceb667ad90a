"""While the search index cannot be written (disk full, read-only), pages and `search check`
say that search is behind, and a search without a usable index shows only what the reader
may see."""

import errno
import shutil

import pytest
from whoosh.filedb.filestore import FileStorage

from practices import sheets
from practices.models import Role


class Disk:
    """The index's disk: `fill()` makes every file Whoosh creates fail as on a full disk."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.original = monkeypatch, FileStorage.create_file

    def fill(self) -> None:
        def no_space(storage, name, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device", name)

        self.monkeypatch.setattr(FileStorage, "create_file", no_space)

    def free(self) -> None:
        self.monkeypatch.setattr(FileStorage, "create_file", self.original)


@pytest.fixture
def disk(monkeypatch):
    return Disk(monkeypatch)


def test_while_the_index_cannot_be_written_pages_say_search_is_behind(
        client, make_sheet, disk):
    make_sheet("Stone lines", body="Stone lines slow the runoff.")
    disk.fill()
    make_sheet("Half moons", body="Half moons catch the runoff.")  # saved all the same
    found = client.get("/practices/?q=runoff").text
    assert "Search is behind." in found
    assert "/practices/stone-lines" in found and "/practices/half-moons" not in found
    assert "Search is behind:" in client.get("/practices/half-moons").text  # every page
    assert client.get("/api/v1/practices?q=runoff").json["notice"] == "behind"
    disk.free()  # space freed: the next search catches up and the notices go
    found = client.get("/practices/?q=runoff").text
    assert "/practices/half-moons" in found and "Search is behind" not in found
    assert "Search is behind" not in client.get("/practices/half-moons").text


def test_search_check_reports_an_index_that_cannot_be_written(app, make_sheet, disk):
    make_sheet("Stone lines")
    disk.fill()
    make_sheet("Half moons")
    runner = app.test_cli_runner()
    for arguments in (["search", "check", "--report-only"], ["search", "check"]):
        result = runner.invoke(args=arguments)
        assert result.exit_code == 1, result.output
        assert "The search index cannot be written" in result.output
        assert "No space left on device" in result.output
        assert "change-log rows not applied: 1" in result.output


def test_without_a_usable_index_a_search_lists_only_what_the_reader_may_see(
        app, client, session, make_sheet, make_organization, make_user, login, disk):
    partner, other = make_organization(), make_organization()
    author = make_user(organization=partner)
    make_sheet("Published terraces", author=author, organization=partner)
    make_sheet("Draft terraces", author=author, organization=partner, status="draft")
    make_sheet("Reviewed terraces", author=author, organization=partner, status="in_review")
    sheets.soft_delete(session, make_sheet("Deleted terraces", author=author,
                                           organization=partner))
    session.commit()
    disk.fill()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])  # lost, and it cannot be rebuilt
    expected = ["published-terraces"]
    for reader in (None, make_user(Role.CONTRIBUTOR, organization=other)):
        if reader is not None:
            login(reader)
        page = client.get("/practices/").text
        assert "The search index is being rebuilt." in page
        assert _listed(page) == expected, reader
        listed = client.get("/api/v1/practices").json
        assert [item["slug"] for item in listed["items"]] == expected, reader


def _listed(page: str) -> list[str]:
    return sorted(slug for slug in ("published-terraces", "draft-terraces",
                                    "reviewed-terraces", "deleted-terraces")
                  if f'href="/practices/{slug}"' in page)
