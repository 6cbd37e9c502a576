"""Questions about a person's rights, asked by every app: which organisations, in which roles."""

from .models import Membership, Organisation, Role


def has_role(user, organisation: Organisation | None, *roles: str) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=roles).exists()


def organisations_where(user, *roles: str):
    """The organisations in which `user` holds one of `roles`."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def municipality_areas_where(user, *roles: str):
    """The municipalities (Area) whose organisation `user` belongs to in one of `roles`."""
    return [organisation.area for organisation in
            organisations_where(user, *roles).filter(kind=Organisation.Kind.MUNICIPALITY).select_related("area")]


def is_programme_staff(user, *roles: str) -> bool:
    roles = roles or (Role.REVIEWER, Role.PROGRAMME_ADMIN)
    return organisations_where(user, *roles).filter(kind=Organisation.Kind.PROGRAMME_OFFICE).exists()


def is_site_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser
