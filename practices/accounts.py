"""User accounts: registration and approval, passwords (argon2, a memory-hard hash), roles,
deactivation, college memberships. Every decision about an account is audited."""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, or_, update
from sqlmodel import Session, func, select

from practices import audit
from practices.models import (
    AuditEvent,
    College,
    CollegeMembership,
    Organization,
    Role,
    User,
    new_session_token,
)
from practices.paging import Paged, page_within
from practices.text import (
    CONTROL_CHARACTER_MESSAGE,
    has_control_character,
    has_visible_character,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000  # argon2 takes any length; this only stops absurd posts
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = None  # argon2's PasswordHasher, made on first use (_password_hasher)


class AccountError(Exception):
    """A clear, user-facing reason why an account operation was refused."""


def _password_hasher():
    """argon2 is loaded on first use (a sign-in, a new password): it keeps ~2 MB (its cffi
    bindings) out of every worker that only serves pages."""
    global _hasher  # noqa: PLW0603 - one hasher per process, as before
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def hash_password(password: str) -> str:
    return _password_hasher().hash(password)


def password_matches(user: User, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_password_strength(password: str, email: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if password.strip().lower() == email.strip().lower():
        raise AccountError("The password must not be your e-mail address.")
    if len(set(password)) < 4:
        raise AccountError("The password repeats too few characters; choose a less guessable one.")


def find_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def create_user(session: Session, *, email: str, name: str, password: str,
                role: str = Role.CONTRIBUTOR, organization_id: int | None = None,
                pending: bool = False) -> User:
    email = email.strip()
    if has_control_character(email, name):
        raise AccountError(CONTROL_CHARACTER_MESSAGE)
    if len(email) > 254 or not EMAIL_PATTERN.match(email):  # length first: the pattern
        # backtracks over every dot of an address, quadratic on a long one
        raise AccountError(f"Not an e-mail address: {email!r}.")
    if role not in Role.ALL:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(Role.ALL)}.")
    if find_by_email(session, email):
        raise AccountError(f"An account with the e-mail {email} already exists.")
    check_password_strength(password, email)
    if not has_visible_character(name):  # a blank-looking name: the address's local part
        name = email.split("@")[0]
    user = User(email=email, name=name.strip()[:120], role=role,
                password_hash=hash_password(password), organization_id=organization_id,
                pending=pending, active=not pending)
    session.add(user)
    session.flush()
    return user


def check_credentials(session: Session, email: str, password: str) -> User | None:
    """The account these credentials open (active or not), or None; same time either way."""
    user = find_by_email(session, email)
    if user is None:
        # Spend the same time as a real check: no account enumeration.
        _password_hasher().hash(password)
        return None
    if not password_matches(user, password):
        return None
    if _password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = check_credentials(session, email, password)
    return user if user is not None and user.active else None


# Registration and approval -------------------------------------------------------------


def register(session: Session, *, email: str, name: str, password: str,
             organization_id: int | None, college_ids: Iterable[int],
             open_registration: bool = False) -> User:
    """A new contributor: waiting for approval, or active at once on a private deployment."""
    if not has_visible_character(name):
        raise AccountError("Please give your name.")
    if organization_id is not None:
        organization = session.get(Organization, organization_id)
        if organization is None or not organization.active:
            raise AccountError("Choose an organisation from the list.")
    user = create_user(session, email=email, name=name, password=password,
                       role=Role.CONTRIBUTOR, organization_id=organization_id,
                       pending=not open_registration)
    _replace_colleges(session, user, college_ids)  # recorded by the user.register event
    audit.record(session, user, "user.register", user,
                 approved=open_registration, organization_id=organization_id)
    return user


def approve(session: Session, user: User, *, actor: User) -> None:
    if not user.pending:
        raise AccountError("This registration was already decided.")
    user.pending = False
    user.active = True
    audit.record(session, actor, "user.approve", user)


def reject(session: Session, user: User, *, actor: User, reason: str = "") -> None:
    """Refuse a registration: the account (which owns nothing yet) is removed."""
    if not user.pending:
        raise AccountError("This registration was already decided.")
    audit.record(session, actor, "user.reject", user, reason, name=user.name)
    session.exec(delete(CollegeMembership).where(CollegeMembership.user_id == user.id))
    session.exec(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_id=None))
    session.delete(user)


def pending_registrations(session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.pending).order_by(User.created_at)))


# Changes to an account -----------------------------------------------------------------


def set_role(session: Session, user: User, role: str, *, actor: User | None) -> None:
    if role not in Role.ALL:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(Role.ALL)}.")
    if role == user.role:
        return
    audit.record(session, actor, "user.role", user, before=user.role, after=role)
    user.role = role


def deactivate(session: Session, user: User, *, actor: User | None, reason: str = "") -> None:
    """The account can no longer sign in; its sessions end; its content stays attributed."""
    if not user.active:
        raise AccountError("This account is not active.")
    user.active = False
    user.session_token = new_session_token()
    audit.record(session, actor, "user.deactivate", user, reason)


def reactivate(session: Session, user: User, *, actor: User | None) -> None:
    if user.active or user.pending:
        raise AccountError("Only a deactivated account can be reactivated.")
    user.active = True
    audit.record(session, actor, "user.reactivate", user)


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    """Check the current password, set the new one, and end every other session."""
    if not password_matches(user, current):
        raise AccountError("The current password is not right.")
    check_password_strength(new, user.email)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    audit.record(session, user, "user.password", user)


def set_organization(session: Session, user: User, organization_id: int | None, *,
                     actor: User | None) -> None:
    if organization_id == user.organization_id:
        return
    if organization_id is not None and session.get(Organization, organization_id) is None:
        raise AccountError("Choose an organisation from the list.")
    audit.record(session, actor, "user.organization", user, before=user.organization_id,
                 after=organization_id)
    user.organization_id = organization_id


def colleges_of(session: Session, user: User) -> list[College]:
    query = (select(College).join(CollegeMembership, CollegeMembership.college_id == College.id)
             .where(CollegeMembership.user_id == user.id).order_by(College.name))
    return list(session.exec(query))


def set_colleges(session: Session, user: User, college_ids: Iterable[int], *,
                 actor: User | None) -> None:
    """Make the user a member of exactly these colleges; a change is audited, as a change
    of role or organisation is."""
    before, after = _replace_colleges(session, user, college_ids)
    if before != after:
        audit.record(session, actor, "user.colleges", user, before=sorted(before),
                     after=sorted(after))


def _replace_colleges(session: Session, user: User,
                      college_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """The memberships before and after; AccountError (nothing changed) for an id that is
    not an active college."""
    wanted = set(college_ids)
    if wanted:
        found = set(session.exec(select(College.id).where(College.id.in_(wanted),
                                                          College.active)).all())
        if found != wanted:
            raise AccountError("Choose colleges from the list.")
    current = set(session.exec(select(CollegeMembership.college_id)
                               .where(CollegeMembership.user_id == user.id)).all())
    if current - wanted:
        session.exec(delete(CollegeMembership).where(
            CollegeMembership.user_id == user.id,
            CollegeMembership.college_id.in_(current - wanted)))
    for college_id in sorted(wanted - current):
        session.add(CollegeMembership(user_id=user.id, college_id=college_id))
    session.flush()
    return current, wanted


# Finding accounts ----------------------------------------------------------------------


@dataclass(frozen=True)
class UserPage(Paged):
    users: list[User]
    total: int
    page: int
    per_page: int


STATES = ("active", "pending", "deactivated")


def search_users(session: Session, *, text: str = "", role: str = "", state: str = "",
                 page: int = 1, per_page: int = 50) -> UserPage:
    query = select(User)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern),
                                func.lower(User.email).like(pattern)))
    if role in Role.ALL:
        query = query.where(User.role == role)
    if state == "active":
        query = query.where(User.active)
    elif state == "pending":
        query = query.where(User.pending)
    elif state == "deactivated":
        query = query.where(~User.active, ~User.pending)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = page_within(page, total, per_page)
    users = list(session.exec(query.order_by(func.lower(User.name), User.id)
                              .offset((page - 1) * per_page).limit(per_page)))
    return UserPage(users, total, page, per_page)

