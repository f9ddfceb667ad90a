"""Discussion threads and comments of a sheet."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from wiki.api.schemas.sheets import MAX_INTEGER, SLUG, Author, strict, text


class CollegeRef(BaseModel):
    slug: str
    name: str


class CommentOut(BaseModel):
    id: int
    author: Author | None
    body: str = Field(description="Markdown; empty when the comment is hidden (moderators "
                                  "still see it)")
    quote: str = Field(description="The passage of the sheet it answers")
    revision_number: int | None = Field(description="The revision it refers to")
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    replies: list["CommentOut"] = Field(default_factory=list)


class ThreadSummaryOut(BaseModel):
    id: int
    title: str
    college: CollegeRef | None = Field(description="Set when only this college's members "
                                                   "(and moderators) see the thread")
    author: Author | None
    created_at: datetime
    last_activity_at: datetime
    resolved: bool
    comment_count: int
    url: str


class ThreadList(BaseModel):
    items: list[ThreadSummaryOut]


class ThreadDetail(ThreadSummaryOut):
    comments: list[CommentOut] = Field(description="Top-level comments in order, each with "
                                                   "its replies")


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: text(20_000, min_length=1) = Field(description="Markdown; @handle mentions a member")
    parent_id: strict(int, ge=1, le=MAX_INTEGER) | None = Field(None,
                                  description="The comment this one answers")
    quote: text(2_000) = ""
    revision_number: strict(int, ge=1, le=MAX_INTEGER) | None = None


class ThreadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: text(200, min_length=1)
    body: text(20_000, min_length=1) = Field(description="The first comment (Markdown)")
    college: Annotated[str, Field(max_length=80, pattern=SLUG)] | None = Field(
        None, description="Restrict the thread to this college (you must be a member)")
    quote: text(2_000) = ""
    revision_number: strict(int, ge=1, le=MAX_INTEGER) | None = None
