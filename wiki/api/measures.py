"""Measures through the API (issue 14): list, read, create (a draft), update with the
revision the edit started from (409 when someone saved since), delete (softly) and the review
transitions, with the same tokens, permissions and errors as sheets."""

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from sqlmodel import func, select

from practices import measure_records, measures, organizations, policy, profiles, revisions
from practices.models import Measure, MeasureRevision, Organization
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import (
    MeasureConflict,
    MeasureCreate,
    MeasureList,
    MeasureOut,
    MeasureUpdate,
    Transition,
)
from wiki.api.sheets import refuse
from wiki.api.spec import WRITE_ERRORS, api_spec, responses
from wiki.auth import acting_user
from wiki.db import get_session

TAGS = ("measures",)


# Reading ---------------------------------------------------------------------------------


def measure_out(db, measure: Measure, organization_slug: str,
                revision: int | None = None) -> MeasureOut:
    return MeasureOut(
        **measures.snapshot(db, measure),
        id=measure.id,
        organization=organization_slug,
        state=measure.state,
        estimated_t_c_ha_yr=measure.estimated_t_c_ha_yr,
        estimated_per_mille_yr=measure.estimated_per_mille_yr,
        estimated_t_c_yr=measure.estimated_t_c_yr,
        estimate_note=measure.estimate_note,
        revision=revision if revision is not None
        else measures.last_revision_number(db, measure),
        url=url_for("api.measure", measure_id=measure.id),
        html_url=url_for("measures.view", measure_id=measure.id),
    )


def _measure_list(rows: list[Measure]) -> MeasureList:
    db = get_session()
    slugs = dict(db.exec(select(Organization.id, Organization.slug)).all())
    numbers = dict(db.exec(select(MeasureRevision.measure_id, func.max(MeasureRevision.number))
                           .group_by(MeasureRevision.measure_id)).all())  # one query, not N
    return MeasureList(items=[
        measure_out(db, row, slugs.get(row.organization_id, ""), numbers.get(row.id, 0))
        for row in rows])


def _organization(slug: str) -> Organization:
    row = organizations.find(get_session(), Organization, slug)
    if row is None:
        raise ApiError(404, _("There is no organisation %(slug)s.", slug=slug))
    return row


@bp.get("/measures")
@api_spec.validate(resp=responses({200: MeasureList}), tags=TAGS, operation_id="listMeasures")
def list_measures():
    """Every measure you may see: published ones, and drafts of organisations you manage"""
    return _measure_list(measures.visible(get_session(), acting_user()))


@bp.get("/organizations/<slug>/measures")
@api_spec.validate(resp=responses({200: MeasureList}, 404), tags=TAGS,
                   operation_id="listOrganizationMeasures")
def list_organization_measures(slug: str):
    """The measures of one organisation that you may see"""
    row = _organization(slug)
    return _measure_list(measures.visible(get_session(), acting_user(), organization=row))


def load(measure_id: int) -> Measure:
    """The measure, if the caller may see it (404 otherwise: a draft one may not see, or a
    deleted measure, does not exist for them)."""
    db = get_session()
    measure = db.get(Measure, measure_id)
    user = acting_user()
    if measure is None or measure.is_deleted or not policy.can_view_measure(
            user, measure, profiles.managed_ids(db, user)):
        raise ApiError(404, _("There is no measure %(id)d, or you may not see it.",
                              id=measure_id))
    return measure


def _answer(measure: Measure, status: int = 200, headers: dict | None = None):
    db = get_session()
    organization = db.get(Organization, measure.organization_id)
    body = measure_out(db, measure, organization.slug if organization else "")
    response = current_app.response_class(body.model_dump_json(), status=status,
                                          mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Authorization", "Cookie"))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class MeasureResource(MethodView):
    """GET, PUT and DELETE of one measure, as one URL rule: a measure number too large for
    the database is then "not found" whatever the method (three rules would answer 405 to
    the methods of the other two)."""

    @api_spec.validate(resp=responses({200: MeasureOut}, 404), tags=TAGS,
                       operation_id="getMeasure")
    def get(self, measure_id: int):
        """A measure, with its current `revision` (what an update starts from)"""
        return _answer(load(measure_id))

    @api_spec.validate(json=MeasureUpdate,
                       resp=responses({200: MeasureOut, 409: (MeasureConflict, "Someone saved "
                                       "since base_revision (stale_revision)")}, *WRITE_ERRORS),
                       tags=TAGS, operation_id="updateMeasure", security={"bearerAuth": []})
    def put(self, measure_id: int):
        """Update a measure

        Send the whole new measure and the `base_revision` (the `revision` you started from).
        If someone saved since, nothing is saved: the answer is 409 with the measure as it is
        now. Nothing changed: 200, no new revision.
        """
        return update_measure(measure_id)

    @api_spec.validate(resp=responses({204: None}, *WRITE_ERRORS), tags=TAGS,
                       operation_id="deleteMeasure", security={"bearerAuth": []})
    def delete(self, measure_id: int):
        """Delete a measure

        It disappears from the lists, the map and the API; a moderator can restore it (as a
        draft) from its page.
        """
        return delete_measure(measure_id)


bp.add_url_rule("/measures/<int:measure_id>", view_func=MeasureResource.as_view("measure"))


# Writing ---------------------------------------------------------------------------------


def _may_edit(measure: Measure) -> None:
    user = acting_user()
    if not policy.can_edit_measure(user, measure, profiles.managed_ids(get_session(), user)):
        refuse()


def _refused(refused: measures.MeasureError) -> ApiError:
    return ApiError(422, _("Some values are not valid."), code="invalid_fields",
                    fields={name: _(message) for name, message in refused.errors.items()})


@bp.post("/organizations/<slug>/measures")
@api_spec.validate(json=MeasureCreate, resp=responses({201: MeasureOut}, *WRITE_ERRORS),
                   tags=TAGS, operation_id="createMeasure", security={"bearerAuth": []})
def create_measure(slug: str):
    """Record a measure of this organisation (a draft)

    For the organisation's managers, moderators and administrators. The measure is a draft
    until a moderator publishes it: submit it for review when it is ready.
    """
    organization = _organization(slug)
    user = acting_user()
    db = get_session()
    if not profiles.may_edit(db, user, organization):
        refuse()
    body = request.context.json
    try:
        measure = measures.create(db, organization, body.values(), author=user,
                                  summary=body.edit_summary)
    except measures.MeasureError as refused:
        db.rollback()
        raise _refused(refused) from None
    db.commit()
    return _answer(measure, 201, {"Location": url_for("api.measure", measure_id=measure.id)})


def update_measure(measure_id: int):
    measure = load(measure_id)
    _may_edit(measure)
    body = request.context.json
    db = get_session()
    try:
        measures.revise(db, measure, body.values(), author=acting_user(),
                        summary=body.edit_summary, base_revision=body.base_revision)
    except revisions.StaleEdit as stale:
        db.rollback()
        current = _answer(load(measure_id)).get_json()
        raise ApiError(409, _("Someone saved this measure after revision %(base)d: it is now "
                              "at revision %(current)d. Nothing was saved; merge your changes "
                              "and send them again.", base=body.base_revision,
                              current=stale.current),
                       code="stale_revision", extra={"current": current}) from None
    except measures.MeasureError as refused:
        db.rollback()
        raise _refused(refused) from None
    db.commit()
    return _answer(measure)


def delete_measure(measure_id: int):
    measure = load(measure_id)
    _may_edit(measure)
    db = get_session()
    measure_records.delete(db, measure, actor=acting_user())
    db.commit()
    return current_app.response_class(status=204)


@bp.post("/measures/<int:measure_id>/<any(submit, publish, return):transition>")
@api_spec.validate(json=Transition, resp=responses({200: MeasureOut}, *WRITE_ERRORS, 409),
                   tags=TAGS, operation_id="transitionMeasure", security={"bearerAuth": []})
def transition_measure(measure_id: int, transition: str):
    """Move a measure through review

    `submit` a draft for review (its organisation's managers); `publish` it, or `return` a
    measure in review or published to draft with a `comment` (moderators).
    """
    measure = load(measure_id)
    user = acting_user()
    db = get_session()
    allowed, possible_now = _transition_rules(measure, user)[transition]
    if not allowed:
        refuse()
    if not possible_now:
        raise ApiError(409, _("This measure cannot be moved that way in its present state."),
                       code="not_allowed_now")
    body = request.context.json or Transition()
    if transition == "submit":
        measures.submit(db, measure, actor=user)
    elif transition == "publish":
        measures.publish(db, measure, actor=user)
    else:
        measures.unpublish(db, measure, actor=user, reason=body.comment.strip())
    db.commit()
    return _answer(measure)


def _transition_rules(measure: Measure, user) -> dict[str, tuple[bool, bool]]:
    """transition -> (may this user ever do it, is it possible in the measure's state)."""
    editor = policy.can_edit_measure(user, measure, profiles.managed_ids(get_session(), user))
    moderator = policy.can_grant_managers(user)
    return {"submit": (editor, measure.state == "draft"),
            "publish": (moderator, measure.state != "published"),
            "return": (moderator, measure.state != "draft")}

