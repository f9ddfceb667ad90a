"""A search request from URL parameters, and the Whoosh query for its words.

Pure functions: no index, no database. Broken syntax is searched as plain words and every
input is bounded (query length, words, wildcards, page), so no request can tie up a worker.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from whoosh import qparser
from whoosh.query import And, NullQuery, Or, Query, Term

from practices.models import SheetStatus
from practices.slugs import is_valid_slug
from practices.vocab import vocabulary
from search.labels import expand_labels
from search.schema import (
    DATABASE_FACETS,
    FACETS,
    SOURCES,
    TEXT_FIELDS,
    all_stopwords,
    analyzer_for,
    build_schema,
)

MAX_QUERY_CHARS = 200
MAX_WORDS = 16
MAX_WILDCARDS = 2
MIN_WILDCARD_PREFIX = 3
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_RESULTS_DEPTH = 10_000  # deepest result a page may reach
SORTS = ("relevance", "updated", "soc", "carbon")
# The IPCC estimate's sort and filter need one cell: a climate zone and a soil class.
CARBON_FACETS = ("ipcc_climate_zone", "soil")
MEETS_PARAM = "meets_4_per_1000"
SEARCH_FIELDS = ("title", *TEXT_FIELDS, "labels")
# The title weighs most; vocabulary labels (in every language) least: they let
# "agroforesterie" find English agroforestry sheets without outranking sheets that say it.
# `labels` is not indexed: search.labels turns its words into the facet terms they name.
FIELD_BOOSTS = {"title": 3.0, "labels": 0.15}


class InvalidSearch(ValueError):
    """A parameter the API refuses (the HTML page ignores it instead); `field` names it."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SearchRequest:
    """What a reader asked for; hashable, so results can be cached by it."""

    text: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str = "updated"
    page: int = 1
    per_page: int = PER_PAGE
    ignored: tuple[str, ...] = field(default=(), compare=False)
    meets_4_per_1000: bool = False  # only sheets whose IPCC estimate reaches 4 ‰ (issue 13)
    # Translations of one practice as one entry (the pages; the API lists every sheet),
    # shown in `language` when the practice has a version in it that passes the filters.
    one_per_practice: bool = False
    language: str = ""

    @property
    def filter_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    @property
    def carbon_cells(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(zones, soils) when both a climate zone and a soil class are chosen."""
        chosen = self.filter_map
        zones, soils = (chosen.get(facet, ()) for facet in CARBON_FACETS)
        return (zones, soils) if zones and soils else None

    def without(self, facet: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((name, codes) for name, codes in self.filters if name != facet)

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]], *,
                    strict: bool = False) -> "SearchRequest":
        """Read `q`, facet parameters (repeated for OR), `sort`, `page`, `per_page`.

        Unknown facet values are dropped (and listed in `ignored`); with `strict` (the API)
        they raise InvalidSearch instead, as do malformed numbers and sorts."""
        text = clean_text(" ".join(params.get("q", [])), strict=strict)
        filters, ignored = [], []
        for facet in FACETS:
            codes, unknown = normalise_codes(facet, params.get(facet, []))
            if unknown and strict:
                raise InvalidSearch(f"unknown {facet} value(s): {', '.join(unknown)}",
                                    field=facet)
            ignored += [f"{facet}={code}" for code in unknown]
            if codes:
                filters.append((facet, codes))
        sort = _first(params, "sort") or ("relevance" if text else "updated")
        if sort not in SORTS:
            if strict:
                raise InvalidSearch(f"sort must be one of {', '.join(SORTS)}", field="sort")
            sort = "relevance" if text else "updated"
        if sort == "relevance" and not text:
            sort = "updated"
        sort, meets = _carbon_options(params, dict(filters), sort, text, strict)
        per_page = min(max(_number(params, "per_page", PER_PAGE, strict), 1), MAX_PER_PAGE)
        page = max(_number(params, "page", 1, strict), 1)
        page = min(page, max(1, MAX_RESULTS_DEPTH // per_page))
        return cls(text, tuple(filters), sort, page, per_page, tuple(ignored), meets)

    def params(self, **changes) -> dict[str, list[str]]:
        """The URL parameters that give this request back (for links)."""
        args: dict[str, list[str]] = {}
        if self.text:
            args["q"] = [self.text]
        for facet, codes in self.filters:
            args[facet] = list(codes)
        default_sort = "relevance" if self.text else "updated"
        if self.sort != default_sort:
            args["sort"] = [self.sort]
        if self.page > 1:
            args["page"] = [str(self.page)]
        if self.meets_4_per_1000:
            args[MEETS_PARAM] = ["1"]
        for name, value in changes.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = value if isinstance(value, list) else [value]
        return args


def _carbon_options(params, filters: dict, sort: str, text: str,
                    strict: bool) -> tuple[str, bool]:
    """The carbon sort and the "reaches 4 ‰" filter, which need a zone and a soil chosen;
    without them the page falls back to its usual order (the API says why)."""
    meets = (_first(params, MEETS_PARAM) or "").lower() in ("1", "true", "yes", "on")
    if (sort == "carbon" or meets) and not all(filters.get(f) for f in CARBON_FACETS):
        if strict:
            raise InvalidSearch("sort=carbon and meets_4_per_1000 need an ipcc_climate_zone "
                                "and a soil", field="sort" if sort == "carbon" else MEETS_PARAM)
        return ("relevance" if text else "updated") if sort == "carbon" else sort, False
    return sort, meets


def _first(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or []
    return values[0] if values else None


def _number(params, name: str, default: int, strict: bool) -> int:
    raw = _first(params, name)
    if raw in (None, ""):
        return default
    try:
        return int(raw[:9])
    except ValueError:
        if strict:
            raise InvalidSearch(f"{name} must be a whole number", field=name) from None
        return default


@cache
def _known_codes(facet: str) -> dict[str, str]:
    """Lower-cased code -> code, for the facet's vocabulary ("bf" finds "BF")."""
    if facet == "status":
        codes = SheetStatus.ALL
    elif facet == "source":
        codes = SOURCES
    else:
        name = "languages" if facet == "language" else FACETS[facet]
        codes = [code for code, _label in vocabulary(name).choices("en")]
    return {code.lower(): code for code in codes}


def normalise_codes(facet: str, values: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    if facet in DATABASE_FACETS:  # a college that does not exist simply matches nothing
        slugs = {value.strip().lower() for value in values[:50]}
        return tuple(sorted(s for s in slugs if is_valid_slug(s))), \
            [s for s in slugs if s and not is_valid_slug(s)]
    known = _known_codes(facet)
    codes, unknown = set(), []
    for value in values[:50]:
        value = value.strip()[:60]
        if not value:
            continue
        code = known.get(value.lower())
        if code is None:
            unknown.append(value)
        else:
            codes.add(code)
    return tuple(sorted(codes)), unknown


# Words ---------------------------------------------------------------------------------

_TOKENS = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT"}


def clean_text(raw: str, *, strict: bool = False) -> str:
    """The query as it will be searched: bounded, balanced, without field syntax, leading
    wildcards or stop words (a French "de" must not be required in an English sheet)."""
    if strict and len(raw) > MAX_QUERY_CHARS * 5:
        raise InvalidSearch(f"q is longer than {MAX_QUERY_CHARS * 5} characters", field="q")
    text = raw[:MAX_QUERY_CHARS * 2]
    text = re.sub(r"[^\w\s\"()*?'’-]", " ", text)            # ':' '^' '[' '{' ... -> space
    text = re.sub(r"(?<![\w*?])[*?]+", "", text)              # leading wildcards
    if text.count('"') % 2:
        head, _sep, tail = text.rpartition('"')
        text = head + " " + tail
    if not _balanced(text):
        text = text.replace("(", " ").replace(")", " ")
    tokens, words, wildcards = [], 0, 0
    for token in _TOKENS.findall(text):
        if token in "()":
            tokens.append(token)
            continue
        if token.startswith('"'):
            phrase = " ".join(token.strip('"').split())
            if phrase:
                tokens.append(f'"{phrase}"')
                words += len(phrase.split())
            continue
        if token not in _OPERATORS and token.lower().strip("'’-") in all_stopwords():
            continue
        if "*" in token or "?" in token:
            stem = re.split(r"[*?]", token, maxsplit=1)[0]
            if len(stem) < MIN_WILDCARD_PREFIX or wildcards >= MAX_WILDCARDS:
                token = re.sub(r"[*?]", "", token)
            else:
                wildcards += 1
        if token:
            tokens.append(token)
            words += token not in _OPERATORS
        if words >= MAX_WORDS:
            break
    text = " ".join(tokens).replace("( ", "(").replace(" )", ")")
    if not _balanced(text):
        text = text.replace("(", " ").replace(")", " ")
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@cache
def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(SEARCH_FIELDS), build_schema(), group=qparser.AndGroup,
        fieldboosts=FIELD_BOOSTS)
    for plugin in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin,
                   qparser.EveryPlugin, qparser.SingleQuotePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def text_query(text: str) -> Query | None:
    """The query for the words across every language's field, or None for no words."""
    if not text:
        return None
    try:
        query = _parser().parse(text)
    except Exception:  # noqa: BLE001 - any parser failure means: search the plain words
        query = plain_words_query(text)
    if query is not None:
        query = expand_labels(query)
    return None if query is None or isinstance(query, type(NullQuery)) else query


def plain_words_query(text: str) -> Query | None:
    """Every word must appear in one of the fields; no syntax at all."""
    words = re.findall(r"\w+", text)[:MAX_WORDS]
    clauses = []
    for word in words:
        alternatives = []
        for name in SEARCH_FIELDS:
            alternatives += [Term(name, token.text)
                             for token in analyzer_for(name)(word)]
        if alternatives:
            clauses.append(Or(alternatives))
    return And(clauses) if clauses else None


def words_of(text: str) -> list[str]:
    """The plain words of a query, in order, for spelling suggestions."""
    return [word for word in re.findall(r"[^\W\d_]+", text)
            if word not in _OPERATORS and word.lower() not in all_stopwords()]
