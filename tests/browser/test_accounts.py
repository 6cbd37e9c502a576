"""The account pages in a real browser: an approver's account, members and API-token pages, the new key shown
once, the page where an invited person creates an account (empty and with errors), the password reset and the
lockout page have no accessibility violations."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "ett långt lösenord 42"


@pytest.fixture(scope="module")
def accounts(django_db_setup, django_db_blocker):
    """Committed, not made inside a test's transaction, so that the live server's own connection sees them (on
    PostgreSQL); the browser only reads. Deleted afterwards, the newest first."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from millennium.organisations.invitations import record
    from millennium.organisations.models import (ApiToken, Invitation, Membership, MembershipEvent, Organisation,
                                                 Role)
    from millennium.places.models import Area

    with django_db_blocker.unblock():
        malmo = Organisation.objects.create(name="Malmö stad", kind=Organisation.Kind.MUNICIPALITY,
                                            area=Area.objects.get(code="1280"))
        approver = User.objects.create_user("webbgodkannare", email="godkannare@malmo.example.org",
                                            first_name="Greta", last_name="Godkänd")
        editor = User.objects.create_user("webbredaktor2", email="redaktor@malmo.example.org")
        Membership.objects.create(user=approver, organisation=malmo, role=Role.APPROVER)
        Membership.objects.create(user=editor, organisation=malmo, role=Role.EDITOR)
        token, _ = ApiToken.issue(malmo, "Ekonomisystemet", [ApiToken.Scope.OBSERVATIONS], approver)
        revoked, _ = ApiToken.issue(malmo, "Gammal import", [ApiToken.Scope.PRACTICES], approver)
        revoked.revoke(approver)
        invitation, invitation_token = Invitation.issue(malmo, Role.EDITOR, "ny@malmo.example.org", approver)
        record(malmo, MembershipEvent.Action.INVITED, Role.EDITOR, invitation.email, approver)
        session = SessionStore()
        session.update({SESSION_KEY: str(approver.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: approver.get_session_auth_hash()})
        session.save()
    yield {"organisation": malmo, "session": session.session_key, "invitation_token": invitation_token}
    with django_db_blocker.unblock():
        session.delete()
        MembershipEvent.objects.filter(organisation=malmo).delete()
        Invitation.objects.filter(organisation=malmo).delete()
        ApiToken.objects.filter(organisation=malmo).delete()
        Membership.objects.filter(organisation=malmo).delete()
        malmo.delete()
        editor.delete()
        approver.delete()


def test_the_approvers_account_members_and_token_pages_have_no_accessibility_violations(page, axe, site_url,
                                                                                       accounts):
    from django.conf import settings

    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": accounts["session"], "url": site_url}])
    page.goto("/konto/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    expect(page.get_by_role("row", name="Malmö stad")).to_contain_text("godkännare")
    expect(page.get_by_role("button", name="Logga ut").first).to_be_visible()
    assert axe() == []

    page.get_by_role("link", name="Medlemmar i Malmö stad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medlemmar i Malmö stad")
    expect(page.get_by_role("button", name="Ta bort webbredaktor2 som redaktör")).to_be_visible()
    expect(page.get_by_role("button", name="Återkalla inbjudan till ny@malmo.example.org")).to_be_visible()
    assert axe() == []

    page.go_back()
    page.get_by_role("link", name="API-nycklar för Malmö stad").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-nycklar för Malmö stad")
    expect(page.get_by_role("button", name="Återkalla nyckeln Ekonomisystemet")).to_be_visible()
    expect(page.get_by_role("row", name="Gammal import")).to_contain_text("Återkallad")
    expect(page.get_by_label("skriva nyckeltalsvärden")).to_be_visible()
    assert axe() == []


def test_the_invitation_page_and_its_errors_have_no_accessibility_violations(page, axe, accounts):
    page.goto(f"/konto/inbjudan/{accounts['invitation_token']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbjudan till Malmö stad")
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    assert axe() == []

    # Too short a password and two that differ: shown again with the errors, nothing saved.
    page.get_by_label("Användarnamn").fill("ny_redaktor")
    page.get_by_label("Lösenord:", exact=True).fill("kort")
    page.get_by_label("Lösenordet igen").fill("kort")
    page.get_by_role("button", name="Skapa kontot och ta emot inbjudan").click()
    expect(page.get_by_role("alert")).to_contain_text("Något behöver rättas")
    page.get_by_role("alert").get_by_role("link").first.click()
    expect(page.get_by_label("Lösenord:", exact=True)).to_be_focused()
    assert axe() == []


def test_the_password_reset_and_an_unknown_invitation_have_no_accessibility_violations(page, axe):
    page.goto("/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glömt lösenordet")
    assert axe() == []
    page.goto("/konto/inbjudan/finns-inte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbjudan gäller inte")
    assert axe() == []


def test_the_new_key_and_the_lockout_pages_have_no_accessibility_violations(page, axe, accounts):
    """Both are answers to a POST that writes (a token; failed attempts). The test client makes them inside the
    test's transaction and the browser shows their HTML on the live site's address, so the stylesheets load
    from it while the live server writes nothing."""
    from django.contrib.auth.models import User
    from django.test import Client

    page.goto("/konto/logga-in/")  # before the writes below: the live server reads nothing after them

    client = Client()
    client.force_login(User.objects.get(username="webbgodkannare"))
    created = client.post(f"/konto/organisation/{accounts['organisation'].pk}/api-nycklar/",
                          {"name": "Webbtest", "scopes": ["observations:write"]})
    assert created.status_code == 200
    page.set_content(created.content.decode())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny API-nyckel")
    expect(page.get_by_label("Nyckeln")).to_have_value(re.compile(r"^mlm_"))
    assert axe() == []

    User.objects.create_user("spärrad", password=PASSWORD)
    client = Client()
    for _ in range(5):
        locked = client.post("/konto/logga-in/", {"username": "spärrad", "password": "fel lösenord"})
    assert locked.status_code == 429
    page.set_content(locked.content.decode())
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen är spärrad en stund")
    assert axe() == []
