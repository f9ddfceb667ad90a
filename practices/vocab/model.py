"""The two value types of the controlled vocabularies: a `Term` and a `Vocabulary` of terms.

Kept apart from the registry in `practices/vocab/__init__.py` so that the data modules
(terms, slm, ...) can build terms without needing the names of the registry that imports them.
"""

import gettext
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

LANGUAGES = ("en", "fr", "es")
_AMBIGUOUS = object()  # a label shared by two terms: matching it would be a guess
_CODE_PREFIX = re.compile(r"^\s*([A-Za-z]{1,2}\d{0,2})\s*:\s*(.+)$")  # "S2: Bunds, banks"
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")  # "1,000", "1 000" -> "1000"
_PARENTHESES = re.compile(r"\([^)]*\)")


def read_catalog(domain: str, localedir: str, language: str) -> gettext.GNUTranslations:
    """A gettext catalog read for building terms, then dropped with them.

    gettext.translation() keeps every catalog it reads for the life of the process: pycountry's
    French ISO 639-3 catalog alone (9,300 names, ~1.5 MB) stayed in every worker for the few
    hundred labels the vocabularies take from it."""
    path = gettext.find(domain, localedir, languages=[language])
    if path is None:
        raise FileNotFoundError(f"No {language} translation of {domain} in {localedir}")
    with open(path, "rb") as catalog:
        return gettext.GNUTranslations(catalog)


def normalize_label(text: str) -> str:
    """A comparison key for labels: no case, accents, punctuation or thousands separators.

    "Semi-aride", "semi aride" and "SEMI-ARIDE" compare equal; "< 1 %" keeps its "<" and "%"
    because they tell "low (<1%)" apart from other ranges.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    bare = _THOUSANDS.sub("", bare)
    return " ".join(re.findall(r"[^\W_]+|[<>%]", bare))


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 ("areas â€“ in" -> "areas – in"), as in qcat API answers.

    Text that is not such mojibake fails the round trip and comes back unchanged.
    """
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def base_language(lang: str | None) -> str:
    """'fr_FR' or 'es-419' -> 'fr' / 'es', so that locale names work as language codes."""
    return (lang or "en").replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: a stable code, its labels and the WOCAT keys that mean it."""

    code: str
    labels: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    parent: str | None = None
    wocat_keys: tuple[str, ...] = ()
    # Other spellings of the label seen in sources (WOCAT's own English labels, former
    # country names); matched by `Vocabulary.from_label`, never displayed.
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.labels.get("en"):
            raise ValueError(f"term {self.code!r} has no English label")
        # Read-only mappings: terms are shared by every request, nobody may edit them.
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "descriptions", MappingProxyType(dict(self.descriptions)))
        object.__setattr__(self, "wocat_keys", tuple(self.wocat_keys))
        object.__setattr__(self, "aliases", tuple(self.aliases))

    def label(self, lang: str = "en") -> str:
        return self.labels.get(base_language(lang)) or self.labels["en"]

    def description(self, lang: str = "en") -> str | None:
        return self.descriptions.get(base_language(lang)) or self.descriptions.get("en")

    def label_keys(self) -> set[str]:
        """Every normalized spelling that names this term, with and without parentheses."""
        texts = [self.code, *self.labels.values(), *self.aliases]
        texts += [_PARENTHESES.sub(" ", text) for text in texts]
        return {key for text in texts if (key := normalize_label(text))}


def term(code: str, en: str, fr: str, es: str, *wocat_keys: str, parent: str | None = None,
         desc: str | Mapping[str, str] | None = None, aliases: Iterable[str] = ()) -> Term:
    """Shorthand for the data tables: labels in en/fr/es, then the WOCAT keys."""
    descriptions = {"en": desc} if isinstance(desc, str) else dict(desc or {})
    return Term(code, {"en": en, "fr": fr, "es": es}, descriptions, parent, wocat_keys,
                tuple(aliases))


def wocat(prefix: str, suffix: str) -> tuple[str, str]:
    """The qcat value keyword and the new-API enum, which is the keyword's suffix upper-cased."""
    return prefix + suffix, suffix.upper()


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """A closed list of terms: one sheet field, one search facet, one form select."""

    name: str
    labels: Mapping[str, str]
    terms: tuple[Term, ...]
    multiple: bool = True
    max_items: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        object.__setattr__(self, "terms", tuple(self.terms))
        object.__setattr__(self, "_by_code", self._index_codes())
        object.__setattr__(self, "_by_wocat_key", self._index_wocat_keys())

    def _index_codes(self) -> dict[str, Term]:
        by_code: dict[str, Term] = {}
        for item in self.terms:
            if item.code in by_code:
                raise ValueError(f"{self.name}: duplicate code {item.code!r}")
            by_code[item.code] = item
        return by_code

    def _index_wocat_keys(self) -> dict[str, str]:
        # Case-insensitive: the new API spells enums "SEMIARID" or "Wt", qcat "..._semiarid".
        by_key: dict[str, str] = {}
        for item in self.terms:
            for key in item.wocat_keys:
                folded = key.casefold()
                if by_key.setdefault(folded, item.code) != item.code:
                    raise ValueError(f"{self.name}: WOCAT key {key!r} names two terms")
        return by_key

    @cached_property
    def _by_label(self) -> dict[str, object]:
        # Built on first use: normalizing every label costs more than importing the module.
        by_label: dict[str, object] = {}
        for item in self.terms:
            for key in item.label_keys():
                if by_label.setdefault(key, item.code) != item.code:
                    by_label[key] = _AMBIGUOUS
        return by_label

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<Vocabulary {self.name} ({len(self.terms)} terms)>"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.terms)

    def get(self, code: str) -> Term | None:
        return self._by_code.get(code)

    def title(self, lang: str = "en") -> str:
        """The vocabulary's own name, e.g. "Agro-climatic zone"."""
        return self.labels.get(base_language(lang)) or self.labels["en"]

    def label(self, code: str, lang: str = "en") -> str:
        """The label of a code; an unknown code (e.g. retired) shows as itself."""
        item = self._by_code.get(code)
        return item.label(lang) if item else code

    def choices(self, lang: str = "en", sort: bool = False) -> list[tuple[str, str]]:
        """(code, label) pairs for a form select, in display order or alphabetically."""
        pairs = [(item.code, item.label(lang)) for item in self.terms]
        return sorted(pairs, key=lambda pair: normalize_label(pair[1])) if sort else pairs

    def children(self, parent: str) -> list[Term]:
        return [item for item in self.terms if item.parent == parent]

    def from_wocat(self, key: str) -> str | None:
        """The code for a qcat value keyword or a new-API enum; None if this vocabulary has none."""
        if not isinstance(key, str):
            return None
        return self._by_wocat_key.get(key.strip().casefold())

    def from_label(self, text: str) -> str | None:
        """The code a label names in any language, or None when unknown or ambiguous.

        Accepts the code itself, an en/fr/es label, WOCAT's English label, and WOCAT's
        "S2: Bunds, banks" form (the code before the colon must agree with the label).
        """
        if not isinstance(text, str) or not text.strip():
            return None
        if text.strip() in self._by_code:
            return text.strip()
        for candidate in dict.fromkeys((text, repair_mojibake(text))):
            found = self._by_label.get(normalize_label(candidate))
            if isinstance(found, str):
                return found
            if found := self._from_prefixed_label(candidate):
                return found
        return None

    def _from_prefixed_label(self, text: str) -> str | None:
        match = _CODE_PREFIX.match(text)
        if not match:
            return None
        prefix, rest = match.groups()
        item = next((t for t in self.terms if t.code.casefold() == prefix.casefold()), None)
        if item and normalize_label(rest) in item.label_keys():
            return item.code
        return None

    def to_dict(self, lang: str | None = None) -> dict:
        """JSON-ready form; with `lang`, labels and descriptions are limited to that language."""
        def pick(mapping: Mapping[str, str]) -> dict[str, str]:
            if lang is None:
                return dict(mapping)
            text = mapping.get(base_language(lang)) or mapping.get("en")
            return {base_language(lang): text} if text else {}

        return {
            "labels": pick(self.labels),
            "multiple": self.multiple,
            "max_items": self.max_items,
            "terms": [{"code": item.code, "labels": pick(item.labels), "parent": item.parent,
                       "descriptions": pick(item.descriptions)} for item in self.terms],
        }
