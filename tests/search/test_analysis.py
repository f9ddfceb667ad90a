"""The one-pass analysers read text exactly as Whoosh's own analyser chains do."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import (
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.formats import Positions
from whoosh.support.charset import accent_map

from search.analysis import FoldedPositions
from search.schema import all_stopwords, build_schema, folding_analyzer, language_analyzer

WORDS = ["Les", "couverts", "végétaux", "de", "l'été", "à", "Ouagadougou", "a", "B", "the",
         "farmers", "are", "mulching", "soils", "y", "el", "suelo", "las", "parcelas", "Árboles",
         "agroforestería", "ÉROSION", "12", "3.5", "x_y", "œuvre", "naïve", "des", "and"]
SEPARATORS = [" ", "  ", ", ", "; ", "\n", " - ", "'", "(", ") "]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=25).flatmap(
    lambda words: st.lists(st.sampled_from(SEPARATORS), min_size=len(words),
                           max_size=len(words)).map(
        lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True))))
options = st.fixed_dictionaries({}, optional={
    "positions": st.booleans(), "chars": st.booleans(), "keeporiginal": st.booleans(),
    "removestops": st.booleans(), "start_pos": st.integers(0, 5),
    "start_char": st.integers(0, 9), "tokenize": st.booleans(),
    "mode": st.sampled_from(["index", "query"])})

WHOOSH_CHAINS = {
    "en": LanguageAnalyzer("en") | CharsetFilter(accent_map),
    "fr": LanguageAnalyzer("fr") | CharsetFilter(accent_map),
    "es": LanguageAnalyzer("es") | CharsetFilter(accent_map),
    "folding": (RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=all_stopwords())
                | CharsetFilter(accent_map)),
}
OURS = {**{lang: language_analyzer(lang) for lang in ("en", "fr", "es")},
        "folding": folding_analyzer(all_stopwords())}


def tokens(analyzer, text, **kwargs):
    return [(t.text, t.stopped, getattr(t, "pos", None), getattr(t, "startchar", None),
             getattr(t, "endchar", None), getattr(t, "original", None))
            for t in analyzer(text, **kwargs)]


@pytest.mark.parametrize("name", sorted(OURS))
@settings(max_examples=150, deadline=None)
@given(text=texts, kwargs=options)
def test_the_one_pass_analyser_gives_whoosh_chains_tokens(name, text, kwargs):
    assert tokens(OURS[name], text, **kwargs) == tokens(WHOOSH_CHAINS[name], text, **kwargs)


@pytest.mark.parametrize("name", sorted(OURS))
@settings(max_examples=100, deadline=None)
@given(text=texts)
def test_postings_gathered_in_one_pass_are_whooshs(name, text):
    ours = FoldedPositions(field_boost=2.0).word_values(text, OURS[name], mode="index")
    whoosh = Positions(field_boost=2.0).word_values(text, WHOOSH_CHAINS[name], mode="index")
    assert sorted(ours) == sorted(whoosh)


def test_french_words_are_stemmed_and_folded_for_the_index():
    assert [t.text for t in language_analyzer("fr")("Des couverts végétaux dans la parcelle")] \
        == ["couvert", "vegetal", "parcel"]


def test_the_schema_survives_the_index_pickling_it_and_keeps_stemming():
    schema = pickle.loads(pickle.dumps(build_schema()))
    for field in ("title", "labels", "text_en", "text_fr", "text_es", "text_other"):
        assert schema[field].analyzer == build_schema()[field].analyzer
    assert [t.text for t in schema["text_es"].analyzer("Árboles y suelos")] == ["arbol", "suel"]
