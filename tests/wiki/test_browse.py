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


def practice_in_two_languages(make_sheet, make_user, session):
    """Zai pits in English, its French translation edited last; and another practice."""
    make_sheet(title="Biochar", countries=["KE"])
    english = make_sheet(title="Zai pits", language="en", countries=["BF"],
                         agro_climatic_zones=["semi-arid"])
    french = make_sheet(title="Le zaï", language="fr", countries=["BF"],
                        agro_climatic_zones=["semi-arid"], translation_of=english)
    sheets.revise(session, french, sheets.Content.checked(
        title="Le zaï", body="Plus de détails.", fields={"language": "fr", "countries": ["BF"]}),
        author=make_user(name="Awa"), base_revision_id=french.current_revision_id,
        edit_summary="détails ajoutés")
    session.commit()
    return english, french


def rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return body.split("<tr>")[1:]


def test_recent_changes_list_each_practice_once_in_the_readers_language(
        client, make_sheet, make_user, session):
    english, french = practice_in_two_languages(make_sheet, make_user, session)
    page = client.get("/recent?lang=en").text
    listed = rows(page)
    assert len(listed) == 2  # Zai pits (three revisions in two languages) and Biochar
    assert ">Zai pits</a>" in listed[0] and "détails ajoutés" in listed[0]
    assert 'class="lang-badge"' in listed[0] and 'hreflang="fr"' in listed[0]
    assert "change to the FR version" in listed[0]
    assert f"/practices/{french.slug}/diff/1/2" in listed[0]  # the change that was made
    assert ">Biochar</a>" in listed[1]
    listed = rows(client.get("/recent?lang=fr").text)
    assert ">Le zaï</a>" in listed[0] and 'hreflang="en"' in listed[0]
    assert "modification de la version" not in listed[0] and len(listed) == 2
    # The feed still has every change, for those who follow each edit.
    feed = ET.fromstring(client.get("/feeds/recent.atom").data)
    assert len(feed.findall(f"{ATOM}entry")) == 4


def test_home_counts_and_lists_practices_not_language_versions(client, make_sheet, make_user,
                                                              session):
    practice_in_two_languages(make_sheet, make_user, session)
    page = client.get("/?lang=en").text
    assert "2 published practices" in page
    tile = page[page.index("zone-tile--semi-arid"):]
    assert "<span>1 practice</span>" in tile[:tile.index("</a>")]
    cards = page[page.index('id="recent-title"'):]
    assert cards.count('class="card"') == 2 and ">Zai pits</a>" in cards
    assert ">Le zaï</a>" not in cards and 'hreflang="fr"' in cards
    french = client.get("/?lang=fr").text
    assert ">Le zaï</a>" in french[french.index('id="recent-title"'):]
