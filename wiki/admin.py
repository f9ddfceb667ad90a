"""Administration: users and roles, registrations, organisations and colleges, the audit log.

Admins do everything here; moderators approve registrations (and see the review queue)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from practices import accounts, audit, organizations, policy, workflow
from practices.models import College, Organization, Role, Sheet, User
from wiki import form_input
from wiki.auth import acting_user, require
from wiki.db import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")
KINDS = {"organizations": Organization, "colleges": College}


@bp.before_request
@login_required
def signed_in_only():
    """Every page here needs an account; each view then asks the policy for its own right."""


@bp.get("/")
def index():
    user = acting_user()
    require(policy.can_review(user) or policy.can_administer(user))
    db = get_session()
    queue = workflow.review_queue(db)
    return render_template("admin/index.html", pending=len(accounts.pending_registrations(db)),
                           in_review=len(queue.in_review), flagged=len(queue.flagged),
                           may_administer=policy.can_administer(user))


# Users ---------------------------------------------------------------------------------


@bp.get("/users")
def users():
    require(policy.can_administer(acting_user()))
    found = accounts.search_users(get_session(), text=request.args.get("q", ""),
                                  role=request.args.get("role", ""),
                                  state=request.args.get("state", ""),
                                  page=_positive(request.args.get("page")))
    return render_template("admin/users.html", found=found, roles=Role.ALL,
                           states=accounts.STATES, organizations=_names(Organization))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    actor = acting_user()
    require(policy.can_administer(actor))
    db = get_session()
    target = db.get(User, user_id) or abort(404)
    if request.method == "POST":
        try:
            if request.form.get("role", target.role) != target.role:
                if not policy.can_change_role(actor, target):
                    raise accounts.AccountError("You cannot change your own role.")
                accounts.set_role(db, target, request.form["role"], actor=actor)
            if "organization" in request.form:  # left out, it stays as it is (like the role)
                accounts.set_organization(db, target, form_input.chosen_id("organization"),
                                          actor=actor)
            accounts.set_colleges(db, target, form_input.chosen_ids("colleges"), actor=actor)
        except accounts.AccountError as refused:
            db.rollback()
            flash(_(str(refused)), "error")
            return _user_page(target), 422
        db.commit()
        flash(_("The account of %(name)s was saved.", name=target.name), "success")
        return redirect(url_for(".user", user_id=target.id), 303)
    return _user_page(target)


def _user_page(target: User):
    db = get_session()
    actor = acting_user()
    return render_template(
        "admin/user.html", target=target, roles=Role.ALL,
        organizations=organizations.listing(db, Organization, include_inactive=True),
        colleges=organizations.listing(db, College),
        member_of={college.id for college in accounts.colleges_of(db, target)},
        events=audit.events_for(db, target)[:20],
        may_change_role=policy.can_change_role(actor, target),
        may_deactivate=policy.can_deactivate(actor, target),
        may_reactivate=policy.can_reactivate(actor, target))


@bp.post("/users/<int:user_id>/<any(deactivate, reactivate):change>")
def activation(user_id: int, change: str):
    actor = acting_user()
    db = get_session()
    target = db.get(User, user_id) or abort(404)
    if change == "deactivate":
        require(policy.can_deactivate(actor, target))
        accounts.deactivate(db, target, actor=actor, reason=request.form.get("reason", ""))
        message = _("%(name)s can no longer sign in; their sessions and tokens stopped "
                    "working. Their sheets and edits stay attributed to them.", name=target.name)
    else:
        require(policy.can_reactivate(actor, target))
        accounts.reactivate(db, target, actor=actor)
        message = _("%(name)s can sign in again.", name=target.name)
    db.commit()
    flash(message, "success")
    return redirect(url_for(".user", user_id=target.id), 303)


# Registrations -------------------------------------------------------------------------


@bp.get("/registrations")
def registrations():
    require(policy.can_approve_registrations(acting_user()))
    db = get_session()
    pending = accounts.pending_registrations(db)
    return render_template("admin/registrations.html", pending=pending,
                           organizations=_names(Organization),
                           colleges={user.id: accounts.colleges_of(db, user) for user in pending})


@bp.post("/registrations/<int:user_id>/<any(approve, reject):decision>")
def decide(user_id: int, decision: str):
    actor = acting_user()
    require(policy.can_approve_registrations(actor))
    db = get_session()
    target = db.get(User, user_id) or abort(404)
    name = target.name
    try:
        if decision == "approve":
            accounts.approve(db, target, actor=actor)
        else:
            accounts.reject(db, target, actor=actor, reason=request.form.get("reason", ""))
    except accounts.AccountError as refused:
        db.rollback()
        flash(_(str(refused)), "error")
        return redirect(url_for(".registrations"), 303)
    db.commit()
    flash(_("%(name)s was approved and can sign in now.", name=name) if decision == "approve"
          else _("The registration of %(name)s was refused.", name=name), "success")
    return redirect(url_for(".registrations"), 303)


# Organisations and colleges ------------------------------------------------------------


@bp.route("/<any(organizations, colleges):kind>", methods=["GET", "POST"])
def groups(kind: str):
    require(policy.can_administer(acting_user()))
    db = get_session()
    model = KINDS[kind]
    if request.method == "POST":
        try:
            group = organizations.create(db, model, request.form.get("name", ""),
                                         actor=acting_user(), **_extra(model))
        except organizations.GroupError as refused:
            db.rollback()
            flash(_(str(refused)), "error")
            return _groups_page(kind), 422
        db.commit()
        flash(_("%(name)s was created.", name=group.name), "success")
        return redirect(url_for(".groups", kind=kind), 303)
    return _groups_page(kind)


def _extra(model) -> dict:
    if model is College:
        return {"description": request.form.get("description", "").strip()[:2000]}
    country = request.form.get("country", "").strip().upper()
    return {"country": country if len(country) == 2 and country.isalpha() else None,
            "review_edits": bool(request.form.get("review_edits"))}


def _groups_page(kind: str):
    db = get_session()
    model = KINDS[kind]
    return render_template("admin/groups.html", kind=kind,
                           groups=organizations.listing(db, model, include_inactive=True),
                           counts=organizations.member_counts(db, model))


@bp.route("/<any(organizations, colleges):kind>/<slug>", methods=["GET", "POST"])
def group(kind: str, slug: str):
    actor = acting_user()
    require(policy.can_administer(actor))
    db = get_session()
    model = KINDS[kind]
    found = organizations.find(db, model, slug) or abort(404)
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            message = _change_group(found, action, actor)
        except organizations.GroupError as refused:
            db.rollback()
            flash(_(str(refused)), "error")
            return _group_page(kind, found), 409 if isinstance(
                refused, organizations.StaleGroup) else 422
        db.commit()
        flash(message, "success")
        return redirect(url_for(".group", kind=kind, slug=found.slug), 303)
    return _group_page(kind, found)


def _change_group(found, action: str, actor: User) -> str:
    db = get_session()
    form = request.form
    if action == "rename":
        organizations.rename(db, found, form.get("name", ""), actor=actor,
                             base_name=form.get("base_name"))
        return _("The new name is saved; the address stays the same.")
    if action == "settings" and isinstance(found, Organization):
        organizations.set_review_edits(db, found, bool(form.get("review_edits")), actor=actor)
        return _("The settings are saved.")
    if action in ("deactivate", "reactivate"):
        organizations.set_active(db, found, action == "reactivate", actor=actor,
                                 reason=form.get("reason", ""))
        return _("Deactivated: no longer offered at registration; members and sheets stay.") \
            if action == "deactivate" else _("Active again.")
    if action == "merge":
        target = organizations.find(db, type(found), form.get("into", "")) if form.get(
            "into") else None
        if target is None:
            raise organizations.GroupError("Choose where to merge it into.")
        name = target.name
        organizations.merge(db, found, target, actor=actor, reason=form.get("reason", ""))
        return _("Merged into %(name)s: its members (and sheets) moved there.", name=name)
    raise organizations.GroupError("Unknown change.")


def _group_page(kind: str, found):
    db = get_session()
    model = KINDS[kind]
    others = [other for other in organizations.listing(db, model) if other.id != found.id]
    merged_into = db.get(model, found.merged_into_id) if found.merged_into_id else None
    return render_template("admin/group.html", kind=kind, group=found, others=others,
                           merged_into=merged_into,
                           members=organizations.members(db, found),
                           events=audit.events_for(db, found)[:20])


# Audit log -----------------------------------------------------------------------------


@bp.get("/audit")
def audit_log():
    require(policy.can_view_audit(acting_user()))
    db = get_session()
    found = audit.search(db, action=request.args.get("action", ""),
                         actor=request.args.get("actor", ""),
                         page=_positive(request.args.get("page")))
    return render_template("admin/audit.html", found=found, targets=_target_names(found.events))


def _target_names(events) -> dict[tuple[str, int], tuple[str, str | None]]:
    """A readable name and a link for each event's target."""
    db = get_session()
    names = {}
    for event in events:
        key = (event.target_type, event.target_id)
        if key in names or event.target_id is None:
            continue
        if event.target_type == "sheet" and (sheet := db.get(Sheet, event.target_id)):
            names[key] = (sheet.title, url_for("sheets.view", slug=sheet.slug))
        elif event.target_type == "user" and (target := db.get(User, event.target_id)):
            names[key] = (target.name, url_for(".user", user_id=target.id))
        elif event.target_type in ("organization", "college"):
            model = Organization if event.target_type == "organization" else College
            if group := db.get(model, event.target_id):
                names[key] = (group.name, url_for(".group", kind=model.__tablename__,
                                                  slug=group.slug))
    return names


def _names(model) -> dict[int, str]:
    return {group.id: group.name
            for group in organizations.listing(get_session(), model, include_inactive=True)}


def _positive(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
