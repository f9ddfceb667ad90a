"""Import runs and import requests (administrators)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from wiki.api.schemas.sheets import text


class ImportRunOut(BaseModel):
    id: int
    kind: str
    source: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    total: int | None
    counts: dict[str, int]
    message: str


class ImportRunPage(BaseModel):
    items: list[ImportRunOut]
    total: int
    page: int
    per_page: int
    pages: int


class ImportRecordOut(BaseModel):
    position: int
    key: str
    title: str
    outcome: str
    reason: str
    notes: list[str]
    sheet: str | None = Field(description="Slug of the sheet the record wrote or met")
    undone: bool


class ImportRecordPage(BaseModel):
    items: list[ImportRecordOut]
    total: int
    page: int
    per_page: int
    pages: int


class ImportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = Field(False, description="Only report what would happen")
    source: text(200) = Field("", description="A label for the run (e.g. the file's name)")


class ImportBody(RootModel[dict[str, Any] | list[Any]]):
    """WOCAT records (one, a list, or a list page) or a practice-wiki JSON export."""


class ImportResultOut(BaseModel):
    key: str
    title: str
    outcome: str
    reason: str
    notes: list[str]


class ImportReport(BaseModel):
    """What an import would do (a dry run: nothing was written)."""

    kind: str
    counts: dict[str, int]
    error: str
    results: list[ImportResultOut] = Field(description="Record by record (the first 1000)")
