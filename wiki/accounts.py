"""Registration, the profile page, changing the password, personal API tokens."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from practices import accounts, discussions, notifications, organizations, policy, tokens, workflow
from practices.models import ApiToken, College, Organization
from wiki import form_input
from wiki.auth import acting_user, require, sign_in
from wiki.db import get_session

bp = Blueprint("accounts", __name__)


def role_label(role: str) -> str:
    return {"reader": _("Reader"), "contributor": _("Contributor"), "moderator": _("Moderator"),
            "admin": _("Administrator")}.get(role, role)


def may(action: str, obj=None) -> bool:
    """For templates: may the signed-in user do this? (The policy decides, never a template.)"""
    return policy.can(acting_user(), action, obj)


def status_label(status: str) -> str:
    return {"draft": _("draft"), "in_review": _("in review"), "published": _("published"),
            "archived": _("archived")}.get(status, status)


@bp.record_once
def add_template_helpers(state) -> None:
    state.app.jinja_env.globals.update(role_label=role_label, status_label=status_label, may=may)


def _register_choices():
    db = get_session()
    return (organizations.listing(db, Organization), organizations.listing(db, College))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for(".profile"), 303)
    orgs, colleges = _register_choices()
    open_registration = bool(current_app.config.get("OPEN_REGISTRATION"))
    if request.method == "GET":
        return render_template("accounts/register.html", orgs=orgs, colleges=colleges,
                               values={}, open_registration=open_registration)
    values = {key: request.form.get(key, "").strip() for key in ("name", "email", "organization")}
    values["colleges"] = request.form.getlist("colleges")
    college_ids = form_input.chosen_ids("colleges")
    error = _registration_problem(colleges, college_ids)
    db = get_session()
    if error is None:
        try:
            user = accounts.register(
                db, email=values["email"], name=values["name"],
                password=request.form.get("password", ""),
                organization_id=form_input.chosen_id("organization"),
                college_ids=college_ids, open_registration=open_registration)
        except accounts.AccountError as refused:
            db.rollback()
            error = str(refused)
    if error is not None:
        flash(_(error), "error")
        return render_template("accounts/register.html", orgs=orgs, colleges=colleges,
                               values=values, open_registration=open_registration), 422
    db.commit()
    if open_registration:
        sign_in(user)
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
        return redirect(url_for(".profile"), 303)
    return render_template("accounts/registered.html", user=user)


def _registration_problem(colleges, college_ids: list[int]) -> str | None:
    """What the account service leaves to the page: the passwords typed twice, and at
    least one college (an organisation or a college not in the list, it refuses itself)."""
    if request.form.get("password", "") != request.form.get("password_again", ""):
        return "The two passwords differ."
    if colleges and all(college_id == form_input.NOT_AN_ID for college_id in college_ids):
        return "Choose at least one college."  # none sent, or none that names one
    return None


@bp.get("/profile")
@login_required
def profile():
    db = get_session()
    user = acting_user()
    organization = db.get(Organization, user.organization_id) if user.organization_id else None
    return render_template("accounts/profile.html", user=user, organization=organization,
                           colleges=accounts.colleges_of(db, user),
                           drafts=workflow.drafts_of(db, user),
                           sheets=workflow.published_by_author(db, user),
                           token_count=len(tokens.active(db, user)),
                           comments=discussions.comments_by(db, user),
                           watched=notifications.watched_sheets(db, user))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return render_template("accounts/password.html")
    db = get_session()
    user = acting_user()
    new = request.form.get("new_password", "")
    try:
        if new != request.form.get("new_password_again", ""):
            raise accounts.AccountError("The two new passwords differ.")
        accounts.change_password(db, user, current=request.form.get("current_password", ""),
                                 new=new)
    except accounts.AccountError as refused:
        db.rollback()
        flash(_(str(refused)), "error")
        return render_template("accounts/password.html"), 422
    db.commit()
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    sign_in(user, remember=remember)  # this session goes on; every other one has ended
    flash(_("Your password was changed. Other sessions and devices were signed out."),
          "success")
    return redirect(url_for(".profile"), 303)


@bp.route("/profile/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    db = get_session()
    user = acting_user()
    require(policy.can_manage_tokens(user))
    if request.method == "GET":
        return render_template("accounts/tokens.html", tokens=tokens.active(db, user))
    try:
        token, plain = tokens.create(db, user, request.form.get("name", ""),
                                     key=current_app.config["SECRET_KEY"])
    except tokens.TokenError as refused:
        db.rollback()
        flash(_(str(refused)), "error")
        return render_template("accounts/tokens.html", tokens=tokens.active(db, user)), 422
    db.commit()
    response = render_template("accounts/tokens.html", tokens=tokens.active(db, user),
                               new_token=plain, new_name=token.name)
    return response, 201, {"Cache-Control": "no-store"}


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    db = get_session()
    user = acting_user()
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        flash(_("There is no such token."), "error")
        return redirect(url_for(".api_tokens"), 303)
    tokens.revoke(db, token, actor=user)
    db.commit()
    flash(_("The token %(name)s was revoked; scripts using it are refused from now on.",
            name=token.name), "success")
    return redirect(url_for(".api_tokens"), 303)
