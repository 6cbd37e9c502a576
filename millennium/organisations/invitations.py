"""Inviting someone into an organisation by e-mail, and accepting the invitation.

The e-mail is in Swedish with English below it, whoever sends it, since the site does not know the reader's
language; each part links to the acceptance page in its own language.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation, Membership, MembershipEvent, Organisation, Role


def record(organisation: Organisation, action: str, role: str, subject: str, by) -> None:
    MembershipEvent.objects.create(organisation=organisation, action=action, role=role, subject=subject,
                                   by=by if by and by.is_authenticated else None,
                                   by_name=by.get_username() if by and by.is_authenticated else "")


def acceptance_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("invitation_accept", args=[token])


@transaction.atomic
def invite(organisation: Organisation, role: str, email: str, invited_by) -> Invitation:
    """Creates the invitation, records it in the organisation's history and sends the e-mail.

    Within one transaction: if the mail cannot be sent, no invitation is left that nobody received.
    """
    invitation, token = Invitation.issue(organisation, role, email, invited_by)
    record(organisation, MembershipEvent.Action.INVITED, role, invitation.email, invited_by)
    context = {"invitation": invitation, "inviter": invited_by.get_full_name() or invited_by.get_username(),
               "url_sv": acceptance_url(token, "sv"), "url_en": acceptance_url(token, "en"),
               "role_sv": _role_label(role, "sv"), "role_en": _role_label(role, "en")}
    send_mail(subject=render_to_string("organisations/invitation_subject.txt", context).strip(),
              message=render_to_string("organisations/invitation_email.txt", context),
              from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[invitation.email])
    return invitation


def _role_label(role: str, language: str) -> str:
    with translation.override(language):
        return str(Role(role).label)


class NotPending(Exception):
    """The invitation was accepted, cancelled or expired before this request could accept it."""


@transaction.atomic
def accept(invitation: Invitation, user) -> Membership:
    """Makes `user` a member in the invited role and closes the invitation (used once)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise NotPending
    membership, _ = Membership.objects.get_or_create(user=user, organisation=invitation.organisation,
                                                     role=invitation.role)
    invitation.accepted_at, invitation.accepted_user = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    record(invitation.organisation, MembershipEvent.Action.JOINED, invitation.role, user.get_username(), user)
    return membership


@transaction.atomic
def accept_as_new_user(invitation: Invitation, username: str, password: str, first_name: str = "",
                       last_name: str = ""):
    user = get_user_model().objects.create_user(username, email=invitation.email, password=password,
                                                first_name=first_name, last_name=last_name)
    accept(invitation, user)
    return user


@transaction.atomic
def cancel(invitation: Invitation, by) -> None:
    invitation.cancelled_at, invitation.cancelled_by = timezone.now(), by
    invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    record(invitation.organisation, MembershipEvent.Action.INVITATION_CANCELLED, invitation.role, invitation.email,
           by)
