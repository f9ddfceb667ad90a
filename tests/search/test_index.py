"""Searching the index: languages, suggestions, highlights, rights, sorting, keeping up."""

import shutil
from pathlib import Path

from practices import sheets
from practices.models import Role
from tests.search.conftest import slugs

FR_BODY = "Les couverts végétaux protègent le sol de l'érosion et nourrissent la vie du sol."
ES_BODY = "Los cultivos de cobertura protegen los suelos de la erosión entre dos cosechas."
EN_BODY = "Terraces slow the runoff on hillsides; farmers plant grasses on the risers."


def test_each_language_is_stemmed_by_its_own_rules(make_sheet, find):
    make_sheet("Couverts végétaux", body=FR_BODY, language="fr")
    make_sheet("Cultivos de cobertura", body=ES_BODY, language="es")
    make_sheet("Bench terraces", body=EN_BODY, language="en")
    assert slugs(find(q="couvert vegetal")) == ["couverts-vegetaux"]   # accents and plural
    assert slugs(find(q="cultivo suelo")) == ["cultivos-de-cobertura"]
    assert slugs(find(q="terrace")) == ["bench-terraces"]
    assert slugs(find(q="érosion")) == ["couverts-vegetaux", "cultivos-de-cobertura"] or set(
        slugs(find(q="érosion"))) == {"couverts-vegetaux", "cultivos-de-cobertura"}


def test_vocabulary_labels_are_searchable_in_every_language(make_sheet, find):
    make_sheet("Trees between crops", practice_groups=["agroforestry"], language="en")
    assert slugs(find(q="agroforesterie")) == ["trees-between-crops"]
    assert slugs(find(q="agroforestería")) == ["trees-between-crops"]


def test_a_misspelt_word_gets_a_suggestion_that_finds_something(make_sheet, find):
    make_sheet("Agroforestry with shade trees", body="Agroforestry keeps the soil covered.")
    make_sheet("Drip irrigation", body="Irrigation water goes to the roots.")
    page = find(q="agroforesty")
    assert page.total == 0 and page.suggestion == "agroforestry"
    assert find(q="irigation").suggestion == "irrigation"  # a word, not a stem ("drip")
    assert find(q="agroforestry").suggestion is None
    assert find(q="zzzzqqq").suggestion is None


def test_snippets_mark_the_matching_words_and_escape_the_rest(make_sheet, find):
    make_sheet("Mulch <script>alert(1)</script>",
               body="Straw **mulch** keeps <b>soil</b> moist when 5 < 6 & more.")
    hit = find(q="mulch").hits[0]
    assert hit.title_html.startswith('<mark class="search-match')
    assert "&lt;script&gt;" in hit.title_html and "<script>" not in hit.title_html
    assert "mulch</mark>" in hit.snippet_html and "5 &lt; 6 &amp; more" in hit.snippet_html
    assert "<b>" not in hit.snippet_html and "**" not in hit.snippet_html


def test_facets_and_within_or_across_with_counts_of_what_each_choice_gives(make_sheet, find):
    make_sheet("Zai pits", agro_climatic_zones=["semi-arid"], countries=["BF"])
    make_sheet("Half moons", agro_climatic_zones=["arid"], countries=["NE"])
    make_sheet("Cocoa agroforestry", agro_climatic_zones=["humid"], countries=["GH"])
    page = find(agro_climatic_zone=["semi-arid", "arid"])
    assert sorted(slugs(page)) == ["half-moons", "zai-pits"]
    assert page.counts["agro_climatic_zone"] == {"semi-arid": 1, "arid": 1, "humid": 1}
    assert page.counts["country"] == {"BF": 1, "NE": 1}
    assert page.counts["region"] == {"western-africa": 2}
    page = find(agro_climatic_zone=["semi-arid", "arid"], country="NE")
    assert slugs(page) == ["half-moons"] and page.total == 1


def test_readers_see_published_sheets_and_members_their_drafts(
        make_sheet, make_user, make_organization, find):
    ours, theirs = make_organization(), make_organization()
    author = make_user(organization=ours)
    colleague = make_user(organization=ours)
    outsider = make_user(organization=theirs)
    make_sheet("Published mulch", body="mulch")
    make_sheet("Draft mulch", body="mulch", status="draft", author=author, organization=ours)
    make_sheet("Review mulch", body="mulch", status="in_review", author=author)
    everyone = {"published-mulch", "draft-mulch", "review-mulch"}
    assert slugs(find(q="mulch")) == ["published-mulch"]
    assert "status" not in find(q="mulch").counts
    assert set(slugs(find(q="mulch", user=author))) == everyone
    assert set(slugs(find(q="mulch", user=colleague))) == {"published-mulch", "draft-mulch"}
    assert slugs(find(q="mulch", user=outsider)) == ["published-mulch"]
    assert slugs(find(q="mulch", user=make_user(Role.READER))) == ["published-mulch"]
    moderator = find(q="mulch", user=make_user(Role.MODERATOR))
    assert set(slugs(moderator)) == everyone
    assert moderator.counts["status"] == {"published": 1, "draft": 1, "in_review": 1}
    # Counts never tell a reader about drafts either.
    assert find(q="mulch").counts["language"] == {"en": 1}
    # A reader asking for drafts by name gets nothing.
    assert find(status="draft").total == 0


def test_edits_status_changes_and_deletions_show_at_once(make_sheet, make_user, session, find):
    sheet = make_sheet("Biochar", body="charcoal in the soil")
    assert slugs(find(q="charcoal")) == ["biochar"]
    sheets.revise(session, sheet, sheets.Content.checked(title="Biochar", body="pyrolysis"),
                  author=make_user(), base_revision_id=sheet.current_revision_id)
    session.commit()
    assert find(q="charcoal").total == 0 and slugs(find(q="pyrolysis")) == ["biochar"]
    sheets.set_status(session, sheet, "draft")
    session.commit()
    assert find(q="pyrolysis").total == 0
    sheets.set_status(session, sheet, "published")
    sheets.soft_delete(session, sheet)
    session.commit()
    assert find(q="pyrolysis").total == 0
    sheets.restore(session, sheet)
    session.commit()
    assert slugs(find(q="pyrolysis")) == ["biochar"]


def test_sorting_by_update_and_soc_change(make_sheet, find):
    make_sheet("Low", body="compost", soc_change_t_c_ha_yr=0.2)
    make_sheet("None", body="compost")
    make_sheet("High", body="compost", soc_change_t_c_ha_yr=1.5)
    assert slugs(find(q="compost", sort="soc")) == ["high", "low", "none"]
    assert slugs(find(q="compost", sort="updated")) == ["high", "none", "low"]


def test_pages_beyond_the_end_show_the_last_page(make_sheet, find):
    for number in range(25):
        make_sheet(f"Practice {number}", body="terrace")
    page = find(q="terrace", page="9")
    assert page.page == 2 and page.pages == 2 and len(page.hits) == 5 and page.total == 25


def test_an_index_that_missed_changes_catches_up_from_the_change_log(
        app, make_sheet, session, search_service, find):
    make_sheet("First", body="mulch")
    assert find(q="mulch").total == 1
    # Changes committed while the index cannot be written (here: no catch-up at all).
    apply_changes = search_service.apply_changes
    search_service.apply_changes = lambda **_kw: 0
    try:
        make_sheet("Second", body="mulch")
        make_sheet("Third", body="mulch")
    finally:
        search_service.apply_changes = apply_changes
    # The next search notices the backlog and applies it.
    assert find(q="mulch").total == 3


def test_a_deleted_index_directory_is_rebuilt_without_an_error(
        app, make_sheet, search_service, find):
    make_sheet("Zai pits", body="planting pits")
    assert find(q="pits").total == 1
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    page = find(q="pits")
    assert page.notice == "rebuilt" and slugs(page) == ["zai-pits"]
    assert find(q="pits").notice is None


def test_a_damaged_index_is_rebuilt(app, make_sheet, search_service, find):
    make_sheet("Zai pits", body="planting pits")
    assert find(q="pits").total == 1
    root = Path(app.config["SEARCH_INDEX_DIR"])
    version = root / (root / "CURRENT").read_text()
    for path in version.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    search_service._forget()  # as a freshly started process would
    page = find(q="pits")
    assert page.notice == "rebuilt" and slugs(page) == ["zai-pits"]


def test_a_big_wiki_is_rebuilt_in_the_background_and_listed_from_the_database_meanwhile(
        app, make_sheet, search_service, find):
    make_sheet("Zai pits", body="planting pits", agro_climatic_zones=["semi-arid"])
    make_sheet("Draft", status="draft", agro_climatic_zones=["semi-arid"])
    search_service.sync_rebuild_limit = 0
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    page = find(agro_climatic_zone="semi-arid")
    if page.notice == "rebuilding":  # the rebuild may already be done on a fast machine
        assert slugs(page) == ["zai-pits"] and page.counts["agro_climatic_zone"] == {
            "semi-arid": 1}
    search_service.wait_for_rebuild()
    page = find(q="pits")
    assert page.notice is None and slugs(page) == ["zai-pits"]


def test_check_reports_and_repairs_drift(app, make_sheet, search_service, session):
    make_sheet("One", body="a")
    two = make_sheet("Two", body="b")
    assert search_service.check(fix=False).in_sync
    ix = search_service._open()
    with ix.writer() as writer:  # someone damaged the index behind our back
        writer.delete_by_term("id", str(two.id))
    report = search_service.check(fix=True)
    assert (report.missing, report.database, report.index) == (1, 2, 1)
    assert search_service.check(fix=False).in_sync


def test_a_phrase_finds_the_sheets_tagged_with_a_term_whose_label_has_it(make_sheet, find):
    make_sheet("Grazing rules", degradation_addressed=["Bc"], language="en")
    make_sheet("Cover on the ground", body="Cover crops keep vegetation; un couvert bien végétal.")
    assert slugs(find(q='"couvert végétal"')) == ["grazing-rules"]   # label of Bc in French
    assert slugs(find(q='"vegetation cover"')) == ["grazing-rules"]
    assert slugs(find(q='"cover vegetation"')) == []                 # the words' order counts


def test_a_misspelt_label_gets_a_suggestion_from_the_terms_sheets_are_tagged_with(make_sheet,
                                                                                   find):
    make_sheet("Trees between crops", practice_groups=["agroforestry"], language="en")
    # ("agroforestrie" itself now finds the sheet: its English stem is agroforestry's)
    page = find(q="agroforestirie")
    assert page.total == 0 and page.suggestion == "agroforesterie"
    assert slugs(find(q=page.suggestion)) == ["trees-between-crops"]
    # "Apiculture" labels a group no sheet is in: offering it would find nothing.
    assert find(q="apicultur").suggestion is None


def test_a_short_sheet_about_a_word_outranks_a_long_one_that_mentions_it(make_sheet, find):
    # Scoring reads each document's length (see search.whoosh_patches); created first, the
    # long sheet would come first if lengths were lost.
    make_sheet("Hedges", body="mulch " + " ".join(f"hedge{n} row{n}" for n in range(300)))
    make_sheet("Straw", body="Straw mulch on beds.")
    assert slugs(find(q="mulch", sort="relevance")) == ["straw", "hedges"]


def test_a_snippet_shows_each_searched_word_even_far_apart_in_a_long_body(make_sheet, find):
    filler = " ".join(f"word{n}" for n in range(400))
    make_sheet("Long sheet", body=f"Straw mulch first. {filler} Compost comes much later.")
    snippet = find(q="mulch compost").hits[0].snippet_html
    assert "mulch</mark>" in snippet and "Compost</mark>" in snippet and " … " in snippet
    assert "word399" not in snippet.split("…")[0]  # two short passages, not the whole body


def test_a_near_miss_that_finds_few_sheets_suggests_the_spelling_that_finds_many(make_sheet,
                                                                                 find):
    make_sheet("Hedgerows", body="Farmers wrote agroforesty in their notes.")
    for n in range(6):
        make_sheet(f"Agroforestry plot {n}", body="Agroforestry keeps the soil covered.")
    page = find(q="agroforesty")
    assert page.total == 1 and page.suggestion == "agroforestry"
    # a word that finds about as many sheets as its neighbour keeps its own results
    make_sheet("Mulch", body="Straw mulch.")
    make_sheet("Much", body="Much rain.")
    assert find(q="mulch").suggestion is None


def test_singular_and_plural_of_a_label_find_the_same_sheets_in_three_languages(make_sheet,
                                                                                find):
    make_sheet("Trees along the field edge", practice_groups=["windbreak"], language="en")
    make_sheet("Steps on the hillside", measures=["S1"], language="en")  # Terraces
    for singular, plural in [("windbreak", "windbreaks"), ("terrace", "terraces"),
                             ("terrasse", "terrasses"), ("terraza", "terrazas"),
                             ("brise-vent", "brise-vents")]:
        assert slugs(find(q=singular)) == slugs(find(q=plural)) != [], (singular, plural)
    assert slugs(find(q="terraces")) == ["steps-on-the-hillside"]
