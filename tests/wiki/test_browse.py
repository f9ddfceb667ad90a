"""Home, recent changes and the Atom feed (the practice list is tested in test_search_pages)."""

from xml.etree import ElementTree as ET

from practices import sheets

ATOM = "{http://www.w3.org/2005/Atom}"


def test_recent_changes_and_feed_list_new_revisions(client, make_sheet, make_user, session):
    sheet = make_sheet(title="Biochar")
    sheets.revise(session, sheet, sheets.Content.checked(title="Biochar", body="More."),
                  author=make_user(name="Awa"), base_revision_id=sheet.current_revision_id,
                  edit_summary="added detail")
    session.commit()
    page = client.get("/recent").text
    assert "added detail" in page and "Awa" in page
    response = client.get("/feeds/recent.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert all(entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
               for entry in entries)
    assert "added detail" in entries[0].find(f"{ATOM}summary").text


def test_home_shows_zones_and_recent_sheets(client, make_sheet):
    make_sheet(title="Zai pits", agro_climatic_zones=["semi-arid"])
    page = client.get("/").text
    assert "Zai pits" in page and "agro_climatic_zone=semi-arid" in page


def test_interface_language_can_be_switched(client):
    page = client.get("/?lang=fr").text
    assert '<html lang="fr">' in page
    assert '<html lang="fr">' in client.get("/").text  # the choice is kept
