"""Every account view × every role: the allowed succeed, a member without the right gets 403, anyone outside
the organisation 404 (ids reveal nothing), a visitor who is not signed in is sent to sign in — and a refused
request changes nothing."""

import pytest

from millennium.organisations.models import ApiToken, Invitation, Membership, Organisation

from .conftest import PERSONAS, sign_in

pytestmark = pytest.mark.django_db

SIGNED_IN = set(PERSONAS) - {"anonymous"}


def members_url(org):
    return f"/konto/organisation/{org.pk}/medlemmar/"


def tokens_url(org):
    return f"/konto/organisation/{org.pk}/api-nycklar/"


# (name, method, url(fixtures), data, allowed personas, status when allowed, status for signed-in members without
# the right, the personas that count as members of the organisation)
MALMO_MEMBERS = {"editor_malmo", "approver_malmo"}
OFFICE_MEMBERS = {"reviewer", "programme_admin"}
CASES = [
    ("account", "get", lambda f: "/konto/", None, SIGNED_IN, 200, None),
    ("password change", "get", lambda f: "/konto/losenord/", None, SIGNED_IN, 200, None),
    ("Malmö's members", "get", lambda f: members_url(f["malmo"]), None, {"approver_malmo", "site_admin"}, 200,
     MALMO_MEMBERS),
    ("the office's members", "get", lambda f: members_url(f["office"]), None, {"programme_admin", "site_admin"},
     200, OFFICE_MEMBERS),
    ("Malmö's tokens", "get", lambda f: tokens_url(f["malmo"]), None, {"approver_malmo", "site_admin"}, 200,
     MALMO_MEMBERS),
    # The programme office has no API tokens: nobody, not even a site admin, finds such a page.
    ("the office's tokens", "get", lambda f: tokens_url(f["office"]), None, set(), 200, set()),
    ("all organisations", "get", lambda f: "/konto/organisationer/", None, {"site_admin"}, 200, SIGNED_IN),
    ("create a token", "post", lambda f: tokens_url(f["malmo"]),
     {"name": "Ny nyckel", "scopes": ["observations:write"]}, {"approver_malmo", "site_admin"}, 200, MALMO_MEMBERS),
    ("revoke a token", "post", lambda f: f"{tokens_url(f['malmo'])}{f['malmo_token'].pk}/aterkalla/", {},
     {"approver_malmo", "site_admin"}, 302, MALMO_MEMBERS),
    ("invite", "post", lambda f: members_url(f["malmo"]), {"email": "ny@example.org", "role": "editor"},
     {"approver_malmo", "site_admin"}, 302, MALMO_MEMBERS),
    ("invite to the office", "post", lambda f: members_url(f["office"]),
     {"email": "ny@example.org", "role": "reviewer"}, {"programme_admin", "site_admin"}, 302, OFFICE_MEMBERS),
    ("remove a member", "post",
     lambda f: f"{members_url(f['malmo'])}{f['people']['editor_malmo'].memberships.get().pk}/ta-bort/", {},
     {"approver_malmo", "site_admin"}, 302, MALMO_MEMBERS),
    ("cancel an invitation", "post",
     lambda f: f"/konto/organisation/{f['malmo'].pk}/inbjudningar/{f['malmo_invitation'].pk}/aterkalla/", {},
     {"approver_malmo", "site_admin"}, 302, MALMO_MEMBERS),
    ("create an organisation", "post", lambda f: "/konto/organisationer/",
     {"kind": "municipality", "area_code": "0180", "name": ""}, {"site_admin"}, 302, SIGNED_IN),
]


def state():
    """Everything the account views can change."""
    return (sorted(Membership.objects.values_list("user__username", "organisation__name", "role")),
            sorted(ApiToken.objects.values_list("name", "revoked_at")),
            sorted(Invitation.objects.values_list("email", "cancelled_at", "accepted_at")),
            sorted(Organisation.objects.values_list("name", flat=True)))


@pytest.fixture
def fixtures(people, malmo, lund, office, malmo_token, lund_token, malmo_invitation):
    return {"people": people, "malmo": malmo, "lund": lund, "office": office, "malmo_token": malmo_token,
            "malmo_invitation": malmo_invitation}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(client, fixtures, case, persona):
    name, method, url, data, allowed, ok_status, members = case
    url = url(fixtures)
    sign_in(client, fixtures["people"][persona])
    before = state()

    response = getattr(client, method)(url, data) if method == "post" else client.get(url)

    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/?next=")
    elif persona in allowed:
        assert response.status_code == ok_status, response.content[:500]
    elif members is not None and persona in members:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    if method == "post":
        assert (state() != before) == (persona in allowed), "a refused request changed something"


def test_the_account_page_shows_roles_and_only_the_allowed_links(client, people, malmo):
    client.force_login(people["approver_malmo"])
    html = client.get("/konto/").content.decode()
    assert "Malmö stad" in html and "godkännare" in html
    assert f'href="/konto/organisation/{malmo.pk}/medlemmar/"' in html
    assert f'href="/konto/organisation/{malmo.pk}/api-nycklar/"' in html
    assert 'href="/konto/organisationer/"' not in html

    client.force_login(people["editor_malmo"])
    html = client.get("/konto/").content.decode()
    assert "Malmö stad" in html and "redaktör" in html
    assert "/medlemmar/" not in html and "/api-nycklar/" not in html and "API-nycklar" not in html

    client.force_login(people["site_admin"])
    assert 'href="/konto/organisationer/"' in client.get("/konto/").content.decode()


def test_guessing_another_organisations_token_id_finds_nothing_and_changes_nothing(client, people, malmo, lund,
                                                                                   lund_token):
    client.force_login(people["approver_malmo"])
    # Lund's token under Malmö's address (where the approver has the right) and under Lund's.
    assert client.post(f"{tokens_url(malmo)}{lund_token.pk}/aterkalla/").status_code == 404
    assert client.post(f"{tokens_url(lund)}{lund_token.pk}/aterkalla/").status_code == 404
    lund_token.refresh_from_db()
    assert lund_token.revoked_at is None


def test_guessing_another_organisations_member_or_invitation_id_finds_nothing(client, people, malmo, lund):
    lund_membership = people["approver_lund"].memberships.get()
    invitation, _ = Invitation.issue(lund, "editor", "lund@example.org", people["approver_lund"])
    client.force_login(people["approver_malmo"])
    assert client.post(f"{members_url(malmo)}{lund_membership.pk}/ta-bort/").status_code == 404
    assert client.post(f"/konto/organisation/{malmo.pk}/inbjudningar/{invitation.pk}/aterkalla/").status_code == 404
    assert client.post(f"/konto/organisation/{lund.pk}/inbjudningar/{invitation.pk}/aterkalla/").status_code == 404
    assert Membership.objects.filter(pk=lund_membership.pk).exists()
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_get_does_not_revoke_or_remove(client, people, malmo, malmo_token):
    client.force_login(people["approver_malmo"])
    membership = people["editor_malmo"].memberships.get()
    assert client.get(f"{tokens_url(malmo)}{malmo_token.pk}/aterkalla/").status_code == 405
    assert client.get(f"{members_url(malmo)}{membership.pk}/ta-bort/").status_code == 405
    malmo_token.refresh_from_db()
    assert malmo_token.revoked_at is None and Membership.objects.filter(pk=membership.pk).exists()
