"""Vocabularies, organisations, colleges and the caller's account, as the API shows them."""

from pydantic import BaseModel

from wiki.api.schemas.sheets import OrganizationRef


class TermOut(BaseModel):
    code: str
    labels: dict[str, str]
    parent: str | None
    descriptions: dict[str, str]


class VocabularyOut(BaseModel):
    labels: dict[str, str]
    multiple: bool
    max_items: int | None
    terms: list[TermOut]


class VocabularyList(BaseModel):
    vocabularies: dict[str, VocabularyOut]


class SheetRef(BaseModel):
    slug: str
    title: str
    status: str
    url: str


class OrganizationOut(BaseModel):
    slug: str
    name: str
    kind: str
    country: str | None
    website: str | None
    active: bool
    members: int
    standing: str | None = None
    colleges: list[str] = []
    locations: list[list[float]] = []


class OrganizationDetail(OrganizationOut):
    sheets: list[SheetRef]
    description: str = ""
    measures_url: str = ""


class OrganizationList(BaseModel):
    items: list[OrganizationOut]


class CollegeOut(BaseModel):
    slug: str
    name: str
    description: str
    active: bool
    members: int


class CollegeDetail(CollegeOut):
    sheets: list[SheetRef]


class CollegeList(BaseModel):
    items: list[CollegeOut]


class Me(BaseModel):
    id: int
    name: str
    role: str
    organization: OrganizationRef | None
