"""Invitations by e-mail link: who may give which role, the e-mail, accepting once within seven days."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from millennium.organisations.models import Invitation, Membership, MembershipEvent, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fikapaus vid Öresund 2010"


def invite(client, inviter, organisation, email="ny.person@example.org", role="editor"):
    client.force_login(inviter)
    return client.post(f"/konto/organisation/{organisation.pk}/medlemmar/", {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/konto/inbjudan/[^/\s]+/)", message.body).group(1)


def test_the_email_is_swedish_then_english_and_its_link_works(client, people, malmo, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = invite(client, people["approver_malmo"], malmo, email="Ny.Person@Example.org")
    assert response.status_code == 302

    [message] = mail.outbox
    assert message.to == ["Ny.Person@Example.org"]
    assert message.subject == "Inbjudan till Malmö stad i Millennium / Invitation to Malmö stad in Millennium"
    body = message.body
    assert body.index("har bjudit in dig att bli redaktör i Malmö stad") < body.index("has invited you to become")
    assert "http://127.0.0.1:8000/en/konto/inbjudan/" in body  # the English part links to the English page
    path = link_in(message)
    token = path.split("/")[-2]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash and Invitation.for_token(token) == invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert "godkannare_malmo" in client.get(f"/konto/organisation/{malmo.pk}/medlemmar/").content.decode()

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Du är inbjuden att bli redaktör i Malmö stad" in page.content.decode()
    response = client.post(path, {"username": "ny_redaktor", "first_name": "Ny", "last_name": "Person",
                                  "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/"

    user = User.objects.get(username="ny_redaktor")
    assert user.email == "Ny.Person@example.org" and user.password.startswith("argon2")  # domain normalised
    assert Membership.objects.filter(user=user, organisation=malmo, role=Role.EDITOR).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    assert "Välkommen! Du är nu redaktör i Malmö stad." in client.get("/konto/").content.decode()  # signed in
    assert list(MembershipEvent.objects.filter(organisation=malmo).values_list("action", "subject")) == [
        ("joined", "ny_redaktor"), ("invited", "Ny.Person@Example.org")]


def test_a_used_link_is_refused_and_changes_nothing(client, people, malmo):
    invite(client, people["approver_malmo"], malmo)
    path = link_in(mail.outbox[0])
    client.logout()
    client.post(path, {"username": "forsta", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    response = client.post(path, {"username": "andra", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 410
    assert "Inbjudan har redan tagits emot" in response.content.decode()
    assert not User.objects.filter(username="andra").exists()
    assert Membership.objects.filter(organisation=malmo, role="editor").count() == 2  # the fixture's and forsta


def test_an_expired_link_is_refused_and_changes_nothing(client, people, malmo, malmo_invitation):
    invitation, token = Invitation.issue(malmo, Role.APPROVER, "sen@example.org", people["approver_malmo"])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    path = f"/konto/inbjudan/{token}/"

    response = client.post(path, {"username": "sen", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 410 and "Länken har gått ut" in response.content.decode()
    assert not User.objects.filter(username="sen").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_cancelled_or_unknown_link_is_refused(client, people, malmo):
    invitation, token = Invitation.issue(malmo, Role.EDITOR, "x@example.org", people["approver_malmo"])
    client.force_login(people["approver_malmo"])
    client.post(f"/konto/organisation/{malmo.pk}/inbjudningar/{invitation.pk}/aterkalla/")
    client.logout()
    response = client.get(f"/konto/inbjudan/{token}/")
    assert response.status_code == 410 and "Inbjudan har återkallats" in response.content.decode()
    response = client.get(f"/konto/inbjudan/{token[:-2]}xx/")
    assert response.status_code == 404 and "Vi hittar ingen inbjudan" in response.content.decode()


def test_a_weak_password_or_a_taken_user_name_is_refused(client, people, malmo, malmo_invitation):
    invitation, token = Invitation.issue(malmo, Role.EDITOR, "svag@example.org", people["approver_malmo"])
    path = f"/konto/inbjudan/{token}/"
    for data, message in [({"username": "svag", "password1": "12345678901234", "password2": "12345678901234"},
                           "enbart numeriskt"),
                          ({"username": "svag", "password1": "kort", "password2": "kort"}, "för kort"),
                          ({"username": "svag", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
                           "Lösenorden är inte lika"),
                          ({"username": "Redaktor_Malmo", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
                           "Användarnamnet är upptaget")]:
        response = client.post(path, data)
        html = response.content.decode()
        assert response.status_code == 200 and message in html, (data, html[html.find("<main"):][:2000])
        assert 'aria-invalid="true"' in html
    assert not User.objects.filter(username="svag").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_signed_in_user_with_the_invited_address_just_accepts(client, people, malmo):
    approver = people["approver_malmo"]
    invitation, token = Invitation.issue(malmo, Role.EDITOR, approver.email.upper(), people["site_admin"])
    client.force_login(approver)
    assert "Ta emot inbjudan" in client.get(f"/konto/inbjudan/{token}/").content.decode()
    assert client.post(f"/konto/inbjudan/{token}/").status_code == 302
    assert set(approver.memberships.values_list("role", flat=True)) == {"approver", "editor"}


def test_a_signed_in_user_with_another_address_cannot_accept(client, people, malmo):
    invitation, token = Invitation.issue(malmo, Role.APPROVER, "someone.else@example.org", people["approver_malmo"])
    client.force_login(people["editor_malmo"])
    response = client.post(f"/konto/inbjudan/{token}/")
    assert response.status_code == 403 and "Inbjudan gäller någon annan" in response.content.decode()
    assert not people["editor_malmo"].memberships.filter(role="approver").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_someone_with_an_account_is_asked_to_sign_in_rather_than_make_a_second(client, people, malmo):
    invitation, token = Invitation.issue(malmo, Role.APPROVER, people["editor_malmo"].email, people["site_admin"])
    html = client.get(f"/konto/inbjudan/{token}/").content.decode()
    assert "Det finns redan ett konto med den e-postadressen" in html
    assert f"/konto/logga-in/?next=/konto/inbjudan/{token}/" in html
    client.post(f"/konto/inbjudan/{token}/", {"username": "dubblett", "password1": NEW_PASSWORD,
                                             "password2": NEW_PASSWORD})
    assert not User.objects.filter(username="dubblett").exists()


@pytest.mark.parametrize("inviter, organisation, role, allowed", [
    ("approver_malmo", "malmo", "editor", True),
    ("approver_malmo", "malmo", "approver", True),
    ("approver_malmo", "malmo", "reviewer", False),  # a programme role in a municipality
    ("approver_malmo", "malmo", "programme_admin", False),
    ("programme_admin", "office", "reviewer", True),
    ("programme_admin", "office", "programme_admin", True),
    ("programme_admin", "office", "editor", False),  # a municipality role in the office
    ("site_admin", "lund", "approver", True),
    ("site_admin", "lund", "reviewer", False),
    ("site_admin", "office", "programme_admin", True),
    ("site_admin", "office", "approver", False),
])
def test_the_role_must_fit_the_kind_of_organisation(client, people, malmo, lund, office, inviter, organisation,
                                                   role, allowed):
    organisation = {"malmo": malmo, "lund": lund, "office": office}[organisation]
    response = invite(client, people[inviter], organisation, role=role)
    assert Invitation.objects.filter(organisation=organisation, role=role).exists() == allowed
    assert len(mail.outbox) == (1 if allowed else 0)
    if not allowed:
        assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()


def test_a_second_pending_invitation_or_an_existing_member_is_refused(client, people, malmo):
    assert invite(client, people["approver_malmo"], malmo, email="a@example.org").status_code == 302
    response = invite(client, people["approver_malmo"], malmo, email="A@example.org")
    assert "redan en inbjudan" in response.content.decode()
    response = invite(client, people["approver_malmo"], malmo, email=people["editor_malmo"].email)
    assert "har redan den rollen här" in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_removing_a_member_is_recorded_and_the_last_approver_stays(client, people, malmo):
    approver = people["approver_malmo"]
    editor_membership = people["editor_malmo"].memberships.get()
    client.force_login(approver)
    client.post(f"/konto/organisation/{malmo.pk}/medlemmar/{editor_membership.pk}/ta-bort/")
    assert not Membership.objects.filter(pk=editor_membership.pk).exists()

    own = approver.memberships.get()
    response = client.post(f"/konto/organisation/{malmo.pk}/medlemmar/{own.pk}/ta-bort/", follow=True)
    assert Membership.objects.filter(pk=own.pk).exists()
    html = response.content.decode()
    assert "godkannare_malmo är den enda med rollen godkännare" in html
    assert re.search(r"<td>borttagen</td><td>redaktor_malmo</td><td>redaktör</td><td>godkannare_malmo</td>", html)
