"""Which indexed sheets a user may find, derived from `practices.policy.can_view` itself.

The index holds each sheet's status, organisation and author. Rather than restating the
permission rules here, we ask the policy about a stand-in sheet of each status: one nobody
in particular wrote, one the user wrote, one of the user's organisation. The answers say
which (status, relation) pairs the user may see, and the search filters on exactly those.
Results shown are checked once more against the real sheets by the web layer.
"""

from dataclasses import dataclass

from practices import policy
from practices.models import Sheet, SheetStatus, User


@dataclass(frozen=True)
class Scope:
    anyone: frozenset[str]           # statuses visible whoever wrote the sheet
    own: frozenset[str]              # statuses visible when the user wrote it
    organization: frozenset[str]     # statuses visible when it belongs to the user's org
    user_id: str | None = None
    organization_id: str | None = None

    @property
    def sees_unpublished(self) -> bool:
        return bool((self.anyone | self.own | self.organization) - {SheetStatus.PUBLISHED})


READERS = Scope(frozenset({SheetStatus.PUBLISHED}), frozenset(), frozenset())


def _may_view(user: User | None, **attributes) -> bool:
    probe = Sheet(slug="probe", title="probe", **attributes)
    try:
        return bool(policy.can_view(user, probe))
    except Exception:  # noqa: BLE001 - a rule that needs more than a stand-in: not visible
        return False


def scope_for(user: User | None) -> Scope:
    anyone, own, organization = set(), set(), set()
    user_id = getattr(user, "id", None)
    organization_id = getattr(user, "organization_id", None)
    for status in SheetStatus.ALL:
        if _may_view(user, status=status):
            anyone.add(status)
            continue
        if user_id is not None and _may_view(user, status=status, created_by_id=user_id):
            own.add(status)
        if organization_id is not None and _may_view(
                user, status=status, organization_id=organization_id):
            organization.add(status)
    return Scope(frozenset(anyone), frozenset(own), frozenset(organization),
                 str(user_id) if own and user_id is not None else None,
                 str(organization_id) if organization and organization_id is not None else None)
