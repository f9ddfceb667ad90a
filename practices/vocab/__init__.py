"""The controlled vocabularies of a practice sheet, and the lookups importers and forms need.

Every coded sheet field (practice_groups, measures, agro_climatic_zones, countries ...) takes
its values from the vocabulary of the same name. A vocabulary maps stable codes to labels in
English, French and Spanish, and maps WOCAT's identifiers (qcat value keywords such as
"tech_slm_group_crossslope" and the new WOCAT database API enums such as "CROSSSLOPE") to
codes, so imported records and hand-written sheets share one set of facets.

    >>> vocabulary("agro_climatic_zones").from_wocat("SEMIARID")
    'semi-arid'
    >>> vocabulary("measures").from_label("S2: Bunds, banks")
    'S2'
    >>> region_of_country("BF")
    'western-africa'

Countries and languages come from pycountry and are built on first use, so importing this
module stays cheap.
"""

from collections.abc import Callable, Iterator, Mapping
from functools import cache

from practices.vocab import carbon, slm
from practices.vocab import terms as env
from practices.vocab.languages import language_terms
from practices.vocab.model import LANGUAGES, Term, Vocabulary, normalize_label
from practices.vocab.regions import REGION_OF_COUNTRY, REGIONS, country_terms
from practices.vocab.terms import LICENSE_URLS

__all__ = [
    "LANGUAGES", "LICENSE_URLS", "VOCABULARIES", "Term", "Vocabulary", "country_from_wocat",
    "normalize_label", "region_of_country", "to_dict", "vocabulary",
]


def _vocabulary(name: str, en: str, fr: str, es: str, terms: tuple[Term, ...],
                multiple: bool = True, max_items: int | None = None) -> Vocabulary:
    return Vocabulary(name, {"en": en, "fr": fr, "es": es}, terms, multiple, max_items)


_STATIC = (
    _vocabulary("practice_groups", "Practice group", "Groupe de pratiques", "Grupo de prácticas",
                slm.PRACTICE_GROUPS, max_items=3),
    _vocabulary("measure_types", "Type of measure", "Type de mesure", "Tipo de medida",
                slm.MEASURE_TYPES),
    _vocabulary("measures", "Measures", "Mesures", "Medidas", slm.MEASURES),
    _vocabulary("land_use", "Land use", "Utilisation des terres", "Uso de la tierra",
                env.LAND_USE),
    _vocabulary("degradation_types", "Type of degradation", "Type de dégradation",
                "Tipo de degradación", slm.DEGRADATION_TYPES),
    _vocabulary("degradation_addressed", "Degradation addressed", "Dégradation traitée",
                "Degradación abordada", slm.DEGRADATION_ADDRESSED),
    _vocabulary("purposes", "Purposes", "Objectifs", "Objetivos", env.PURPOSES),
    _vocabulary("basis", "Basis", "Fondement", "Fundamento", env.BASIS, multiple=False),
    _vocabulary("agro_climatic_zones", "Agro-climatic zone", "Zone agroclimatique",
                "Zona agroclimática", env.AGRO_CLIMATIC_ZONES),
    _vocabulary("ipcc_climate_zones", "IPCC climate zone", "Zone climatique du GIEC",
                "Zona climática del IPCC", env.IPCC_CLIMATE_ZONES),
    _vocabulary("ipcc_soil_classes", "IPCC soil class", "Classe de sol du GIEC",
                "Clase de suelo del IPCC", env.IPCC_SOIL_CLASSES),
    _vocabulary("soil_texture", "Topsoil texture", "Texture de l'horizon de surface",
                "Textura del suelo superficial", env.SOIL_TEXTURE),
    _vocabulary("soil_depth", "Soil depth", "Profondeur du sol", "Profundidad del suelo",
                env.SOIL_DEPTH),
    _vocabulary("topsoil_organic_matter", "Topsoil organic matter",
                "Matière organique de l'horizon de surface",
                "Materia orgánica del suelo superficial", env.TOPSOIL_ORGANIC_MATTER),
    _vocabulary("altitude", "Altitude", "Altitude", "Altitud", env.ALTITUDE),
    _vocabulary("slope", "Slope", "Pente", "Pendiente", env.SLOPE),
    _vocabulary("rainfall_classes", "Annual rainfall", "Précipitations annuelles",
                "Precipitación anual", env.RAINFALL_CLASSES),
    _vocabulary("regions", "Region", "Région", "Región", REGIONS),
    _vocabulary("licenses", "Licence", "Licence", "Licencia", env.LICENSES, multiple=False),
    _vocabulary("carbon_land_uses", "Land use of the estimate", "Utilisation des terres de "
                "l'estimation", "Uso de la tierra de la estimación", carbon.LAND_USES,
                multiple=False),
    _vocabulary("carbon_levels", "IPCC management level", "Niveau de gestion du GIEC",
                "Nivel de manejo del IPCC", carbon.LEVELS, max_items=3),
)


@cache
def _countries() -> Vocabulary:
    return _vocabulary("countries", "Countries", "Pays", "Países", country_terms())


@cache
def _languages() -> Vocabulary:
    return _vocabulary("languages", "Language", "Langue", "Idioma", language_terms(),
                       multiple=False)


class _Registry(Mapping[str, Vocabulary]):
    """A read-only name -> Vocabulary mapping whose pycountry-based entries load on first use."""

    def __init__(self, static: tuple[Vocabulary, ...],
                 lazy: Mapping[str, Callable[[], Vocabulary]]):
        self._static = {vocab.name: vocab for vocab in static}
        self._lazy = dict(lazy)

    def __getitem__(self, name: str) -> Vocabulary:
        if name in self._static:
            return self._static[name]
        return self._lazy[name]()

    def __iter__(self) -> Iterator[str]:
        return iter([*self._static, *self._lazy])

    def __len__(self) -> int:
        return len(self._static) + len(self._lazy)

    def __contains__(self, name: object) -> bool:
        return name in self._static or name in self._lazy


VOCABULARIES: Mapping[str, Vocabulary] = _Registry(
    _STATIC, {"countries": _countries, "languages": _languages})


def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called `name`; a KeyError naming the known ones if there is none."""
    try:
        return VOCABULARIES[name]
    except KeyError:
        known = ", ".join(sorted(VOCABULARIES))
        raise KeyError(f"unknown vocabulary {name!r}; known vocabularies: {known}") from None


def region_of_country(alpha2: str | None) -> str | None:
    """The UN M49 region code of a country ("BF" -> "western-africa"); None if it has none."""
    if not isinstance(alpha2, str):
        return None
    return REGION_OF_COUNTRY.get(alpha2.strip().upper())


def country_from_wocat(value: str | None) -> str | None:
    """The alpha-2 code of a country as WOCAT gives it: "country_AFG", "AFG", "AF", "af" or
    its name ("Afghanistan", also in French or Spanish). None when unknown."""
    if not isinstance(value, str) or not value.strip():
        return None
    countries = vocabulary("countries")
    return countries.from_wocat(value) or countries.from_label(value)


def to_dict(lang: str | None = None) -> dict:
    """Every vocabulary as JSON-ready data for the API, labels in `lang` or in all languages:
    {name: {"labels", "multiple", "max_items", "terms": [{"code", "labels", "parent",
    "descriptions"}]}}."""
    return {name: vocab.to_dict(lang) for name, vocab in VOCABULARIES.items()}
