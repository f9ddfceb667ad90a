"""The review workflow through the sheet page: status panel and transition buttons."""

from sqlmodel import select

from practices.models import Role, Sheet


def test_contributor_sheet_starts_as_draft_moderator_sheet_is_published(client, session,
                                                                         login, make_user):
    login(make_user())
    with client.post("/practices/new", data={"title": "Mulch basins", "body": "Text."}) as r:
        assert r.status_code == 303
    with client.get("/practices/mulch-basins") as page:
        assert "Status: <span class=\"status-panel__status\">draft</span>" in page.text
        assert "Submit for review" in page.text and "Publish" not in page.text
    client.post("/logout").close()
    login(make_user(Role.MODERATOR, name="Mo"))
    client.post("/practices/new", data={"title": "Stone lines", "body": "Text."}).close()
    with client.get("/practices/stone-lines") as page:
        assert "Published by Mo" in page.text


def test_submit_return_fix_resubmit_publish(app, client, session, login, make_user,
                                            make_organization):
    partner = make_organization()
    author = make_user(name="Ama", organization=partner)
    moderator = make_user(Role.MODERATOR, name="Mona")
    login(author)
    client.post("/practices/new", data={"title": "Grass strips", "body": "First try."}).close()
    with client.post("/practices/grass-strips/submit") as r:
        assert r.status_code == 303
    with client.get("/practices/grass-strips") as page:
        assert "Submitted for review" in page.text and "Submit for review" not in page.text
    client.post("/logout").close()

    login(moderator)
    with client.get("/review") as page:
        assert "Grass strips" in page.text
    with client.post("/practices/grass-strips/return", data={"comment": "  "}) as r:
        assert r.status_code == 303
    with client.get("/practices/grass-strips") as page:
        assert "a comment is required" in page.text
    client.post("/practices/grass-strips/return",
                data={"comment": "Say how wide the strips are."}).close()
    client.post("/logout").close()

    login(author)
    with client.get("/practices/grass-strips") as page:
        assert "Returned by Mona" in page.text and "Say how wide the strips are." in page.text
    sheet = session.exec(select(Sheet).where(Sheet.slug == "grass-strips")).one()
    client.post("/practices/grass-strips/edit", data={
        "title": "Grass strips", "body": "Strips 1 m wide.", "language": "en",
        "license": "cc-by-4.0", "base_revision_id": sheet.current_revision_id}).close()
    client.post("/practices/grass-strips/submit").close()
    client.post("/logout").close()

    login(moderator)
    with client.post("/practices/grass-strips/publish") as r:
        assert r.status_code == 303
    client.post("/logout").close()
    with client.get("/practices/grass-strips") as page:  # anyone reads it now
        assert page.status_code == 200 and "Published by Mona" in page.text
        assert "Strips 1 m wide." in page.text


def test_flagged_edit_shows_and_is_approved(client, session, login, make_user, make_sheet,
                                           make_organization):
    careful = make_organization(review_edits=True)
    sheet = make_sheet("Cover crops", organization=careful)
    login(make_user())
    client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Cover crops", "body": "Now with rye.", "language": "en",
        "license": "cc-by-4.0", "base_revision_id": sheet.current_revision_id}).close()
    with client.get(f"/practices/{sheet.slug}") as page:
        assert "flagged for a moderator" in page.text and "Now with rye." in page.text
    client.post("/logout").close()
    login(make_user(Role.MODERATOR))
    with client.get("/review") as page:
        assert "Cover crops" in page.text
    with client.post(f"/practices/{sheet.slug}/approve-edits") as r:
        assert r.status_code == 303
    with client.get(f"/practices/{sheet.slug}") as page:
        assert "flagged for a moderator" not in page.text
