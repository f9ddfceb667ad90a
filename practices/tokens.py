"""Personal API tokens for scripts: shown once, stored as a keyed hash, revocable.

Tokens are long random strings, so a fast keyed hash (HMAC-SHA256 with the site's secret key)
is enough to keep a leaked database from yielding usable tokens; a slow password hash would
only cost time on every API request.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from practices import audit
from practices.models import ApiToken, User, utcnow
from practices.text import (
    CONTROL_CHARACTER_MESSAGE,
    has_control_character,
    has_visible_character,
)

PREFIX = "pw_"
MAX_TOKENS = 20
LAST_USED_RESOLUTION = timedelta(minutes=1)  # don't write on every request of a busy script


class TokenError(Exception):
    """A clear, user-facing reason why a token operation was refused."""


def digest(token: str, key: str) -> str:
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).hexdigest()


def create(session: Session, user: User, name: str, *, key: str) -> tuple[ApiToken, str]:
    """A new token; the plain value is returned once and never stored."""
    name = name.strip()
    if not has_visible_character(name):
        raise TokenError("Give the token a name, so that you know later what uses it.")
    if len(name) > 80:
        raise TokenError("Use at most 80 characters for the name.")
    if has_control_character(name):
        raise TokenError(CONTROL_CHARACTER_MESSAGE)
    if len(active(session, user)) >= MAX_TOKENS:
        raise TokenError(f"You have {MAX_TOKENS} tokens already; revoke one first.")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(plain, key),
                     prefix=plain[:len(PREFIX) + 4])
    session.add(token)
    session.flush()
    audit.record(session, user, "token.create", user, token_id=token.id, name=name)
    return token, plain


def revoke(session: Session, token: ApiToken, *, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, actor, "token.revoke", actor, token_id=token.id, name=token.name)


def active(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id,
                                                    ApiToken.revoked_at.is_(None))
                             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def user_for(session: Session, plain: str, *, key: str) -> User | None:
    """The active account a presented token belongs to (noting its use), or None."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(plain, key))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()
    return user
