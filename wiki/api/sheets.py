"""Practice sheets through the API: search and list, detail (with ETag), revisions, create,
update (with `base_revision`), and the review transitions."""

import hashlib

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import func, or_, select

from practices import editing, gallery, policy, sheets, workflow
from practices.fields import InvalidFields
from practices.models import Organization, Revision, Sheet, SheetTerm, User
from practices.paging import page_count
from search import InvalidSearch, SearchRequest
from wiki import search_views
from wiki.api import bp, paging
from wiki.api.errors import ApiError
from wiki.api.schemas import (
    Author,
    ConflictResponse,
    Highlight,
    OrganizationRef,
    PageQuery,
    Photo,
    PhotoSize,
    PracticePage,
    PracticeQuery,
    PracticeSummary,
    Provenance,
    RevisionDetail,
    RevisionPage,
    RevisionSummary,
    SheetCreate,
    SheetDetail,
    SheetUpdate,
    Transition,
    TranslationRef,
)
from wiki.api.spec import WRITE_ERRORS, api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session
from wiki.photos import photo_url

TAGS = ("practices",)


# Search and list -----------------------------------------------------------------------


def _search_page():
    try:
        search_request = SearchRequest.from_params(request.args.to_dict(flat=False),
                                                   strict=True)
    except InvalidSearch as invalid:
        raise ApiError(400, str(invalid), code="invalid_parameters",
                       fields={invalid.field: str(invalid)} if invalid.field else None) from None
    user = acting_user()
    result = search_views.run_search(search_request, user)
    visible = _visible(result.hits, user)
    terms = _terms([sheet.id for _hit, sheet in visible])
    organizations = _organizations({sheet.organization_id for _hit, sheet in visible})
    items = []
    for hit, sheet in visible:
        highlight = None
        if hit.title_html or hit.snippet_html:
            highlight = Highlight(title_html=hit.title_html, snippet_html=hit.snippet_html)
        items.append(PracticeSummary(
            slug=sheet.slug, title=sheet.title, summary=sheet.summary, status=sheet.status,
            language=sheet.language, organization=organizations.get(sheet.organization_id),
            updated_at=sheet.updated_at, soc_change_t_c_ha_yr=sheet.soc_change_t_c_ha_yr,
            terms=terms.get(sheet.id, {}), highlight=highlight, **_urls(sheet)))
    per_page = search_request.per_page
    body = PracticePage(items=items, total=result.total, page=result.page, per_page=per_page,
                        pages=page_count(result.total, per_page),
                        facets=result.counts, suggestion=result.suggestion,
                        notice=result.notice)
    return body, 200, {"Link": paging.link_header(result.total, result.page, per_page)}


def _visible(hits, user) -> list[tuple]:
    """(hit, sheet) for the hits whose sheets the user may see, checked once more against
    the policy (the index may lag a moment behind a sheet that just became a draft)."""
    ids = [hit.sheet_id for hit in hits]
    if not ids:
        return []
    rows = {sheet.id: sheet for sheet in get_session().exec(select(Sheet).where(
        Sheet.id.in_(ids)))}
    return [(hit, rows[hit.sheet_id]) for hit in hits if hit.sheet_id in rows
            and not rows[hit.sheet_id].is_deleted and policy.can_view(user, rows[hit.sheet_id])]


@bp.get("/practices")
@api_spec.validate(query=PracticeQuery, resp=responses({200: PracticePage}, 400),
                   tags=TAGS, operation_id="listPractices", validation_error_status=400)
def list_practices():
    """List and search practice sheets

    The search page's filters and facets: `q` (words, in any language), one parameter per
    facet (repeat it for OR; different facets AND), `sort`, `page` and `per_page`. Anonymous
    callers see published sheets; members also their own and their organisation's drafts.
    """
    return _search_page()


@bp.get("/search")
@api_spec.validate(query=PracticeQuery, resp=responses({200: PracticePage}, 400),
                   tags=TAGS, operation_id="searchPractices", validation_error_status=400)
def search_practices():
    """Search practice sheets (the same as GET /practices)"""
    return _search_page()


# One sheet -----------------------------------------------------------------------------


def load(slug: str, action: str = "view") -> Sheet:
    """The sheet, if the caller may see it (404 otherwise) and may do `action` (401/403)."""
    sheet, _redirected = sheets.find(get_session(), slug)
    user = acting_user()
    if sheet is None or not policy.can_view(user, sheet):
        raise ApiError(404, _("There is no sheet %(slug)s, or you may not see it.", slug=slug))
    if action != "view" and not policy.can(user, action, sheet):
        refuse()
    return sheet


def refuse():
    if not current_user.is_authenticated:
        raise ApiError(401, headers={"WWW-Authenticate": "Bearer"})
    raise ApiError(403)


def detail(sheet: Sheet) -> SheetDetail:
    db = get_session()
    revision = sheets.current_revision(db, sheet)
    translation_of = db.get(Sheet, sheet.translation_of_id) if sheet.translation_of_id else None
    return SheetDetail(
        slug=sheet.slug, title=sheet.title, summary=sheet.summary, body=revision.body,
        status=sheet.status, needs_review=sheet.needs_review, language=sheet.language,
        translation_of=translation_of.slug if translation_of else None,
        translations=_translations(sheet),
        organization=_organizations({sheet.organization_id}).get(sheet.organization_id),
        revision=_revision_summary(revision, _authors([revision])),
        fields=dict(revision.fields), photos=_photos(revision),
        provenance=Provenance(source=sheet.source, source_id=sheet.source_id,
                              source_url=sheet.source_url, source_updated=sheet.source_updated,
                              license=sheet.license, attribution=sheet.attribution),
        created_at=sheet.created_at, updated_at=sheet.updated_at, **_urls(sheet))


def detail_response(sheet: Sheet, status: int = 200, headers: dict | None = None):
    """The sheet as JSON with a strong ETag of exactly these bytes; 304 when it matches."""
    body = detail(sheet).model_dump_json().encode()
    response = current_app.response_class(body, status=status, mimetype="application/json")
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Authorization", "Cookie"))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 200:
        response.make_conditional(request)
    return response


@bp.get("/practices/<slug>")
@api_spec.validate(resp=responses({200: SheetDetail}, 404), tags=TAGS,
                   operation_id="getPractice")
def get_practice(slug: str):
    """A practice sheet

    Everything the sheet page shows: text, structured fields, status, current revision and
    provenance. Send the `ETag` back as `If-None-Match` to get 304 while it is unchanged.
    """
    return detail_response(load(slug))


@bp.get("/practices/<slug>/revisions")
@api_spec.validate(query=PageQuery, resp=responses({200: RevisionPage}, 400, 404), tags=TAGS,
                   operation_id="listRevisions", validation_error_status=400)
def list_revisions(slug: str):
    """A sheet's revisions, newest first"""
    sheet = load(slug)
    query = request.context.query
    db = get_session()
    total = db.exec(select(func.count()).select_from(Revision)
                    .where(Revision.sheet_id == sheet.id)).one()
    rows = list(db.exec(select(Revision).where(Revision.sheet_id == sheet.id)
                        .order_by(Revision.number.desc())
                        .offset((query.page - 1) * query.per_page).limit(query.per_page)))
    authors = _authors(rows)
    body = RevisionPage(items=[_revision_summary(row, authors) for row in rows], total=total,
                        page=query.page, per_page=query.per_page,
                        pages=page_count(total, query.per_page))
    return body, 200, {"Link": paging.link_header(total, query.page, query.per_page)}


@bp.get("/practices/<slug>/revisions/<int:number>")
@api_spec.validate(resp=responses({200: RevisionDetail}, 404), tags=TAGS,
                   operation_id="getRevision")
def get_revision(slug: str, number: int):
    """One revision's content"""
    sheet = load(slug)
    revision = sheets.revision_by_number(get_session(), sheet, number)
    if revision is None:
        raise ApiError(404, _("This sheet has no revision %(n)d.", n=number))
    return _revision_detail(revision)


# Writing -------------------------------------------------------------------------------


def _content(body) -> sheets.Content:
    try:
        return sheets.Content.checked(
            title=body.title, summary=body.summary, body=body.body,
            fields=body.fields.model_dump(exclude_none=True, mode="json"))
    except InvalidFields as invalid:
        raise _invalid(invalid) from None


def _invalid(invalid: InvalidFields) -> ApiError:
    fields = {name if name in ("title", "summary", "body", "slug") else f"fields.{name}":
              _(problem.message, **problem.params)
              for name, problem in invalid.errors.items()}
    return ApiError(422, _("Some values are not valid."), code="invalid_fields", fields=fields)


def _slug_taken(slug: str) -> ApiError:
    return ApiError(409, _("The address %(value)s is already used by another sheet.",
                           value=slug), code="slug_taken",
                    fields={"slug": _("Already used by another sheet.")})


@bp.post("/practices")
@api_spec.validate(json=SheetCreate, resp=responses({201: SheetDetail}, *WRITE_ERRORS, 409),
                   tags=TAGS, operation_id="createPractice", security={"bearerAuth": []})
def create_practice():
    """Create a sheet

    A contributor's new sheet is a draft of their organisation (submit it for review when it
    is ready); a moderator's or an administrator's is published at once.
    """
    user = acting_user()
    if not policy.can_create(user):
        refuse()
    body = request.context.json
    content = _content(body)
    db = get_session()
    try:
        sheet = editing.create_sheet(db, content, author=user,
                                     organization_id=user.organization_id, slug=body.slug,
                                     edit_summary=body.edit_summary)
    except sheets.SlugTaken as taken:
        db.rollback()
        raise _slug_taken(str(taken)) from None
    except InvalidFields as invalid:
        db.rollback()
        raise _invalid(invalid) from None
    db.commit()
    location = url_for("api.get_practice", slug=sheet.slug)
    return detail_response(sheet, 201, {"Location": location})


@bp.put("/practices/<slug>")
@api_spec.validate(json=SheetUpdate,
                   resp=responses({200: SheetDetail, 409: (ConflictResponse, "Someone saved "
                                   "since base_revision (stale_revision), or the new slug is "
                                   "taken (slug_taken)")}, *WRITE_ERRORS),
                   tags=TAGS, operation_id="updatePractice", security={"bearerAuth": []})
def update_practice(slug: str):
    """Update a sheet

    Send the whole new content and the `base_revision` (the `revision.number` you started
    from). If someone saved since, nothing is saved: the answer is 409 with the current
    revision, so that you can merge and try again. Nothing changed: 200, no new revision.
    """
    sheet = load(slug, "edit")
    user = acting_user()
    body = request.context.json
    db = get_session()
    new_slug = body.slug if body.slug and body.slug != sheet.slug else None
    if new_slug and not policy.can_rename(user, sheet):
        refuse()
    content = _content(body)
    base = sheets.revision_by_number(db, sheet, body.base_revision)
    content = gallery.keep_gallery(db, content, base.id if base else None)  # read-only here
    try:
        editing.save_edit(db, sheet, content, author=user,
                          base_revision_id=base.id if base else -1,
                          edit_summary=body.edit_summary, new_slug=new_slug)
    except sheets.StaleRevision as stale:
        db.rollback()
        current = _revision_detail(stale.current)
        raise ApiError(409, _("Someone saved this sheet after revision %(base)d: it is now at "
                              "revision %(current)d. Nothing was saved; merge your changes "
                              "into the current revision and send them again.",
                              base=body.base_revision, current=stale.current.number),
                       code="stale_revision",
                       extra={"current_revision": current.model_dump(mode="json")}) from None
    except sheets.NothingChanged:
        db.rollback()
        return detail_response(sheet)
    except sheets.SlugTaken as taken:
        db.rollback()
        raise _slug_taken(str(taken)) from None
    except InvalidFields as invalid:
        db.rollback()
        raise _invalid(invalid) from None
    db.commit()
    return detail_response(sheet)


TRANSITIONS = {
    "submit": (workflow.submit, "submit"),
    "publish": (workflow.publish, "publish"),
    "return": (workflow.return_to_authors, "return"),
    "approve-edits": (workflow.approve_edits, "approve_edits"),
}


@bp.post("/practices/<slug>/<any(submit, publish, return, 'approve-edits'):transition>")
@api_spec.validate(json=Transition, resp=responses({200: SheetDetail}, *WRITE_ERRORS, 409),
                   tags=TAGS, operation_id="transitionPractice", security={"bearerAuth": []})
def transition_practice(slug: str, transition: str):
    """Move a sheet through review

    `submit` a draft for review (whoever may edit it); `publish` a draft or a sheet in review
    and `return` a sheet in review to its authors with a `comment` (moderators);
    `approve-edits` clears the review flag of a published sheet (moderators).
    """
    service, action = TRANSITIONS[transition]
    sheet = load(slug, action)
    body = request.context.json or Transition()
    db = get_session()
    try:
        service(db, sheet, acting_user(), body.comment.strip())
    except workflow.NotAllowed as refused:
        db.rollback()
        raise ApiError(409, _(str(refused)), code="not_allowed_now") from None
    except workflow.WorkflowError as refused:
        db.rollback()
        raise ApiError(422, _(str(refused)), code="invalid_fields",
                       fields={"comment": _(str(refused))}) from None
    db.commit()
    return detail_response(sheet)


# Helpers -------------------------------------------------------------------------------


def _urls(sheet: Sheet) -> dict[str, str]:
    return {"url": url_for("api.get_practice", slug=sheet.slug),
            "html_url": url_for("sheets.view", slug=sheet.slug)}


def _translations(sheet: Sheet) -> list[TranslationRef]:
    root = sheet.translation_of_id or sheet.id
    query = select(Sheet).where(or_(Sheet.id == root, Sheet.translation_of_id == root),
                                Sheet.id != sheet.id, Sheet.deleted_at.is_(None))
    user = acting_user()
    return [TranslationRef(slug=other.slug, language=other.language, title=other.title,
                           url=url_for("api.get_practice", slug=other.slug))
            for other in get_session().exec(query.order_by(Sheet.language))
            if policy.can_view(user, other)]


def _terms(ids: list[int]) -> dict[int, dict[str, list[str]]]:
    if not ids:
        return {}
    found: dict[int, dict[str, list[str]]] = {}
    rows = get_session().exec(select(SheetTerm).where(SheetTerm.sheet_id.in_(ids))
                              .order_by(SheetTerm.facet, SheetTerm.code))
    for row in rows:
        found.setdefault(row.sheet_id, {}).setdefault(row.facet, []).append(row.code)
    return found


def _organizations(ids: set[int | None]) -> dict[int, OrganizationRef]:
    ids = {number for number in ids if number}
    if not ids:
        return {}
    rows = get_session().exec(select(Organization).where(Organization.id.in_(ids)))
    return {row.id: OrganizationRef(slug=row.slug, name=row.name) for row in rows}


def _authors(revisions: list[Revision]) -> dict[int, Author]:
    ids = {revision.author_id for revision in revisions if revision.author_id}
    if not ids:
        return {}
    rows = get_session().exec(select(User).where(User.id.in_(ids)))
    return {user.id: Author(name=user.name) for user in rows}


def _revision_summary(revision: Revision, authors: dict[int, Author]) -> RevisionSummary:
    return RevisionSummary(number=revision.number, created_at=revision.created_at,
                           author=authors.get(revision.author_id),
                           edit_summary=revision.edit_summary,
                           reverted_from=revision.reverted_from)


def _revision_detail(revision: Revision) -> RevisionDetail:
    summary = _revision_summary(revision, _authors([revision]))
    return RevisionDetail(**summary.model_dump(), title=revision.title,
                          summary=revision.summary, body=revision.body,
                          fields=dict(revision.fields), photos=_photos(revision))


def _photos(revision: Revision) -> list[Photo]:
    return [Photo(url=photo_url(entry), width=entry["width"], height=entry["height"],
                  sizes=[PhotoSize(width=width, url=photo_url(entry, width))
                         for width in entry.get("widths") or ()],
                  alt=entry["alt"], caption=entry.get("caption", ""),
                  credit=entry.get("credit", ""), license=entry["license"],
                  source_url=entry.get("source_url"))
            for entry in revision.fields.get("photos") or ()]
