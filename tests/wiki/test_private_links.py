"""Drafts stay private everywhere (issue 11, point 5): a wiki link to a sheet the reader may
not see reads exactly like a link to a sheet that does not exist, on sheet pages, previews
and comments, whatever was cached for other readers; a deleted draft keeps its title private.
"""

import re

import pytest
from sqlmodel import select

from practices import discussions, sheets
from practices.models import RenderedRevision, Role
from wiki import render_cache

SECRET = "Confidential trial of biochar"


@pytest.fixture
def private_draft(make_organization, make_user, make_sheet):
    organization = make_organization()
    author = make_user(organization=organization)
    make_sheet(title=SECRET, slug="biochar-trial", status="draft", author=author,
               organization=organization)
    return author


def link(page: str, slug: str) -> str:
    """The <a> element of a wiki link, with the slug made neutral to compare two links."""
    found = re.search(rf'<a href="/practices/{slug}"[^>]*>[^<]*</a>', page).group(0)
    return found.replace(slug, "SLUG")


def test_a_draft_linked_from_a_published_sheet_reads_as_missing_to_readers(
        app, client, private_draft, make_sheet):
    sheet = make_sheet(title="Soil carbon", body="See [[biochar-trial]] and [[no-such-page]].")
    page = client.get(f"/practices/{sheet.slug}").text
    assert SECRET not in page
    assert link(page, "biochar-trial") == link(page, "no-such-page")
    assert 'class="wikilink missing"' in link(page, "biochar-trial")


def test_the_drafts_own_organisation_sees_its_title_and_the_cache_does_not_leak_it(
        app, client, login, private_draft, make_sheet):
    sheet = make_sheet(title="Soil carbon", body="See [[biochar-trial]].")
    anonymous = app.test_client()
    before = anonymous.get(f"/practices/{sheet.slug}").text
    login(private_draft)
    own = client.get(f"/practices/{sheet.slug}").text
    after = anonymous.get(f"/practices/{sheet.slug}").text
    assert f'class="wikilink">{SECRET}</a>' in own
    assert SECRET not in before and SECRET not in after
    assert link(before, "biochar-trial") == link(after, "biochar-trial")


def test_a_reader_after_the_author_does_not_get_the_authors_rendering(
        app, client, login, private_draft, make_sheet):
    sheet = make_sheet(title="Soil carbon", body="See [[biochar-trial]].")
    login(private_draft)
    assert SECRET in client.get(f"/practices/{sheet.slug}/revisions/1").text
    assert SECRET not in app.test_client().get(f"/practices/{sheet.slug}/revisions/1").text


def test_preview_does_not_let_another_contributor_probe_slugs(
        client, login, private_draft, make_user):
    login(make_user())  # a contributor of no organisation
    page = client.post("/practices/new", data={
        "title": "Probe", "body": "[[biochar-trial]] [[no-such-page]]", "language": "en",
        "action": "preview"}).text
    assert SECRET not in page
    assert link(page, "biochar-trial") == link(page, "no-such-page")


def test_wiki_links_in_comments_are_checked_and_private(
        app, client, login, session, private_draft, make_sheet, make_user):
    sheet = make_sheet(title="Soil carbon")
    make_sheet(title="Zai pits", slug="zai-pits")
    thread = discussions.start_thread(
        session, sheet, make_user(), title="Links",
        body="[[zai-pits]] [[no-such-page]] [[biochar-trial]]")
    session.commit()
    page = client.get(f"/practices/{sheet.slug}/discussion/{thread.id}").text
    assert 'href="/practices/zai-pits" class="wikilink">Zai pits</a>' in page
    assert 'class="wikilink missing"' in link(page, "no-such-page")
    assert link(page, "biochar-trial") == link(page, "no-such-page")
    assert SECRET not in page
    login(private_draft)
    assert f">{SECRET}</a>" in client.get(f"/practices/{sheet.slug}/discussion/{thread.id}").text


def test_a_deleted_drafts_title_is_shown_only_to_those_who_could_see_it(
        app, client, login, session, private_draft, make_user):
    draft, _ = sheets.find(session, "biochar-trial")
    sheets.soft_delete(session, draft)
    session.commit()
    gone = app.test_client().get("/practices/biochar-trial")
    assert gone.status_code == 410 and SECRET not in gone.text
    login(make_user(Role.MODERATOR))
    assert SECRET in client.get("/practices/biochar-trial").text


def test_a_deleted_published_sheet_keeps_its_public_title(app, session, make_sheet):
    sheet = make_sheet(title="Terraces of the past")
    sheets.soft_delete(session, sheet)
    session.commit()
    gone = app.test_client().get(f"/practices/{sheet.slug}")
    assert gone.status_code == 410 and "Terraces of the past" in gone.text


# The render cache ----------------------------------------------------------------------


def test_a_rendered_revision_is_served_by_any_worker_without_rendering_again(
        app, client, session, make_sheet, monkeypatch):
    sheet = make_sheet(title="Tables", body="| a | b |\n|---|---|\n| 1 | 2 |\n" + "[[tables]]")
    first = client.get(f"/practices/{sheet.slug}").text
    assert len(session.exec(select(RenderedRevision)).all()) == 1

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render_cache, "render_markdown", no_rendering)
    other_worker = render_cache.RevisionRenderer(app.extensions["engine"])
    monkeypatch.setitem(app.extensions, "revision_renderer", other_worker)
    again = client.get(f"/practices/{sheet.slug}").text
    assert re.search(r"<table>.*</table>", again, re.S).group(0) == \
        re.search(r"<table>.*</table>", first, re.S).group(0)


def test_a_cached_page_follows_the_linked_sheets_new_title(client, session, make_sheet):
    target = make_sheet(title="Half-moons", slug="half-moons")
    sheet = make_sheet(title="Basins", body="See [[half-moons]].")
    assert ">Half-moons</a>" in client.get(f"/practices/{sheet.slug}").text
    # Renamed the way the wiki renames (a revision: the wiki's version moves on too).
    sheets.revise(session, target, sheets.Content.checked(title="Half-moon basins of Niger"),
                  author=None, base_revision_id=target.current_revision_id)
    session.commit()
    assert ">Half-moon basins of Niger</a>" in client.get(f"/practices/{sheet.slug}").text
