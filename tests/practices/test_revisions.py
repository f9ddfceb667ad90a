"""Profiles and measures are saved as sheets are: one number per revision, however many save
at once, and an edit that started from an older revision is refused, not silently lost."""

import threading

import pytest
from sqlmodel import Session, select

from practices import measures, profiles, revisions
from practices.models import MeasureRevision, Organization, OrganizationRevision, Role

PROFILE = {"standing": "other", "colleges": [], "country": "BF", "locations": [],
           "description": "", "website": "", "logo": None}


def test_a_profile_edit_from_an_older_revision_is_refused_and_changes_nothing(
        session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    moderator = make_user(Role.MODERATOR)
    profiles.revise(session, organization, {**PROFILE, "description": "first"},
                    author=moderator, base_revision=0)
    session.commit()
    with pytest.raises(revisions.StaleEdit) as stale:
        profiles.revise(session, organization, {**PROFILE, "description": "second"},
                        author=moderator, base_revision=0)
    session.rollback()
    assert stale.value.current == 1
    session.refresh(organization)
    assert organization.description == "first"
    assert len(profiles.history(session, organization)) == 1


def test_a_measure_edit_from_an_older_revision_is_refused(session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    moderator = make_user(Role.MODERATOR)
    measure = measures.create(session, organization, {"title": "Mulch"}, author=moderator)
    session.commit()
    measures.revise(session, measure, {"title": "Mulch on 20 ha"}, author=moderator,
                    base_revision=1)
    session.commit()
    with pytest.raises(revisions.StaleEdit):
        measures.revise(session, measure, {"title": "Mulch on 30 ha"}, author=moderator,
                        base_revision=1)
    session.rollback()
    assert [revision.number for revision in measures.history(session, measure)] in (
        [1, 2], [2, 1])


def test_simultaneous_profile_saves_from_one_base_save_exactly_one(
        app, session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    moderator = make_user(Role.MODERATOR)
    engine = app.extensions["engine"]
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def save(text: str) -> None:
        with Session(engine, expire_on_commit=False) as own:
            group = own.get(Organization, organization.id)
            start.wait()
            try:
                profiles.revise(own, group, {**PROFILE, "description": text},
                                author=own.merge(moderator), base_revision=0)
                own.commit()
                outcomes.append("saved")
            except revisions.StaleEdit:
                own.rollback()
                outcomes.append("stale")

    threads = [threading.Thread(target=save, args=(f"text {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["saved", "stale", "stale", "stale"]
    numbers = session.exec(select(OrganizationRevision.number).where(
        OrganizationRevision.organization_id == organization.id)).all()
    assert sorted(numbers) == [1]


def test_simultaneous_measure_saves_without_a_base_all_get_their_own_number(
        app, session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    moderator = make_user(Role.MODERATOR)
    measure = measures.create(session, organization, {"title": "Mulch"}, author=moderator)
    session.commit()
    engine = app.extensions["engine"]
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def save(area: int) -> None:
        with Session(engine, expire_on_commit=False) as own:
            mine = own.get(type(measure), measure.id)
            start.wait()
            try:
                measures.revise(own, mine, {"title": "Mulch", "area_ha": area},
                                author=own.merge(moderator))
                own.commit()
            except BaseException as error:  # noqa: BLE001 - the test reports any failure
                failures.append(error)

    threads = [threading.Thread(target=save, args=(10 * (n + 1),)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    numbers = session.exec(select(MeasureRevision.number).where(
        MeasureRevision.measure_id == measure.id)).all()
    assert sorted(numbers) == [1, 2, 3, 4, 5]
