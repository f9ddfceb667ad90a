"""An organisation as the measure and profile tests need it: its manager, a moderator, and
the manager of another organisation (who must not write here)."""

from practices import profiles
from practices.models import Role


def organisation_with_managers(session, make_organization, make_user):
    organization = make_organization("Sahel Soils")
    manager = make_user(organization=organization)
    moderator = make_user(Role.MODERATOR)
    profiles.grant_manager(session, organization, manager, actor=moderator)
    other = make_organization("Elsewhere")
    outsider = make_user(organization=other)
    profiles.grant_manager(session, other, outsider, actor=moderator)
    session.commit()
    return organization, manager, moderator, outsider
