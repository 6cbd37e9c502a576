"""API tokens in the web: the key is shown once, only its SHA-256 is kept, a revoked key no longer works."""

import hashlib
import re

import pytest

from millennium.organisations.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(client, people, malmo):
    client.force_login(people["approver_malmo"])
    url = f"/konto/organisation/{malmo.pk}/api-nycklar/"

    response = client.post(url, {"name": "Ekonomisystemet", "scopes": ["observations:write", "practices:write"]})

    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = re.search(r'value="(mlm_[A-Za-z0-9_-]{43})"', html).group(1)
    token = ApiToken.objects.get()
    assert token.organisation == malmo and token.created_by == people["approver_malmo"]
    assert token.scopes == ["observations:write", "practices:write"]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[4:12]
    assert key not in str(list(ApiToken.objects.values_list()))  # not stored in any column
    assert ApiToken.for_key(key) == token

    listing = client.get(url).content.decode()
    assert "Ekonomisystemet" in listing and f"mlm_{token.prefix}…" in listing
    assert key not in listing and key not in client.get("/konto/").content.decode()
    assert key not in str(dict(client.session))


def test_a_token_needs_a_name_and_a_known_scope(client, people, malmo):
    client.force_login(people["approver_malmo"])
    url = f"/konto/organisation/{malmo.pk}/api-nycklar/"
    response = client.post(url, {"name": "", "scopes": ["everything:write"]})
    html = response.content.decode()
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "Något behöver rättas" in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html


def test_a_revoked_token_is_no_longer_found_and_is_listed_as_revoked(client, people, malmo):
    token, key = ApiToken.issue(malmo, "Gammal import", ["observations:write"], people["approver_malmo"])
    client.force_login(people["site_admin"])

    response = client.post(f"/konto/organisation/{malmo.pk}/api-nycklar/{token.pk}/aterkalla/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == people["site_admin"]
    assert ApiToken.for_key(key) is None
    listing = client.get(f"/konto/organisation/{malmo.pk}/api-nycklar/").content.decode()
    assert "Återkallad" in listing and "av admin" in listing
    assert "Nyckeln ”Gammal import” är återkallad" in listing  # the message after the redirect


def test_revoking_twice_keeps_the_first_revocation(client, people, malmo):
    token, _ = ApiToken.issue(malmo, "Import", ["observations:write"], people["approver_malmo"])
    token.revoke(people["approver_malmo"])
    first = token.revoked_at
    client.force_login(people["site_admin"])
    client.post(f"/konto/organisation/{malmo.pk}/api-nycklar/{token.pk}/aterkalla/")
    token.refresh_from_db()
    assert token.revoked_at == first and token.revoked_by == people["approver_malmo"]
