"""Vocabulary labels as search words, resolved when a query is read instead of indexed.

A reader may type a term's label in any interface language ("agroforesterie") and find the
sheets tagged with that term, whatever language they are written in. Indexing every label in
three languages with every sheet made a third of each document's postings and slowed a full
rebuild by as much; the labels are a small closed set, so the query is expanded instead: a
word searched in the `labels` field becomes "tagged with a term whose label has this word",
a query on the facet fields the index holds anyway. "Did you mean" looks here too.
"""

import fnmatch
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from functools import cache

from whoosh.lang import stemmer_for_language
from whoosh.query import NullQuery, Or, Phrase, Prefix, Query, Term, Wildcard
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from practices.vocab import vocabulary
from search.documents import TERM_FACETS
from search.schema import (
    DATABASE_FACETS,
    STEMMED_LANGUAGES,
    analyzer_for,
    spelling_analyzer,
)

LABELS_FIELD = "labels"
Tag = tuple[str, str]  # (index facet, vocabulary code)


def _labelled_terms() -> Iterator[tuple[str, str, str, str]]:
    """(facet, code, label, language) for every label, in every stemmed language, of every
    facet filled from a vocabulary."""
    for field, facet in TERM_FACETS.items():
        if facet in DATABASE_FACETS:
            continue
        for term in vocabulary(field).terms:
            for lang in STEMMED_LANGUAGES:
                yield facet, term.code, term.label(lang), lang


@cache
def _stemmer(lang: str):
    return stemmer_for_language(lang)


def _stemmed(words: tuple[str, ...], lang: str) -> tuple[str, ...]:
    stem = _stemmer(lang)
    return tuple(stem(word) for word in words)


@cache
def _label_tokens() -> tuple[tuple[tuple[str, ...], Tag], ...]:
    """Each label as the `labels` field's analyser reads it (folded words), with its tag."""
    analyzer = analyzer_for(LABELS_FIELD)
    return tuple(dict.fromkeys(
        (tuple(token.text for token in analyzer(label)), (facet, code))
        for facet, code, label, _lang in _labelled_terms()
    ))


@cache
def _label_stems() -> dict[str, tuple[tuple[tuple[str, ...], Tag], ...]]:
    """Per language, each label of that language as stems: "Windbreaks" and "windbreak",
    "terrasses" and "terrasse" name the same terms, as they find the same words in the text."""
    analyzer = analyzer_for(LABELS_FIELD)
    found: dict[str, dict] = {lang: {} for lang in STEMMED_LANGUAGES}
    for facet, code, label, lang in _labelled_terms():
        words = tuple(token.text for token in analyzer(label))
        found[lang][(_stemmed(words, lang), (facet, code))] = None
    return {lang: tuple(rows) for lang, rows in found.items()}


@cache
def _tags_by_word() -> dict[str, frozenset[Tag]]:
    found: dict[str, set[Tag]] = defaultdict(set)
    for words, tag in _label_tokens():
        for word in words:
            found[word].add(tag)
    return {word: frozenset(tags) for word, tags in found.items()}


@cache
def _tags_by_stem() -> dict[str, dict[str, frozenset[Tag]]]:
    """Per language, stem -> the tags whose label (in that language) has a word with it."""
    result = {}
    for lang, rows in _label_stems().items():
        found: dict[str, set[Tag]] = defaultdict(set)
        for stems, tag in rows:
            for stem in stems:
                found[stem].add(tag)
        result[lang] = {stem: frozenset(tags) for stem, tags in found.items()}
    return result


@cache
def _spelling_words() -> tuple[tuple[str, ...], dict[str, frozenset[Tag]]]:
    """Label words as people write them (lower case, accents kept), sorted, with their tags."""
    found: dict[str, set[Tag]] = defaultdict(set)
    analyzer = spelling_analyzer()
    for facet, code, label, _lang in _labelled_terms():
        for token in analyzer(label):
            found[token.text].add((facet, code))
    return tuple(sorted(found)), {word: frozenset(tags) for word, tags in found.items()}


def _tags_of_word(word: str) -> set[Tag]:
    """Tags whose label has this (analysed) word, or a word with the same stem in the
    label's language."""
    tags = set(_tags_by_word().get(word, ()))
    for lang, by_stem in _tags_by_stem().items():
        tags |= by_stem.get(_stemmer(lang)(word), frozenset())
    return tags


def _tags_matching(words: list[str]) -> set[Tag]:
    """Tags whose label has the (already analysed) words in this order, side by side, as
    written or stemmed in the label's language."""
    if len(words) == 1:
        return _tags_of_word(words[0])
    size = len(words)
    found = set()
    for lang, rows in _label_stems().items():
        target = _stemmed(tuple(words), lang)
        found |= {tag for stems, tag in rows
                  if any(stems[i : i + size] == target for i in range(len(stems) - size + 1))}
    return found


def _tags_for_leaf(leaf: Query) -> set[Tag]:
    if isinstance(leaf, Term):
        return _tags_matching([leaf.text])
    if isinstance(leaf, Phrase):
        return _tags_matching(list(leaf.words))
    if isinstance(leaf, Prefix | Wildcard):
        pattern = leaf.text + "*" if isinstance(leaf, Prefix) else leaf.text
        matches = re.compile(fnmatch.translate(pattern)).match
        return {tag for word, tags in _tags_by_word().items() if matches(word) for tag in tags}
    return set()


def expand_labels(query: Query) -> Query:
    """The query with every leaf on the `labels` field replaced by the tags it names (or by
    nothing, if no label has the word): 'tagged with one of these terms', at the same boost."""

    def replace(node: Query) -> Query:
        if not node.is_leaf() or getattr(node, "fieldname", None) != LABELS_FIELD:
            return node
        tags = sorted(_tags_for_leaf(node))
        if not tags:
            return NullQuery
        return Or([Term(facet, code) for facet, code in tags], boost=node.boost)

    return query.accept(replace).normalize()


def is_label_word(reader: IndexReader, word: str) -> bool:
    """Does the word (as typed) name a term some indexed sheet is tagged with?"""
    for token in analyzer_for(LABELS_FIELD)(word):
        if any(reader.doc_frequency(facet, code) for facet, code in _tags_of_word(token.text)):
            return True
    return False


def label_words_within(
    reader: IndexReader, word: str, maxdist: int, prefix: int = 1
) -> dict[str, int]:
    """Label words within `maxdist` edits of `word` (sharing its first `prefix` letters)
    that name a term some sheet is tagged with -> how many sheets are tagged so."""
    words, tags = _spelling_words()
    start = word[:prefix]
    found: dict[str, int] = {}
    for candidate in words[bisect_left(words, start) :]:
        if not candidate.startswith(start):
            break
        if distance(candidate, word, limit=maxdist) <= maxdist:
            sheets = sum(reader.doc_frequency(facet, code) for facet, code in tags[candidate])
            if sheets:
                found[candidate] = sheets
    return found
