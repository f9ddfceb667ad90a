"""Which outline of the offline world map (wiki/static/map/countries-110m.geojson, Natural
Earth 1:110m via world-atlas) is which country, so that a choropleth can colour it.

The file names its features only ("Dem. Rep. Congo"), as Natural Earth abbreviates them;
pycountry recognises most names and the rest are listed here. Northern Cyprus, Somaliland and
Kosovo have no ISO 3166-1 code: no sheet or organisation can name them, so they stay blank.
"""

import json
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent.parent / "wiki" / "static" / "map" / \
    "countries-110m.geojson"

_ABBREVIATED = {
    "W. Sahara": "EH", "Dem. Rep. Congo": "CD", "Dominican Rep.": "DO", "Russia": "RU",
    "Falkland Is.": "FK", "Fr. S. Antarctic Lands": "TF", "Central African Rep.": "CF",
    "Eq. Guinea": "GQ", "Palestine": "PS", "Turkey": "TR", "Solomon Is.": "SB",
    "Brunei": "BN", "Bosnia and Herz.": "BA", "Macedonia": "MK", "S. Sudan": "SS",
}
WITHOUT_CODE = ("N. Cyprus", "Somaliland", "Kosovo")


@cache
def map_names() -> dict[str, str]:
    """ISO alpha-2 code -> the `name` of its outline on the map."""
    import pycountry

    names = json.loads(GEOJSON.read_text(encoding="utf-8"))
    result = {}
    for feature in names["features"]:
        name = feature["properties"]["name"]
        if name in WITHOUT_CODE:
            continue
        code = _ABBREVIATED.get(name) or pycountry.countries.lookup(name).alpha_2
        result[code] = name
    return result


@cache
def iso_numeric(alpha2: str) -> str | None:
    """The ISO 3166-1 numeric code (the M49 country code), e.g. "BF" -> "854"."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return country.numeric if country else None
