"""What sheets refer to: vocabularies, organisations and colleges; and the caller's own
account."""

from flask import request, url_for
from flask_babel import gettext as _

from practices import organizations, profiles
from practices.models import College, Organization, Sheet
from practices.vocab import VOCABULARIES
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import (
    CollegeDetail,
    CollegeList,
    CollegeOut,
    LanguageQuery,
    Me,
    OrganizationDetail,
    OrganizationList,
    OrganizationOut,
    OrganizationRef,
    SheetRef,
    VocabularyList,
    VocabularyOut,
)
from wiki.api.sheets import refuse
from wiki.api.spec import api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session

# Vocabularies --------------------------------------------------------------------------


@bp.get("/vocabularies")
@api_spec.validate(query=LanguageQuery, resp=responses({200: VocabularyList}, 400),
                   tags=("vocabularies",), operation_id="listVocabularies",
                   validation_error_status=400)
def list_vocabularies():
    """Every controlled vocabulary: codes with labels in English, French and Spanish"""
    lang = request.context.query.lang
    return VocabularyList(vocabularies={
        name: VocabularyOut(**vocab.to_dict(lang)) for name, vocab in VOCABULARIES.items()})


@bp.get("/vocabularies/<name>")
@api_spec.validate(query=LanguageQuery, resp=responses({200: VocabularyOut}, 400, 404),
                   tags=("vocabularies",), operation_id="getVocabulary",
                   validation_error_status=400)
def get_vocabulary(name: str):
    """One vocabulary (e.g. agro_climatic_zones, practice_groups, countries)"""
    if name not in VOCABULARIES:
        raise ApiError(404, _("There is no vocabulary %(name)s.", name=name))
    return VocabularyOut(**VOCABULARIES[name].to_dict(request.context.query.lang))


# Organisations and colleges ------------------------------------------------------------


def _sheet_refs(sheets: list[Sheet]) -> list[SheetRef]:
    return [SheetRef(slug=sheet.slug, title=sheet.title, status=sheet.status,
                     url=url_for("api.get_practice", slug=sheet.slug)) for sheet in sheets]


def _organization(row: Organization, members: dict[int, int],
                  colleges: dict[int, list[str]]) -> dict:
    return {"slug": row.slug, "name": row.name, "kind": row.kind, "country": row.country,
            "website": row.website, "active": row.active, "members": members.get(row.id, 0),
            "standing": row.standing, "colleges": sorted(colleges.get(row.id, [])),
            "locations": list(row.locations or [])}


def _college(row: College, members: dict[int, int]) -> dict:
    return {"slug": row.slug, "name": row.name, "description": row.description,
            "active": row.active, "members": members.get(row.id, 0)}


@bp.get("/organizations")
@api_spec.validate(resp=responses({200: OrganizationList}), tags=("organisations",),
                   operation_id="listOrganizations")
def list_organizations():
    """The active partner organisations"""
    db = get_session()
    members = organizations.member_counts(db, Organization)
    colleges = profiles.college_map(db)
    return OrganizationList(items=[OrganizationOut(**_organization(row, members, colleges))
                                   for row in organizations.listing(db, Organization)])


@bp.get("/organizations/<slug>")
@api_spec.validate(resp=responses({200: OrganizationDetail}, 404), tags=("organisations",),
                   operation_id="getOrganization")
def get_organization(slug: str):
    """A partner organisation and the sheets it contributed (those you may see)"""
    db = get_session()
    row = organizations.find(db, Organization, slug)
    if row is None:
        raise ApiError(404, _("There is no organisation %(slug)s.", slug=slug))
    members = organizations.member_counts(db, Organization)
    return OrganizationDetail(
        **_organization(row, members, profiles.college_map(db)),
        sheets=_sheet_refs(organizations.sheets_of(db, row, acting_user())),
        description=row.description or "",
        measures_url=url_for("api.list_organization_measures", slug=row.slug))


@bp.get("/colleges")
@api_spec.validate(resp=responses({200: CollegeList}), tags=("colleges",),
                   operation_id="listColleges")
def list_colleges():
    """The active colleges (groups of members across organisations)"""
    db = get_session()
    members = organizations.member_counts(db, College)
    return CollegeList(items=[CollegeOut(**_college(row, members))
                              for row in organizations.listing(db, College)])


@bp.get("/colleges/<slug>")
@api_spec.validate(resp=responses({200: CollegeDetail}, 404), tags=("colleges",),
                   operation_id="getCollege")
def get_college(slug: str):
    """A college and the sheets its members wrote (those you may see)"""
    db = get_session()
    row = organizations.find(db, College, slug)
    if row is None:
        raise ApiError(404, _("There is no college %(slug)s.", slug=slug))
    members = organizations.member_counts(db, College)
    return CollegeDetail(**_college(row, members), sheets=_sheet_refs(
        organizations.sheets_of(db, row, acting_user())))


# The caller ----------------------------------------------------------------------------


@bp.get("/me")
@api_spec.validate(resp=responses({200: Me}, 401), tags=("account",), operation_id="getMe",
                   security={"bearerAuth": []})
def get_me():
    """The account your token acts for (a quick way to check a token)"""
    user = acting_user()
    if user is None:
        refuse()
    organization = get_session().get(Organization, user.organization_id) \
        if user.organization_id else None
    return Me(id=user.id, name=user.name, role=user.role, organization=OrganizationRef(
        slug=organization.slug, name=organization.name) if organization else None)
