"""Organisation profiles ("stands", issue 14): standing in the Initiative, colleges, country,
locations, description, logo and website; their managers; every change a revision.

A profile is edited by the organisation's own managers (granted by an admin or moderator) and
by moderators. The current values live on the Organization row so the directory and the map
filter them directly; each save also appends an OrganizationRevision holding a full snapshot,
which history and diff read, and an audit event.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from practices import audit, policy, revisions
from practices.diff import FieldChange
from practices.fields import N_
from practices.models import (
    College,
    Organization,
    OrganizationCollege,
    OrganizationManager,
    OrganizationRevision,
    Upload,
    User,
)
from practices.vocab import region_of_country, vocabulary
from practices.vocab.model import Term, Vocabulary

STANDINGS = Vocabulary(
    "standings",
    {"en": "Standing", "fr": "Statut", "es": "Estatus"},
    (
        Term(
            "member-of-the-consortium",
            {
                "en": "Member of the Consortium",
                "fr": "Membre du Consortium",
                "es": "Miembro del Consorcio",
            },
        ),
        Term(
            "partner-of-the-forum",
            {"en": "Partner of the Forum", "fr": "Partenaire du Forum", "es": "Socio del Foro"},
        ),
        Term("other", {"en": "Other", "fr": "Autre", "es": "Otro"}),
    ),
    False,
    None,
)

PROFILE_FIELDS = ("standing", "colleges", "country", "locations", "description", "website", "logo")
MAX_DESCRIPTION = 20_000
MAX_LOCATIONS = 20
CODE = re.compile(r"^[A-Za-z0-9-]{0,80}$")
NOT_A_CODE = "-"  # matches no row (codes never are a lone hyphen)
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


class ProfileError(Exception):
    """Some profile fields were refused; `errors` maps field name to a message (N_ string)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


# Who may edit ---------------------------------------------------------------------------


def managed_ids(session: Session, user: User | None) -> frozenset[int]:
    """The ids of the organisations this user manages."""
    if user is None or user.id is None:
        return frozenset()
    return frozenset(
        session.exec(
            select(OrganizationManager.organization_id).where(
                OrganizationManager.user_id == user.id
            )
        ).all()
    )


def may_edit(session: Session, user: User | None, organization: Organization) -> bool:
    return policy.can_edit_profile(user, organization.id, managed_ids(session, user))


def managers(session: Session, organization: Organization) -> list[User]:
    query = (
        select(User)
        .join(OrganizationManager, OrganizationManager.user_id == User.id)
        .where(OrganizationManager.organization_id == organization.id)
        .order_by(func.lower(User.name))
    )
    return list(session.exec(query))


def grant_manager(session: Session, organization: Organization, user: User, *, actor: User) -> None:
    if not policy.can_grant_managers(actor):
        raise PermissionError("Only admins and moderators grant the manager role.")
    if organization.id in managed_ids(session, user):
        return
    session.add(
        OrganizationManager(
            organization_id=organization.id, user_id=user.id, granted_by_id=actor.id
        )
    )
    audit.record(
        session,
        actor,
        "organization.manager_grant",
        organization,
        user=user.id,
        user_name=user.name,
    )


def revoke_manager(
    session: Session, organization: Organization, user: User, *, actor: User
) -> None:
    if not policy.can_grant_managers(actor):
        raise PermissionError("Only admins and moderators revoke the manager role.")
    row = session.get(OrganizationManager, (organization.id, user.id))
    if row is None:
        return
    session.delete(row)
    audit.record(
        session,
        actor,
        "organization.manager_revoke",
        organization,
        user=user.id,
        user_name=user.name,
    )


# Reading and writing a profile ------------------------------------------------------------


def college_slugs(session: Session, organization: Organization) -> list[str]:
    query = (
        select(College.slug)
        .join(OrganizationCollege, OrganizationCollege.college_id == College.id)
        .where(OrganizationCollege.organization_id == organization.id)
        .order_by(College.slug)
    )
    return list(session.exec(query))


def colleges_of(session: Session, organization: Organization) -> list[College]:
    query = (
        select(College)
        .join(OrganizationCollege, OrganizationCollege.college_id == College.id)
        .where(OrganizationCollege.organization_id == organization.id)
        .order_by(func.lower(College.name))
    )
    return list(session.exec(query))


def snapshot(session: Session, organization: Organization) -> dict[str, Any]:
    """The profile as it stands, in the shape revisions store."""
    return {
        "standing": organization.standing,
        "colleges": college_slugs(session, organization),
        "country": organization.country,
        "locations": list(organization.locations or []),
        "description": organization.description or "",
        "website": organization.website,
        "logo": organization.logo_upload_id,
    }


def clean(session: Session, raw: dict[str, Any]) -> dict[str, Any]:
    """Validated profile values; raise ProfileError listing every refused field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    standing = (raw.get("standing") or "").strip() or None
    if standing and standing not in STANDINGS:
        errors["standing"] = N_("Choose a standing from the list.")
    cleaned["standing"] = standing
    slugs = sorted(set(raw.get("colleges") or []))
    known = (
        set(session.exec(select(College.slug).where(College.slug.in_(slugs))).all())
        if slugs
        else set()
    )
    if set(slugs) - known:
        errors["colleges"] = N_("Choose colleges from the list.")
    cleaned["colleges"] = slugs
    country = (raw.get("country") or "").strip().upper() or None
    if country and country not in vocabulary("countries"):
        errors["country"] = N_("Choose a country from the list.")
    cleaned["country"] = country
    try:
        cleaned["locations"] = clean_points(raw.get("locations") or [])
    except ValueError as problem:
        errors["locations"] = str(problem)
    description = str(raw.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = N_("The description is too long.")
    cleaned["description"] = description
    website = (raw.get("website") or "").strip() or None
    if website and (len(website) > 300 or not URL_PATTERN.match(website)):
        errors["website"] = N_("Enter a web address starting with http:// or https://.")
    cleaned["website"] = website
    logo = raw.get("logo")
    if logo is not None and session.get(Upload, logo) is None:
        errors["logo"] = N_("This logo is not an uploaded image.")
    cleaned["logo"] = logo
    if errors:
        raise ProfileError(errors)
    return cleaned


def clean_points(points: Iterable[Sequence[Any]], limit: int = MAX_LOCATIONS) -> list[list[float]]:
    """[[lon, lat], ...] within range; ValueError (an N_ message) otherwise."""
    cleaned = []
    for point in points:
        try:
            lon, lat = (float(coordinate) for coordinate in point)
        except (TypeError, ValueError):
            raise ValueError(N_("Each point needs a latitude and a longitude.")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(N_("Latitude must be within ±90 and longitude within ±180."))
        cleaned.append([round(lon, 6), round(lat, 6)])
    if len(cleaned) > limit:
        raise ValueError(N_("Too many points."))
    return cleaned


def revise(
    session: Session,
    organization: Organization,
    raw: dict[str, Any],
    *,
    author: User | None,
    summary: str = "",
    base_revision: int | None = None,
    reverted_from: int | None = None,
) -> OrganizationRevision | None:
    """Save the profile: a new revision and an audit event, or None when nothing changed.
    `base_revision` is the revision the editor started from (revisions.StaleEdit if another
    was saved since); `reverted_from`, the old revision whose values these are."""
    if author is not None and not may_edit(session, author, organization):
        raise PermissionError("Only this organisation's managers and moderators edit it.")
    values = clean(session, raw)
    revisions.claim(session, organization)
    revisions.check_base(last_revision_number(session, organization), base_revision)
    before = snapshot(session, organization)
    if not history(session, organization) and any(before.values()):
        _append(session, organization, before, None, "")  # the state before profiles existed
    if values == before:
        return None
    _apply(session, organization, values)
    revision = _append(session, organization, values, author, summary, reverted_from)
    changed = sorted(name for name in PROFILE_FIELDS if values[name] != before[name])
    audit.record(
        session,
        author,
        "organization.revert" if reverted_from else "organization.profile",
        organization,
        summary,
        revision=revision.number,
        fields=changed,
    )
    return revision


def revert(session: Session, organization: Organization, number: int, *, author: User | None,
           base_revision: int | None) -> OrganizationRevision | None:
    """Bring back revision `number` as a new revision (None: it is the current content);
    LookupError if there is no such revision, ProfileError if its values no longer pass."""
    return revisions.revert(
        revision(session, organization, number), number, base_revision,
        lambda values, **how: revise(session, organization, values, author=author, **how))


def _apply(session: Session, organization: Organization, values: dict[str, Any]) -> None:
    organization.standing = values["standing"]
    organization.country = values["country"]
    organization.locations = values["locations"]
    organization.description = values["description"]
    organization.website = values["website"]
    organization.logo_upload_id = values["logo"]
    for row in session.exec(
        select(OrganizationCollege).where(OrganizationCollege.organization_id == organization.id)
    ):
        session.delete(row)
    session.flush()
    for college_id in session.exec(select(College.id).where(College.slug.in_(values["colleges"]))):
        session.add(OrganizationCollege(organization_id=organization.id, college_id=college_id))
    session.add(organization)


def _append(
    session: Session,
    organization: Organization,
    values: dict[str, Any],
    author: User | None,
    summary: str,
    reverted_from: int | None = None,
) -> OrganizationRevision:
    return revisions.append(session, OrganizationRevision, "organization_id", organization,
                            values, author, summary, reverted_from)


def last_revision_number(session: Session, organization: Organization) -> int:
    """The profile's latest revision (0 before its first): what an edit form starts from."""
    return revisions.last_number(session, OrganizationRevision,
                                 OrganizationRevision.organization_id, organization.id)


def history(session: Session, organization: Organization) -> list[OrganizationRevision]:
    """The profile's revisions, newest first."""
    return revisions.history(session, OrganizationRevision, "organization_id", organization)


def revision(
    session: Session, organization: Organization, number: int
) -> OrganizationRevision | None:
    return revisions.by_number(session, OrganizationRevision, "organization_id", organization,
                               number)


def compare(
    old: OrganizationRevision,
    new: OrganizationRevision,
    describe: Callable[[str, Any], str] | None = None,
) -> list[FieldChange]:
    """What changed between two profile revisions (revisions.compare)."""
    return revisions.compare(old, new, PROFILE_FIELDS, describe)


# The directory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    """Codes from a query string; anything that is not a code matches nothing (never reaches
    the database: PostgreSQL refuses NUL bytes, for one)."""

    standing: str = ""
    college: str = ""
    country: str = ""
    region: str = ""

    def __post_init__(self):
        for name in ("standing", "college", "country", "region"):
            value = str(getattr(self, name) or "")
            object.__setattr__(self, name, value if CODE.match(value) else NOT_A_CODE)


def directory(session: Session, filters: DirectoryFilters) -> list[Organization]:
    """Active organisations matching every filter given, by name."""
    query = select(Organization).where(Organization.active)
    if filters.standing:
        query = query.where(Organization.standing == filters.standing)
    if filters.country:
        query = query.where(Organization.country == filters.country.upper())
    if filters.college:
        members = (
            select(OrganizationCollege.organization_id)
            .join(College, College.id == OrganizationCollege.college_id)
            .where(College.slug == filters.college)
        )
        query = query.where(Organization.id.in_(members))
    rows = list(session.exec(query.order_by(func.lower(Organization.name))))
    if filters.region:
        rows = [row for row in rows if region_of_country(row.country) == filters.region]
    return rows


def college_map(session: Session) -> dict[int, list[str]]:
    """organisation id -> slugs of its colleges, for lists and the map."""
    result: dict[int, list[str]] = {}
    query = select(OrganizationCollege.organization_id, College.slug).join(
        College, College.id == OrganizationCollege.college_id
    )
    for organization_id, slug in session.exec(query):
        result.setdefault(organization_id, []).append(slug)
    return result
