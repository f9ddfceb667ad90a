"""The query layer without an index: parameters, bounds, and broken syntax."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import (
    MAX_QUERY_CHARS,
    InvalidSearch,
    SearchRequest,
    clean_text,
    text_query,
)


def request_of(**params) -> SearchRequest:
    return SearchRequest.from_params({name: value if isinstance(value, list) else [value]
                                      for name, value in params.items()})


def test_facets_are_read_as_vocabulary_codes_repeated_for_or():
    request = request_of(q="mulch", agro_climatic_zone=["semi-arid", "arid"],
                         practice_group="agroforestry", country="bf")
    assert request.filter_map == {"agro_climatic_zone": ("arid", "semi-arid"),
                                  "practice_group": ("agroforestry",), "country": ("BF",)}
    assert request.sort == "relevance"


def test_unknown_values_are_ignored_on_pages_and_refused_by_the_api():
    request = request_of(agro_climatic_zone=["semi-arid", "tropical-ish"], colour="red")
    assert request.filter_map == {"agro_climatic_zone": ("semi-arid",)}
    assert request.ignored == ("agro_climatic_zone=tropical-ish",)
    with pytest.raises(InvalidSearch, match="tropical-ish"):
        SearchRequest.from_params({"agro_climatic_zone": ["tropical-ish"]}, strict=True)
    with pytest.raises(InvalidSearch):
        SearchRequest.from_params({"page": ["two"]}, strict=True)


@pytest.mark.parametrize(("raw", "page"), [("-4", 1), ("0", 1), ("abc", 1), ("3", 3),
                                           ("99999999999999", 500)])
def test_pages_are_bounded(raw, page):
    assert request_of(page=raw).page == page


def test_sort_falls_back_to_something_sensible():
    assert request_of(sort="nonsense").sort == "updated"
    assert request_of(sort="relevance").sort == "updated"  # nothing to be relevant to
    assert request_of(q="zai", sort="soc").sort == "soc"


def test_requests_with_the_same_parameters_are_equal_whatever_their_order():
    one = request_of(country=["NE", "BF"], land_use="cropland", q=" zai  pits ")
    two = request_of(land_use="cropland", q="zai pits", country=["BF", "NE"])
    assert one == two and hash(one) == hash(two)
    assert one.params() == {"q": ["zai pits"], "land_use": ["cropland"], "country": ["BF", "NE"]}


@pytest.mark.parametrize(("raw", "cleaned"), [
    ('"cover crops', "cover crops"),
    ("mulch (soil", "mulch soil"),
    ("title:foo bar", "title foo bar"),
    ("*grass ?ulch", "grass ulch"),
    ("ag* agroforest*", "ag agroforest*"),
    ("couverture de la terre", "couverture terre"),
    ("mulch NOT plastic", "mulch NOT plastic"),
])
def test_broken_syntax_becomes_plain_words(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_long_queries_are_cut():
    text = clean_text("soil " * 5_000)
    assert len(text) <= MAX_QUERY_CHARS and text.split().count("soil") == 16
    with pytest.raises(InvalidSearch):
        SearchRequest.from_params({"q": ["x" * 10_000]}, strict=True)


def test_a_word_is_searched_in_every_language_with_its_own_stem():
    query = text_query("couverts végétaux")
    terms = {(field, text) for field, text in query.iter_all_terms()}
    assert ("text_fr", "couvert") in terms and ("text_fr", "vegetal") in terms
    assert ("text_en", "couvert") in terms and ("title", "vegetaux") in terms


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_input_gives_a_bounded_query_or_none(raw):
    text = clean_text(raw)
    assert len(text) <= MAX_QUERY_CHARS
    query = text_query(text)
    assert query is None or len(list(query.iter_all_terms())) <= 16 * 8
