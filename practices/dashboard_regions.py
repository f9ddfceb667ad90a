"""UN M49 region codes for the dashboard's region filter and its "by region" figures.

The wiki's vocabulary already places every country in its M49 intermediate region or
sub-region (practices.vocab.regions, by slug). This adds the numeric codes and the levels
above, following the UN Statistics Division's "Standard country or area codes for
statistical use (M49)", https://unstats.un.org/unsd/methodology/m49/ : region (002 Africa,
019 Americas, 142 Asia, 150 Europe, 009 Oceania), sub-region (202 Sub-Saharan Africa,
419 Latin America and the Caribbean, ...) and intermediate region. No package on PyPI ships
this hierarchy with its codes (pycountry has none; Babel's CLDR data names the regions but
does not say which countries they contain), so the 31 codes are written here; the region
names come from Babel (CLDR), translated, where the vocabulary has none.
"""

from functools import cache

from practices.vocab import vocabulary
from practices.vocab.regions import REGION_OF_COUNTRY

# vocabulary slug -> (M49 code, code of the area it belongs to)
_SLUG_CODES = {
    "northern-africa": ("015", "002"),
    "eastern-africa": ("014", "202"),
    "middle-africa": ("017", "202"),
    "southern-africa": ("018", "202"),
    "western-africa": ("011", "202"),
    "caribbean": ("029", "419"),
    "central-america": ("013", "419"),
    "south-america": ("005", "419"),
    "northern-america": ("021", "019"),
    "central-asia": ("143", "142"),
    "eastern-asia": ("030", "142"),
    "south-eastern-asia": ("035", "142"),
    "southern-asia": ("034", "142"),
    "western-asia": ("145", "142"),
    "eastern-europe": ("151", "150"),
    "northern-europe": ("154", "150"),
    "channel-islands": ("830", "154"),
    "southern-europe": ("039", "150"),
    "western-europe": ("155", "150"),
    "australia-and-new-zealand": ("053", "009"),
    "melanesia": ("054", "009"),
    "micronesia": ("057", "009"),
    "polynesia": ("061", "009"),
}
# Areas with no slug in the vocabulary: code -> the area it belongs to (None: a region).
_UPPER = {"202": "002", "419": "019", "002": None, "019": None, "142": None, "150": None,
          "009": None}
_PARENT = {code: parent for code, parent in _SLUG_CODES.values()} | _UPPER
_SLUG_OF_CODE = {code: slug for slug, (code, _parent) in _SLUG_CODES.items()}
# CLDR's "Latin America" (419) is M49's "Latin America and the Caribbean".
_M49_NAMES = {"419": {"en": "Latin America and the Caribbean",
                      "fr": "Amérique latine et Caraïbes", "es": "América Latina y el Caribe"}}
REGIONS = ("002", "019", "142", "150", "009")  # the five M49 regions, for "by region" figures


def is_region(code: str) -> bool:
    return code in _PARENT


def ancestry(code: str | None) -> tuple[str, ...]:
    """The code and every area above it: "011" -> ("011", "202", "002")."""
    chain = []
    while code is not None:
        chain.append(code)
        code = _PARENT.get(code)
    return tuple(chain)


@cache
def _countries_by_area() -> dict[str, frozenset[str]]:
    members: dict[str, set[str]] = {code: set() for code in _PARENT}
    for country, slug in REGION_OF_COUNTRY.items():
        for code in ancestry(_SLUG_CODES[slug][0]):
            members[code].add(country)
    return {code: frozenset(countries) for code, countries in members.items()}


def countries_in(code: str) -> frozenset[str]:
    """The ISO alpha-2 codes of the countries in an M49 area (any level)."""
    return _countries_by_area().get(code, frozenset())


def region_of(country: str | None) -> str | None:
    """The M49 region (one of REGIONS) of a country; None for Antarctica and unknown codes."""
    slug = REGION_OF_COUNTRY.get(country or "")
    return ancestry(_SLUG_CODES[slug][0])[-1] if slug else None


def label(code: str, lang: str = "en") -> str:
    """The area's name in `lang`: the vocabulary's for sub-regions, CLDR's (Babel) above."""
    slug = _SLUG_OF_CODE.get(code)
    if code in _M49_NAMES:
        return _M49_NAMES[code].get(lang, _M49_NAMES[code]["en"])
    if slug:
        return vocabulary("regions").label(slug, lang)
    from babel import Locale

    return Locale.parse(lang).territories.get(code, code)


def _children(code: str | None) -> list[str]:
    return [child for child, parent in _PARENT.items() if parent == code]


@cache
def areas() -> tuple[str, ...]:
    """Every code the region filter accepts, in tree order: each region, then its
    sub-regions, each followed by its intermediate regions (for a filter's choices)."""
    ordered: list[str] = []

    def visit(code: str) -> None:
        ordered.append(code)
        for child in _children(code):
            visit(child)

    for region in REGIONS:
        visit(region)
    return tuple(ordered)


def depth(code: str) -> int:
    """0 for a region, 1 for a sub-region, 2 for an intermediate region."""
    return len(ancestry(code)) - 1
