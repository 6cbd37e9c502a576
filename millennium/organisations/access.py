"""Who may manage an organisation's members, invitations and API tokens (the account pages apply these rules).

- A site administrator (superuser) manages every organisation and may give any role that fits its kind.
- A municipality's approvers manage its members (editors and approvers) and its API tokens.
- The programme office's programme admins manage its members (reviewers and programme admins).

An organisation is found only among those the user belongs to (or all, for a site administrator): anyone else
gets 404, so guessing ids reveals nothing; a member without the right gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import MUNICIPALITY_ROLES, PROGRAMME_ROLES, Organisation, Role
from .roles import has_role, is_site_admin

# The role that lets a member manage the organisation's people, by kind of organisation.
MANAGER_ROLE = {Organisation.Kind.MUNICIPALITY: Role.APPROVER, Organisation.Kind.PROGRAMME_OFFICE: Role.PROGRAMME_ADMIN}


def roles_for_kind(kind: str) -> tuple[str, ...]:
    return MUNICIPALITY_ROLES if kind == Organisation.Kind.MUNICIPALITY else PROGRAMME_ROLES


def visible_organisation(user, pk) -> Organisation:
    """The organisation `pk` if the user belongs to it or is a site administrator; 404 otherwise."""
    organisations = Organisation.objects.select_related("area")
    if not is_site_admin(user):
        organisations = organisations.filter(memberships__user=user).distinct()
    organisation = organisations.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def can_manage_members(user, organisation: Organisation) -> bool:
    return is_site_admin(user) or has_role(user, organisation, MANAGER_ROLE[organisation.kind])


def invitable_roles(user, organisation: Organisation) -> tuple[str, ...]:
    """The roles `user` may give in `organisation`: those of its kind, for a site admin or its manager."""
    return roles_for_kind(organisation.kind) if can_manage_members(user, organisation) else ()


def can_manage_tokens(user, organisation: Organisation) -> bool:
    """API tokens write a municipality's data: only its approvers (and site administrators) create or revoke them."""
    return organisation.kind == Organisation.Kind.MUNICIPALITY and (
        is_site_admin(user) or has_role(user, organisation, Role.APPROVER))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
