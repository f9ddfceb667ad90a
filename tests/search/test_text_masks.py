"""A text query's documents, combined from bitsets of single words, are the documents Whoosh
finds for it: for any words, ANDs, ORs, NOTs, phrases and wildcards."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices import sheets
from search import SearchRequest
from search.matrix import Snapshot, mask_of
from search.query import text_query

WORDS = ["mulch", "compost", "soil", "sol", "suelo", "agroforestry", "agroforesterie", "trees",
         "arbres", "cover", "couvert", "terraces", "water", "eau", "pastoreo", "burkina"]


@pytest.fixture
def indexed(make_sheet, search_service, session):
    rng = random.Random(7)
    for number in range(14):
        body = " ".join(rng.choices(WORDS, k=rng.randint(3, 12)))
        sheet = make_sheet(f"Sheet {number}", body=body, language=rng.choice(["en", "fr", "es"]),
                           practice_groups=rng.sample(["agroforestry", "water-harvesting"], 1),
                           countries=rng.sample(["BF", "KE", "FR"], 1))
        if number % 4 == 0:  # an edit leaves a deleted document behind in the index
            content = sheets.Content.checked(title=sheet.title, body=body + " compost",
                                             fields={"language": sheet.language})
            sheets.revise(session, sheet, content, author=None,
                          base_revision_id=sheet.current_revision_id)
            session.commit()
        if number % 5 == 0:
            sheets.soft_delete(session, sheet)
            session.commit()
    search_service.search(SearchRequest())
    ix = search_service.store.open(search_service.store.current_name())
    with ix.searcher() as searcher:
        yield searcher, Snapshot(searcher)


term = st.sampled_from(WORDS + ["mul*", "agro*", '"soil cover"', '"couvert sol"', "zzz"])


@st.composite
def queries(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(term)
    parts = draw(st.lists(queries(depth=depth - 1), min_size=1, max_size=3))
    joiner = draw(st.sampled_from([" ", " AND ", " OR "]))
    text = joiner.join(parts)
    if draw(st.booleans()):
        text = f"({text})"
    return ("NOT " + text) if draw(st.integers(0, 4)) == 0 else text


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=queries())
def test_a_query_finds_the_same_documents_from_word_bitsets_as_from_the_index(indexed, text):
    searcher, snapshot = indexed
    query = text_query(text)
    if query is None:
        return
    expected = mask_of(searcher.docs_for_query(query), snapshot.size) & snapshot.sheets
    assert snapshot.query_mask(searcher, query) & snapshot.sheets == expected
