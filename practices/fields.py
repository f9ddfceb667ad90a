"""The structured fields of a practice sheet: what each one holds and how it is checked.

One table of `FieldSpec`s drives the edit form, validation (for pages, API and importers
alike), the infobox and the diff. Messages are English templates marked with `N_` so that
the web layer can translate them.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from practices import carbon_levels, photos
from practices.impacts import IMPACT_INDICATORS
from practices.text import control_character, has_visible_character
from practices.vocab import vocabulary


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (the domain has no locale)."""
    return message


MAX_TITLE = 200
MAX_SUMMARY = 1_000
MAX_BODY = 200_000
MAX_SHORT_TEXT = 300
MAX_POINTS = 50
MAX_REFERENCES = 60


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text | longtext | code | codes | int | float | points | impacts | references
    section: str
    label: str
    vocabulary: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None
    help: str | None = None
    max_length: int = MAX_SHORT_TEXT


SECTIONS = (
    ("what", N_("The practice")),
    ("practice", N_("Classification")),
    ("where", N_("Where it works")),
    ("carbon", N_("Carbon (IPCC Tier 1)")),
    ("results", N_("Measured results")),
    ("costs", N_("Costs")),
    ("provenance", N_("Source and licence")),
)


CARBON_LEVELS_HELP = N_("One level per factor: for cropland its land use, tillage and input; "
                        "for grazing land its condition and, when improved, its input.")


def _codes(name, section, label, help=None):
    return FieldSpec(name, "codes", section, label, vocabulary=name, help=help)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("local_name", "text", "what", N_("Local name")),
    FieldSpec("language", "code", "what", N_("Language of this sheet"), vocabulary="languages"),
    FieldSpec("basis", "code", "what", N_("Basis"), vocabulary="basis",
              help=N_("Is the practice known from field experience, from science, or both?")),
    _codes("practice_groups", "practice", N_("Practice group"), N_("WOCAT SLM groups, at most 3")),
    _codes("measures", "practice", N_("Measures")),
    _codes("land_use", "practice", N_("Land use")),
    _codes("degradation_addressed", "practice", N_("Degradation addressed")),
    _codes("purposes", "practice", N_("Purposes")),
    _codes("agro_climatic_zones", "where", N_("Agro-climatic zone")),
    _codes("ipcc_climate_zones", "where", N_("IPCC climate zone")),
    _codes("ipcc_soil_classes", "where", N_("IPCC soil class")),
    _codes("soil_texture", "where", N_("Topsoil texture")),
    _codes("soil_depth", "where", N_("Soil depth")),
    _codes("topsoil_organic_matter", "where", N_("Topsoil organic matter")),
    _codes("altitude", "where", N_("Altitude")),
    _codes("slope", "where", N_("Slope")),
    FieldSpec("rainfall_mm_min", "int", "where", N_("Rainfall from"), minimum=0, maximum=15_000,
              unit="mm/yr"),
    FieldSpec("rainfall_mm_max", "int", "where", N_("Rainfall to"), minimum=0, maximum=15_000,
              unit="mm/yr"),
    _codes("countries", "where", N_("Countries")),
    FieldSpec("locations", "points", "where", N_("Locations"),
              help=N_("One point per line as latitude, longitude in decimal degrees, "
                      "e.g. 13.58, -2.37")),
    FieldSpec("carbon_land_use", "code", "carbon", N_("Land use of the estimate"),
              vocabulary="carbon_land_uses",
              help=N_("IPCC Tier 1 has default factors for cropland and grazing land only.")),
    FieldSpec("carbon_baseline", "codes", "carbon", N_("Management before the practice"),
              vocabulary="carbon_levels", help=CARBON_LEVELS_HELP),
    FieldSpec("carbon_practice", "codes", "carbon", N_("Management with the practice"),
              vocabulary="carbon_levels", help=CARBON_LEVELS_HELP),
    FieldSpec("carbon_note", "text", "carbon", N_("Note on the estimate"), max_length=500,
              help=N_("e.g. why the IPCC Tier 1 factors do not describe this practice")),
    FieldSpec("soc_change_t_c_ha_yr", "float", "results", N_("Soil organic carbon change"),
              minimum=-20, maximum=20, unit="t C/ha/yr"),
    FieldSpec("soc_baseline_t_c_ha", "float", "results", N_("SOC stock before"), minimum=0,
              maximum=2_000, unit="t C/ha"),
    FieldSpec("soc_depth_cm", "int", "results", N_("SOC measured to depth"), minimum=1,
              maximum=500, unit="cm"),
    FieldSpec("duration_years", "float", "results", N_("Duration of the trial"), minimum=0,
              maximum=500, unit=N_("years")),
    FieldSpec("yield_change_pct", "float", "results", N_("Yield change"), minimum=-100,
              maximum=1_000, unit="%"),
    FieldSpec("cost_establishment", "float", "costs", N_("Establishment cost"), minimum=0,
              maximum=1e9),
    FieldSpec("cost_maintenance", "float", "costs", N_("Maintenance cost per year"),
              minimum=0, maximum=1e9),
    FieldSpec("cost_currency", "text", "costs", N_("Currency"), max_length=3,
              help=N_("ISO 4217 code, e.g. USD, EUR, XOF")),
    FieldSpec("cost_unit", "text", "costs", N_("Costs per"), max_length=40,
              help=N_("e.g. ha, km of bund, 100 trees")),
    FieldSpec("impacts", "impacts", "results", N_("Impacts"),
              help=N_("From -3 (very negative) to +3 (very positive)")),
    FieldSpec("references", "references", "results", N_("References"),
              help=N_("One per line: the citation, then its DOI or URL if there is one")),
    FieldSpec("license", "code", "provenance", N_("Licence"), vocabulary="licenses"),
    FieldSpec("attribution", "text", "provenance", N_("Attribution"), max_length=1_000,
              help=N_("Who documented this practice and should be credited")),
    FieldSpec("source_url", "text", "provenance", N_("Source URL"), max_length=500),
)

FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}
FACET_FIELDS = tuple(spec.name for spec in FIELDS if spec.kind == "codes")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class FieldError:
    message: str
    params: Mapping[str, Any]


class InvalidFields(Exception):
    """Some fields did not pass validation; `errors` maps field name to FieldError."""

    def __init__(self, errors: dict[str, FieldError]):
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


def error(message: str, **params) -> FieldError:
    return FieldError(message, params)


def clean_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise structured fields; raise InvalidFields listing every problem.

    Unknown keys are ignored; empty values are dropped so that a revision stores only what
    the sheet says.
    """
    cleaned, errors = {}, {}
    for spec in FIELDS:
        if spec.name not in raw or _is_empty(raw[spec.name]):
            continue
        try:
            cleaned[spec.name] = CLEANERS[spec.kind](spec, raw[spec.name])
        except _Invalid as problem:
            errors[spec.name] = problem.error
    _check_ranges_agree(cleaned, errors)
    errors.update(carbon_level_errors(cleaned, skip=errors))
    _clean_gallery(raw, cleaned, errors)
    if errors:
        raise InvalidFields(errors)
    return cleaned


def _clean_gallery(raw: Mapping[str, Any], cleaned: dict[str, Any],
                   errors: dict[str, FieldError]) -> None:
    """The photos (issue 16): kept apart from FIELDS, as the gallery has its own page."""
    if _is_empty(raw.get("photos")):
        return
    try:
        cleaned["photos"] = photos.clean_entries(raw["photos"])
    except photos.PhotoError as problem:
        errors["photos"] = FieldError(problem.message, problem.params)


def text_error(value: str) -> FieldError | None:
    """The problem with a piece of text that no database or export should hold, if any."""
    char = control_character(value)
    if char is None:
        return None
    return error(N_("Remove the invisible control character %(char)s from this text."),
                 char=char)


def check_text(title: str, summary: str, body: str) -> dict[str, FieldError]:
    errors = {}
    if not has_visible_character(title):
        errors["title"] = error(N_("A sheet needs a title."))
    elif len(title) > MAX_TITLE:
        errors["title"] = error(N_("At most %(n)d characters."), n=MAX_TITLE)
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = error(N_("At most %(n)d characters."), n=MAX_SUMMARY)
    if len(body) > MAX_BODY:
        errors["body"] = error(N_("At most %(n)d characters."), n=MAX_BODY)
    for name, value in (("title", title), ("summary", summary), ("body", body)):
        if name not in errors and (problem := text_error(value)):
            errors[name] = problem
    return errors


class _Invalid(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.error = FieldError(message, params)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple | dict) and not value)


def _clean_text(spec: FieldSpec, value: Any) -> str:
    text = _checked_text(str(value).strip())
    if len(text) > spec.max_length:
        raise _Invalid(N_("At most %(n)d characters."), n=spec.max_length)
    if spec.name == "cost_currency":
        text = text.upper()
        if not CURRENCY_PATTERN.match(text):
            raise _Invalid(N_("Use a three-letter ISO 4217 code such as USD."))
    if spec.name == "source_url" and not URL_PATTERN.match(text):
        raise _Invalid(N_("Enter a web address starting with http:// or https://."))
    return text


def _checked_text(text: str) -> str:
    if problem := text_error(text):
        raise _Invalid(problem.message, **problem.params)
    return text


def _clean_code(spec: FieldSpec, value: Any) -> str:
    code = str(value).strip()
    if code not in vocabulary(spec.vocabulary):
        raise _Invalid(N_("Unknown value: %(value)s."), value=code)
    return code


def _clean_codes(spec: FieldSpec, value: Any) -> list[str]:
    codes = [value] if isinstance(value, str) else list(value)
    vocab = vocabulary(spec.vocabulary)
    unknown = [str(code) for code in codes if code not in vocab]
    if unknown:
        raise _Invalid(N_("Unknown value: %(value)s."), value=", ".join(unknown))
    unique = list(dict.fromkeys(codes))
    if vocab.max_items and len(unique) > vocab.max_items:
        raise _Invalid(N_("Choose at most %(n)d."), n=vocab.max_items)
    order = {term.code: position for position, term in enumerate(vocab)}
    return sorted(unique, key=order.__getitem__)


def _clean_number(spec: FieldSpec, value: Any) -> float | int:
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else value
        number = float(number)
    except (TypeError, ValueError):
        raise _Invalid(N_("Enter a number.")) from None
    if not math.isfinite(number):
        raise _Invalid(N_("Enter a number."))
    if spec.kind == "int":
        if number != int(number):
            raise _Invalid(N_("Enter a whole number."))
        number = int(number)
    if not spec.minimum <= number <= spec.maximum:
        raise _Invalid(N_("Enter a value from %(min)s to %(max)s."),
                       min=_plain(spec.minimum), max=_plain(spec.maximum))
    return number


def _clean_points(spec: FieldSpec, value: Any) -> list[list[float]]:
    points = list(value)
    if len(points) > MAX_POINTS:
        raise _Invalid(N_("At most %(n)d points."), n=MAX_POINTS)
    cleaned = []
    for point in points:
        try:
            lon, lat = (float(coordinate) for coordinate in point)
        except (TypeError, ValueError):
            raise _Invalid(N_("Each point needs a latitude and a longitude.")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _Invalid(N_("Latitude must be within ±90 and longitude within ±180 "
                              "(got %(lat)s, %(lon)s)."), lat=_plain(lat), lon=_plain(lon))
        cleaned.append([round(lon, 6), round(lat, 6)])
    return cleaned


def _clean_impacts(spec: FieldSpec, value: Any) -> dict[str, int]:
    cleaned = {}
    for indicator, score in dict(value).items():
        if indicator not in IMPACT_INDICATORS:
            raise _Invalid(N_("Unknown impact indicator: %(value)s."), value=indicator)
        if _is_empty(score):
            continue
        try:
            number = int(score)
        except (TypeError, ValueError):
            raise _Invalid(N_("Impacts are whole numbers from -3 to +3.")) from None
        if not -3 <= number <= 3:
            raise _Invalid(N_("Impacts are whole numbers from -3 to +3."))
        cleaned[indicator] = number
    return {key: cleaned[key] for key in IMPACT_INDICATORS if key in cleaned}


def _clean_references(spec: FieldSpec, value: Any) -> list[dict[str, str]]:
    references = list(value)
    if len(references) > MAX_REFERENCES:
        raise _Invalid(N_("At most %(n)d references."), n=MAX_REFERENCES)
    cleaned = []
    for reference in references:
        reference = {"citation": reference} if isinstance(reference, str) else dict(reference)
        citation = _checked_text(str(reference.get("citation") or "").strip())
        url = _checked_text(str(reference.get("url") or "").strip())
        if not citation and not url:
            continue
        if len(citation) > 2_000:
            raise _Invalid(N_("A citation has at most %(n)d characters."), n=2_000)
        if url and not URL_PATTERN.match(url):
            raise _Invalid(N_("Not a web address: %(value)s."), value=url)
        cleaned.append({"citation": citation, "url": url} if url else {"citation": citation})
    return cleaned


CLEANERS = {
    "text": _clean_text,
    "code": _clean_code,
    "codes": _clean_codes,
    "int": _clean_number,
    "float": _clean_number,
    "points": _clean_points,
    "impacts": _clean_impacts,
    "references": _clean_references,
}


def _check_ranges_agree(cleaned: dict[str, Any], errors: dict[str, FieldError]) -> None:
    low, high = cleaned.get("rainfall_mm_min"), cleaned.get("rainfall_mm_max")
    if low is not None and high is not None and low > high:
        errors["rainfall_mm_max"] = error(N_("The upper bound is below the lower bound."))


def carbon_level_errors(fields: Mapping[str, Any], skip: Iterable[str] = ()) -> dict[
        str, FieldError]:
    """Whether the baseline and practice levels make sense for their land use: one level
    per factor group, each a level of that land use (the estimator's own rules)."""
    skip = set(skip)
    names = [name for name in ("carbon_baseline", "carbon_practice") if name not in skip]
    if not any(fields.get(name) for name in names):
        return {}
    land_use = fields.get("carbon_land_use")
    if land_use is None:
        if "carbon_land_use" in skip:
            return {}
        return {"carbon_land_use": error(N_("Choose the land use these levels are for."))}
    errors = {}
    for name in names:
        if not fields.get(name):
            errors[name] = error(N_("Give the management both before and with the practice."))
            continue
        try:
            carbon_levels.management(land_use, fields[name], field=name)
        except carbon_levels.EstimateError as invalid:
            errors[name] = FieldError(invalid.template, invalid.params)
    return errors


def _plain(number: float) -> str:
    return f"{number:g}"


def facet_values(fields: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Every (facet, code) pair a sheet carries, for the side table and the index."""
    for name in FACET_FIELDS:
        for code in fields.get(name, ()):
            yield name, code
