"""Measures (issue 14): where an organisation applies practices in the field.

A measure names its organisation, the practice sheets it applies, where (country, points),
its area, years and status (planned / ongoing / completed), the baseline and practice
management in the IPCC terms of `practices.carbon`, and optionally measured soil organic
carbon. Every save recomputes the Tier 1 estimate (t C/yr and per mille per year, or "no IPCC
default") and appends a MeasureRevision. Measures are drafts until a moderator publishes
them; only published ones are public.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from practices import areas, audit, carbon, policy, profiles, revisions
from practices.carbon_levels import EstimateError
from practices.diff import FieldChange
from practices.fields import N_
from practices.models import (
    Measure,
    MeasureRevision,
    MeasureSheet,
    MeasureState,
    Organization,
    Sheet,
    SheetStatus,
    User,
)
from practices.text import has_control_character, has_visible_character
from practices.vocab import region_of_country, vocabulary

STATUSES = ("planned", "ongoing", "completed")
STATUS_LABELS = {"planned": N_("Planned"), "ongoing": N_("Ongoing"), "completed": N_("Completed")}
FIELDS = (
    "title",
    "sheets",
    "status",
    "country",
    "locations",
    "boundary",
    "area_ha",
    "start_year",
    "end_year",
    "land_use",
    "climate_zone",
    "soil_class",
    "baseline",
    "practice",
    "edition",
    "soc_baseline_t_c_ha",
    "soc_change_t_c_ha_yr",
    "soc_depth_cm",
    "soc_years",
    "soc_method",
)
NUMBERS = {  # name: (minimum, maximum, whole number)
    "area_ha": (0, 100_000_000, False),
    "start_year": (1900, 2100, True),
    "end_year": (1900, 2100, True),
    "soc_baseline_t_c_ha": (0, 2_000, False),
    "soc_change_t_c_ha_yr": (-20, 20, False),
    "soc_depth_cm": (1, 500, False),
    "soc_years": (0, 200, False),
}
MAX_POINTS = 50


class MeasureError(Exception):
    """Some fields were refused; `errors` maps field name to a message (an N_ string)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


# Validating ------------------------------------------------------------------------------


def clean(session: Session, raw: dict[str, Any]) -> dict[str, Any]:
    """Validated values of a measure (sheet slugs resolved to published sheets)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    title = " ".join(str(raw.get("title") or "").split())
    if not has_visible_character(title):
        errors["title"] = N_("Give the measure a name.")
    elif len(title) > 200:
        errors["title"] = N_("Use at most 200 characters.")
    values["title"] = title
    values["sheets"] = _clean_sheets(session, raw.get("sheets") or [], errors)
    status = str(raw.get("status") or "ongoing").strip()
    if status not in STATUSES:
        errors["status"] = N_("Choose planned, ongoing or completed.")
    values["status"] = status
    country = str(raw.get("country") or "").strip().upper() or None
    if country and country not in vocabulary("countries"):
        errors["country"] = N_("Choose a country from the list.")
    values["country"] = country
    try:
        values["locations"] = profiles.clean_points(raw.get("locations") or [], MAX_POINTS)
    except ValueError as problem:
        errors["locations"] = str(problem)
    try:
        values["boundary"] = areas.clean(raw.get("boundary"))
    except areas.AreaError as problem:
        errors["boundary"] = str(problem)
        values["boundary"] = None
    for name, (low, high, whole) in NUMBERS.items():
        values[name] = _number(raw.get(name), low, high, whole, name, errors)
    if values["area_ha"] is None and values["boundary"]:  # the page says it was computed
        values["area_ha"] = areas.rounded_hectares(values["boundary"])
    if values["start_year"] and values["end_year"] and values["end_year"] < values["start_year"]:
        errors["end_year"] = N_("The end year comes after the start year.")
    for name in ("land_use", "climate_zone", "soil_class", "soc_method"):
        values[name] = str(raw.get(name) or "").strip()[:300] or None
    values["soc_method"] = values["soc_method"] or ""
    for name, codes in _codes().items():
        if values[name] and values[name] not in codes:
            errors[name] = N_("Choose a value from the list.")
    for name in ("title", "soc_method"):
        if name not in errors and has_control_character(values[name]):
            errors[name] = N_("Remove the invisible control characters from this text.")
    values["edition"] = str(raw.get("edition") or "2019").strip()
    if values["edition"] not in ("2019", "2006"):
        errors["edition"] = N_("Choose the 2019 or the 2006 edition.")
    for name in ("baseline", "practice"):
        levels = raw.get(name) or []
        levels = (
            [part.strip() for part in levels.split(",")]
            if isinstance(levels, str)
            else [str(part).strip() for part in levels]
        )
        values[name] = [level for level in levels if level]
        if any(level not in _level_codes() for level in values[name]) or len(levels) > 10:
            errors[name] = N_("Choose management levels from the list.")
    if errors:
        raise MeasureError(errors)
    return values


def _codes() -> dict[str, Any]:
    return {"land_use": carbon.LAND_USES, "climate_zone": vocabulary("ipcc_climate_zones"),
            "soil_class": vocabulary("ipcc_soil_classes")}


def _level_codes() -> set[str]:
    return {term.code for land_use in carbon.LAND_USES
            for group in carbon.management_levels(land_use, None) for term in group.terms}


def _clean_sheets(session: Session, slugs: Sequence[str], errors: dict[str, str]) -> list[str]:
    slugs = list(dict.fromkeys(str(slug).strip() for slug in slugs if str(slug).strip()))
    found = (
        set(
            session.exec(
                select(Sheet.slug).where(
                    Sheet.slug.in_(slugs),
                    Sheet.status == SheetStatus.PUBLISHED,
                    Sheet.deleted_at.is_(None),
                )
            ).all()
        )
        if slugs
        else set()
    )
    if set(slugs) - found:
        errors["sheets"] = N_("Choose published practice sheets.")
    return slugs


def _number(
    value: Any, low: float, high: float, whole: bool, name: str, errors: dict[str, str]
) -> float | int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        errors[name] = N_("Enter a number.")
        return None
    if number != number or not low <= number <= high:  # NaN, or out of range
        errors[name] = N_("Enter a value in the allowed range.")
        return None
    if whole:
        if number != int(number):
            errors[name] = N_("Enter a whole number.")
            return None
        return int(number)
    return number


# The estimate ----------------------------------------------------------------------------


def estimate(measure: Measure) -> tuple[carbon.Estimate | None, str]:
    """The IPCC Tier 1 estimate of a measure, or None and why not (a short note)."""
    if not (
        measure.land_use
        and measure.climate_zone
        and measure.soil_class
        and measure.baseline
        and measure.practice
    ):
        return None, N_("Not enough data for an estimate.")
    try:
        return carbon.estimate(
            climate_zone=measure.climate_zone,
            soil_class=measure.soil_class,
            land_use=measure.land_use,
            baseline=measure.baseline,
            practice=measure.practice,
            area_ha=measure.area_ha,
            edition=measure.edition,
        ), ""
    except carbon.NoDefault:
        return None, N_("No IPCC default")
    except EstimateError:
        return None, N_("The management does not fit the IPCC tables.")


def _refresh_estimate(measure: Measure) -> None:
    result, note = estimate(measure)
    measure.estimated_t_c_ha_yr = result.change_t_c_ha_yr if result else None
    measure.estimated_per_mille_yr = result.per_mille_yr if result else None
    measure.estimated_t_c_yr = result.area_change_t_c_yr if result else None
    measure.estimate_note = note


# Writing ---------------------------------------------------------------------------------


def create(
    session: Session,
    organization: Organization,
    raw: dict[str, Any],
    *,
    author: User | None,
    summary: str = "",
) -> Measure:
    """A new draft measure of this organisation (for its managers and moderators)."""
    if author is not None and not policy.can_edit_profile(
        author, organization.id, profiles.managed_ids(session, author)
    ):
        raise PermissionError("Only this organisation's managers and moderators add measures.")
    values = clean(session, raw)
    measure = Measure(
        organization_id=organization.id,
        title=values["title"],
        created_by_id=author.id if author else None,
    )
    session.add(measure)
    session.flush()
    _apply(session, measure, values)
    _append(session, measure, values, author, summary)
    audit.record(session, author, "measure.create", measure, title=measure.title)
    return measure


def revise(
    session: Session,
    measure: Measure,
    raw: dict[str, Any],
    *,
    author: User | None,
    summary: str = "",
    base_revision: int | None = None,
    reverted_from: int | None = None,
) -> MeasureRevision | None:
    """Save a new revision of the measure, or None when nothing changed; revisions.StaleEdit
    if a revision was saved after `base_revision` (the one the editor started from).
    `reverted_from`: the old revision whose values these are (a revert)."""
    if author is not None and not policy.can_edit_measure(
        author, measure, profiles.managed_ids(session, author)
    ):
        raise PermissionError("Only this organisation's managers and moderators edit it.")
    values = clean(session, raw)
    revisions.claim(session, measure)
    revisions.check_base(last_revision_number(session, measure), base_revision)
    if values == snapshot(session, measure):
        return None
    _apply(session, measure, values)
    revision = _append(session, measure, values, author, summary, reverted_from)
    audit.record(session, author, "measure.revert" if reverted_from else "measure.edit",
                 measure, summary, revision=revision.number)
    return revision


def submit(session: Session, measure: Measure, *, actor: User) -> None:
    if measure.state != MeasureState.DRAFT or not policy.can_edit_measure(
        actor, measure, profiles.managed_ids(session, actor)
    ):
        raise PermissionError("Only a draft is submitted, by those who may edit it.")
    measure.state = MeasureState.IN_REVIEW
    audit.record(session, actor, "measure.submit", measure)


def publish(session: Session, measure: Measure, *, actor: User) -> None:
    if not policy.can_publish_measure(actor, measure):
        raise PermissionError("Moderators publish measures.")
    measure.state = MeasureState.PUBLISHED
    measure.updated_at = datetime.now(UTC)
    audit.record(session, actor, "measure.publish", measure)


def unpublish(session: Session, measure: Measure, *, actor: User, reason: str = "") -> None:
    """Back to draft (a moderator's decision), e.g. when a published measure was wrong."""
    if (not policy.can_grant_managers(actor) or measure.state == MeasureState.DRAFT
            or measure.is_deleted):
        raise PermissionError("Moderators return measures to draft.")
    measure.state = MeasureState.DRAFT
    audit.record(session, actor, "measure.return", measure, reason)


def _apply(session: Session, measure: Measure, values: dict[str, Any]) -> None:
    for name in FIELDS:
        if name != "sheets":
            setattr(measure, name, values[name])
    measure.updated_at = datetime.now(UTC)
    for row in session.exec(select(MeasureSheet).where(MeasureSheet.measure_id == measure.id)):
        session.delete(row)
    session.flush()
    for sheet_id in session.exec(select(Sheet.id).where(Sheet.slug.in_(values["sheets"]))):
        session.add(MeasureSheet(measure_id=measure.id, sheet_id=sheet_id))
    _refresh_estimate(measure)
    session.add(measure)


def _append(
    session: Session, measure: Measure, values: dict[str, Any], author: User | None, summary: str,
    reverted_from: int | None = None,
) -> MeasureRevision:
    return revisions.append(session, MeasureRevision, "measure_id", measure, values, author,
                            summary, reverted_from)


# Reading ---------------------------------------------------------------------------------


def last_revision_number(session: Session, measure: Measure) -> int:
    """The measure's latest revision (0 before its first): what an edit form starts from."""
    return revisions.last_number(session, MeasureRevision, MeasureRevision.measure_id,
                                 measure.id)


def sheet_slugs(session: Session, measure: Measure) -> list[str]:
    return list(
        session.exec(
            select(Sheet.slug)
            .join(MeasureSheet, MeasureSheet.sheet_id == Sheet.id)
            .where(MeasureSheet.measure_id == measure.id)
            .order_by(Sheet.slug)
        )
    )


def sheets_of(session: Session, measure: Measure) -> list[Sheet]:
    return list(
        session.exec(
            select(Sheet)
            .join(MeasureSheet, MeasureSheet.sheet_id == Sheet.id)
            .where(MeasureSheet.measure_id == measure.id, Sheet.deleted_at.is_(None))
            .order_by(func.lower(Sheet.title))
        )
    )


def snapshot(session: Session, measure: Measure) -> dict[str, Any]:
    values = {name: getattr(measure, name) for name in FIELDS if name != "sheets"}
    values["sheets"] = sheet_slugs(session, measure)
    values["locations"] = list(values["locations"] or [])
    values["boundary"] = values["boundary"] or None
    values["baseline"], values["practice"] = list(measure.baseline), list(measure.practice)
    return values


def visible(
    session: Session,
    viewer: User | None,
    *,
    organization: Organization | None = None,
    state: str | None = None,
) -> list[Measure]:
    """The measures this viewer may see (published ones, plus drafts they are entitled to)."""
    query = select(Measure).where(Measure.deleted_at.is_(None))
    if organization is not None:
        query = query.where(Measure.organization_id == organization.id)
    if state:
        query = query.where(Measure.state == state)
    managed = profiles.managed_ids(session, viewer)
    rows = session.exec(query.order_by(Measure.start_year.desc().nulls_last(),  # as SQLite
                                        func.lower(Measure.title), Measure.id))
    return [row for row in rows if policy.can_view_measure(viewer, row, managed)]


def history(session: Session, measure: Measure) -> list[MeasureRevision]:
    return revisions.history(session, MeasureRevision, "measure_id", measure)


def revision(session: Session, measure: Measure, number: int) -> MeasureRevision | None:
    return revisions.by_number(session, MeasureRevision, "measure_id", measure, number)


def compare(old: MeasureRevision, new: MeasureRevision,
            describe: Callable[[str, Any], str] | None = None) -> list[FieldChange]:
    return revisions.compare(old, new, FIELDS, describe)


def region(measure: Measure) -> str | None:
    return region_of_country(measure.country)
