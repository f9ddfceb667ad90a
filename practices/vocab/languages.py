"""Languages a sheet can be written in: ISO 639-1 codes with names in English, French, Spanish.

The languages of WOCAT, of the 4 per 1000 partner countries and of Europe are named here by
hand; pycountry's Spanish names are uneven, so it only fills in the remaining ISO 639-1
codes, and only when the list is first needed.
"""

import os
from functools import cache

from practices.vocab.model import Term, normalize_label, read_catalog

SITE_LANGUAGES = ("en", "fr", "es")  # listed first in selects

NAMES = {  # code: (English, French, Spanish)
    "en": ("English", "Anglais", "Inglés"),
    "fr": ("French", "Français", "Francés"),
    "es": ("Spanish", "Espagnol", "Español"),
    "af": ("Afrikaans", "Afrikaans", "Afrikáans"),
    "am": ("Amharic", "Amharique", "Amárico"),
    "ar": ("Arabic", "Arabe", "Árabe"),
    "as": ("Assamese", "Assamais", "Asamés"),
    "ay": ("Aymara", "Aymara", "Aimara"),
    "az": ("Azerbaijani", "Azerbaïdjanais", "Azerbaiyano"),
    "be": ("Belarusian", "Biélorusse", "Bielorruso"),
    "bg": ("Bulgarian", "Bulgare", "Búlgaro"),
    "bm": ("Bambara", "Bambara", "Bambara"),
    "bn": ("Bengali", "Bengali", "Bengalí"),
    "bo": ("Tibetan", "Tibétain", "Tibetano"),
    "br": ("Breton", "Breton", "Bretón"),
    "bs": ("Bosnian", "Bosnien", "Bosnio"),
    "ca": ("Catalan", "Catalan", "Catalán"),
    "cs": ("Czech", "Tchèque", "Checo"),
    "cy": ("Welsh", "Gallois", "Galés"),
    "da": ("Danish", "Danois", "Danés"),
    "de": ("German", "Allemand", "Alemán"),
    "dz": ("Dzongkha", "Dzongkha", "Dzongkha"),
    "ee": ("Ewe", "Éwé", "Ewe"),
    "el": ("Greek", "Grec", "Griego"),
    "et": ("Estonian", "Estonien", "Estonio"),
    "eu": ("Basque", "Basque", "Euskera"),
    "fa": ("Persian", "Persan", "Persa"),
    "ff": ("Fula", "Peul", "Fula"),
    "fi": ("Finnish", "Finnois", "Finés"),
    "fj": ("Fijian", "Fidjien", "Fiyiano"),
    "ga": ("Irish", "Irlandais", "Irlandés"),
    "gl": ("Galician", "Galicien", "Gallego"),
    "gn": ("Guarani", "Guarani", "Guaraní"),
    "gu": ("Gujarati", "Goudjarati", "Guyaratí"),
    "ha": ("Hausa", "Haoussa", "Hausa"),
    "he": ("Hebrew", "Hébreu", "Hebreo"),
    "hi": ("Hindi", "Hindi", "Hindi"),
    "hr": ("Croatian", "Croate", "Croata"),
    "ht": ("Haitian Creole", "Créole haïtien", "Criollo haitiano"),
    "hu": ("Hungarian", "Hongrois", "Húngaro"),
    "hy": ("Armenian", "Arménien", "Armenio"),
    "id": ("Indonesian", "Indonésien", "Indonesio"),
    "ig": ("Igbo", "Igbo", "Igbo"),
    "is": ("Icelandic", "Islandais", "Islandés"),
    "it": ("Italian", "Italien", "Italiano"),
    "ja": ("Japanese", "Japonais", "Japonés"),
    "jv": ("Javanese", "Javanais", "Javanés"),
    "ka": ("Georgian", "Géorgien", "Georgiano"),
    "kg": ("Kongo", "Kikongo", "Kikongo"),
    "kk": ("Kazakh", "Kazakh", "Kazajo"),
    "km": ("Khmer", "Khmer", "Jemer"),
    "kn": ("Kannada", "Kannada", "Canarés"),
    "ko": ("Korean", "Coréen", "Coreano"),
    "ku": ("Kurdish", "Kurde", "Kurdo"),
    "ky": ("Kyrgyz", "Kirghize", "Kirguís"),
    "lb": ("Luxembourgish", "Luxembourgeois", "Luxemburgués"),
    "lg": ("Ganda", "Luganda", "Luganda"),
    "ln": ("Lingala", "Lingala", "Lingala"),
    "lo": ("Lao", "Lao", "Lao"),
    "lt": ("Lithuanian", "Lituanien", "Lituano"),
    "lv": ("Latvian", "Letton", "Letón"),
    "mg": ("Malagasy", "Malgache", "Malgache"),
    "mi": ("Māori", "Maori", "Maorí"),
    "mk": ("Macedonian", "Macédonien", "Macedonio"),
    "ml": ("Malayalam", "Malayalam", "Malayalam"),
    "mn": ("Mongolian", "Mongol", "Mongol"),
    "mr": ("Marathi", "Marathi", "Maratí"),
    "ms": ("Malay", "Malais", "Malayo"),
    "mt": ("Maltese", "Maltais", "Maltés"),
    "my": ("Burmese", "Birman", "Birmano"),
    "nb": ("Norwegian Bokmål", "Norvégien bokmål", "Noruego bokmal"),
    "ne": ("Nepali", "Népalais", "Nepalí"),
    "nl": ("Dutch", "Néerlandais", "Neerlandés"),
    "no": ("Norwegian", "Norvégien", "Noruego"),
    "ny": ("Chichewa", "Chichewa", "Chichewa"),
    "oc": ("Occitan", "Occitan", "Occitano"),
    "om": ("Oromo", "Oromo", "Oromo"),
    "or": ("Odia", "Odia", "Oriya"),
    "pa": ("Punjabi", "Pendjabi", "Panyabí"),
    "pl": ("Polish", "Polonais", "Polaco"),
    "ps": ("Pashto", "Pachto", "Pastún"),
    "pt": ("Portuguese", "Portugais", "Portugués"),
    "qu": ("Quechua", "Quechua", "Quechua"),
    "rn": ("Kirundi", "Kirundi", "Kirundi"),
    "ro": ("Romanian", "Roumain", "Rumano"),
    "ru": ("Russian", "Russe", "Ruso"),
    "rw": ("Kinyarwanda", "Kinyarwanda", "Kinyarwanda"),
    "si": ("Sinhala", "Cingalais", "Cingalés"),
    "sk": ("Slovak", "Slovaque", "Eslovaco"),
    "sl": ("Slovenian", "Slovène", "Esloveno"),
    "sm": ("Samoan", "Samoan", "Samoano"),
    "sn": ("Shona", "Shona", "Shona"),
    "so": ("Somali", "Somali", "Somalí"),
    "sq": ("Albanian", "Albanais", "Albanés"),
    "sr": ("Serbian", "Serbe", "Serbio"),
    "st": ("Southern Sotho", "Sotho du Sud", "Sesoto"),
    "su": ("Sundanese", "Soundanais", "Sundanés"),
    "sv": ("Swedish", "Suédois", "Sueco"),
    "sw": ("Swahili", "Swahili", "Suajili"),
    "ta": ("Tamil", "Tamoul", "Tamil"),
    "te": ("Telugu", "Télougou", "Telugu"),
    "tg": ("Tajik", "Tadjik", "Tayiko"),
    "th": ("Thai", "Thaï", "Tailandés"),
    "ti": ("Tigrinya", "Tigrigna", "Tigriña"),
    "tk": ("Turkmen", "Turkmène", "Turcomano"),
    "tl": ("Tagalog", "Tagalog", "Tagalo"),
    "tn": ("Tswana", "Tswana", "Setsuana"),
    "to": ("Tongan", "Tongien", "Tongano"),
    "tr": ("Turkish", "Turc", "Turco"),
    "tw": ("Twi", "Twi", "Twi"),
    "ug": ("Uyghur", "Ouïghour", "Uigur"),
    "uk": ("Ukrainian", "Ukrainien", "Ucraniano"),
    "ur": ("Urdu", "Ourdou", "Urdu"),
    "uz": ("Uzbek", "Ouzbek", "Uzbeko"),
    "vi": ("Vietnamese", "Vietnamien", "Vietnamita"),
    "wo": ("Wolof", "Wolof", "Wólof"),
    "xh": ("Xhosa", "Xhosa", "Xhosa"),
    "yo": ("Yoruba", "Yoruba", "Yoruba"),
    "zh": ("Chinese", "Chinois", "Chino"),
    "zu": ("Zulu", "Zoulou", "Zulú"),
}


def _named_term(code: str) -> Term:
    en, fr, es = NAMES[code]
    return Term(code, {"en": en, "fr": fr, "es": es})


def _pycountry_terms() -> list[Term]:
    """The ISO 639-1 languages not named above, with pycountry's names and translations."""
    import pycountry

    translators = {lang: read_catalog("iso639-3", pycountry.LOCALES_DIR, lang).gettext
                   for lang in ("fr", "es")}
    terms = []
    # A database of our own, dropped once read: pycountry.languages would keep all 7,900
    # ISO 639-3 languages (and their indexes, ~4 MB) in every process for the ~180 used here.
    languages = pycountry.Languages(os.path.join(pycountry.DATABASE_DIR, "iso639-3.json"))
    for language in languages:
        code = getattr(language, "alpha_2", None)
        if code and code not in NAMES:
            labels = {"en": language.name}
            labels |= {lang: translate(language.name) for lang, translate in translators.items()}
            terms.append(Term(code, labels))
    return terms


@cache
def language_terms() -> tuple[Term, ...]:
    """en, fr, es first (the site's languages), then every other language by English name."""
    others = [_named_term(code) for code in NAMES if code not in SITE_LANGUAGES]
    others += _pycountry_terms()
    others.sort(key=lambda item: normalize_label(item.labels["en"]))
    return tuple(_named_term(code) for code in SITE_LANGUAGES) + tuple(others)
