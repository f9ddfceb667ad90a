"""Translations of one practice are one entry: totals, facet counts and pages count
practices, in the index and in the database's browse alike."""

import random
from dataclasses import replace
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices import catalog
from search import SearchRequest
from search.schema import FACETS

COUNTRIES = ["BF", "NE", "KE"]
ZONES = ["semi-arid", "arid", "humid"]
COMPARED = {facet: field for facet, field in FACETS.items() if field in catalog.FILTERABLE}


def grouped(search_service, reader: str = "", **params):
    """The search the pages make: one entry per practice, for a reader of `reader`."""
    request = SearchRequest.from_params({name: value if isinstance(value, list) else [value]
                                         for name, value in params.items()})
    return search_service.search(replace(request, one_per_practice=True, language=reader))


def practice_of(sheet) -> int:
    return sheet.translation_of_id or sheet.id


class Version(NamedTuple):
    sheet_id: int
    practice: int
    status: str
    terms: dict[str, set[str]]


@pytest.fixture
def practices(make_sheet, make_user):
    """Twelve practices; most in English with French and Spanish versions whose countries
    and zones differ a little, as translations made at different times do."""
    rng = random.Random(16)
    author = make_user()
    made = []
    for number in range(12):
        original = None
        for language in ["en", *rng.sample(["fr", "es"], rng.randint(0, 2))]:
            fields = {"countries": rng.sample(COUNTRIES, rng.randint(1, 2)),
                      "agro_climatic_zones": rng.sample(ZONES, rng.randint(1, 2))}
            sheet = make_sheet(f"Practice {number} {language}", author=author,
                               language=language, translation_of=original,
                               status=rng.choice(["published"] * 3 + ["draft"])
                               if original else "published", **fields)
            original = original or sheet
            made.append(Version(sheet.id, original.id, sheet.status, {
                "country": set(fields["countries"]), "language": {language},
                "agro_climatic_zone": set(fields["agro_climatic_zones"])}))
    return made


def expected(made, chosen: dict[str, list[str]]):
    """Practices one of whose published versions passes every filter, by brute force."""
    def passes(version):
        return version.status == "published" and all(
            version.terms[facet] & set(codes) for facet, codes in chosen.items())
    return {version.practice for version in made if passes(version)}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=st.dictionaries(
    st.sampled_from(["country", "agro_climatic_zone", "language"]),
    st.lists(st.sampled_from(COUNTRIES + ZONES + ["en", "fr", "es"]), min_size=1,
             max_size=2), max_size=2))
def test_totals_and_counts_are_of_practices_in_the_index_and_the_database(
        practices, search_service, session, chosen):
    chosen = {facet: [code for code in codes
                      if code in {"country": COUNTRIES, "agro_climatic_zone": ZONES,
                                  "language": ["en", "fr", "es"]}[facet]]
              for facet, codes in chosen.items()}
    chosen = {facet: codes for facet, codes in chosen.items() if codes}
    page = grouped(search_service, per_page="100", **chosen)
    found = expected(practices, chosen)
    assert page.total == len(found)
    practice = {version.sheet_id: version.practice for version in practices}
    assert sorted(practice[hit.sheet_id] for hit in page.hits) == sorted(found)
    for facet in ("country", "agro_climatic_zone", "language"):
        for code, count in page.counts[facet].items():
            others = {name: codes for name, codes in chosen.items() if name != facet}
            assert count == len(expected(practices, {**others, facet: [code]})), (facet, code)
    database = catalog.browse(session, {COMPARED[f]: codes for f, codes in chosen.items()},
                              per_page=100, one_per_practice=True)
    assert database.total == page.total
    assert sorted(practice_of(sheet) for sheet in database.sheets) == sorted(found)
    assert database.facet_counts["countries"] == page.counts["country"]
    assert database.facet_counts["language"] == page.counts["language"]


def test_a_page_of_five_holds_five_practices_and_none_twice(practices, search_service,
                                                            session):
    published = {version.practice for version in practices if version.status == "published"}
    assert len(published) == 12 and len(practices) > 20  # translations are counted once
    first, second, third = (grouped(search_service, per_page="5", page=str(number))
                            for number in (1, 2, 3))
    assert first.total == 12 and first.pages == 3
    practice = {version.sheet_id: version.practice for version in practices}
    shown = [[practice[hit.sheet_id] for hit in page.hits]
             for page in (first, second, third)]
    assert [len(page) for page in shown] == [5, 5, 2]
    assert sorted(sum(shown, [])) == sorted(published)
    for number, listed in enumerate(shown, start=1):
        database = catalog.browse(session, {}, page=number, per_page=5, one_per_practice=True)
        assert [practice_of(sheet) for sheet in database.sheets] == listed, number


def test_the_entry_is_the_version_in_the_readers_language_that_passes_the_filters(
        make_sheet, search_service):
    english = make_sheet("Zai pits", language="en", countries=["BF"], body="Planting pits.")
    french = make_sheet("Le zaï", language="fr", countries=["BF"], translation_of=english,
                        body="Des trous de plantation.")
    spanish = make_sheet("Zai en español", language="es", countries=["ML"],
                         translation_of=english)
    assert [hit.sheet_id for hit in grouped(search_service, "fr").hits] == [french.id]
    assert [hit.sheet_id for hit in grouped(search_service, "es").hits] == [spanish.id]
    # The words found the English version; a French reader still gets the French one.
    assert [hit.sheet_id for hit in grouped(search_service, "fr", q="planting").hits] == \
        [french.id]
    # A Spanish reader who asks for Burkina Faso gets a version that is about it (the
    # Spanish one is about Mali), once.
    page = grouped(search_service, "es", country="BF")
    assert page.total == 1 and [hit.sheet_id for hit in page.hits] in ([english.id],
                                                                       [french.id])
    # Without grouping (the API), every version is listed.
    assert search_service.search(SearchRequest()).total == 3


def test_words_found_in_several_versions_give_the_practice_once(make_sheet, search_service):
    english = make_sheet("Zai pits with compost", language="en", body="Pits filled with compost.")
    french = make_sheet("Le zaï au compost", language="fr", translation_of=english,
                        body="Des trous remplis de compost.")
    heaps = make_sheet("Compost heaps", language="en", body="Turn the compost every week.")
    for reader, expected_ids in (("en", {english.id, heaps.id}), ("fr", {french.id, heaps.id})):
        page = grouped(search_service, reader, q="compost")
        found = [hit.sheet_id for hit in page.hits]
        assert page.total == 2 and sorted(found) == sorted(expected_ids), (reader, found)


def test_a_version_edited_into_a_segment_of_its_own_is_still_found(
        make_sheet, make_user, session, search_service, caplog):
    """After a rebuild, an edit writes the sheet into a new, small segment. When no document
    there has a value for a facet (the French version names no country), Whoosh gave that
    segment no column for it, and reading the column of the whole index failed for every
    document of the segment: each search failed and was answered from the database."""
    from practices import sheets

    english = make_sheet("Zai pits", language="en", countries=["BF"], body="Pits with compost.")
    french = make_sheet("Le zaï", language="fr", translation_of=english, body="Trous et compost.")
    for number in range(40):  # a segment large enough that the next one is not merged into it
        make_sheet(f"Filler {number}", countries=["KE"], body="Mulch.")
    search_service.rebuild()
    content = sheets.Content.checked(title="Le zaï", body="Des trous remplis de compost.")
    sheets.revise(session, french, content, author=make_user(),
                  base_revision_id=french.current_revision_id)
    session.commit()
    page = grouped(search_service, "fr", q="compost")
    assert [hit.sheet_id for hit in page.hits] == [french.id]
    assert page.notice is None
    assert "search failed" not in caplog.text
