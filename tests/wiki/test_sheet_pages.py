"""Sheet pages through HTTP, as a browser would use them."""

import re

import pytest

from practices import sheets
from practices.models import Role

FORM = {"title": "Mulching with crop residues", "summary": "Keep residues on the soil.",
        "body": "## How to do it\n\nSpread the straw.", "agro_climatic_zones": ["semi-arid"],
        "countries": ["KE"], "locations": "-0.5, 37.2", "soc_change_t_c_ha_yr": "0.3",
        "impacts.soil_organic_matter": "2", "language": "en", "action": "save"}


def base_revision(page: str) -> str:
    return re.search(r'name="base_revision_id" value="(\d+)"', page).group(1)


def test_create_shows_the_sheet_with_its_infobox(client, login, make_user):
    login(make_user())
    response = client.post("/practices/new", data=FORM)
    assert response.status_code == 303
    page = client.get(response.location).text
    assert "Mulching with crop residues" in page
    assert "semi-arid" in page.lower() and "Kenya" in page
    assert "+0.3" in page and "t C/ha/yr" in page
    assert 'id="how-to-do-it"' in page


def test_reader_cannot_create(client):
    response = client.get("/practices/new")
    assert response.status_code == 302 and "/login" in response.location


def test_invalid_form_keeps_what_was_typed_and_names_the_fields(client, login, make_user):
    login(make_user())
    data = dict(FORM, locations="95, 10", soc_change_t_c_ha_yr="a lot")
    response = client.post("/practices/new", data=data)
    assert response.status_code == 422
    assert "Latitude must be within" in response.text
    assert "Enter a number." in response.text
    assert "Spread the straw." in response.text and 'value="a lot"' in response.text
    assert client.get("/practices/mulching-with-crop-residues").status_code == 404


def test_preview_renders_without_saving(client, login, make_user):
    login(make_user())
    response = client.post("/practices/new", data=dict(FORM, action="preview"))
    assert response.status_code == 200
    assert "Preview" in response.text and "<h2" in response.text
    assert client.get("/practices/mulching-with-crop-residues").status_code == 404


def test_edit_history_and_diff(client, login, make_user, make_sheet):
    login(make_user())
    sheet = make_sheet(title="Cover crops", body="Sow rye after maize.")
    form = client.get(f"/practices/{sheet.slug}/edit").text
    response = client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Cover crops", "body": "Sow cereal rye after maize harvest.",
        "base_revision_id": base_revision(form), "edit_summary": "more precise", "action": "save",
        "slug": sheet.slug})
    assert response.status_code == 303
    history = client.get(f"/practices/{sheet.slug}/history").text
    assert "more precise" in history and "#2" in history
    diff = client.get(f"/practices/{sheet.slug}/diff/1/2").text
    inserted = re.findall(r"<ins>([^<]*)</ins>", diff)
    assert any("cereal" in text for text in inserted)
    assert any("harvest" in text for text in inserted)


def test_diff_of_a_long_sheet_shows_the_change_and_folds_the_rest(client, login, make_user,
                                                                   make_sheet):
    login(make_user())
    lines = [f"Paragraph {n} about mulch." for n in range(1, 81)]
    sheet = make_sheet(title="Mulch", body="\n".join(lines))
    form = client.get(f"/practices/{sheet.slug}/edit").text
    lines[60] = "Paragraph 61 about straw mulch."
    client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Mulch", "body": "\n".join(lines), "base_revision_id": base_revision(form),
        "action": "save", "slug": sheet.slug})
    page = client.get(f"/practices/{sheet.slug}/diff/1/2").text
    visible = re.sub(r"<details class=\"diff__skip\">.*?</details>", "", page, flags=re.S)
    assert "straw" in visible and "Paragraph 58 about" in visible
    assert "Paragraph 5 about" not in visible and "Paragraph 57 about" not in visible
    assert "57 unchanged lines" in page and "Show everything" in page
    everything = client.get(f"/practices/{sheet.slug}/diff/1/2?full=1").text
    assert "diff__skip" not in everything and "Paragraph 5 about" in everything


def test_stale_edit_shows_conflict_and_keeps_the_users_text(client, login, make_user,
                                                            make_sheet, session):
    login(make_user())
    sheet = make_sheet(title="Biochar", body="Char made from crop residues.")
    form = client.get(f"/practices/{sheet.slug}/edit").text
    stale_base = base_revision(form)
    other = sheets.Content.checked(title="Biochar", body="Char from residues, at 500 °C.")
    sheets.revise(session, sheet, other, author=make_user(), base_revision_id=int(stale_base))
    session.commit()
    response = client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Biochar", "body": "My careful rewrite of the whole text.",
        "base_revision_id": stale_base, "action": "save", "slug": sheet.slug})
    assert response.status_code == 409
    assert "My careful rewrite of the whole text." in response.text
    assert "500" in response.text  # the other person's change is shown
    assert len(sheets.history(session, sheet)) == 2


def test_revert_from_history(client, login, make_user, make_sheet, session):
    login(make_user())
    sheet = make_sheet(title="Hedgerows", body="Good text.")
    sheets.revise(session, sheet, sheets.Content.checked(title="Hedgerows", body="Spam."),
                  author=make_user(), base_revision_id=sheet.current_revision_id)
    session.commit()
    response = client.post(f"/practices/{sheet.slug}/revert/1",
                           data={"base_revision_id": sheet.current_revision_id})
    assert response.status_code == 303
    page = client.get(f"/practices/{sheet.slug}").text
    assert "Good text." in page and "Revision 3" in page


def test_delete_and_restore_by_a_moderator(client, login, make_user, make_sheet):
    login(make_user(Role.MODERATOR))
    sheet = make_sheet(title="Terraces")
    assert client.post(f"/practices/{sheet.slug}/delete").status_code == 303
    gone = client.get(f"/practices/{sheet.slug}")
    assert gone.status_code == 410 and "Restore this sheet" in gone.text
    assert "Terraces" not in client.get("/practices/").text
    assert client.post(f"/practices/{sheet.slug}/restore").status_code == 303
    assert client.get(f"/practices/{sheet.slug}").status_code == 200


def test_contributor_cannot_delete_a_published_sheet(client, login, make_user, make_sheet):
    login(make_user())
    sheet = make_sheet(title="Terraces")
    assert client.post(f"/practices/{sheet.slug}/delete").status_code == 403
    assert client.get(f"/practices/{sheet.slug}").status_code == 200


def test_renamed_sheet_redirects_from_its_old_address(client, login, make_user, make_sheet):
    login(make_user())
    sheet = make_sheet(title="Zai pits", body="x")
    form = client.get(f"/practices/{sheet.slug}/edit").text
    client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Zai pits", "body": "x", "slug": "zai-planting-pits",
        "base_revision_id": base_revision(form), "action": "save"})
    response = client.get("/practices/zai-pits")
    assert response.status_code == 301
    assert response.location.endswith("/practices/zai-planting-pits")


def test_wiki_links_to_missing_sheets_are_marked(client, make_sheet):
    make_sheet(title="Compost")
    sheet = make_sheet(title="Manure", body="See [[compost]] and [[vermicompost|worms]].")
    page = client.get(f"/practices/{sheet.slug}").text
    assert 'href="/practices/compost" class="wikilink"' in page
    assert re.search(r'href="/practices/vermicompost" class="wikilink missing"', page)


def test_wiki_links_read_as_the_target_sheets_title_unless_labelled(client, make_sheet):
    make_sheet(title="Half-moons in Niger", slug="demi-lunes-niger")
    sheet = make_sheet(title="Zai pits",
                       body="See [[demi-lunes-niger]] and [[demi-lunes-niger|larger basins]].")
    page = client.get(f"/practices/{sheet.slug}").text
    assert 'class="wikilink">Half-moons in Niger</a>' in page
    assert 'class="wikilink">larger basins</a>' in page


def test_script_in_a_body_never_reaches_the_page(client, make_sheet):
    sheet = make_sheet(title="XSS", body='<script>alert(1)</script> [x](javascript:alert(1))'
                                        ' <img src=x onerror=alert(1)>')
    page = client.get(f"/practices/{sheet.slug}").text
    assert "<script>alert" not in page
    assert not re.search(r'(href|src)="\s*javascript:', page, re.IGNORECASE)
    assert not re.search(r"<img[^>]*onerror", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, harmless


def test_drafts_of_others_are_not_shown(client, login, make_user, make_sheet):
    sheet = make_sheet(title="Secret draft", status="draft")
    assert client.get(f"/practices/{sheet.slug}").status_code in (403, 404, 401)
    login(make_user())
    assert client.get(f"/practices/{sheet.slug}").status_code in (403, 404)


def test_oversized_post_gets_a_413_page(client, app, login, make_user):
    login(make_user())
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/practices/new", data=dict(FORM, body="x" * 5000))
    assert response.status_code == 413
    assert "Too large" in response.text


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/practices/no-such-practice")
    assert response.status_code == 404 and "no sheet called" in response.text.lower()


def save_mulch_at(client, make_sheet, slug: str):
    """A sheet "Mulch" saved from its edit form with its body changed and the address `slug`."""
    sheet = make_sheet(title="Mulch", body="x")
    form = client.get(f"/practices/{sheet.slug}/edit").text
    return client.post(f"/practices/{sheet.slug}/edit", data={
        "title": "Mulch", "body": "changed", "slug": slug,
        "base_revision_id": base_revision(form), "action": "save"})


def test_invalid_new_address_is_refused_and_nothing_changes(client, login, make_user, make_sheet):
    login(make_user())
    response = save_mulch_at(client, make_sheet, "Not a slug!")
    assert response.status_code == 422
    assert "lower-case letters, digits and hyphens" in response.text
    assert client.get("/practices/mulch").status_code == 200
    assert "changed" not in client.get("/practices/mulch").text


def test_an_address_the_wiki_uses_is_refused_and_nothing_changes(client, login, make_user,
                                                                 make_sheet):
    login(make_user(Role.MODERATOR))
    response = save_mulch_at(client, make_sheet, "new")
    assert response.status_code == 422
    assert "The address new is reserved for a page of the wiki" in response.text
    assert 'id="slug-error"' in response.text
    assert "changed" not in client.get("/practices/mulch").text
    assert "New practice sheet" in client.get("/practices/new").text


def test_a_sheet_titled_new_gets_an_address_of_its_own(client, login, make_user):
    login(make_user())
    response = client.post("/practices/new", data=dict(FORM, title="New"))
    assert response.status_code == 303 and response.location.endswith("/practices/new-2")
    assert "Keep residues on the soil." in client.get("/practices/new-2").text


def test_unknown_vocabulary_code_is_refused(client, login, make_user):
    login(make_user())
    response = client.post("/practices/new", data=dict(FORM, agro_climatic_zones=["tundra"]))
    assert response.status_code == 422
    assert "Unknown value: tundra." in response.text


def test_unexpected_errors_get_the_styled_500_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "kaboom" not in response.text
    assert 'class="site-header"' in response.text


@pytest.mark.parametrize(("bounds", "shown"), [
    ({"rainfall_mm_min": 400, "rainfall_mm_max": 800}, "400–800 mm/yr"),
    ({"rainfall_mm_min": 400}, "at least 400 mm/yr"),
    ({"rainfall_mm_max": 800}, "up to 800 mm/yr"),
])
def test_infobox_shows_rainfall_even_with_one_bound(client, make_sheet, bounds, shown):
    sheet = make_sheet(title="Half-moons", **bounds)
    page = client.get(f"/practices/{sheet.slug}").text
    assert "Annual rainfall" in page and shown in page


def test_a_revert_from_a_page_older_than_the_sheet_is_refused(client, login, make_user,
                                                              make_sheet, session):
    login(make_user())
    sheet = make_sheet(title="Hedgerows", body="Good text.")
    sheets.revise(session, sheet, sheets.Content.checked(title="Hedgerows", body="Spam."),
                  author=make_user(), base_revision_id=sheet.current_revision_id)
    session.commit()
    page = client.get(f"/practices/{sheet.slug}/revisions/1").text
    seen = re.search(r'name="base_revision_id" value="(\d+)"', page).group(1)
    fixed = sheets.Content.checked(title="Hedgerows", body="Spam removed by hand.")
    sheets.revise(session, sheet, fixed, author=make_user(),
                  base_revision_id=sheet.current_revision_id)
    session.commit()

    response = client.post(f"/practices/{sheet.slug}/revert/1", data={"base_revision_id": seen})

    assert response.status_code == 303 and response.location.endswith("/history")
    assert "Someone saved the sheet meanwhile" in client.get(response.location).text
    session.expire_all()
    assert sheets.current_revision(session, sheet).body == "Spam removed by hand.\n"
    assert len(sheets.history(session, sheet)) == 3


@pytest.mark.parametrize("sent", [{"base_revision_id": "abc"}, {"base_revision_id": ""},
                                  {"base_revision_id": "99999999999"}, {}])
def test_a_revert_that_does_not_say_its_base_is_refused_and_saves_nothing(
        client, login, make_user, make_sheet, session, sent):
    login(make_user())
    sheet = make_sheet(title="Hedgerows", body="Good text.")
    sheets.revise(session, sheet, sheets.Content.checked(title="Hedgerows", body="Spam."),
                  author=make_user(), base_revision_id=sheet.current_revision_id)
    fixed = sheets.Content.checked(title="Hedgerows", body="Spam removed by hand.")
    sheets.revise(session, sheet, fixed, author=make_user(),
                  base_revision_id=sheet.current_revision_id)
    session.commit()

    response = client.post(f"/practices/{sheet.slug}/revert/1", data=sent)

    assert response.status_code == 400
    assert "did not say which revision the page showed" in response.text
    session.expire_all()
    assert sheets.current_revision(session, sheet).body == "Spam removed by hand.\n"
    assert len(sheets.history(session, sheet)) == 3
