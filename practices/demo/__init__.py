"""The demo data set: practice sheets written for this project, their partners and accounts."""

import tomllib
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from practices import accounts, audit, discussions, endorsements, measures, profiles, sheets
from practices.fields import N_
from practices.models import College, Organization, Role, Sheet, SheetStatus, User

HERE = Path(__file__).parent
DEMO_ACCOUNTS = (
    ("admin@demo.practice-wiki.org", "Demo Admin", Role.ADMIN),
    ("moderator@demo.practice-wiki.org", "Demo Moderator", Role.MODERATOR),
    ("contributor@demo.practice-wiki.org", "Demo Contributor", Role.CONTRIBUTOR),
)
PLACEMENT_KEYS = {"slug", "status", "organization", "translation_of"}
# The colleges of the community (DESIGN.md §2) and which ones each demo account belongs to.
DEMO_COLLEGES = (  # N_: the pages translate these names while they are left as written
    ("research-and-education", N_("Research and education"),
     N_("Universities, research institutes, schools and training centres.")),
    ("ngos", N_("Non-governmental organisations"),
     N_("Development and environmental NGOs working with farmers and foresters.")),
    ("farmers-organisations", N_("Farmers' organisations"),
     N_("Farmers', herders' and foresters' organisations and cooperatives.")),
    ("private-sector", N_("Private sector"),
     N_("Companies along agricultural and forestry value chains.")),
    ("funders", N_("Funders"), N_("Foundations, development banks and donors.")),
    ("public-bodies", N_("Public bodies"), N_("Ministries, agencies and local governments.")),
)
DEMO_MEMBERSHIPS = {
    Role.ADMIN: ("research-and-education",),
    Role.MODERATOR: ("research-and-education", "ngos"),
    Role.CONTRIBUTOR: ("ngos", "farmers-organisations"),
}


@dataclass(frozen=True)
class DemoResult:
    sheets: int
    credentials: list[tuple[str, str, str]]  # (role, e-mail, password), generated now


def is_empty(session: Session) -> bool:
    return session.exec(select(Sheet.id).limit(1)).first() is None


def load(session: Session) -> DemoResult:
    """Load organisations, demo accounts with fresh random passwords, and every demo sheet."""
    organizations = _load_organizations(session)
    credentials, users = _create_accounts(session, organizations)
    _create_colleges(session, users)
    author = users[Role.CONTRIBUTOR]
    records = [tomllib.loads(path.read_text("utf-8"))
               for path in sorted((HERE / "sheets").glob("*.toml"))]
    originals = [record for record in records if not record.get("translation_of")]
    translations = [record for record in records if record.get("translation_of")]
    for record in originals + translations:
        sheet = _create_sheet(session, record, author, organizations)
        _record_review(session, sheet, author, users[Role.MODERATOR])
    _create_discussions(session, users)
    _create_partners(session, users)
    return DemoResult(len(records), credentials)


def _create_partners(session: Session, users: dict[str, User]) -> None:
    """Profiles ("stands") and measures of the demo organisations (issue 14); the demo
    contributor manages the first organisation, so the demo shows how managers work."""
    data = tomllib.loads((HERE / "partners.toml").read_text("utf-8"))
    moderator = users[Role.MODERATOR]
    found = {org.slug: org for org in session.exec(select(Organization))}
    for entry in data["profiles"]:
        organization = found[entry.pop("slug")]
        entry["country"] = organization.country
        profiles.revise(session, organization, entry, author=moderator, summary="Demo data")
    contributor = users[Role.CONTRIBUTOR]
    if contributor.organization_id:
        profiles.grant_manager(session, session.get(Organization, contributor.organization_id),
                               contributor, actor=moderator)
    for entry in data["measures"]:
        state = entry.pop("state")
        organization = found[entry.pop("organization")]
        measure = measures.create(session, organization, entry, author=moderator,
                                  summary="Demo data")
        if state == "published":
            measures.publish(session, measure, actor=moderator)
        elif state == "in_review":
            measure.state = state


def _create_discussions(session: Session, users: dict[str, User]) -> None:
    """A few threads and an endorsement, so that the demo shows how colleges work."""
    moderator, contributor = users[Role.MODERATOR], users[Role.CONTRIBUTOR]
    zai = session.exec(select(Sheet).where(Sheet.slug == "zai-pits-burkina-faso")).one()
    thread = discussions.start_thread(
        session, zai, moderator, title="Pit spacing on very crusted soils",
        quote="Dig pits 20–40 cm wide and 10–20 cm deep with a hoe",
        body="Trials on the Central Plateau used closer spacing (about 60 cm) on the most "
             "crusted plots. Should the sheet give a range by soil crust?",
        revision_number=1)
    first = discussions.comments_of(session, thread)[0].comment
    discussions.reply(session, thread, contributor, parent_id=first.id,
                      body="Farmers we work with in Yatenga keep 80 cm between pits and add "
                           "more manure per pit instead. I can add both options with their "
                           "labour cost.")
    research = session.exec(select(College).where(
        College.slug == "research-and-education")).one()
    endorsements.endorse(session, zai, research, moderator,
                         "Well documented by long-term trials in Burkina Faso and Niger; "
                         "yields and soil organic matter gains are consistently reported.")
    cover = session.exec(select(Sheet).where(
        Sheet.slug == "cover-crops-temperate-cropland")).one()
    ngos = session.exec(select(College).where(College.slug == "ngos")).one()
    discussions.start_thread(
        session, cover, contributor, title="Seed costs for smallholder programmes",
        college_id=ngos.id,
        body="Before we recommend this in our programmes: does anyone have seed cost figures "
             "for mixed cover crops bought in small quantities?")




def _create_colleges(session: Session, users: dict[str, User]) -> None:
    colleges = {}
    for slug, name, description in DEMO_COLLEGES:
        college = session.exec(select(College).where(College.slug == slug)).first()
        if college is None:
            college = College(slug=slug, name=name, description=description)
            session.add(college)
            session.flush()
        colleges[slug] = college
    for role, slugs in DEMO_MEMBERSHIPS.items():
        if role in users and not accounts.colleges_of(session, users[role]):
            accounts.set_colleges(session, users[role], [colleges[slug].id for slug in slugs],
                                  actor=None)


def _record_review(session: Session, sheet: Sheet, author: User, moderator: User) -> None:
    """The demo sheets' review steps, as if the demo moderator had reviewed them."""
    audit.record(session, author, "sheet.create", sheet, status=SheetStatus.DRAFT)
    if sheet.status in (SheetStatus.IN_REVIEW, SheetStatus.PUBLISHED):
        audit.record(session, author, "sheet.submit", sheet, "Demo data",
                     before=SheetStatus.DRAFT, after=SheetStatus.IN_REVIEW)
    if sheet.status == SheetStatus.PUBLISHED:
        audit.record(session, moderator, "sheet.publish", sheet, "Demo data",
                     before=SheetStatus.IN_REVIEW, after=SheetStatus.PUBLISHED)


def _load_organizations(session: Session) -> dict[str, Organization]:
    data = tomllib.loads((HERE / "organizations.toml").read_text("utf-8"))
    organizations = {}
    for entry in data["organizations"]:
        organization = Organization(**entry)
        session.add(organization)
        organizations[organization.slug] = organization
    session.flush()
    return organizations


def _create_accounts(session, organizations):
    first_org = next(iter(organizations.values()), None)
    credentials, users = [], {}
    for email, name, role in DEMO_ACCOUNTS:
        existing = accounts.find_by_email(session, email)
        if existing is not None:
            users[role] = existing
            continue
        password = accounts.generate_password()
        users[role] = accounts.create_user(
            session, email=email, name=name, password=password, role=role,
            organization_id=first_org.id if first_org and role == Role.CONTRIBUTOR else None)
        credentials.append((role, email, password))
    return credentials, users


def _create_sheet(session, record: dict, author: User, organizations) -> Sheet:
    fields = {key: value for key, value in record.items()
              if key not in PLACEMENT_KEYS | {"title", "summary", "body"}}
    content = sheets.Content.checked(title=record["title"], summary=record.get("summary", ""),
                                     body=record.get("body", ""), fields=fields)
    organization = organizations.get(record.get("organization", ""))
    sheet = sheets.create(session, content, author=author, slug=record["slug"],
                          status=record.get("status", "published"),
                          organization_id=organization.id if organization else None,
                          edit_summary="Demo data")
    if record.get("translation_of"):
        original, _ = sheets.find(session, record["translation_of"])
        sheet.translation_of_id = original.id if original else None
    _backdate(session, sheet)
    return sheet


def _backdate(session: Session, sheet: Sheet) -> None:
    """Demo sheets were written over the last three years, not all in the second the demo
    loaded (the dashboard's "published sheets over time" would be one dot): each gets a
    creation date of its own, the same on every load (from its slug)."""
    days = DEMO_YEARS_BACK * 365 * (zlib.crc32(sheet.slug.encode()) % 1000) // 1000
    sheet.created_at -= timedelta(days=days, hours=days % 24)
    first = sheets.current_revision(session, sheet)
    first.created_at = sheet.created_at


DEMO_YEARS_BACK = 3
