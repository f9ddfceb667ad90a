"""Changes to organisations and colleges are decided on what the database holds when they
are saved, not on what an admin's page (or worker) read earlier."""

import pytest
from sqlmodel import Session

from practices import audit, organizations
from practices.models import College, Organization, Role


@pytest.fixture
def other_session(app):
    """A second worker: its own connection, committing on its own."""
    with Session(app.extensions["engine"], expire_on_commit=False) as other:
        yield other


def test_a_rename_from_a_page_showing_an_older_name_is_refused(
    session, other_session, make_organization, make_user
):
    organization = make_organization("Sahel Network")
    admin = make_user(Role.ADMIN)
    theirs = other_session.get(Organization, organization.id)
    organizations.rename(
        other_session, theirs, "Sahel Soil Network", actor=admin, base_name="Sahel Network"
    )
    other_session.commit()

    with pytest.raises(organizations.StaleGroup):
        organizations.rename(
            session, organization, "Sahel Partners", actor=admin, base_name="Sahel Network"
        )

    session.rollback()
    assert session.get(Organization, organization.id).name == "Sahel Soil Network"
    assert len(audit.events_for(session, organization, ("organization.rename",))) == 1


def test_the_same_setting_saved_by_two_admins_at_once_is_recorded_once(
    session, other_session, make_organization, make_user
):
    organization = make_organization()
    admin = make_user(Role.ADMIN)
    organizations.set_review_edits(
        other_session, other_session.get(Organization, organization.id), True, actor=admin
    )
    other_session.commit()
    organizations.set_review_edits(session, organization, True, actor=admin)  # read before
    session.commit()
    assert organization.review_edits
    assert len(audit.events_for(session, organization, ("organization.settings",))) == 1


def test_two_colleges_merged_into_each_other_at_once_end_merged_one_way(
    session, other_session, make_college, make_user
):
    first, second = make_college("Researchers"), make_college("Research network")
    admin = make_user(Role.ADMIN)
    organizations.merge(
        other_session,
        other_session.get(College, first.id),
        other_session.get(College, second.id),
        actor=admin,
    )
    other_session.commit()

    with pytest.raises(organizations.GroupError):  # this page still showed both active
        organizations.merge(session, second, first, actor=admin)

    session.rollback()
    assert session.get(College, first.id).merged_into_id == second.id
    assert session.get(College, second.id).active
    assert session.get(College, second.id).merged_into_id is None
