"""Signing in and out (flask-login), API tokens, login rate limits, and the helpers views use
to ask the policy.

The user id kept in the session (and in the "remember me" cookie) is `<id>:<session token>`;
the token changes when the password changes or the account is deactivated, which ends every
session issued before. Scripts authenticate with `Authorization: Bearer <token>` instead.
"""

import hmac
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from practices import accounts, tokens
from practices.models import User
from wiki.db import get_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
LOGIN_RATE_LIMIT = "10/minute"


class SignedInUser(UserMixin):
    """flask-login's view of a User row; the row itself stays a plain model."""

    def __init__(self, user: User, *, by_token: bool = False):
        self.user = user
        self.id = str(user.id)
        self.by_token = by_token

    def __getattr__(self, name):
        return getattr(self.user, name)

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"

    @property
    def is_active(self) -> bool:
        return self.user.active


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    app.register_blueprint(bp)
    app.before_request(_notice_unreadable_session)
    app.before_request(_authenticate_bearer_token)
    _limit_logins(app)


@login_manager.user_loader
def load_user(user_id: str):
    """The session's user, unless the account was deactivated or its sessions were ended."""
    number, _sep, token = user_id.partition(":")
    user = get_session().get(User, int(number)) if number.isdigit() else None
    if user is not None and user.active and token and hmac.compare_digest(
            token.encode(), user.session_token.encode()):
        return SignedInUser(user)
    session.pop("_user_id", None)
    flash(_("Your session has ended (the password was changed or the account was "
            "deactivated). Please sign in again."), "info")
    return None


@login_manager.request_loader
def load_user_from_request(req):
    """`Authorization: Bearer <token>`: a personal API token, carrying its owner's role."""
    header = req.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    user = tokens.user_for(get_session(), value.strip(), key=current_app.config["SECRET_KEY"])
    if user is None:
        message = _("This API token is not valid: it was revoked, is unknown, or its account "
                    "is deactivated.")
        response = jsonify(error={"code": "invalid_token", "message": message})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        abort(response)
    return SignedInUser(user, by_token=True)


def _authenticate_bearer_token() -> None:
    """A request with a bearer token acts as the token's owner, whatever cookies it carries.

    (flask-login consults the request loader only when the session holds no user and passes
    its "strong" session protection, so a token request is settled here first.)"""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        g._login_user = load_user_from_request(request)


def _notice_unreadable_session() -> None:
    """A session cookie that fails its signature (tampered, or an old secret key) is ignored;
    say so, rather than silently showing the visitor as signed out."""
    name = current_app.config.get("SESSION_COOKIE_NAME", "session")
    if request.cookies.get(name) and not session and request.method == "GET":
        flash(_("Your session could not be read and was ended. Please sign in again."), "info")


def acting_user() -> User | None:
    """The User row behind the request, or None for an anonymous reader."""
    return current_user.user if current_user.is_authenticated else None


def require(allowed: bool) -> None:
    """Stop the request unless the policy allowed it: 401 for guests, 403 for members."""
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(401)
    abort(403)


def safe_next(target: str | None) -> str:
    """Only same-site paths: `next=` must never send a user to another site."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(char) < 32 for char in target)):
        return url_for("home.index")
    return target


def sign_in(user: User, *, remember: bool = False) -> None:
    """A fresh session for this user: nothing from the session before survives (no fixation)."""
    session.clear()
    login_user(SignedInUser(user), remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    email = request.form.get("email", "")
    db = get_session()
    user = accounts.check_credentials(db, email, request.form.get("password", ""))
    if user is None or not user.active:
        if user is not None and user.pending:
            flash(_("Your registration is waiting for approval by a moderator. You can sign "
                    "in once it is approved."), "info")
        elif user is not None:
            flash(_("This account is deactivated. Ask an administrator if you think this is "
                    "a mistake."), "error")
        else:
            flash(_("Wrong e-mail or password."), "error")
        return render_template("auth/login.html", email=email,
                               next=request.form.get("next", "")), 401
    db.commit()  # a password hash upgraded to today's parameters
    sign_in(user, remember=bool(request.form.get("remember")))
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(safe_next(request.form.get("next")), 303)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"), 303)


# Rate limits ---------------------------------------------------------------------------


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def _failed(response) -> bool:
    return response.status_code == 401


def _limit_logins(app: Flask) -> None:
    """At most LOGIN_RATE_LIMIT failed sign-ins per address and per account.

    One limiter per app (not a module global), so that apps and tests never share counters;
    RATELIMIT_ENABLED=False switches it off (the test suite does, except where it tests it)."""
    app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    # With Redis (REDIS_URL), every worker and node counts together; if Redis goes away,
    # each process counts alone until it is back rather than refusing every sign-in.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(key_func=get_remote_address, storage_uri=app.config[
        "RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    app.extensions["login_limiter"] = limiter
    limit = app.config.get("LOGIN_RATE_LIMIT", LOGIN_RATE_LIMIT)
    view = app.view_functions["auth.login"]
    for scope, key in (("login-address", get_remote_address), ("login-account", _account_key)):
        view = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=_failed,
                             scope=scope)(view)
    app.view_functions["auth.login"] = view
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)


def _too_many_attempts(_error):
    flash(_("Too many failed sign-in attempts. Wait a minute, then try again."), "error")
    return render_template("auth/login.html", email=request.form.get("email", ""),
                           next=request.form.get("next", "")), 429
