"""The API's request and response bodies as Pydantic models: errors, sheets and their
structured fields, and the query parameters of lists.

These models are the contract: spectree validates requests with them, checks and serialises
responses with them, and the OpenAPI document (/api/v1/openapi.json) is generated from them.
The structured fields of a sheet are built from `practices.fields.FIELDS` and the controlled
vocabularies, so a new field or vocabulary term shows up here without another edit; the
domain (`practices.sheets.Content.checked`) still has the last word on every value.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_serializer,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from practices.fields import FIELDS, FieldSpec
from practices.impacts import IMPACT_INDICATORS
from practices.models import SheetStatus
from practices.slugs import MAX_SLUG_LENGTH
from practices.vocab import vocabulary
from search.query import MAX_PER_PAGE, MAX_QUERY_CHARS, PER_PAGE, SORTS
from search.schema import DATABASE_FACETS, FACETS, SOURCES

# Text as the domain takes it (practices.text): no control characters but tab and line ends.
# Required text must hold something besides spaces, as Python's str.strip() counts them.
ALLOWED_CHARACTER = "[^\x00-\x08\x0b\x0c\x0e-\x1f]"
VISIBLE_CHARACTER = ("[^\x00-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
                     "\u3000]")
PLAIN_TEXT = f"^{ALLOWED_CHARACTER}*$"
REQUIRED_TEXT = f"^{ALLOWED_CHARACTER}*{VISIBLE_CHARACTER}{ALLOWED_CHARACTER}*$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_INTEGER = 2**31 - 1  # INTEGER columns (32 bits on PostgreSQL)
# practices.fields.URL_PATTERN and CURRENCY_PATTERN, as JSON Schema (ECMA) patterns.
# (and, as all text, no control characters: \x00-\x1f is left out of the address itself)
WEB_ADDRESS = (r"^\s*[hH][tT][tT][pP][sS]?://[^\s/$.?#\x00-\x1f][^\s\x00-\x1f]*\s*$")
CURRENCY = r"^\s*[a-zA-Z]{3}\s*$"


def text(max_length: int, *, min_length: int = 0, **extra) -> Any:
    pattern = REQUIRED_TEXT if min_length else PLAIN_TEXT
    return Annotated[str, Field(max_length=max_length, min_length=min_length or None,
                                pattern=extra.pop("pattern", pattern), **extra)]


def _json_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "Input should be a JSON number")
    return value


def strict(number: type, **limits) -> Any:
    """A JSON number: not "1" nor true for 1 (Pydantic's lax mode would take them), but 7.0
    for 7 (JSON Schema counts it as an integer)."""
    return Annotated[number, Field(**limits), BeforeValidator(_json_number)]  # this order:
    # the limits stay minimum/maximum in the JSON Schema


def codes_of(vocabulary_name: str) -> Any:
    """A Literal of the vocabulary's codes: an `enum` in the OpenAPI document."""
    return Literal[tuple(vocabulary(vocabulary_name).codes)]


# Errors --------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str = Field(description="A stable, machine-readable reason, e.g. `not_found`, "
                                  "`invalid_fields`, `stale_revision`, `rate_limited`.")
    message: str = Field(description="What went wrong, for people, in the request's language.")
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="For invalid input: the problem with each field or parameter, by name.")


class ErrorResponse(BaseModel):
    """Every error of the API has this shape."""

    error: ErrorBody


# Structured fields ---------------------------------------------------------------------


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citation: text(2_000) = ""
    url: text(500, pattern=WEB_ADDRESS) | None = None


Impact = strict(int, ge=-3, le=3)
IMPACTS_IN = create_model(
    "ImpactsIn", __config__=ConfigDict(extra="forbid"),
    **{name: (Impact | None, None) for name in IMPACT_INDICATORS})
Point = tuple[strict(float, ge=-180, le=180), strict(float, ge=-90, le=90)]


def _input_type(spec: FieldSpec) -> Any:
    if spec.kind == "codes":
        return list[codes_of(spec.vocabulary)]
    if spec.kind == "code":
        return codes_of(spec.vocabulary)
    if spec.kind in ("int", "float"):
        return strict(int if spec.kind == "int" else float, ge=spec.minimum, le=spec.maximum)
    if spec.kind == "points":
        return Annotated[list[Point], Field(max_length=50)]
    if spec.kind == "impacts":
        return IMPACTS_IN
    if spec.kind == "references":
        return Annotated[list[Reference], Field(max_length=60)]
    if spec.name == "source_url":
        return text(spec.max_length, pattern=WEB_ADDRESS)
    if spec.name == "cost_currency":
        return text(spec.max_length, pattern=CURRENCY)
    return text(spec.max_length)


def _output_type(spec: FieldSpec) -> Any:
    """Stored values as they are (a retired vocabulary code is still shown, not refused)."""
    return {"codes": list[str], "code": str, "int": int, "float": float,
            "points": list[tuple[float, float]], "impacts": dict[str, int],
            "references": list[Reference]}.get(spec.kind, str)


def _describe(spec: FieldSpec) -> str:
    words = [spec.label]
    if spec.unit:
        words.append(f"({spec.unit})")
    if spec.vocabulary:
        words.append(f"— codes of the `{spec.vocabulary}` vocabulary (GET /api/v1/vocabularies)")
    if spec.kind == "points":
        words.append("— points as [longitude, latitude]")
    return " ".join(words)


SheetFieldsIn = create_model(
    "SheetFieldsIn", __config__=ConfigDict(extra="forbid"),
    __doc__="The structured fields of a sheet (the infobox). Leave a field out to leave it "
            "empty.",
    **{spec.name: (_input_type(spec) | None, Field(None, description=_describe(spec)))
       for spec in FIELDS})
class _WithoutEmpty(BaseModel):
    @model_serializer(mode="wrap")
    def _leave_out_empty(self, handler):
        return {name: value for name, value in handler(self).items() if value is not None}


SheetFieldsOut = create_model(
    "SheetFields", __base__=_WithoutEmpty,
    __doc__="The structured fields of a sheet; empty fields are left out.",
    **{spec.name: (_output_type(spec) | None, Field(None, description=_describe(spec)))
       for spec in FIELDS})


# Sheets --------------------------------------------------------------------------------


class Author(BaseModel):
    name: str


class OrganizationRef(BaseModel):
    slug: str
    name: str


class RevisionSummary(BaseModel):
    number: int = Field(description="1 for the first save, then 2, 3 …; send the current one "
                                    "as `base_revision` when you update the sheet.")
    created_at: datetime
    author: Author | None
    edit_summary: str
    reverted_from: int | None = None


class PhotoSize(BaseModel):
    width: int
    url: str


class Photo(BaseModel):
    """One photo of a sheet's gallery (issue 16), in gallery order: the first is the cover."""

    url: str = Field(description="The photo (WebP, upright, without EXIF or location data)")
    width: int
    height: int
    sizes: list[PhotoSize] = Field(description="Narrower copies, for `srcset`")
    alt: str = Field(description="What the photo shows, for someone who cannot see it")
    caption: str = ""
    credit: str = Field("", description="The photographer, to be credited")
    license: str = Field(description="cc-by-4.0, cc-by-sa-4.0, cc-by-nc-sa-3.0, cc0-1.0 or "
                                     "all-rights-reserved")
    source_url: str | None = Field(None, description="Where an imported photo came from")


class RevisionDetail(RevisionSummary):
    title: str
    summary: str
    body: str = Field(description="Markdown")
    fields: SheetFieldsOut
    photos: list[Photo] = Field(default_factory=list, description="The gallery at this revision")


class Provenance(BaseModel):
    source: str = Field(description="local, wocat, teca or table")
    source_id: str | None
    source_url: str | None
    source_updated: datetime | None
    license: str
    attribution: str


class Highlight(BaseModel):
    title_html: str | None = None
    snippet_html: str | None = None


class PracticeSummary(BaseModel):
    slug: str
    title: str
    summary: str
    status: Literal[SheetStatus.ALL]
    language: str
    organization: OrganizationRef | None
    updated_at: datetime
    soc_change_t_c_ha_yr: float | None
    terms: dict[str, list[str]] = Field(
        description="The sheet's vocabulary codes by field (agro_climatic_zones, "
                    "practice_groups, countries, regions …).")
    highlight: Highlight | None = Field(None, description="With `q`: the words found, in "
                                                          "HTML with <mark>.")
    url: str = Field(description="This sheet in the API")
    html_url: str = Field(description="This sheet's page")


class PracticePage(BaseModel):
    items: list[PracticeSummary]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, dict[str, int]] = Field(
        description="For every facet, the number of matching sheets per code (counted as if "
                    "that facet's own filter were not set).")
    suggestion: str | None = Field(None, description="Did you mean …?")
    notice: Literal["rebuilding", "rebuilt", "behind"] | None = Field(
        None, description="`rebuilding`: the search index is being rebuilt and this answer "
                          "comes from the database (published sheets, words not searched); "
                          "`behind`: the index cannot be written (disk full, permissions), "
                          "so the latest changes may be missing")


class TranslationRef(BaseModel):
    slug: str
    language: str
    title: str
    url: str


class SheetDetail(BaseModel):
    slug: str
    title: str
    summary: str
    body: str = Field(description="Markdown")
    status: Literal[SheetStatus.ALL]
    needs_review: bool = Field(description="A published sheet whose latest edits wait for a "
                                           "moderator's look")
    language: str
    translation_of: str | None = Field(description="Slug of the sheet this one translates")
    translations: list[TranslationRef] = Field(
        description="The other language versions of this sheet that you may see")
    organization: OrganizationRef | None
    revision: RevisionSummary = Field(description="The current revision")
    fields: SheetFieldsOut
    photos: list[Photo] = Field(default_factory=list, description="The sheet's gallery, in "
                                "order; change it on the sheet's photos page")
    provenance: Provenance
    created_at: datetime
    updated_at: datetime
    url: str
    html_url: str


class RevisionPage(BaseModel):
    items: list[RevisionSummary]
    total: int
    page: int
    per_page: int
    pages: int


class SheetInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: text(200, min_length=1)
    summary: text(1_000) = Field("", description="One sentence that defines the practice")
    body: text(200_000) = Field("", description="Markdown")
    fields: SheetFieldsIn = Field(default_factory=SheetFieldsIn)
    slug: Annotated[str, Field(max_length=MAX_SLUG_LENGTH, pattern=SLUG)] | None = Field(
        None, description="The sheet's address; by default made from the title. Changing it "
                          "on update renames the sheet (the old address keeps redirecting).")
    edit_summary: text(300) = ""


EXAMPLE_SHEET = {
    "title": "Gliricidia hedgerows in maize fields",
    "summary": "Rows of Gliricidia sepium pruned into the maize as green manure.",
    "body": "## Description\nPlant the hedgerows 5 m apart …\n",
    "fields": {"practice_groups": ["agroforestry"], "agro_climatic_zones": ["sub-humid"],
               "countries": ["MW"], "land_use": ["cropland"], "soc_change_t_c_ha_yr": 0.4,
               "locations": [[35.3, -15.4]], "references": [{"citation": "Akinnifesi 2010"}]},
    "edit_summary": "First version",
}


class SheetCreate(SheetInput):
    """A new sheet. A contributor's is a draft (submit it for review); a moderator's is
    published at once."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_SHEET]})


class SheetUpdate(SheetInput):
    """The whole new content of the sheet (fields left out become empty)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {**EXAMPLE_SHEET, "edit_summary": "Added the results", "base_revision": 1}]})

    base_revision: strict(int, ge=1, le=MAX_INTEGER) = Field(
        description="The `revision.number` your edit started from. If someone saved since, "
                    "nothing is saved and the answer is 409 with the current revision.")


class Transition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: text(2_000) = Field("", description="Required to return a sheet to its authors")


class ConflictResponse(ErrorResponse):
    current_revision: RevisionDetail | None = Field(
        None, description="With `stale_revision`: the revision the sheet is at now")


# Queries -------------------------------------------------------------------------------


def _facet_codes(facet: str) -> tuple[str, ...]:
    if facet == "status":
        return SheetStatus.ALL
    if facet == "source":
        return SOURCES
    return vocabulary("languages" if facet == "language" else FACETS[facet]).codes


Unset = SkipJsonSchema[None]  # a query parameter is left out, never null
PageNumber = Annotated[int, Field(ge=1, le=10_000)]
PerPage = Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]

PracticeQuery = create_model(
    "PracticeQuery", __config__=ConfigDict(extra="forbid"),
    __doc__="The search page's parameters: words, facet filters (AND across facets, OR "
            "within one: repeat the parameter), sort and page.",
    q=(text(MAX_QUERY_CHARS * 5) | Unset, Field(None, description="Words to search for")),
    sort=(Literal[SORTS] | Unset, Field(None, description="Default: relevance with `q`, "
                                                         "else updated. `carbon`: by the IPCC "
                                                         "Tier 1 estimate (‰/yr) in the chosen "
                                                         "ipcc_climate_zone × soil")),
    meets_4_per_1000=(bool | Unset, Field(None, description="Only sheets whose IPCC Tier 1 "
                                                            "estimate reaches 4 ‰/yr in the "
                                                            "chosen ipcc_climate_zone × soil")),
    page=(PageNumber, 1),
    per_page=(PerPage, PER_PAGE),
    **{facet: (list[Literal[_facet_codes(facet)]] | Unset,
               Field(None, description=f"Codes of `{FACETS[facet]}`"))
       for facet in FACETS if facet not in DATABASE_FACETS},
    endorsed_by=(list[Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                                           max_length=80)]] | Unset,
                 Field(None, description="Slugs of colleges that endorse the sheet")))


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: PageNumber = 1
    per_page: PerPage = PER_PAGE


class LanguageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["en", "fr", "es"] | Unset = Field(
        None, description="Only this language's labels (default: en, fr and es)")
