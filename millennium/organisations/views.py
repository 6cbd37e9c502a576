"""The account pages: one's own account, an organisation's members and API tokens, invitations, and the site
administrator's list of organisations. Who may do what is decided in access.py; these views apply it."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from millennium.practices import permissions as practice_permissions

from . import access, invitations
from .forms import ApiTokenForm, InvitationForm, NewAccountForm, OrganisationForm
from .models import MUNICIPALITY_ROLES, ApiToken, Invitation, Membership, MembershipEvent, Organisation
from .roles import is_site_admin


@never_cache
@login_required
def account(request):
    user = request.user
    memberships = list(Membership.objects.filter(user=user).select_related("organisation__area")
                       .order_by("organisation__name", "role"))
    organisations = {}
    for membership in memberships:
        entry = organisations.setdefault(membership.organisation.pk, {"organisation": membership.organisation,
                                                                       "roles": []})
        entry["roles"].append(membership.get_role_display())
    for entry in organisations.values():
        entry["manage_members"] = access.can_manage_members(user, entry["organisation"])
        entry["manage_tokens"] = access.can_manage_tokens(user, entry["organisation"])
        # Editors and approvers keep their municipality's own figures current (sources/views.py checks the same).
        entry["uploads_data"] = entry["organisation"].kind == Organisation.Kind.MUNICIPALITY and any(
            m.role in MUNICIPALITY_ROLES for m in memberships if m.organisation_id == entry["organisation"].pk)
        if entry["manage_tokens"]:
            entry["active_tokens"] = ApiToken.objects.active().filter(organisation=entry["organisation"]).count()
    return render(request, "organisations/account.html", {
        "organisations": list(organisations.values()),
        "token_organisations": [e for e in organisations.values() if e["manage_tokens"]],
        "upload_organisations": [e["organisation"] for e in organisations.values() if e["uploads_data"]],
        "site_admin": is_site_admin(user),
        "can_write_practices": practice_permissions.can_create(user),
    })


# --- API tokens -----------------------------------------------------------------------------------------------

def _token_organisation(request, pk) -> Organisation:
    organisation = access.visible_organisation(request.user, pk)
    if organisation.kind != Organisation.Kind.MUNICIPALITY:
        raise Http404  # the programme office writes no data through the API
    access.require(access.can_manage_tokens(request.user, organisation))
    return organisation


@never_cache
@login_required
def tokens(request, pk):
    """The organisation's tokens and a form for a new one. A new key is shown in the response to the POST only:
    it is never stored, put in a URL or kept in the session, so it cannot be shown again."""
    organisation = _token_organisation(request, pk)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = ApiToken.issue(organisation, form.cleaned_data["name"], form.cleaned_data["scopes"],
                                    request.user)
        response = render(request, "organisations/token_created.html",
                          {"organisation": organisation, "token": token, "key": key})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "organisations/tokens.html", {
        "organisation": organisation, "form": form,
        "tokens": ApiToken.objects.filter(organisation=organisation).select_related("created_by", "revoked_by"),
        "scope_labels": dict(ApiToken.Scope.choices),
    })


@require_POST
@login_required
def token_revoke(request, pk, token_pk):
    organisation = _token_organisation(request, pk)
    token = get_object_or_404(ApiToken, organisation=organisation, pk=token_pk)
    if token.revoked_at is None:
        token.revoke(request.user)
        messages.success(request,
                         _("Nyckeln ”%(name)s” är återkallad och fungerar inte längre.") % {"name": token.name})
    return redirect("organisation_tokens", pk=organisation.pk)


# --- members and invitations ----------------------------------------------------------------------------------

def _managed_organisation(request, pk) -> Organisation:
    organisation = access.visible_organisation(request.user, pk)
    access.require(access.can_manage_members(request.user, organisation))
    return organisation


@never_cache
@login_required
def members(request, pk):
    organisation = _managed_organisation(request, pk)
    form = InvitationForm(request.POST or None, organisation=organisation,
                          roles=access.invitable_roles(request.user, organisation))
    if request.method == "POST" and form.is_valid():
        invitation = invitations.invite(organisation, form.cleaned_data["role"], form.cleaned_data["email"],
                                        request.user)
        messages.success(request, _("En inbjudan är skickad till %(email)s. Länken gäller i sju dagar.")
                         % {"email": invitation.email})
        return redirect("organisation_members", pk=organisation.pk)
    return render(request, "organisations/members.html", {
        "organisation": organisation, "form": form,
        "members": Membership.objects.filter(organisation=organisation).select_related("user")
                   .order_by("user__username", "role"),
        "pending": Invitation.objects.pending().filter(organisation=organisation).select_related("invited_by"),
        "history": MembershipEvent.objects.filter(organisation=organisation)[:50],
    })


@require_POST
@login_required
def membership_remove(request, pk, membership_pk):
    organisation = _managed_organisation(request, pk)
    with transaction.atomic():
        membership = get_object_or_404(Membership.objects.select_for_update().select_related("user"),
                                       organisation=organisation, pk=membership_pk)
        manager_role = access.MANAGER_ROLE[organisation.kind]
        last_manager = (membership.role == manager_role and
                        not Membership.objects.filter(organisation=organisation, role=manager_role)
                        .exclude(pk=membership.pk).exists())
        if last_manager and not is_site_admin(request.user):
            messages.error(request, _("%(user)s är den enda med rollen %(role)s. Bjud in någon annan till rollen "
                                      "först, så att någon kan hantera organisationen.")
                           % {"user": membership.user.get_username(), "role": membership.get_role_display()})
            return redirect("organisation_members", pk=organisation.pk)
        invitations.record(organisation, MembershipEvent.Action.REMOVED, membership.role,
                           membership.user.get_username(), request.user)
        membership.delete()
    messages.success(request, _("%(user)s har inte längre rollen %(role)s.")
                     % {"user": membership.user.get_username(), "role": membership.get_role_display()})
    return redirect("organisation_members", pk=organisation.pk)


@require_POST
@login_required
def invitation_cancel(request, pk, invitation_pk):
    organisation = _managed_organisation(request, pk)
    invitation = get_object_or_404(Invitation.objects.pending(), organisation=organisation, pk=invitation_pk)
    invitations.cancel(invitation, request.user)
    messages.success(request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email})
    return redirect("organisation_members", pk=organisation.pk)


@never_cache
def invitation_accept(request, token):
    """The link in the e-mail. A new person chooses a user name and password; someone signed in with the invited
    address accepts with one button. An unknown, expired, used or cancelled link changes nothing."""
    invitation = Invitation.for_token(token)
    if invitation is None or not invitation.is_pending:
        return _invitation_invalid(request, invitation)

    context = {"invitation": invitation, "organisation": invitation.organisation}
    user = request.user
    if user.is_authenticated:
        if user.email.strip().lower() != invitation.email.lower():
            return render(request, "organisations/invitation_accept.html", {**context, "wrong_user": True},
                          status=403)
        if request.method == "POST":
            try:
                invitations.accept(invitation, user)
            except invitations.NotPending:  # accepted or cancelled in another tab meanwhile
                return _invitation_invalid(request, Invitation.for_token(token))
            messages.success(request, _("Välkommen! Du är nu %(role)s i %(organisation)s.")
                             % {"role": invitation.get_role_display(), "organisation": invitation.organisation})
            return redirect("account")
        return render(request, "organisations/invitation_accept.html", context)

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        # The person already has an account: they sign in and come back here, rather than make a second one.
        return render(request, "organisations/invitation_accept.html", {**context, "has_account": True})
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitations.accept_as_new_user(invitation, data["username"], data["password1"],
                                                  data.get("first_name", ""), data.get("last_name", ""))
        except invitations.NotPending:
            return _invitation_invalid(request, Invitation.for_token(token))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Välkommen! Du är nu %(role)s i %(organisation)s.")
                         % {"role": invitation.get_role_display(), "organisation": invitation.organisation})
        return redirect("account")
    return render(request, "organisations/invitation_accept.html", {**context, "form": form})


def _invitation_invalid(request, invitation: Invitation | None):
    state = ("unknown" if invitation is None else "accepted" if invitation.accepted_at
             else "cancelled" if invitation.cancelled_at else "expired")
    return render(request, "organisations/invitation_invalid.html", {"state": state},
                  status=404 if invitation is None else 410)


# --- the site administrator's organisations -------------------------------------------------------------------

@never_cache
@login_required
def organisation_list(request):
    if not is_site_admin(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.create(name=data["name"], kind=data["kind"], area=data["area"])
        messages.success(request, _("%(name)s är skapad. Bjud in dess första medlemmar.") % {"name": organisation})
        return redirect("organisation_members", pk=organisation.pk)
    organisations = (Organisation.objects.select_related("area")
                     .annotate(members=Count("memberships__user", distinct=True),
                               tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True),
                                            distinct=True))
                     .order_by("-kind", "name"))
    return render(request, "organisations/organisation_list.html", {"form": form, "organisations": organisations})


# --- password reset -------------------------------------------------------------------------------------------

class SitePasswordResetView(PasswordResetView):
    """Django's reset, with the link built on settings.SITE_URL (the public address) rather than on the Host
    header of the request, which a client chooses."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
