"""The fields of the search index and how their text is analysed.

Text goes to one field per language so that each is stemmed by its own language's rules
(`text_en`, `text_fr`, `text_es`; every other language in `text_other`), and every analyser
folds accents after stemming, so that "couvert vegetal" finds "couverts végétaux". A separate,
unstemmed `spell` field feeds "did you mean" (correcting against a stemmed field would offer
stems, not words). Every facet is a KEYWORD field holding vocabulary codes, with a column.
"""

from functools import cache

from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Existence, Positions
from whoosh.lang import stopwords_for_language

import search.whoosh_patches  # noqa: F401 - applied before any index is written
from search.analysis import FoldedPositions, FoldingAnalyzer

STEMMED_LANGUAGES = ("en", "fr", "es")
TEXT_FIELDS = tuple(f"text_{lang}" for lang in STEMMED_LANGUAGES) + ("text_other",)

# Index facet name -> the sheet field (and vocabulary) it is filled from. The names are the
# URL parameters of the search page and the API: singular, as one value is chosen at a time.
FACETS = {
    "agro_climatic_zone": "agro_climatic_zones",
    "ipcc_climate_zone": "ipcc_climate_zones",
    "practice_group": "practice_groups",
    "measure": "measures",
    "land_use": "land_use",
    "degradation": "degradation_addressed",
    "soil": "ipcc_soil_classes",
    "country": "countries",
    "region": "regions",
    "language": "language",
    "status": "status",
    "source": "source",
    "endorsed_by": "endorsed_by",  # college slugs (issue 6), kept in SheetTerm by endorsements
}
# Facets whose codes come from the database rather than a vocabulary.
DATABASE_FACETS = frozenset({"endorsed_by"})
SOURCES = ("local", "wocat", "teca", "table")

# The one document that is not a sheet: the index's own progress through the change log.
STATE_ID = "__state__"


@cache
def all_stopwords() -> frozenset[str]:
    """Stop words of English, French and Spanish: a French query's "de" must not be required
    to appear in an English field."""
    words: set[str] = set()
    for lang in STEMMED_LANGUAGES:
        words |= set(stopwords_for_language(lang))
    return frozenset(words)


def folding_analyzer(stoplist: frozenset[str]) -> FoldingAnalyzer:
    """Words, lower-cased, stop words removed, accents folded; no stemming."""
    return FoldingAnalyzer(stoplist)


def language_analyzer(lang: str) -> FoldingAnalyzer:
    """Words, lower-cased, stop words removed, stemmed by the language's rules, accents
    folded: Whoosh's LanguageAnalyzer followed by accent folding, in one pass. Its stop
    words are the language's and Whoosh's short English list, as LanguageAnalyzer's are."""
    return FoldingAnalyzer(StopFilter(lang=lang).stops, lang)


def spelling_analyzer() -> Analyzer:
    """Plain lower-cased words as written, accents kept: suggestions are real words."""
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


class FoldedText(TEXT):
    """A TEXT field whose positions are gathered by its FoldingAnalyzer in one pass."""

    def __init__(self, analyzer: FoldingAnalyzer, **options):
        super().__init__(analyzer=analyzer, **options)
        if type(self.format) is Positions:
            self.format = FoldedPositions(field_boost=self.format.field_boost)


class SpellingWords(TEXT):
    """Which words occur, nothing more (no frequencies, positions or lengths): the
    corrector only needs the word list and document frequencies."""

    def __init__(self):
        super().__init__(analyzer=spelling_analyzer(), phrase=False)
        self.format = Existence(field_boost=1.0)
        self.scorable = False


def text_field_for(language: str | None) -> str:
    return f"text_{language}" if language in STEMMED_LANGUAGES else "text_other"


@cache
def analyzer_for(field: str) -> Analyzer:
    return build_schema()[field].analyzer


@cache
def build_schema() -> Schema:
    stops = all_stopwords()
    fields = {
        "id": ID(unique=True, stored=True, sortable=True),
        "slug": ID(stored=True),
        # The original sheet's id, shared by its translations (search.practices): results,
        # counts and pages count practices, not language versions.
        "practice": ID(sortable=True),
        "title": FoldedText(folding_analyzer(stops), stored=True),
        "summary": STORED(),
        "body": STORED(),
        # Never filled: the query parser needs the field to read label words with its
        # analyser, and search.labels turns them into the facet terms they name.
        "labels": TEXT(analyzer=folding_analyzer(stops), phrase=False),
        "text_other": FoldedText(folding_analyzer(stops)),
        "spell": SpellingWords(),
        "organization": ID(),
        "author": ID(),
        "flags": KEYWORD(scorable=False),  # "soc": the sheet reports a SOC change
        # Whoosh's own float column has an unpackable NaN default; docs without a value get 0
        # here, and sorting by SOC change looks at the "soc" flag first.
        "soc_change": NUMERIC(float, stored=True, sortable=NumericColumn("Q", default=0)),
        "updated": DATETIME(stored=True, sortable=True),
        "fingerprint": COLUMN(VarBytesColumn()),
        # IPCC Tier 1 estimates (issue 13), per climate zone × soil class the sheet lists:
        # "zone:soil" cells that reach 4 ‰, and every cell's ‰/yr for sorting (search.carbon).
        "carbon_meets": KEYWORD(scorable=False),
        "carbon": COLUMN(VarBytesColumn()),
        "state": STORED(),
    }
    for lang in STEMMED_LANGUAGES:
        fields[f"text_{lang}"] = FoldedText(language_analyzer(lang))
    for facet in FACETS:
        fields[facet] = KEYWORD(stored=facet in ("language", "status"), sortable=True,
                                scorable=False)
    return Schema(**fields)
