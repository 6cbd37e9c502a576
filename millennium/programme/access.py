"""Who sees which applications, and who may start one or manage a programme.

- A municipality's editors and approvers see all of its applications, drafts included.
- Programme staff (reviewers, admins) and site admins see every application that has been handed in
  (submitted_at set); a draft never handed in is the municipality's own.
- Nobody else sees any: to them an application does not exist (404).
"""

from django.db.models import Q

from millennium.organisations.models import Organisation, Role
from millennium.organisations.roles import is_programme_staff, is_site_admin, organisations_where

from .models import Application


def is_staff_reader(user) -> bool:
    return is_programme_staff(user) or is_site_admin(user)


def applying_organisations(user):
    """The municipalities on whose behalf `user` may start (and edit) an application."""
    return organisations_where(user, Role.EDITOR, Role.APPROVER).filter(kind=Organisation.Kind.MUNICIPALITY)


def sees_applications(user) -> bool:
    return user.is_authenticated and (is_staff_reader(user) or applying_organisations(user).exists())


def visible_applications(user):
    if not user.is_authenticated:
        return Application.objects.none()
    visible = Q(organisation__in=applying_organisations(user))
    if is_staff_reader(user):
        visible |= Q(submitted_at__isnull=False)
    return Application.objects.filter(visible)


def manages_programmes(user) -> bool:
    """Programme admins edit programmes and their criteria; so do site admins (they set the site up)."""
    return is_programme_staff(user, Role.PROGRAMME_ADMIN) or is_site_admin(user)
