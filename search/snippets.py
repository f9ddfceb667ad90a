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
# Snippets come from the words around the first match (and, if another word of the query
# only comes later, around its first occurrence too), not from the whole body: highlighting
# analyses every word it is given, and a first search highlights twenty bodies.
SNIPPET_WINDOW = 700
LATER_WINDOW = 140
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
        html = highlight(text, wanted, analyzer, WholeFragmenter(), _FORMATTER)
        return html or None
    fragmenter = ContextFragmenter(maxchars=220, surround=70)
    windows = _windows(text[:MAX_SNIPPET_SOURCE], analyzer, wanted)
    parts = [highlight(window, wanted, analyzer, fragmenter, _FORMATTER, top=2 - number)
             for number, window in enumerate(windows)]
    return " … ".join(part for part in parts if part) or None


def _windows(text: str, analyzer, wanted: frozenset[str]) -> list[str]:
    """Where the snippet is taken from: the stretch from just before the first match and,
    if some matching word first occurs after it, the stretch around that one."""
    firsts: dict[str, tuple[int, int]] = {}
    for token in analyzer(text, chars=True):
        if token.text in wanted and token.text not in firsts:
            firsts[token.text] = (token.startchar, token.endchar)
            if len(firsts) == len(wanted):
                break
    windows: list[str] = []
    end = -1
    for start_char, end_char in sorted(firsts.values()):
        if start_char >= end:
            # The second stretch is one fragment long, so that it shows its own word.
            after = SNIPPET_WINDOW if not windows else LATER_WINDOW
            start, end = _stretch(text, start_char, end_char, after)
            windows.append(text[start:end])
            if len(windows) == 2:
                break
    return windows


def _stretch(text: str, start_char: int, end_char: int, after: int) -> tuple[int, int]:
    """From LEAD_IN characters before a match to `after` characters after it, on word
    breaks."""
    start = max(0, start_char - LEAD_IN)
    if start:
        start = text.find(" ", start, start_char) + 1
    end = start_char + after
    if end < len(text):
        cut = text.rfind(" ", end_char, end)
        end = cut if cut > 0 else end
    return start, min(end, len(text))


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


def suggestion(searcher: Searcher, text: str, *, known_words_too: bool = False) -> str | None:
    """The query with each unknown word replaced by its likeliest correction, or None.

    With `known_words_too`, words found in the index are corrected as well (a near miss such
    as "agroforestri", found in a few sheets); the caller keeps the correction only if it finds
    many more sheets."""
    reader = searcher.reader()
    corrected, changed = text, False
    for word in dict.fromkeys(words_of(text)):
        if len(word) < 3 or (not known_words_too and _known(reader, word)):
            continue
        better = _corrections(searcher, word)
        if better:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected, count=1)
            changed = True
    return corrected if changed else None
