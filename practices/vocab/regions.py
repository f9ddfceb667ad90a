"""Countries (ISO 3166-1, from pycountry) and the UN M49 geographic regions they belong to.

The region of a country is M49's intermediate region where it has one (the African
sub-regions, Caribbean, Central and South America, Channel Islands), else its sub-region.
pycountry is imported only when the country list is first needed: it costs more to import
than the whole vocabulary module.
"""

import gettext
import os
from functools import cache

from practices.vocab.model import Term, normalize_label, read_catalog, term

REGIONS = (
    term("northern-africa", "Northern Africa", "Afrique du Nord", "África septentrional"),
    term("eastern-africa", "Eastern Africa", "Afrique de l'Est", "África oriental"),
    term("middle-africa", "Middle Africa", "Afrique centrale", "África central"),
    term("southern-africa", "Southern Africa", "Afrique australe", "África austral"),
    term("western-africa", "Western Africa", "Afrique de l'Ouest", "África occidental"),
    term("caribbean", "Caribbean", "Caraïbes", "Caribe"),
    term("central-america", "Central America", "Amérique centrale", "Centroamérica"),
    term("south-america", "South America", "Amérique du Sud", "América del Sur"),
    term("northern-america", "Northern America", "Amérique septentrionale",
         "América septentrional"),
    term("central-asia", "Central Asia", "Asie centrale", "Asia central"),
    term("eastern-asia", "Eastern Asia", "Asie de l'Est", "Asia oriental"),
    term("south-eastern-asia", "South-eastern Asia", "Asie du Sud-Est", "Asia sudoriental"),
    term("southern-asia", "Southern Asia", "Asie du Sud", "Asia meridional"),
    term("western-asia", "Western Asia", "Asie occidentale", "Asia occidental"),
    term("eastern-europe", "Eastern Europe", "Europe de l'Est", "Europa oriental"),
    term("northern-europe", "Northern Europe", "Europe du Nord", "Europa septentrional"),
    term("channel-islands", "Channel Islands", "Îles Anglo-Normandes", "Islas del Canal"),
    term("southern-europe", "Southern Europe", "Europe du Sud", "Europa meridional"),
    term("western-europe", "Western Europe", "Europe de l'Ouest", "Europa occidental"),
    term("australia-and-new-zealand", "Australia and New Zealand",
         "Australie et Nouvelle-Zélande", "Australia y Nueva Zelandia"),
    term("melanesia", "Melanesia", "Mélanésie", "Melanesia"),
    term("micronesia", "Micronesia", "Micronésie", "Micronesia"),
    term("polynesia", "Polynesia", "Polynésie", "Polinesia"),
)

# UN M49 membership, alpha-2 codes. Antarctica (AQ) belongs to no M49 region. Taiwan (TW),
# which M49 does not list, goes with Eastern Asia where it lies.
_MEMBERS = {
    "northern-africa": "DZ EG EH LY MA SD TN",
    "eastern-africa": "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    "middle-africa": "AO CD CF CG CM GA GQ ST TD",
    "southern-africa": "BW LS NA SZ ZA",
    "western-africa": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "caribbean": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT "
                 "VC VG VI",
    "central-america": "BZ CR GT HN MX NI PA SV",
    "south-america": "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    "northern-america": "BM CA GL PM US",
    "central-asia": "KG KZ TJ TM UZ",
    "eastern-asia": "CN HK JP KP KR MN MO TW",
    "south-eastern-asia": "BN ID KH LA MM MY PH SG TH TL VN",
    "southern-asia": "AF BD BT IN IR LK MV NP PK",
    "western-asia": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "eastern-europe": "BG BY CZ HU MD PL RO RU SK UA",
    "northern-europe": "AX DK EE FI FO GB IE IM IS LT LV NO SE SJ",
    "channel-islands": "GG JE",
    "southern-europe": "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA",
    "western-europe": "AT BE CH DE FR LI LU MC NL",
    "australia-and-new-zealand": "AU CC CX HM NF NZ",
    "melanesia": "FJ NC PG SB VU",
    "micronesia": "FM GU KI MH MP NR PW UM",
    "polynesia": "AS CK NU PF PN TK TO TV WF WS",
}
REGION_OF_COUNTRY = {alpha2: region for region, members in _MEMBERS.items()
                     for alpha2 in members.split()}

# Names qcat used for some countries before ISO renamed them (or, for PR and HM, garbled
# them); its API v2 gives these labels, so the importer must recognize them.
_FORMER_NAMES = {
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "HM": ("Heard Island and McDonald Mcdonald Islands",),
    "MK": ("Macedonia, the Former Yugoslav Republic of", "Macedonia"),
    "PR": ("Puerto",),
    "SZ": ("Swaziland",),
    "TR": ("Turkey",),
}


# Names as people write them where ISO inverts them ("Salomon, Îles") or pycountry slips
# ("Costa de Marfíl"). The ISO names stay recognized as aliases.
_LABEL_FIXES = {
    "AX": {"fr": "Îles Åland", "es": "Islas Åland"},
    "CC": {"fr": "Îles Cocos (Keeling)"},
    "CD": {"en": "Democratic Republic of the Congo", "es": "República Democrática del Congo"},
    "CI": {"es": "Costa de Marfil"},
    "CX": {"fr": "Île Christmas"},
    "FK": {"fr": "Îles Malouines (Falkland)"},
    "FM": {"en": "Micronesia (Federated States of)", "fr": "Micronésie (États fédérés de)",
           "es": "Micronesia (Estados Federados de)"},
    "KM": {"es": "Comoras"},
    "PS": {"en": "State of Palestine", "fr": "État de Palestine", "es": "Estado de Palestina"},
    "RE": {"fr": "La Réunion"},
    "RU": {"en": "Russia", "fr": "Russie", "es": "Rusia"},
    "SB": {"fr": "Îles Salomon"},
    "VG": {"es": "Islas Vírgenes Británicas"},
    "VI": {"en": "United States Virgin Islands", "fr": "Îles Vierges des États-Unis",
           "es": "Islas Vírgenes de los Estados Unidos"},
}


class _Untranslated(gettext.NullTranslations):
    """A gettext fallback that answers "" so that a missing translation can be told apart
    from one that is spelled like the English ("Bolivia" is Bolivia in Spanish too)."""

    def gettext(self, message):
        return ""


def _translator(lang: str):
    import pycountry

    translation = read_catalog("iso3166-1", pycountry.LOCALES_DIR, lang)
    translation.add_fallback(_Untranslated())
    return translation.gettext


def _country_labels(country, translators) -> dict[str, str]:
    """en: the common name where ISO's is awkward ("Bolivia", not "Bolivia, Plurinational
    State of"); fr/es: its translation when pycountry has one, else ISO's name translated."""
    common = getattr(country, "common_name", None)
    labels = {"en": common or country.name}
    for lang, translate in translators.items():
        translated = (translate(common) if common else "") or translate(country.name)
        labels[lang] = translated or labels["en"]
    return labels | _LABEL_FIXES.get(country.alpha_2, {})


@cache
def country_terms() -> tuple[Term, ...]:
    """Every ISO 3166-1 country, alphabetical by English name, its M49 region as parent."""
    import pycountry

    translators = {lang: _translator(lang) for lang in ("fr", "es")}
    terms = []
    # A database of our own, dropped once read (as practices.vocab.languages does): the
    # terms are all that is kept.
    countries = pycountry.ExistingCountries(os.path.join(pycountry.DATABASE_DIR,
                                                         "iso3166-1.json"))
    for country in countries:
        names = (country.name, getattr(country, "official_name", None),
                 *_FORMER_NAMES.get(country.alpha_2, ()))
        terms.append(Term(
            code=country.alpha_2,
            labels=_country_labels(country, translators),
            parent=REGION_OF_COUNTRY.get(country.alpha_2),
            wocat_keys=(country.alpha_2, country.alpha_3, f"country_{country.alpha_3}"),
            aliases=tuple(name for name in names if name),
        ))
    return tuple(sorted(terms, key=lambda item: normalize_label(item.labels["en"])))
