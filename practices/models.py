"""Database tables. The database is the source of truth; the search index derives from it.

Revisions are append-only rows; a sheet points at its current one and keeps a copy of the
current structured values (and side rows for multi-valued ones) so that lists and filters
read them without unpacking JSON.
"""

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC; SQLModel's UTCDateTime stores it the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC)


class SheetStatus:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    ALL = (DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED)


class Role:
    READER = "reader"
    CONTRIBUTOR = "contributor"
    MODERATOR = "moderator"
    ADMIN = "admin"
    ALL = (READER, CONTRIBUTOR, MODERATOR, ADMIN)


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default="ngo", max_length=20)
    country: str | None = Field(default=None, max_length=2)
    website: str | None = Field(default=None, max_length=300)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Accounts and review (issue 3): flag contributors' edits to published sheets for review;
    # a merged organisation points at the one that absorbed its members and sheets.
    review_edits: bool = Field(default=False)
    merged_into_id: int | None = Field(default=None, foreign_key="organizations.id")
    # Profile ("stand", issue 14): kept current here; every change is an OrganizationRevision.
    standing: str | None = Field(default=None, max_length=40, index=True)
    description: str = Field(default="", sa_type=Text)
    locations: list[list[float]] = Field(default_factory=list,
                                         sa_column=Column(JSON, nullable=False))
    # No foreign key: uploads -> users -> organizations would make a cycle of foreign keys.
    logo_upload_id: int | None = Field(default=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=300)
    role: str = Field(default=Role.CONTRIBUTOR, max_length=20)
    organization_id: int | None = Field(default=None, foreign_key="organizations.id")
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    # A registration waiting for an admin's or moderator's approval (then `active` is False).
    pending: bool = Field(default=False)
    # Part of the session cookie's user id: changing it (new password, deactivation) signs out
    # every session and "remember me" cookie issued before.
    session_token: str = Field(default_factory=new_session_token, max_length=64)

    @property
    def deactivated(self) -> bool:
        return not self.active and not self.pending


class Sheet(SQLModel, table=True):
    __tablename__ = "sheets"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    status: str = Field(default=SheetStatus.PUBLISHED, max_length=20, index=True)
    # No foreign key: sheets and revisions point at each other, and the pointer is only ever
    # set by practices.sheets in the same transaction as the revision it names.
    current_revision_id: int | None = Field(default=None)
    language: str = Field(default="en", max_length=8, index=True)
    translation_of_id: int | None = Field(default=None, foreign_key="sheets.id")
    organization_id: int | None = Field(default=None, foreign_key="organizations.id", index=True)

    # Current values, copied from the current revision for lists and filters.
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=Text)
    basis: str | None = Field(default=None, max_length=20)
    soc_change_t_c_ha_yr: float | None = Field(default=None)
    yield_change_pct: float | None = Field(default=None)
    region: str | None = Field(default=None, max_length=40)

    # Provenance.
    source: str = Field(default="local", max_length=20)
    source_id: str | None = Field(default=None, max_length=120, unique=True)
    source_url: str | None = Field(default=None, max_length=500)
    source_updated: datetime | None = Field(default=None)
    license: str = Field(default="cc-by-4.0", max_length=40)
    attribution: str = Field(default="", sa_type=Text)

    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    deleted_at: datetime | None = Field(default=None, index=True)
    # Set when a contributor's edit to a published sheet awaits a moderator's look (issue 3).
    needs_review: bool = Field(default=False, index=True)
    # The first photo of the current revision's gallery (practices.photos.cover), for result
    # cards and the map: {file, width, height, widths, alt}; None without photos (issue 16).
    cover_photo: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Revision(SQLModel, table=True):
    """One immutable save of a sheet: a full snapshot of its text and structured fields."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("sheet_id", "number", name="uq_revision_number"),)

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    number: int
    author_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    edit_summary: str = Field(default="", max_length=300)
    base_revision_id: int | None = Field(default=None)
    reverted_from: int | None = Field(default=None)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class SheetTerm(SQLModel, table=True):
    """A vocabulary value a sheet currently carries: one row per (facet, code)."""

    __tablename__ = "sheet_terms"
    __table_args__ = (Index("ix_sheet_terms_facet_code", "facet", "code"),)

    sheet_id: int = Field(foreign_key="sheets.id", primary_key=True)
    facet: str = Field(max_length=40, primary_key=True)
    code: str = Field(max_length=40, primary_key=True)


class SlugRedirect(SQLModel, table=True):
    """An old slug of a renamed sheet, so that old links keep working."""

    __tablename__ = "slug_redirects"

    old_slug: str = Field(max_length=120, primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class ChangeLogEntry(SQLModel, table=True):
    """Appended in the same transaction as every change to a sheet; drives the search index."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    kind: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class Upload(SQLModel, table=True):
    """An image uploaded for use in sheet bodies. Its bytes live in the upload store under
    their sha256 (`sha256` is empty for files still in UPLOAD_DIR from before issue 12)."""

    __tablename__ = "uploads"

    id: int | None = Field(default=None, primary_key=True)
    stored_name: str = Field(max_length=80, unique=True)
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=80)
    size: int
    uploader_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    sha256: str | None = Field(default=None, max_length=64, index=True)


class UploadBlob(SQLModel, table=True):
    """The bytes of one uploaded file, stored once however many uploads share them."""

    __tablename__ = "upload_blobs"

    sha256: str = Field(max_length=64, primary_key=True)
    size: int
    created_at: datetime = Field(default_factory=utcnow)


class UploadChunk(SQLModel, table=True):
    """One slice of a blob: files are written and read a chunk at a time, never whole."""

    __tablename__ = "upload_chunks"

    sha256: str = Field(max_length=64, foreign_key="upload_blobs.sha256", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class College(SQLModel, table=True):
    """A group of members across organisations (research, NGOs, farmers, funders, ...)."""

    __tablename__ = "colleges"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    active: bool = Field(default=True)
    merged_into_id: int | None = Field(default=None, foreign_key="colleges.id")
    created_at: datetime = Field(default_factory=utcnow)


class CollegeMembership(SQLModel, table=True):
    """A user belongs to one or more colleges."""

    __tablename__ = "college_members"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    college_id: int = Field(foreign_key="colleges.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who did what, when and why: review transitions, approvals, role changes, merges."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=40, index=True)
    target_type: str = Field(max_length=20)
    target_id: int | None = Field(default=None)
    reason: str = Field(default="", sa_type=Text)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ApiToken(SQLModel, table=True):
    """A personal token for scripts; only a keyed hash of it is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)


# Imports (issue 5): what each import run did, record by record, and what it is waiting on. --


class ImportRunStatus:
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"  # stopped by an error that concerns the whole run (401, unreadable file)
    INTERRUPTED = "interrupted"  # Ctrl-C or a crash: whole records only; run again to finish
    UNDONE = "undone"


class ImportRun(SQLModel, table=True):
    """One run of an importer (WOCAT, spreadsheet, our own JSON export)."""

    __tablename__ = "import_runs"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # wocat | table | json
    source: str = Field(default="", max_length=500)  # file name or URL, never a token
    status: str = Field(default=ImportRunStatus.RUNNING, max_length=20, index=True)
    started_by_id: int | None = Field(default=None, foreign_key="users.id")
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = Field(default=None)
    total: int | None = Field(default=None)  # records expected, when the source says
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message: str = Field(default="", sa_type=Text)
    undone_at: datetime | None = Field(default=None)
    undone_by_id: int | None = Field(default=None, foreign_key="users.id")
    # Which process runs it, and when it last wrote a record: a run whose process is gone
    # is shown as interrupted, not running (practices.importers.liveness).
    host: str | None = Field(default=None, max_length=255)
    pid: int | None = Field(default=None)
    heartbeat_at: datetime | None = Field(default=None)


class ImportRecord(SQLModel, table=True):
    """What a run did with one incoming record: created, updated, unchanged, conflict, rejected."""

    __tablename__ = "import_records"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="import_runs.id", index=True)
    position: int = Field(default=0)
    key: str = Field(default="", max_length=200)  # source_id, or the row/slug for tables
    title: str = Field(default="", max_length=200)
    outcome: str = Field(max_length=20, index=True)
    reason: str = Field(default="", sa_type=Text)
    notes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sheet_id: int | None = Field(default=None, foreign_key="sheets.id", index=True)
    revision_id: int | None = Field(default=None)  # the revision this record wrote
    previous_revision_id: int | None = Field(default=None)  # current before an update
    previous_link: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    undone: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class SourceLink(SQLModel, table=True):
    """What the wiki last took from a source record, to tell source changes from local edits."""

    __tablename__ = "source_links"

    sheet_id: int = Field(foreign_key="sheets.id", primary_key=True)
    revision_id: int | None = Field(default=None)  # the revision holding that content
    fingerprint: str = Field(default="", max_length=64)  # of the content the source gave
    source_updated: datetime | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow)


class PendingRevision(SQLModel, table=True):
    """An incoming version that met a local edit: kept aside until an editor decides."""

    __tablename__ = "pending_revisions"

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    import_record_id: int | None = Field(default=None, foreign_key="import_records.id")
    base_revision_id: int | None = Field(default=None)  # what the source gave last time
    status: str = Field(default="pending", max_length=20, index=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fingerprint: str = Field(default="", max_length=64)
    source_updated: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None)



# Discussions and endorsements (issue 6) ---------------------------------------------------


class Thread(SQLModel, table=True):
    """A discussion about a sheet; restricted to one college's members when college_id is set."""

    __tablename__ = "threads"

    id: int | None = Field(default=None, primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    title: str = Field(max_length=200)
    college_id: int | None = Field(default=None, foreign_key="colleges.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_activity_at: datetime = Field(default_factory=utcnow, index=True)
    resolved_at: datetime | None = Field(default=None)
    resolved_by_id: int | None = Field(default=None, foreign_key="users.id")


class Comment(SQLModel, table=True):
    """One message of a thread. Edits keep the earlier text; hiding is reversible."""

    __tablename__ = "comments"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="threads.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="comments.id")
    author_id: int | None = Field(default=None, foreign_key="users.id")
    body: str = Field(sa_type=Text)
    quote: str = Field(default="", sa_type=Text)  # a passage of the sheet it answers
    revision_number: int | None = Field(default=None)  # "this refers to revision N"
    created_at: datetime = Field(default_factory=utcnow)
    edited_at: datetime | None = Field(default=None)
    hidden_at: datetime | None = Field(default=None)
    hidden_by_id: int | None = Field(default=None, foreign_key="users.id")
    hidden_reason: str = Field(default="", max_length=300)


class CommentVersion(SQLModel, table=True):
    """The text a comment had before an edit."""

    __tablename__ = "comment_versions"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comments.id", index=True)
    body: str = Field(sa_type=Text)
    written_at: datetime


class CommentReport(SQLModel, table=True):
    """A reader asks the moderators to look at a comment."""

    __tablename__ = "comment_reports"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comments.id", index=True)
    reporter_id: int = Field(foreign_key="users.id")
    reason: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: datetime | None = Field(default=None)


class Endorsement(SQLModel, table=True):
    """A college stands behind one revision of a published sheet."""

    __tablename__ = "endorsements"

    id: int | None = Field(default=None, primary_key=True)
    college_id: int = Field(foreign_key="colleges.id", index=True)
    sheet_id: int = Field(foreign_key="sheets.id", index=True)
    revision_id: int = Field(foreign_key="revisions.id")
    revision_number: int
    statement: str = Field(max_length=500)
    endorsed_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = Field(default=None)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="users.id")


# Watching and notifications (issue 6) ----------------------------------------------------


class WatchTarget:
    SHEET = "sheet"
    THREAD = "thread"
    COLLEGE = "college"
    ALL = (SHEET, THREAD, COLLEGE)


class Watch(SQLModel, table=True):
    """A user follows a sheet, a discussion thread or a college."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "target", "target_id", name="uq_watch"),
                      Index("ix_watches_target", "target", "target_id"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    target: str = Field(max_length=20)
    target_id: int
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """One event, told to one user: shown in the app, in their feed, and maybe e-mailed."""

    __tablename__ = "notifications"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    event: str = Field(max_length=30)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    sheet_id: int | None = Field(default=None, foreign_key="sheets.id")
    # Threads, comments and colleges are referred to by id only, so that this table does not
    # depend on the discussion tables' migration order.
    thread_id: int | None = Field(default=None)
    comment_id: int | None = Field(default=None)
    college_id: int | None = Field(default=None)
    revision_number: int | None = Field(default=None)
    excerpt: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = Field(default=None)
    emailed_at: datetime | None = Field(default=None)


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class NotificationSettings(SQLModel, table=True):
    """Per user: whether to get e-mails, and the secret key of their private Atom feed."""

    __tablename__ = "notification_settings"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    email: bool = Field(default=True)
    feed_key: str = Field(default_factory=new_feed_key, max_length=64, unique=True, index=True)


class RenderedRevision(SQLModel, table=True):
    """A revision's body as HTML, kept because revisions never change and rendering a large
    body costs seconds. `source_key` is a digest of what the HTML was made from (the version
    of the rendering code and the body), `links_key` of what its wiki links showed (which
    targets the reader may see, their titles and addresses): a reader never gets HTML made
    for someone who may see more. Disposable: rows may be deleted at any time."""

    __tablename__ = "rendered_revisions"
    __table_args__ = (UniqueConstraint("revision_id", "source_key", "links_key",
                                       name="uq_rendered_revision"),)

    id: int | None = Field(default=None, primary_key=True)
    # By id only (no foreign key): a cache must never stand in the way of what it caches.
    revision_id: int = Field(index=True)
    source_key: str = Field(max_length=64)
    links_key: str = Field(max_length=64)
    html: str = Field(default="", sa_type=Text)
    toc: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# Organisation profiles and measures (issue 14) --------------------------------------------


class OrganizationCollege(SQLModel, table=True):
    """An organisation takes part in a college (its profile lists it; the directory filters)."""

    __tablename__ = "organization_colleges"

    organization_id: int = Field(foreign_key="organizations.id", primary_key=True)
    college_id: int = Field(foreign_key="colleges.id", primary_key=True, index=True)


class OrganizationManager(SQLModel, table=True):
    """A user who may edit this organisation's profile and measures (granted by an admin or
    moderator)."""

    __tablename__ = "organization_managers"

    organization_id: int = Field(foreign_key="organizations.id", primary_key=True)
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)
    granted_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class OrganizationRevision(SQLModel, table=True):
    """One save of an organisation's profile: a snapshot of every profile field."""

    __tablename__ = "organization_revisions"
    __table_args__ = (UniqueConstraint("organization_id", "number",
                                       name="uq_organization_revision_number"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organizations.id", index=True)
    number: int
    author_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    edit_summary: str = Field(default="", max_length=300)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reverted_from: int | None = Field(default=None)  # the revision a revert brought back


class MeasureState:
    """Publication of a measure: the same workflow as sheets."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ALL = (DRAFT, IN_REVIEW, PUBLISHED)


class Measure(SQLModel, table=True):
    """Where an organisation applies practices in the field, with its IPCC Tier 1 estimate."""

    __tablename__ = "measures"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organizations.id", index=True)
    title: str = Field(max_length=200)
    state: str = Field(default=MeasureState.DRAFT, max_length=20, index=True)
    status: str = Field(default="ongoing", max_length=20)  # planned | ongoing | completed
    country: str | None = Field(default=None, max_length=2, index=True)
    locations: list[list[float]] = Field(default_factory=list,
                                         sa_column=Column(JSON, nullable=False))
    # The area drawn on the map (issue 14): the coordinates of a GeoJSON Polygon, one closed
    # ring of [lon, lat] (practices.areas), or None.
    boundary: list[list[list[float]]] | None = Field(default=None,
                                                    sa_column=Column(JSON, nullable=True))
    area_ha: float | None = Field(default=None)
    start_year: int | None = Field(default=None)
    end_year: int | None = Field(default=None)
    # Management in the estimator's terms (practices.carbon), baseline -> practice.
    land_use: str | None = Field(default=None, max_length=20)
    climate_zone: str | None = Field(default=None, max_length=40)
    soil_class: str | None = Field(default=None, max_length=40)
    baseline: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    practice: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    edition: str = Field(default="2019", max_length=8)
    # Measured soil organic carbon, when the organisation has it.
    soc_baseline_t_c_ha: float | None = Field(default=None)
    soc_change_t_c_ha_yr: float | None = Field(default=None)
    soc_depth_cm: float | None = Field(default=None)
    soc_years: float | None = Field(default=None)
    soc_method: str = Field(default="", max_length=300)
    # The estimate, recomputed on every save (None: no IPCC default or not enough data).
    estimated_t_c_ha_yr: float | None = Field(default=None)
    estimated_per_mille_yr: float | None = Field(default=None)
    estimated_t_c_yr: float | None = Field(default=None)
    estimate_note: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    deleted_at: datetime | None = Field(default=None, index=True)  # deletes are soft

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class MeasureSheet(SQLModel, table=True):
    """A practice sheet a measure applies."""

    __tablename__ = "measure_sheets"

    measure_id: int = Field(foreign_key="measures.id", primary_key=True)
    sheet_id: int = Field(foreign_key="sheets.id", primary_key=True, index=True)


class MeasureRevision(SQLModel, table=True):
    """One save of a measure: a snapshot of its fields."""

    __tablename__ = "measure_revisions"
    __table_args__ = (UniqueConstraint("measure_id", "number", name="uq_measure_revision_number"),)

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measures.id", index=True)
    number: int
    author_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    edit_summary: str = Field(default="", max_length=300)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reverted_from: int | None = Field(default=None)  # the revision a revert brought back
