"""Highlighted snippets and "did you mean" suggestions for a query."""

import re
from collections import defaultdict

from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter, highlight
from whoosh.query import Query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from search.labels import LABELS_FIELD, is_label_word, label_words_within
from search.query import SEARCH_FIELDS, words_of
from search.schema import analyzer_for, text_field_for

MAX_SNIPPET_SOURCE = 20_000  # characters of a body looked at for a snippet
# Snippets are chosen from the words just before the first match to this many characters
# after it: highlighting analyses every word it is given, and a first search highlights
# twenty bodies (whole bodies were a third of its time).
SNIPPET_WINDOW = 700
LEAD_IN = 80
_FORMATTER = HtmlFormatter(tagname="mark", classname="search-match", termclass="", between=" … ")


def query_terms(query: Query, reader: IndexReader) -> dict[str, frozenset[str]]:
    """Field -> the indexed terms the query matches there (wildcards expanded). Not
    `Query.existing_terms`: in Whoosh 2.7.5 it drops every field but the first one seen."""
    terms: dict[str, set[str]] = defaultdict(set)
    for leaf in query.leaves():
        for field, text in leaf.expanded_terms(reader, phrases=True):
            text = text.decode("utf-8") if isinstance(text, bytes) else text
            if (field, text) in reader:
                terms[field].add(text)
    return {field: frozenset(values) for field, values in terms.items()}


def highlighted(text: str, language: str | None, terms: dict[str, frozenset[str]], *,
                whole: bool = False) -> str | None:
    """HTML (escaped, with <mark>) of the best fragments of `text`, or None if no word
    matches. Words are matched as the sheet's language field analyses them."""
    if not text:
        return None
    field = text_field_for(language)
    wanted = terms.get(field, frozenset())
    if not wanted:
        return None
    analyzer = analyzer_for(field)
    if whole:
        fragmenter = WholeFragmenter()
    else:
        fragmenter = ContextFragmenter(maxchars=220, surround=70)
        text = _around_first_match(text[:MAX_SNIPPET_SOURCE], analyzer, wanted)
        if text is None:
            return None
    html = highlight(text, wanted, analyzer, fragmenter, _FORMATTER, top=2)
    return html or None


def _around_first_match(text: str, analyzer, wanted: frozenset[str]) -> str | None:
    """The stretch of text the snippet is taken from (whole words), or None if no word
    of it matches."""
    for token in analyzer(text, chars=True):
        if token.text in wanted:
            start = max(0, token.startchar - LEAD_IN)
            end = token.startchar + SNIPPET_WINDOW
            if start:
                start = text.find(" ", start, token.startchar) + 1
            if end < len(text):
                end = text.rfind(" ", token.endchar, end) if " " in text[token.endchar:end] \
                    else end
            return text[start:end]
    return None


def _known(reader: IndexReader, word: str) -> bool:
    for field in SEARCH_FIELDS:
        if field == LABELS_FIELD:
            continue
        for token in analyzer_for(field)(word):
            if reader.doc_frequency(field, token.text):
                return True
    return is_label_word(reader, word)


def _corrections(searcher: Searcher, word: str) -> str | None:
    """The most frequent word within the smallest edit distance (1, then 2), from the
    sheets' titles and summaries or from the labels of the terms they are tagged with."""
    word = word.lower()
    reader = searcher.reader()
    for distance in (1, 2) if len(word) > 5 else (1,):
        found: dict[str, int] = {}
        for leaf, _offset in searcher.leaf_searchers():
            for term in leaf.reader().terms_within("spell", word, distance, prefix=1):
                found[term] = reader.doc_frequency("spell", term)
        for term, sheets in label_words_within(reader, word, distance).items():
            found[term] = found.get(term, 0) + sheets
        found.pop(word, None)
        if found:
            return max(sorted(found), key=found.__getitem__)
    return None


def suggestion(searcher: Searcher, text: str) -> str | None:
    """The query with each unknown word replaced by its likeliest correction, or None."""
    reader = searcher.reader()
    corrected, changed = text, False
    for word in dict.fromkeys(words_of(text)):
        if len(word) < 3 or _known(reader, word):
            continue
        better = _corrections(searcher, word)
        if better:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected, count=1)
            changed = True
    return corrected if changed else None
