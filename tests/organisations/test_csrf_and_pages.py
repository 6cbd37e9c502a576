"""CSRF protection on every form of the account pages, the site administrator's organisations, and the
header's account links (which must not leak one visitor's state into the pages cached for everyone)."""

import pytest
from django.test import Client

from millennium.organisations.models import ApiToken, Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(people, malmo, malmo_token, malmo_invitation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["site_admin"])
    membership = people["editor_malmo"].memberships.get()
    for url, data in [
        (f"/konto/organisation/{malmo.pk}/api-nycklar/", {"name": "x", "scopes": ["observations:write"]}),
        (f"/konto/organisation/{malmo.pk}/api-nycklar/{malmo_token.pk}/aterkalla/", {}),
        (f"/konto/organisation/{malmo.pk}/medlemmar/", {"email": "x@example.org", "role": "editor"}),
        (f"/konto/organisation/{malmo.pk}/medlemmar/{membership.pk}/ta-bort/", {}),
        (f"/konto/organisation/{malmo.pk}/inbjudningar/{malmo_invitation.pk}/aterkalla/", {}),
        ("/konto/organisationer/", {"kind": "municipality", "area_code": "0180"}),
        ("/konto/losenord/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert Invitation.objects.get().cancelled_at is None and Organisation.objects.count() == 3


def test_accepting_an_invitation_without_the_csrf_token_is_refused(people, malmo):
    invitation, token = Invitation.issue(malmo, "editor", "x@example.org", people["approver_malmo"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/konto/inbjudan/{token}/", {"username": "x", "password1": "Fikapaus vid Öresund 2010",
                                                        "password2": "Fikapaus vid Öresund 2010"})
    assert response.status_code == 403 and not Membership.objects.filter(user__username="x").exists()


def test_the_site_admin_creates_municipalities_and_one_programme_office(client, people, office):
    client.force_login(people["site_admin"])
    response = client.post("/konto/organisationer/", {"kind": "municipality", "area_code": "0180", "name": ""})
    stockholm = Organisation.objects.get(area__code="0180")
    assert stockholm.name == "Stockholm" and stockholm.kind == "municipality"
    assert response["Location"] == f"/konto/organisation/{stockholm.pk}/medlemmar/"

    for data, message in [({"kind": "municipality", "area_code": "0180"}, "Stockholm finns redan"),
                          ({"kind": "municipality", "area_code": "9999"}, "Ingen kommun har koden ”9999”"),
                          ({"kind": "municipality", "area_code": "00"}, "Ingen kommun har koden ”00”"),
                          ({"kind": "programme_office", "name": "Ett till kansli"},
                           "Det finns redan ett programkansli")]:
        response = client.post("/konto/organisationer/", data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert Organisation.objects.count() == 4
    html = client.get("/konto/organisationer/").content.decode()
    assert "Stockholm" in html and "Programkansliet" in html and "Malmö stad" in html


def test_the_header_shows_the_visitors_state_on_personal_pages_only(client, people):
    assert 'href="/konto/logga-in/?next=/praktiker/"' in client.get("/praktiker/").content.decode()
    client.force_login(people["editor_malmo"])
    html = client.get("/praktiker/").content.decode()
    assert 'class="account-nav"' in html and 'action="/konto/logga-ut/"' in html
    # A page cached for everyone carries the same neutral link whoever asks, and no CSRF token.
    home = client.get("/").content.decode()
    nav = home[home.index('class="account-nav"'):home.index("</nav>", home.index('class="account-nav"'))]
    assert 'href="/konto/"' in nav and "logga-ut" not in nav and "csrfmiddlewaretoken" not in nav


def test_signing_out_is_a_post(client, people):
    client.force_login(people["editor_malmo"])
    assert client.get("/konto/logga-ut/").status_code == 405
    assert client.post("/konto/logga-ut/").status_code == 302
    assert client.get("/konto/").status_code == 302
